/**
 * Productions against the real DiracX, with each demo user: alice (scientist) and paul (PI) and
 * ada (admin) each launch a small Hello world production that the demo executor runs to Done.
 * Jobs are then made Failed for real (ada's admin token, as a pilot would report it), paul
 * reschedules them through the portal and they run to Done again; "kill all remaining" kills jobs
 * an admin put back to Running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Production } from '../../contracts/productions.ts';
import { createDiracxClient, type DiracxClient } from '../diracx/client.ts';
import { forceStatuses } from '../testing/job-states.ts';
import { bearer, inProcessBff, loginAs, until, type Role } from '../testing/real-stack.ts';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;

describe('productions on the real DiracX, per role', () => {
  let bff: Bff;
  let dx: DiracxClient;
  let adminToken: string;
  const auth = {} as Record<Role, Record<string, string>>;
  const launched = {} as Record<Role, { id: string; jobGroup: string; jobIds: number[] }>;

  const get = async (role: Role, url: string) => bff.app.inject({ method: 'GET', url, headers: auth[role] });
  const list = async (role: Role, query = '') => {
    const res = await get(role, `/bff/v1/productions?perPage=100${query}`);
    expect(res.statusCode).toBe(200);
    return res.json() as { items: Production[]; total: number; owners: string[]; workflows: string[] };
  };
  const detail = async (role: Role, id: string) => (await get(role, `/bff/v1/productions/${id}`)).json();
  const mine = (items: Production[]) => items.filter((x) => Object.values(launched).some((l) => l.id === x.id)).map((x) => x.id);

  async function launch(role: Role, messages: string[]) {
    const body = {
      idempotencyKey: `prod-${crypto.randomUUID()}`,
      name: `prod ${role}`,
      workflowId: 'hello-world',
      values: { GREETING: 'Hello' },
      sweeps: { MESSAGE: { kind: 'list', values: messages } },
    };
    const res = await bff.app.inject({ method: 'POST', url: '/bff/v1/launches', headers: auth[role], payload: body });
    expect(res.statusCode).toBe(202);
    const l = await until(
      async () => {
        const x = (await get(role, `/bff/v1/launches/${res.json().id}`)).json();
        return x.status === 'submitted' ? x : undefined;
      },
      { timeoutMs: 60_000, what: `${role}'s launch submitted` },
    );
    launched[role] = { id: l.id, jobGroup: l.jobGroup, jobIds: l.jobIds };
  }

  /** Wait until a production's counts satisfy `ok` (as seen by `role`). */
  const waitCounts = (role: Role, id: string, ok: (p: Production) => boolean, what: string) =>
    until(
      async () => {
        const d = await detail(role, id);
        return d.production && ok(d.production) ? d : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000, what },
    );

  /**
   * The demo executor writes Matched/Running/Done with timestamps a few seconds ahead, and DiracX
   * orders a job's statuses by time: wait until those are in the past before reporting a new one.
   */
  beforeAll(async () => {
    bff = await inProcessBff();
    for (const role of ['scientist', 'pi', 'admin'] as Role[]) auth[role] = bearer(await loginAs(role));
    adminToken = (await loginAs('admin')).access_token;
    dx = createDiracxClient(bff.config.instances[0]!);
    await Promise.all([launch('scientist', ['a', 'b', 'c']), launch('pi', ['p']), launch('admin', ['x', 'y'])]);
    await waitCounts('scientist', launched.scientist.id, (p) => p.counts.done === 3, 'alice’s jobs Done');
  }, 240_000);
  afterAll(() => bff?.close());

  it('alice sees only her production, paul his and alice’s (group sharing), ada all three', async () => {
    expect(mine((await list('scientist')).items)).toEqual([launched.scientist.id]);
    expect(new Set(mine((await list('pi')).items))).toEqual(new Set([launched.scientist.id, launched.pi.id]));
    expect(new Set(mine((await list('admin')).items))).toEqual(new Set([launched.scientist.id, launched.pi.id, launched.admin.id]));
    // Detail pages follow the same rule.
    expect((await get('scientist', `/bff/v1/productions/${launched.pi.id}`)).statusCode).toBe(404);
    expect((await get('pi', `/bff/v1/productions/${launched.admin.id}`)).statusCode).toBe(404);
    expect((await get('pi', `/bff/v1/productions/${launched.scientist.id}`)).statusCode).toBe(200);
    expect((await get('admin', `/bff/v1/productions/${launched.pi.id}/progress`)).statusCode).toBe(200);
    // So do bulk actions: alice cannot act on paul's production, even to "reschedule nothing".
    const refused = await bff.app.inject({
      method: 'POST',
      url: `/bff/v1/productions/${launched.pi.id}/actions/kill-remaining`,
      headers: auth.scientist,
    });
    expect(refused.statusCode).toBe(404);
  });

  it('lists live counts from DiracX with the launch’s name, workflow, owner and pace', async () => {
    const { items, owners, workflows } = await list('pi', '&owner=alice');
    const p = items.find((x) => x.id === launched.scientist.id)!;
    expect(items.every((x) => x.owner === 'alice')).toBe(true);
    expect(p).toMatchObject({
      name: 'prod scientist',
      workflowId: 'hello-world',
      owner: 'alice',
      ownerGroup: 'scientists',
      jobGroup: launched.scientist.jobGroup,
      totalJobs: 3,
      submittedJobs: 3,
      state: 'completed',
    });
    expect(p.counts).toEqual({ done: 3, running: 0, waiting: 0, failed: 0, killed: 0 });
    expect(p.throughputPerHour).toBeGreaterThan(0);
    expect(p.estimatedCompletion).toBeNull();
    expect(owners).toEqual(expect.arrayContaining(['alice', 'paul']));
    expect(owners).not.toContain('ada');
    expect(workflows).toContain('hello-world');
    expect(mine((await list('pi', '&workflow=corsika')).items)).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect(mine((await list('pi', `&from=${today}&to=${today}`)).items)).toHaveLength(2);
    expect(mine((await list('pi', '&to=2020-01-01')).items)).toEqual([]);
    const bad = await get('pi', '/bff/v1/productions?state=exploded');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION');
  });

  it('failed jobs show by minor status and site; paul reschedules them through the portal and they run to Done again', async () => {
    const [f1, f2] = launched.scientist.jobIds;
    // As a pilot would report it (Done -> Failed needs force; ada's token is JobAdministrator).
    const failed = await forceStatuses(dx, adminToken, {
      [f1!]: { Status: 'Failed', MinorStatus: 'Application Finished With Errors', Source: 'JobWrapper' },
      [f2!]: { Status: 'Failed', MinorStatus: 'Application Finished With Errors', Source: 'JobWrapper' },
    });
    expect(Object.keys(failed.success).sort()).toEqual([String(f1), String(f2)].sort());

    const d = await waitCounts('pi', launched.scientist.id, (p) => p.counts.failed === 2, 'two failed jobs');
    expect(d.production.state).toBe('failures');
    expect(d.failures.byMinorStatus).toEqual([{ key: 'Application Finished With Errors', count: 2 }]);
    expect(d.failures.bySite.reduce((s: number, e: { count: number }) => s + e.count, 0)).toBe(2);
    expect(d.launch.request).toMatchObject({ workflowId: 'hello-world', sweeps: { MESSAGE: { kind: 'list', values: ['a', 'b', 'c'] } } });
    expect(mine((await list('pi', '&state=failures')).items)).toEqual([launched.scientist.id]);
    expect(mine((await list('pi', '&state=completed')).items)).toEqual([launched.pi.id]);

    const rescheduledAt = Date.now();
    const res = await bff.app.inject({
      method: 'POST',
      url: `/bff/v1/productions/${launched.scientist.id}/actions/reschedule-failed`,
      headers: auth.pi,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ action: 'reschedule-failed', requested: 2, succeeded: [f1, f2].sort((a, b) => a! - b!), failed: [] });

    const again = await waitCounts(
      'scientist',
      launched.scientist.id,
      (p) => p.counts.done === 3 && p.counts.failed === 0,
      'rescheduled jobs Done again',
    );
    expect(again.production.state).toBe('completed');
    const job = (await get('scientist', `/bff/v1/jobs/${f1}`)).json();
    expect(job.history.map((h: { status: string }) => h.status)).toEqual(
      expect.arrayContaining(['Failed', 'Rescheduled', 'Received', 'Done']),
    );

    // The progress series ends with every job submitted, started and done.
    const progress = (await get('scientist', `/bff/v1/productions/${launched.scientist.id}/progress`)).json();
    expect(progress.jobs).toBe(3);
    expect(progress.points.at(-1)).toMatchObject({ submitted: 3, started: 3, done: 3, failed: 0 });
    expect(progress.points[0].submitted).toBeGreaterThan(0);
    // From the status histories: the series ends when the rescheduled jobs really ended, after the reschedule.
    expect(Date.parse(progress.points.at(-1).time)).toBeGreaterThan(rescheduledAt);
  }, 180_000);

  it('kill all remaining kills the jobs still running (source: the portal user), then has nothing left to kill', async () => {
    const [r1, r2] = launched.admin.jobIds;
    await waitCounts('admin', launched.admin.id, (p) => p.counts.done === 2, 'ada’s jobs Done');
    // Put one job back to Running (force), so one job "remains".
    await forceStatuses(dx, adminToken, { [r1!]: { Status: 'Running', MinorStatus: 'Application' } });
    await waitCounts('admin', launched.admin.id, (p) => p.counts.running === 1, 'one running job');
    expect((await list('admin', '&state=active')).items.map((x) => x.id)).toContain(launched.admin.id);

    const res = await bff.app.inject({
      method: 'POST',
      url: `/bff/v1/productions/${launched.admin.id}/actions/kill-remaining`,
      headers: auth.admin,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ action: 'kill-remaining', requested: 1, succeeded: [r1], failed: [] });
    const d = await waitCounts('admin', launched.admin.id, (p) => p.counts.killed === 1, 'killed job');
    expect(d.production.counts).toMatchObject({ done: 1, killed: 1, running: 0 });
    expect(d.production.state).toBe('failures');
    const job = (await get('admin', `/bff/v1/jobs/${r1}`)).json();
    expect(job.job).toMatchObject({ status: 'Killed', minorStatus: 'Marked for termination' });
    expect(job.history.at(-1).source).toBe('ESCAPE portal: ada');
    expect(r2).toBeGreaterThan(0);

    // Nothing left to kill: an empty, successful answer.
    const none = await bff.app.inject({
      method: 'POST',
      url: `/bff/v1/productions/${launched.admin.id}/actions/kill-remaining`,
      headers: auth.admin,
    });
    expect(none.json()).toEqual({ action: 'kill-remaining', requested: 0, succeeded: [], failed: [] });
  }, 180_000);
});
