/**
 * The scheduler and the schedule routes in buildApp (SQLite, app.inject) with a narrow DiracX double
 * that issues one-time refresh tokens like DiracX does: slots become launches through the launch path,
 * failures are counted and pause the schedule, a refused credential pauses it with "sign in again",
 * missed slots follow the schedule's policy, and the API checks recurrences and who may see what.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../audit/log.ts';
import type { Principal } from '../auth/verify.ts';
import type { Database } from '../db/database.ts';
import { scheduleApp, type ScheduleDiracx } from '../testing/schedule-diracx.ts';
import { createBasketRepo } from '../datasets/basket-repo.ts';
import { createScheduleRepo } from './repo.ts';
import type { Scheduler } from './scheduler.ts';
import { createSecretBox, parseKey } from './secret-box.ts';

const KEY = Buffer.alloc(32, 3).toString('base64');
const inst = { id: 'local', label: 'Local', url: 'http://diracx.test', clientId: 'portal' };
const USERS: Record<string, Partial<Principal>> = {
  alice: { sub: 'escape:alice', username: 'alice' },
  ada: { sub: 'escape:ada', username: 'ada', group: 'admins', role: 'admin', properties: ['NormalUser', 'JobAdministrator'] },
  paul: { sub: 'escape:paul', username: 'paul', group: 'pis', role: 'pi' },
};
const as = (user: string) => ({ authorization: `Bearer ${user}` });

describe('scheduler and schedule routes (DiracX double)', () => {
  let close: () => Promise<void>;
  let db: Database;
  let app: FastifyInstance;
  let ref: { current?: Scheduler };
  /** Refresh tokens DiracX would still accept (one use each). */
  let live: Set<string>;
  let submitted: string[][];
  let dx: ScheduleDiracx;

  beforeEach(async () => {
    ({ app, db, close, dx, ref } = await scheduleApp({
      instance: inst,
      users: USERS,
      config: { scheduleKey: KEY, scheduleMinIntervalMinutes: 5, scheduleMaxFailures: 2, schedulerTickMs: 1000 },
    }));
    ({ live, submitted } = dx);
  });
  afterEach(async () => {
    await close();
  });

  const every5 = (startAt: string) => ({
    recurrence: { kind: 'interval', every: 5, unit: 'minutes' },
    timezone: 'UTC',
    startAt,
    missedPolicy: 'skip',
  });
  const hello = { name: 'sched hello', workflowId: 'hello-world', values: { GREETING: 'Hello', MESSAGE: 'schedules' } };

  /** Create a schedule as alice and store a credential as the authorization callback would. */
  async function authorized(spec: { startAt: string } & Record<string, unknown>, launch: Record<string, unknown> = hello) {
    const res = await app.inject({
      method: 'POST',
      url: '/bff/v1/schedules',
      headers: as('alice'),
      payload: { name: 'every five', launch, spec },
    });
    expect(res.statusCode).toBe(201);
    const s = res.json<{ id: string; status: string; credential: string }>();
    expect(s).toMatchObject({ status: 'paused', credential: 'none' });
    const repo = createScheduleRepo(db);
    live.add('rt-initial');
    await repo.putCredential(s.id, 'escape:alice', 'local', createSecretBox(parseKey(KEY)).seal('rt-initial', s.id));
    // as if the schedule had been authorized before its first slot
    await repo.setStatus(s.id, 'active', null, { nextRunAt: new Date(spec.startAt).toISOString() });
    return { id: s.id, repo };
  }

  it('runs each due slot once through the launch path, rotating the refresh token every time', async () => {
    const t0 = new Date(Date.now() - 60_000);
    t0.setUTCSeconds(0, 0);
    const { id, repo } = await authorized(every5(t0.toISOString()));
    const scheduler = ref.current!;
    await Promise.all([scheduler.tick(new Date(t0.getTime() + 1000)), scheduler.tick(new Date(t0.getTime() + 1000))]);
    await scheduler.tick(new Date(t0.getTime() + 2000)); // same slot again: nothing new
    await scheduler.idle();
    expect(submitted).toHaveLength(1);
    expect(dx.sandboxFilesOf(submitted[0]![0]!)['escape-job.sh']).toContain('schedules');
    const detail = (await app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: as('alice') })).json<{
      runs: { status: string; launchId: string; jobIds: number[]; jobGroup: string }[];
      nextRunAt: string;
      consecutiveFailures: number;
    }>();
    expect(detail.runs).toHaveLength(1);
    expect(detail.runs[0]).toMatchObject({ status: 'submitted', jobIds: [100] });
    expect(detail.runs[0]!.jobGroup).toMatch(/^sched-hello-/);
    expect(detail.nextRunAt).toBe(new Date(t0.getTime() + 5 * 60_000).toISOString());
    expect(live.has('rt-initial')).toBe(false); // spent and replaced
    expect(live.size).toBe(1);
    // The run's launch is an ordinary launch of alice's, with the key derived from the slot.
    const launches = (await app.inject({ method: 'GET', url: '/bff/v1/launches', headers: as('alice') })).json<{
      items: { id: string }[];
    }>();
    expect(launches.items.map((l) => l.id)).toEqual([detail.runs[0]!.launchId]);
    // run now, then the next slot: two more launches, each with its own refresh
    expect((await app.inject({ method: 'POST', url: `/bff/v1/schedules/${id}/run-now`, headers: as('alice') })).statusCode).toBe(202);
    await scheduler.idle();
    await scheduler.tick(new Date(t0.getTime() + 5 * 60_000 + 500));
    await scheduler.idle();
    expect(submitted).toHaveLength(3);
    expect((await repo.runs(id)).map((r) => r.manual)).toEqual([false, true, false]);
    expect(live.size).toBe(1);
    // The audit log: one schedule.launch per launch a run made, acted by the owner; the manual run asked by alice.
    const audit = await createAuditLog(db).list({ limit: 100 });
    const launched = audit.filter((e) => e.action === 'schedule.launch');
    expect(launched).toHaveLength(3);
    for (const e of launched) expect(e).toMatchObject({ actorSub: 'escape:alice', detail: { scheduleId: id, jobs: 1 } });
    expect(new Set(launched.map((e) => e.target)).size).toBe(3);
    expect(audit.filter((e) => e.action === 'schedule.run-now')).toMatchObject([{ actorSub: 'escape:alice', target: id }]);
  });

  it('keeps the files chosen for File inputs after the first (fileBindings) and gives them to every run (#15)', async () => {
    const descriptor = JSON.parse(fs.readFileSync(path.resolve('workflows/hello-world.json'), 'utf8')) as {
      inputs: object[];
      'command-line': string;
    };
    const twoFiles = {
      ...descriptor,
      name: 'Two files',
      'command-line': `${descriptor['command-line']} [EVENTS] [CALIB]`,
      inputs: [
        ...descriptor.inputs,
        { id: 'EVENTS', name: 'Events', type: 'File', 'value-key': '[EVENTS]', optional: true },
        { id: 'CALIB', name: 'Calibration', type: 'File', 'value-key': '[CALIB]', optional: true },
      ],
    };
    const admin = (url: string, payload?: object) =>
      app.inject({ method: 'POST', url: `/bff/v1/admin/applications${url}`, headers: as('ada'), ...(payload ? { payload } : {}) });
    expect((await admin('', { id: 'two-files', as: 'new', descriptor: JSON.stringify(twoFiles) })).statusCode).toBe(201);
    await admin('/two-files/versions/1/publish');
    await createBasketRepo(db).add({ ownerSub: 'escape:alice', instanceId: inst.id }, [
      {
        kind: 'lfn',
        ref: '/cta/calib/cal_7.h5',
        name: 'cal_7.h5',
        sizeBytes: 1,
        dataLevel: null,
        projectId: null,
        source: 'catalogue',
        meta: {},
      },
    ]);
    const [calib] = (await app.inject({ method: 'GET', url: '/bff/v1/basket', headers: as('alice') })).json<{ items: { id: string }[] }>()
      .items;
    const t0 = new Date(Date.now() - 60_000);
    t0.setUTCSeconds(0, 0);
    const { id } = await authorized(every5(t0.toISOString()), { ...hello, workflowId: 'two-files', fileBindings: { CALIB: calib!.id } });
    await ref.current!.tick(new Date(t0.getTime() + 1000));
    await ref.current!.idle();
    expect(submitted).toHaveLength(1);
    expect(dx.sandboxFilesOf(submitted[0]![0]!)['escape-job.sh']).toContain('cal_7.h5');
    expect(submitted[0]![0]).toContain('"/cta/calib/cal_7.h5"');
    const detail = (await app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: as('alice') })).json();
    expect(detail.runs[0]).toMatchObject({ status: 'submitted' });
  });

  it('keeps running the descriptor it was created with after a newer version is published and its own removed', async () => {
    const descriptor = JSON.parse(fs.readFileSync(path.resolve('workflows/hello-world.json'), 'utf8')) as Record<string, unknown>;
    const admin = (method: 'POST' | 'DELETE', url: string, payload?: object) =>
      app.inject({ method, url: `/bff/v1/admin/applications${url}`, headers: as('ada'), ...(payload ? { payload } : {}) });
    const v1 = JSON.stringify({ ...descriptor, name: 'Pinned greeter' });
    expect((await admin('POST', '', { id: 'pinned-greeter', as: 'new', descriptor: v1 })).statusCode).toBe(201);
    await admin('POST', '/pinned-greeter/versions/1/publish');
    const t0 = new Date(Date.now() - 60_000);
    t0.setUTCSeconds(0, 0);
    const { id } = await authorized(every5(t0.toISOString()), { ...hello, workflowId: 'pinned-greeter' });
    const v2 = JSON.stringify({ ...descriptor, name: 'Pinned greeter', 'command-line': 'printf [GREETING] [MESSAGE]' });
    expect((await admin('POST', '', { id: 'pinned-greeter', as: 'version', descriptor: v2 })).statusCode).toBe(201);
    await admin('POST', '/pinned-greeter/versions/2/publish');
    const removed = await admin('DELETE', '/pinned-greeter/versions/1');
    // The administrator is told who still uses the version before it goes.
    expect(removed.json()).toMatchObject({ removed: { status: 'removed' }, usedBy: { launches: 0, schedules: 1 } });
    await ref.current!.tick(new Date(t0.getTime() + 1000));
    await ref.current!.idle();
    expect(submitted).toHaveLength(1);
    const script = dx.sandboxFilesOf(submitted[0]![0]!)['escape-job.sh'];
    expect(script).toContain(`'echo Hello, schedules!'`);
    expect(script).not.toContain('printf Hello');
    const detail = (await app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: as('alice') })).json();
    expect(detail.runs[0]).toMatchObject({ status: 'submitted' });
  });

  it('counts failures, notifies, and pauses after the configured number in a row', async () => {
    dx.refuseSubmissions = 'Invalid JDL: no executable';
    const t0 = new Date(Date.now() - 60_000);
    t0.setUTCSeconds(0, 0);
    const { id } = await authorized(every5(t0.toISOString()));
    const scheduler = ref.current!;
    await scheduler.tick(new Date(t0.getTime() + 1000));
    await scheduler.idle();
    let s = (await app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: as('alice') })).json<{
      status: string;
      consecutiveFailures: number;
      lastRun: { status: string; error: string };
      pausedReason: string | null;
    }>();
    expect(s).toMatchObject({ status: 'active', consecutiveFailures: 1, lastRun: { status: 'failed' } });
    expect(s.lastRun.error).toContain('Invalid JDL: no executable');
    await scheduler.tick(new Date(t0.getTime() + 5 * 60_000 + 1000));
    await scheduler.idle();
    s = (await app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: as('alice') })).json();
    expect(s).toMatchObject({ status: 'paused', consecutiveFailures: 2, pausedReason: 'Paused after 2 consecutive failed runs.' });
    const notes = (await app.inject({ method: 'GET', url: '/bff/v1/notifications', headers: as('alice') })).json<{
      unread: number;
      items: { level: string; message: string }[];
    }>();
    expect(notes.unread).toBe(2);
    expect(notes.items[0]).toMatchObject({ level: 'error' });
    expect(notes.items[0]!.message).toContain('paused');
    expect((await app.inject({ method: 'POST', url: '/bff/v1/notifications/read', headers: as('alice') })).statusCode).toBe(204);
    expect(
      (await app.inject({ method: 'GET', url: '/bff/v1/notifications', headers: as('alice') })).json<{ unread: number }>().unread,
    ).toBe(0);
    // resume: failures reset, the next slot is in the future
    const resumed = (await app.inject({ method: 'POST', url: `/bff/v1/schedules/${id}/resume`, headers: as('alice') })).json<{
      status: string;
      consecutiveFailures: number;
      nextRunAt: string;
    }>();
    expect(resumed).toMatchObject({ status: 'active', consecutiveFailures: 0 });
    expect(Date.parse(resumed.nextRunAt)).toBeGreaterThan(Date.now());
  });

  it('DiracX down at the token or mid-launch: the run waits with the reason, then is taken over and submits each job once', async () => {
    const t0 = new Date(Date.now() - 60_000);
    t0.setUTCSeconds(0, 0);
    // Hourly: the ticks below reach 4–6 minutes past t0, and an every-5-minutes schedule would then have its next
    // slot due or skipped depending on the second the test started at.
    const { id, repo } = await authorized({ ...every5(t0.toISOString()), recurrence: { kind: 'interval', every: 60, unit: 'minutes' } });
    const scheduler = ref.current!;
    // The slot's run, and the schedule's failure count.
    const slotRun = async () => (await repo.runs(id)).find((r) => r.slotTime === t0.toISOString())!;
    const failures = async () =>
      (await app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: as('alice') })).json<{ consecutiveFailures: number }>()
        .consecutiveFailures;
    const leaseEnded = (leases: number) => new Date(Date.now() + leases * 130_000);

    // The token endpoint is down: nothing is spent or sent, the run waits (not failed, not counted).
    dx.down = 'token';
    await scheduler.tick(new Date(t0.getTime() + 1000));
    await scheduler.idle();
    expect(await slotRun()).toMatchObject({ status: 'claimed', error: expect.stringMatching(/^Waiting: DiracX is not reachable/) });
    expect(await failures()).toBe(0);
    expect(live.has('rt-initial')).toBe(true);

    // Back for tokens, down for submissions: the launch keeps its job unsent and the run waits again.
    dx.down = 'submit';
    await scheduler.tick(leaseEnded(1));
    await scheduler.idle();
    expect(await slotRun()).toMatchObject({ status: 'claimed', error: expect.stringMatching(/^Waiting: submit: DiracX is unreachable/) });
    expect(submitted).toHaveLength(0);

    // Back: the run is taken over, finds its launch by its key and resumes it; one job, sent once.
    dx.down = null;
    await scheduler.tick(leaseEnded(2));
    await scheduler.idle();
    const done = await slotRun();
    expect(done).toMatchObject({ status: 'submitted', error: null });
    expect(done.jobIds).toHaveLength(1);
    expect(submitted).toHaveLength(1);
    expect(await failures()).toBe(0);
  });

  it('pauses with "sign in again" when DiracX refuses the stored refresh token, and revokes on delete', async () => {
    const t0 = new Date(Date.now() - 60_000);
    t0.setUTCSeconds(0, 0);
    const { id } = await authorized(every5(t0.toISOString()));
    live.clear(); // revoked at DiracX
    await ref.current!.tick(new Date(t0.getTime() + 1000));
    await ref.current!.idle();
    const s = (await app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: as('alice') })).json<{
      status: string;
      pausedReason: string;
      credential: string;
    }>();
    expect(s).toMatchObject({ status: 'paused', credential: 'invalid' });
    expect(s.pausedReason).toMatch(/^Sign in again to resume/);
    expect(submitted).toEqual([]);
    const resume = await app.inject({ method: 'POST', url: `/bff/v1/schedules/${id}/resume`, headers: as('alice') });
    expect(resume.statusCode).toBe(409);
    expect(resume.json<{ message: string }>().message).toMatch(/^Sign in again/);
    const { id: other } = await authorized(every5(t0.toISOString()));
    expect(live.has('rt-initial')).toBe(true);
    expect((await app.inject({ method: 'DELETE', url: `/bff/v1/schedules/${other}`, headers: as('alice') })).statusCode).toBe(204);
    expect(live.has('rt-initial')).toBe(false); // revoked at DiracX
  });

  it('skips missed slots or runs once for them, as the schedule says', async () => {
    const long = new Date(Date.now() - 3 * 3600_000);
    long.setUTCSeconds(0, 0);
    const skip = await authorized(every5(long.toISOString()));
    const once = await authorized({ ...every5(long.toISOString()), missedPolicy: 'run-once' });
    await ref.current!.tick(new Date());
    await ref.current!.idle();
    const [skipped] = await skip.repo.runs(skip.id);
    expect(skipped).toMatchObject({ status: 'skipped', slotTime: long.toISOString() });
    expect(skipped!.error).toMatch(/Missed/);
    expect((await once.repo.runs(once.id)).map((r) => r.status)).toEqual(['submitted']);
    expect(submitted).toHaveLength(1);
    for (const s of [skip, once]) expect(Date.parse((await s.repo.get(s.id))!.nextRunAt!)).toBeGreaterThan(Date.now());
  });

  it('checks recurrences with clear messages, and shows schedules to their owner and to admins only', async () => {
    const preview = await app.inject({
      method: 'POST',
      url: '/bff/v1/schedules/preview',
      headers: as('alice'),
      payload: {
        spec: { recurrence: { kind: 'cron', expression: '0 3 * * 1' }, timezone: 'Europe/Zurich', startAt: '2026-01-01T00:00:00Z' },
      },
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json<{ nextRuns: string[]; description: string }>()).toMatchObject({ description: 'cron "0 3 * * 1" (Europe/Zurich)' });
    expect(preview.json<{ nextRuns: string[] }>().nextRuns).toHaveLength(5);
    const cases: [object, RegExp][] = [
      [
        { recurrence: { kind: 'cron', expression: '0 3 * *' }, timezone: 'UTC', startAt: '2026-01-01T00:00:00Z' },
        /invalid cron expression/,
      ],
      [
        { recurrence: { kind: 'interval', every: 1, unit: 'minutes' }, timezone: 'UTC', startAt: '2026-01-01T00:00:00Z' },
        /minimum interval of 5 minutes/,
      ],
      [
        { recurrence: { kind: 'daily', time: '03:00' }, timezone: 'UTC', startAt: '2026-02-01T00:00:00Z', endAt: '2026-01-01T00:00:00Z' },
        /end must be after the start/,
      ],
    ];
    for (const [spec, msg] of cases) {
      const res = await app.inject({
        method: 'POST',
        url: '/bff/v1/schedules',
        headers: as('alice'),
        payload: { name: 'bad', launch: hello, spec },
      });
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(res.json())).toMatch(msg);
    }
    const missingInput = await app.inject({
      method: 'POST',
      url: '/bff/v1/schedules',
      headers: as('alice'),
      payload: { name: 'x', launch: { ...hello, inputItemIds: ['nope'] }, spec: every5('2026-01-01T00:00:00Z') },
    });
    expect(missingInput.json<{ message: string }>().message).toMatch(/no longer in your basket/);
    const { id } = await authorized(every5('2030-01-01T00:00:00Z'));
    expect((await app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: as('paul') })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/bff/v1/schedules', headers: as('paul') })).json<{ items: unknown[] }>().items).toEqual(
      [],
    );
    const adminList = (await app.inject({ method: 'GET', url: '/bff/v1/schedules', headers: as('ada') })).json<{
      items: { id: string; owner: string; mine: boolean }[];
    }>();
    expect(adminList.items).toEqual([expect.objectContaining({ id, owner: 'alice', mine: false })]);
    expect((await app.inject({ method: 'POST', url: `/bff/v1/schedules/${id}/run-now`, headers: as('ada') })).statusCode).toBe(403);
    const paused = await app.inject({ method: 'POST', url: `/bff/v1/schedules/${id}/pause`, headers: as('ada') });
    expect(paused.json<{ status: string; pausedReason: string }>()).toMatchObject({
      status: 'paused',
      pausedReason: 'Paused by ada (administrator).',
    });
    const edited = await app.inject({
      method: 'PATCH',
      url: `/bff/v1/schedules/${id}`,
      headers: as('alice'),
      payload: {
        name: 'renamed',
        spec: { recurrence: { kind: 'daily', time: '06:00' }, timezone: 'UTC', startAt: '2030-01-01T00:00:00Z' },
      },
    });
    expect(edited.json<{ name: string; description: string }>()).toMatchObject({ name: 'renamed', description: 'daily at 06:00 (UTC)' });
    const start = (await app.inject({ method: 'POST', url: `/bff/v1/schedules/${id}/authorize`, headers: as('alice') })).json<{
      authorizeUrl: string;
    }>();
    const u = new URL(start.authorizeUrl);
    expect(u.origin + u.pathname).toBe('http://diracx.test/api/auth/authorize');
    expect(u.searchParams.get('redirect_uri')).toMatch(/\/bff\/v1\/schedules\/authorize\/callback$/);
    expect(u.searchParams.get('code_challenge_method')).toBe('S256');
    expect(u.searchParams.get('scope')).toBe('vo:escape group:scientists');
    const cb = await app.inject({ method: 'GET', url: `/bff/v1/schedules/authorize/callback?state=forged&code=x` });
    expect(cb.statusCode).toBe(303);
    expect(cb.headers.location).toMatch(/^\/schedules\?authorizeError=/);
    // someone else completes alice's flow: refused, and the token DiracX issued to them is revoked
    const state = u.searchParams.get('state')!;
    const foreign = await app.inject({ method: 'GET', url: `/bff/v1/schedules/authorize/callback?state=${state}&code=paul` });
    expect(new URL(foreign.headers.location as string, 'http://x').searchParams.get('authorizeError')).toBe(
      'You signed in as paul (pis), but the schedule belongs to alice (scientists).',
    );
    expect(live.has('rt-code-paul')).toBe(false);
    expect(await createScheduleRepo(db).credentialState(id)).toBe('ok'); // the earlier credential is untouched
    // the state is single use
    const replay = await app.inject({ method: 'GET', url: `/bff/v1/schedules/authorize/callback?state=${state}&code=alice` });
    expect(new URL(replay.headers.location as string, 'http://x').searchParams.get('authorizeError')).toMatch(
      /expired or was already used/,
    );
    // the owner's own flow stores a new credential, revokes the one it replaces, and activates the schedule
    const again = new URL(
      (await app.inject({ method: 'POST', url: `/bff/v1/schedules/${id}/authorize`, headers: as('alice') })).json<{
        authorizeUrl: string;
      }>().authorizeUrl,
    );
    const ok = await app.inject({
      method: 'GET',
      url: `/bff/v1/schedules/authorize/callback?state=${again.searchParams.get('state')}&code=alice`,
    });
    expect(ok.headers.location).toBe(`/schedules?authorized=${id}`);
    expect(live.has('rt-initial')).toBe(false);
    expect(live.has('rt-code-alice')).toBe(true);
    expect(
      (await app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: as('alice') })).json<{
        status: string;
        credential: string;
      }>(),
    ).toMatchObject({ status: 'active', credential: 'ok' });
  });
});
