/**
 * The audit log covers every state-changing route: a table, checked against /bff/openapi.json, says for each
 * POST/PUT/PATCH/DELETE route which action it records or why it records none (a new route without a row fails),
 * and the actions are then performed to see that each writes exactly one record naming who, what and which
 * ids, with the request id and without tokens, and that a refused request writes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { problems } from '../errors.ts';
import { helloWorldLaunch } from '../testing/hello-world.ts';
import { demoPrincipal, TEST_INSTANCE, type DemoRole } from '../testing/principal.ts';
import { accessControlDiracx, unitApp } from '../testing/unit-app.ts';
import { createAuditLog, type AuditEntry } from './log.ts';

/** The user's own working state (basket, drafts, read marks): no effect on DiracX or on others; the request log has them. */
const PRIVATE = [
  'DELETE /bff/v1/basket',
  'POST /bff/v1/basket/items',
  'PATCH /bff/v1/basket/items',
  'DELETE /bff/v1/basket/items/{itemId}',
  'POST /bff/v1/basket/rucio',
  'POST /bff/v1/basket/esap',
  'POST /bff/v1/basket/irfs',
  'POST /bff/v1/productions/{productionId}/outputs/basket',
  'POST /bff/v1/launch-drafts',
  'PATCH /bff/v1/launch-drafts/{draftId}',
  'DELETE /bff/v1/launch-drafts/{draftId}',
  'POST /bff/v1/notifications/read',
];
/** POSTs that answer a question and change nothing. */
const READS = [
  'POST /bff/v1/resources/fit',
  'POST /bff/v1/workflows/{id}/validate',
  'POST /bff/v1/admin/applications/check',
  'POST /bff/v1/basket/rucio-search',
  'POST /bff/v1/basket/locality',
  'POST /bff/v1/launches/preview',
  'POST /bff/v1/schedules/preview',
];
/** What each other state-changing route records (its `action`), or why it records nothing. */
const AUDITED: Record<string, string> = {
  'POST /bff/v1/instances/{id}/oidc/token': 'none: relays the sign-in to DiracX, which records it; the BFF has no verified user yet',
  'POST /bff/v1/instances/{id}/oidc/revoke': 'none: relays the sign-out to DiracX',
  'POST /bff/v1/jobs/actions': 'jobs.<kill|delete|reschedule>',
  'POST /bff/v1/admin/applications': 'application.add',
  'POST /bff/v1/admin/applications/import/zenodo': 'application.add',
  'POST /bff/v1/admin/applications/{appId}/versions/{version}/{action}': 'application.<publish|disable>',
  'DELETE /bff/v1/admin/applications/{appId}/versions/{version}': 'application.remove',
  'POST /bff/v1/launches': 'launch.create (launch.replay for a repeated idempotency key)',
  'POST /bff/v1/productions/{productionId}/actions/{action}': 'production.<action>',
  'POST /bff/v1/schedules': 'schedule.create (each launch a run makes: schedule.launch)',
  'PATCH /bff/v1/schedules/{scheduleId}': 'schedule.update',
  'DELETE /bff/v1/schedules/{scheduleId}': 'schedule.delete',
  'POST /bff/v1/schedules/{scheduleId}/pause': 'schedule.pause',
  'POST /bff/v1/schedules/{scheduleId}/resume': 'schedule.resume',
  'POST /bff/v1/schedules/{scheduleId}/run-now': 'schedule.run-now',
  'POST /bff/v1/schedules/{scheduleId}/authorize': 'none: starts the sign-in; its callback records schedule.authorize',
  'POST /bff/v1/schedules/revoke-all': 'schedule.revoke-all',
};

const as = (role: DemoRole, requestId: string) => ({ authorization: `Bearer role-${role}`, 'x-request-id': requestId });
const HELLO = JSON.parse(fs.readFileSync(path.resolve('workflows/hello-world.json'), 'utf8')) as Record<string, unknown>;

