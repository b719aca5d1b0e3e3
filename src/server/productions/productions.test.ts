/**
 * Productions: who sees which launch rows (on SQLite and on a throw-away PostgreSQL), the folding of
 * DiracX's summary into counts / state / pace, the progress series, and bulk actions' partial success
 * (with a narrow DiracX double; the real thing is in productions/routes.int.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import type { DiracxClient } from '../diracx/client.ts';
import { createLaunchRepo } from '../launches/repo.ts';
import { migratedTarget, postgresTarget, sqliteTarget, type MigratedTarget } from '../testing/db-targets.ts';
import { testPrincipal } from '../testing/principal.ts';
import { BULK_CHUNK, runBulk } from './bulk.ts';
import { countsByGroup, failureBreakdown, pace, productionState, progressSeries } from './progress.ts';
import { createProductionRepo } from './repo.ts';

const instance = { id: 'local' };
const alice = testPrincipal(instance);
const bob = testPrincipal(instance, { sub: 'escape:bob', username: 'bob' });
const paul = testPrincipal(instance, {
  sub: 'escape:paul',
  username: 'paul',
  group: 'pis',
  role: 'pi',
  managedGroups: ['scientists', 'pis'],
});
const ada = testPrincipal(instance, {
  sub: 'escape:ada',
  username: 'ada',
  group: 'admins',
  role: 'admin',
  properties: ['NormalUser', 'JobAdministrator'],
});
const otherVoPi = testPrincipal(instance, {
  sub: 'other:pi',
  username: 'opi',
  vo: 'other',
  group: 'pis',
  role: 'pi',
  managedGroups: ['scientists', 'pis'],
});
const otherInstanceAdmin = testPrincipal({ id: 'egi' }, { role: 'admin' });

const targets = [
  ['SQLite', async () => migratedTarget('sqlite', await sqliteTarget('productions'))],
  ['PostgreSQL', async () => migratedTarget('postgres', await postgresTarget('productions'))],
] as const;

for (const [dialect, make] of targets) {
  describe(`production rows on ${dialect}`, () => {
    let target: MigratedTarget;
    let db: Database;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      target = await make();
      db = await target.fresh();
      const launches = createLaunchRepo(db);
      const add = async (key: string, p: typeof alice, workflowId: string, jobs: number, createdAt: string) => {
        const { launch } = await launches.claim({
          instanceId: p.instance.id,
          ownerSub: p.sub,
          ownerName: p.username,
          vo: p.vo,
          group: p.group,
          idempotencyKey: `key-${key}`,
          name: key,
          jobGroup: `${key}-group`,
          workflowId,
          request: {},
          jobs: Array.from({ length: jobs }, (_, index) => ({ index, jobName: `${key}-${index}`, attributes: {}, sandboxFiles: [] })),
        });
        await launches.markSubmitted(launch.id, [{ index: 0, jobId: 1000 + jobs, jdl: '[]' }]);
        await db.exec('UPDATE launches SET created_at = $2 WHERE id = $1', [launch.id, createdAt]);
        ids[key] = launch.id;
      };
      await add('alice-1', alice, 'corsika', 3, '2026-01-10T10:00:00.000Z');
      await add('alice-2', alice, 'hello-world', 2, '2026-02-10T10:00:00.000Z');
      await add('bob-1', bob, 'corsika', 4, '2026-03-10T10:00:00.000Z');
      await add('paul-1', paul, 'irf-generation', 1, '2026-04-10T10:00:00.000Z');
      await add('ada-1', ada, 'corsika', 5, '2026-05-10T10:00:00.000Z');
      await add('opi-1', otherVoPi, 'corsika', 1, '2026-06-10T10:00:00.000Z');
    }, 120_000);
    afterAll(async () => {
      await target?.teardown();
    });

    const names = async (p: typeof alice, f = {}) =>
      (await createProductionRepo(db).list(p, f, { limit: 50, offset: 0 })).rows.map((r) => r.name);

    it('a scientist sees their own, a PI those of the groups they manage in their VO, an admin all of the instance', async () => {
      expect(await names(alice)).toEqual(['alice-2', 'alice-1']);
      expect(await names(bob)).toEqual(['bob-1']);
      expect(await names(paul)).toEqual(['paul-1', 'bob-1', 'alice-2', 'alice-1']);
      expect(await names(otherVoPi)).toEqual(['opi-1']);
      expect(await names(ada)).toEqual(['opi-1', 'ada-1', 'paul-1', 'bob-1', 'alice-2', 'alice-1']);
      expect(await names(otherInstanceAdmin)).toEqual([]);
      const repo = createProductionRepo(db);
      expect(await repo.get(alice, ids['bob-1']!)).toBeUndefined();
      expect(await repo.get(paul, ids['ada-1']!)).toBeUndefined();
      expect(await repo.get(paul, ids['alice-1']!)).toMatchObject({
        name: 'alice-1',
        owner: 'alice',
        ownerGroup: 'scientists',
        totalJobs: 3,
        submittedJobs: 1,
        launchStatus: 'pending',
      });
    });

    it('filters by owner, workflow and day (inclusive), pages and counts', async () => {
      expect(await names(paul, { owner: 'alice' })).toEqual(['alice-2', 'alice-1']);
      expect(await names(paul, { workflow: 'corsika' })).toEqual(['bob-1', 'alice-1']);
      expect(await names(ada, { from: '2026-02-10', to: '2026-04-10' })).toEqual(['paul-1', 'bob-1', 'alice-2']);
      expect(await names(alice, { owner: 'bob' })).toEqual([]);
      const page = await createProductionRepo(db).list(paul, {}, { limit: 2, offset: 2 });
      expect(page.total).toBe(4);
      expect(page.rows.map((r) => r.name)).toEqual(['alice-2', 'alice-1']);
      expect(await createProductionRepo(db).facets(paul)).toEqual({
        owners: ['alice', 'bob', 'paul'],
        workflows: ['corsika', 'hello-world', 'irf-generation'],
      });
    });
  });
}

describe('counts, state and pace', () => {
  const summary = [
    { JobGroup: 'a', Status: 'Done', count: 5 },
    { JobGroup: 'a', Status: 'Completed', count: 1 },
    { JobGroup: 'a', Status: 'Running', count: 2 },
    { JobGroup: 'a', Status: 'Received', count: 1 },
    { JobGroup: 'a', Status: 'Failed', count: 3 },
    { JobGroup: 'b', Status: 'Killed', count: 1 },
    { JobGroup: 'b', Status: 'Done', count: 1 },
  ];

  it('folds DiracX statuses into done / running / waiting / failed / killed per JobGroup', () => {
    const c = countsByGroup(summary);
    expect(c.get('a')).toEqual({ done: 6, running: 2, waiting: 1, failed: 3, killed: 0 });
    expect(c.get('b')).toEqual({ done: 1, running: 0, waiting: 0, failed: 0, killed: 1 });
  });

  it('derives the production state from the launch and the counts', () => {
    const zero = { done: 0, running: 0, waiting: 0, failed: 0, killed: 0 };
    expect(productionState({ launchStatus: 'submitting', submittedJobs: 3 }, { ...zero, done: 3 })).toBe('submitting');
    expect(productionState({ launchStatus: 'submitted', submittedJobs: 3 }, { ...zero, done: 2, waiting: 1 })).toBe('active');
    expect(productionState({ launchStatus: 'submitted', submittedJobs: 3 }, { ...zero, done: 2 })).toBe('active'); // one not listed yet
    expect(productionState({ launchStatus: 'submitted', submittedJobs: 3 }, { ...zero, done: 3 })).toBe('completed');
    expect(productionState({ launchStatus: 'submitted', submittedJobs: 3 }, { ...zero, done: 2, failed: 1 })).toBe('failures');
    expect(productionState({ launchStatus: 'partial', submittedJobs: 2 }, { ...zero, done: 2 })).toBe('failures');
  });

  it('computes throughput since creation and the estimated completion of what remains', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    const row = { createdAt: '2026-01-01T10:00:00Z', submittedJobs: 20 };
    expect(pace(row, { done: 8, running: 4, waiting: 6, failed: 2, killed: 0 }, now)).toEqual({
      throughputPerHour: 5,
      estimatedCompletion: '2026-01-01T14:00:00.000Z',
    });
    expect(pace(row, { done: 0, running: 4, waiting: 16, failed: 0, killed: 0 }, now)).toEqual({
      throughputPerHour: null,
      estimatedCompletion: null,
    });
    expect(pace(row, { done: 20, running: 0, waiting: 0, failed: 0, killed: 0 }, now)).toEqual({
      throughputPerHour: 10,
      estimatedCompletion: null,
    });
  });

  it('breaks failures down by minor status and by site, most frequent first', () => {
    const rows = [
      { Status: 'Failed', MinorStatus: 'Application Finished With Errors', Site: 'LCG.CERN.ch', count: 2 },
      { Status: 'Failed', MinorStatus: 'Watchdog identified this job as stalled', Site: 'LCG.CERN.ch', count: 1 },
      { Status: 'Failed', MinorStatus: 'Application Finished With Errors', Site: null, count: 3 },
      { Status: 'Done', MinorStatus: 'Execution Complete', Site: 'LCG.DESY.de', count: 9 },
    ];
    expect(failureBreakdown(rows, 'MinorStatus')).toEqual([
      { key: 'Application Finished With Errors', count: 5 },
      { key: 'Watchdog identified this job as stalled', count: 1 },
    ]);
    expect(failureBreakdown(rows, 'Site')).toEqual([
      { key: 'LCG.CERN.ch', count: 3 },
      { key: null, count: 3 },
    ]);
  });
});

describe('progress series', () => {
  it('counts submissions, starts and ends cumulatively from the jobs’ times (zone-less DiracX dates are UTC)', () => {
    const rows = [
      {
        JobID: 1,
        Status: 'Done',
        SubmissionTime: '2026-01-01T10:00:00',
        StartExecTime: '2026-01-01T10:10:00',
        EndExecTime: '2026-01-01T10:20:00',
      },
      {
        JobID: 2,
        Status: 'Failed',
        SubmissionTime: '2026-01-01T10:00:00',
        StartExecTime: null,
        EndExecTime: null,
        LastUpdateTime: '2026-01-01T10:40:00',
      },
      { JobID: 3, Status: 'Running', SubmissionTime: '2026-01-01T10:00:00', StartExecTime: '2026-01-01T10:30:00', EndExecTime: null },
    ];
    const points = progressSeries(rows, 5);
    expect(points.map((p) => p.time)).toEqual([
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T10:10:00.000Z',
      '2026-01-01T10:20:00.000Z',
      '2026-01-01T10:30:00.000Z',
      '2026-01-01T10:40:00.000Z',
    ]);
    expect(points.map(({ submitted, started, done, failed }) => [submitted, started, done, failed])).toEqual([
      [3, 0, 0, 0],
      [3, 1, 0, 0],
      [3, 1, 1, 0],
      [3, 2, 1, 0],
      [3, 2, 1, 1],
    ]);
    expect(progressSeries([])).toEqual([]);
  });
});

describe('bulk actions', () => {
  const ids = Array.from({ length: BULK_CHUNK + 30 }, (_, i) => 500 + i);
  function double(over: Partial<DiracxClient>): DiracxClient {
    return {
      searchJobs: async () => ({ rows: ids.map((JobID) => ({ JobID })), total: ids.length }),
      setStatus: async (_t, updates) => ({ success: Object.fromEntries(Object.keys(updates).map((id) => [id, {}])), failed: {} }),
      ...over,
    } as DiracxClient;
  }

  it('reschedules in chunks and reports DiracX’s per-job refusals and a chunk that could not be sent', async () => {
    const calls: number[][] = [];
    const marked: Record<number, unknown>[] = [];
    const dx = double({
      setStatus: async (_t, updates) => {
        marked.push(updates);
        return { success: Object.fromEntries(Object.keys(updates).map((id) => [id, {}])), failed: {} };
      },
      reschedule: async (_t, chunk) => {
        calls.push(chunk);
        if (calls.length === 2) throw new Error('socket hang up');
        return {
          success: Object.fromEntries(chunk.slice(1).map((id, i) => [String(id), { Status: i === 0 ? 'Failed' : 'Received' }])),
          failed: { [String(chunk[0])]: { detail: 'Maximum number of reschedules exceeded' } },
        };
      },
    });
    const r = await runBulk(dx, paul, 'g', 'reschedule-failed');
    expect(calls.map((c) => c.length)).toEqual([BULK_CHUNK, 30]);
    expect(r.requested).toBe(ids.length);
    // DiracX 0.7 keeps a Failed job Failed on reschedule: each job is first marked Rescheduled.
    expect(marked.map((m) => Object.values(m)[0])).toEqual([
      { Status: 'Rescheduled', MinorStatus: 'Reschedule requested', Source: 'ESCAPE portal: paul' },
      { Status: 'Rescheduled', MinorStatus: 'Reschedule requested', Source: 'ESCAPE portal: paul' },
    ]);
    expect(r.succeeded).toEqual(ids.slice(2, BULK_CHUNK));
    expect(r.failed.slice(0, 2)).toEqual([
      { jobId: 500, detail: 'Maximum number of reschedules exceeded' },
      { jobId: 501, detail: 'DiracX kept the job Failed: a Failed job cannot be rescheduled' },
    ]);
    expect(r.failed.slice(2).map((f) => f.jobId)).toEqual(ids.slice(BULK_CHUNK));
    expect(r.failed[2]?.detail).toBe('socket hang up');
  });

  it('kills the remaining jobs with the portal as source, searching only what the user may see', async () => {
    let search: unknown;
    let sent: Record<number, unknown> = {};
    const dx = double({
      searchJobs: async (_t, params) => {
        search = params.search;
        return { rows: [{ JobID: 7 }, { JobID: 8 }], total: 2 };
      },
      setStatus: async (_t, updates) => {
        sent = updates;
        return { success: { '7': {} }, failed: {} };
      },
    });
    const r = await runBulk(dx, alice, 'g', 'kill-remaining');
    expect(search).toEqual(
      expect.arrayContaining([
        { parameter: 'Owner', operator: 'eq', value: 'alice' },
        { parameter: 'JobGroup', operator: 'eq', value: 'g' },
        { parameter: 'Status', operator: 'in', values: expect.arrayContaining(['Waiting', 'Running', 'Received']) },
      ]),
    );
    expect(sent[7]).toEqual({ Status: 'Killed', MinorStatus: 'Marked for termination', Source: 'ESCAPE portal: alice' });
    expect(r).toEqual({
      action: 'kill-remaining',
      requested: 2,
      succeeded: [7],
      failed: [{ jobId: 8, detail: 'DiracX did not report this job' }],
    });
  });
});

describe('progress series from status histories', () => {
  it('ends a job that failed, was rescheduled and ran again at its last status (not at its first end)', () => {
    const log = (...entries: [string, string][]) => entries.map(([Status, StatusTime]) => ({ Status, StatusTime }));
    const rows = [
      {
        JobID: 1,
        Status: 'Done',
        EndExecTime: '2026-01-01T10:10:00',
        LoggingInfo: log(
          ['Received', '2026-01-01T10:00:00Z'],
          ['Running', '2026-01-01T10:05:00Z'],
          ['Done', '2026-01-01T10:10:00Z'],
          ['Failed', '2026-01-01T10:20:00Z'],
          ['Rescheduled', '2026-01-01T10:30:00Z'],
          ['Received', '2026-01-01T10:30:00Z'],
          ['Running', '2026-01-01T10:35:00Z'],
          ['Done', '2026-01-01T10:40:00Z'],
        ),
      },
    ];
    const points = progressSeries(rows, 5);
    expect(points.map((p) => p.time)).toEqual([
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T10:10:00.000Z',
      '2026-01-01T10:20:00.000Z',
      '2026-01-01T10:30:00.000Z',
      '2026-01-01T10:40:00.000Z',
    ]);
    expect(points.map((p) => [p.submitted, p.started, p.done, p.failed])).toEqual([
      [1, 0, 0, 0],
      [1, 1, 0, 0],
      [1, 1, 0, 0],
      [1, 1, 0, 0],
      [1, 1, 1, 0],
    ]);
  });
});
