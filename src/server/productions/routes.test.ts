/**
 * Productions routes with a narrow DiracX double (app.inject): one summary call per page with the
 * visibility conditions, DiracX's rows folded into the contract (nothing else passes), DiracX down
 * as a readable 503, bad ids refused before anything reaches DiracX. The real DiracX, per demo user:
 * productions.int.test.ts.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { InstanceConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { DiracxUnreachableError, type DiracxClient } from '../diracx/client.ts';
import { createLaunchRepo } from '../launches/repo.ts';
import { demoPrincipal, TEST_INSTANCE } from '../testing/principal.ts';
import { unitApp } from '../testing/unit-app.ts';

const instance = TEST_INSTANCE;
const paul = demoPrincipal('pi');

describe('productions routes (DiracX double)', () => {
  let db: Database;
  let app: FastifyInstance;
  let close: (() => Promise<void>) | undefined;
  let summaries: { grouping: string[]; search: unknown[] }[];
  const ids: string[] = [];

  async function start(summary: DiracxClient['summary']) {
    summaries = [];
    const client = {
      instance: instance as unknown as InstanceConfig,
      summary: async (t: string, grouping: string[], search: unknown[] = []) => {
        summaries.push({ grouping, search });
        return summary(t, grouping, search as never);
      },
    } as DiracxClient;
    ({ app, db, close } = await unitApp({ instances: [instance], diracx: () => client, verifyToken: async () => paul }));
    const launches = createLaunchRepo(db);
    ids.length = 0;
    for (const [name, group] of [
      ['alpha', 'scientists'],
      ['beta', 'pis'],
    ] as const) {
      const { launch } = await launches.claim({
        instanceId: 'local',
        ownerSub: `escape:${name}`,
        ownerName: name,
        vo: 'escape',
        group,
        idempotencyKey: `key-${name}`,
        name,
        jobGroup: `${name}-group`,
        workflowId: 'hello-world',
        request: {},
        jobs: [0, 1].map((index) => ({ index, jobName: `${name}-${index}`, attributes: {}, sandboxFiles: [] })),
      });
      await launches.markSubmitted(
        launch.id,
        [0, 1].map((index) => ({ index, jobId: 100 + index, jdl: '[]' })),
      );
      await launches.setStatus(launch.id, 'submitted');
      ids.push(launch.id);
    }
  }

  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('asks DiracX once for the whole page (JobGroup × Status, with the PI’s visibility) and folds the rows into the contract', async () => {
    await start(async () => [
      { JobGroup: 'alpha-group', Status: 'Done', count: 1, Secret: 'x' },
      { JobGroup: 'alpha-group', Status: 'Failed', count: 1 },
      { JobGroup: 'beta-group', Status: 'Running', count: 2 },
    ]);
    const res = await app.inject({ method: 'GET', url: '/bff/v1/productions', headers: { authorization: 'Bearer t' } });
    expect(res.statusCode).toBe(200);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.grouping).toEqual(['JobGroup', 'Status']);
    expect(summaries[0]!.search).toEqual([
      { parameter: 'VO', operator: 'eq', value: 'escape' },
      { parameter: 'OwnerGroup', operator: 'in', values: ['scientists', 'pis'] },
      { parameter: 'JobGroup', operator: 'in', values: expect.arrayContaining(['alpha-group', 'beta-group']) },
    ]);
    const body = res.json();
    const alpha = body.items.find((p: { name: string }) => p.name === 'alpha');
    expect(alpha).toMatchObject({
      state: 'failures',
      counts: { done: 1, failed: 1, running: 0, waiting: 0, killed: 0 },
      owner: 'alpha',
      ownerGroup: 'scientists',
      submittedJobs: 2,
      totalJobs: 2,
    });
    expect(body.items.find((p: { name: string }) => p.name === 'beta')).toMatchObject({
      state: 'active',
      throughputPerHour: null,
      estimatedCompletion: null,
    });
    expect(JSON.stringify(body)).not.toContain('Secret');
    expect(body).toMatchObject({ total: 2, owners: ['alpha', 'beta'], workflows: ['hello-world'] });
  });

  it('filters by state after classifying, and says so readably when DiracX is down', async () => {
    let down = false;
    await start(async () => {
      if (down) throw new DiracxUnreachableError('summary', new Error('ECONNREFUSED'));
      return [
        { JobGroup: 'alpha-group', Status: 'Done', count: 2 },
        { JobGroup: 'beta-group', Status: 'Waiting', count: 2 },
      ];
    });
    const completed = (
      await app.inject({ method: 'GET', url: '/bff/v1/productions?state=completed', headers: { authorization: 'Bearer t' } })
    ).json();
    expect(completed.items.map((p: { name: string }) => p.name)).toEqual(['alpha']);
    expect(completed.total).toBe(1);
    down = true;
    const res = await app.inject({ method: 'GET', url: `/bff/v1/productions/${ids[0]}`, headers: { authorization: 'Bearer t' } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'UPSTREAM_UNREACHABLE' });
  });

  it('refuses a malformed id or action before anything reaches DiracX', async () => {
    await start(async () => []);
    const bad = await app.inject({ method: 'GET', url: '/bff/v1/productions/not-a-uuid', headers: { authorization: 'Bearer t' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION');
    const action = await app.inject({
      method: 'POST',
      url: `/bff/v1/productions/${ids[0]}/actions/delete-everything`,
      headers: { authorization: 'Bearer t' },
    });
    expect(action.statusCode).toBe(400);
    expect(summaries).toHaveLength(0);
  });
});