describe('audit log coverage', () => {
  let app: FastifyInstance;
  let db: Database;
  let close: () => Promise<void>;
  let all: () => Promise<AuditEntry[]>;
  let seq = 0;

  beforeAll(async () => {
    ({ app, db, close } = await unitApp({
      instances: [TEST_INSTANCE],
      diracx: accessControlDiracx,
      config: { scheduleKey: 'k'.repeat(43) + '=', scheduleMinIntervalMinutes: 5 },
      verifyToken: async (token) => {
        const role = token.replace(/^role-/, '') as DemoRole;
        if (!['scientist', 'pi', 'admin'].includes(role)) throw problems.unauthenticated('The access token is invalid');
        return demoPrincipal(role);
      },
    }));
    const audit = createAuditLog(db);
    all = () => audit.list({ limit: 1000 });
  });
  afterAll(() => close());

  /** Run one request; expect `status` and exactly the one record `want` (or none), with this request's id. */
  async function act(
    role: DemoRole,
    method: 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload: object | undefined,
    status: number,
    want: Partial<AuditEntry> | null,
  ) {
    const before = (await all()).length;
    const requestId = `audit-test-${String(++seq).padStart(4, '0')}`;
    const res = await app.inject({ method, url, headers: as(role, requestId), ...(payload ? { payload } : {}) });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
    const added = (await all()).slice(0, (await all()).length - before);
    if (want === null) expect(added).toEqual([]);
    else {
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({ requestId, instanceId: TEST_INSTANCE.id, ...want });
    }
    return res;
  }

  it('has one row per state-changing route of the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/bff/openapi.json' })).json<{ paths: Record<string, object> }>();
    const mutating = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops)
        .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(mutating.sort()).toEqual([...PRIVATE, ...READS, ...Object.keys(AUDITED)].sort());
  });

  it('records launches, job actions, schedule changes (also by an administrator) and catalogue administration', async () => {
    const launch = await act('scientist', 'POST', '/bff/v1/launches', helloWorldLaunch('audit-00000001'), 202, {
      action: 'launch.create',
      actorSub: 'escape:alice',
      actorName: 'alice',
    });
    expect((await all())[0]!.target).toBe(launch.json<{ id: string }>().id);
    await app.launchRunner.idle();

    await act('scientist', 'POST', '/bff/v1/jobs/actions', { action: 'kill', jobIds: [42, 43] }, 200, {
      action: 'jobs.kill',
      actorSub: 'escape:alice',
      target: '42,43',
    });

    const created = await act(
      'scientist',
      'POST',
      '/bff/v1/schedules',
      {
        name: 'nightly',
        launch: { name: 'x', workflowId: 'hello-world', values: { GREETING: 'Hello', MESSAGE: 'm' } },
        spec: { recurrence: { kind: 'interval', every: 5, unit: 'minutes' }, timezone: 'UTC', startAt: '2030-01-01T00:00:00Z' },
      },
      201,
      { action: 'schedule.create', actorSub: 'escape:alice' },
    );
    const scheduleId = created.json<{ id: string }>().id;
    const url = `/bff/v1/schedules/${scheduleId}`;
    await act('scientist', 'PATCH', url, { name: 'nightly run' }, 200, {
      action: 'schedule.update',
      target: scheduleId,
      detail: { changed: ['name'] },
    });
    // An administrator pauses alice's schedule: the record names the administrator, and whose it was.
    await act('admin', 'POST', `${url}/pause`, undefined, 200, {
      action: 'schedule.pause',
      actorSub: 'escape:ada',
      target: scheduleId,
      detail: { owner: 'escape:alice' },
    });
    // Refused (no stored authorization): nothing is recorded.
    await act('scientist', 'POST', `${url}/resume`, undefined, 409, null);
    await act('scientist', 'POST', `${url}/run-now`, undefined, 409, null);
    await act('pi', 'DELETE', url, undefined, 404, null);
    await act('scientist', 'DELETE', url, undefined, 204, { action: 'schedule.delete', actorSub: 'escape:alice', target: scheduleId });

    const descriptor = JSON.stringify({ ...HELLO, name: 'Audited greeter', 'tool-version': '9' });
    const added = await act('admin', 'POST', '/bff/v1/admin/applications', { id: 'audited-app', as: 'new', descriptor }, 201, {
      action: 'application.add',
      actorSub: 'escape:ada',
      target: 'audited-app@1',
    });
    expect(added.json()).toMatchObject({ version: 1 });
    await act('admin', 'POST', '/bff/v1/admin/applications/audited-app/versions/1/publish', undefined, 200, {
      action: 'application.publish',
      target: 'audited-app@1',
    });
    await act('scientist', 'POST', '/bff/v1/admin/applications/audited-app/versions/1/disable', undefined, 403, null);

    // No record carries a token.
    expect(JSON.stringify(await all())).not.toMatch(/role-(scientist|pi|admin)|Bearer/);
  });
});
