/**
 * The collector and the accounting repository on SQLite and PostgreSQL, against a narrow DiracX double
 * that searches like DiracX 0.7 does (datetimes compared to the second, `in`/`eq`/`gt`/`lt`, sort, paging):
 * DiracX down mid-way, a crash between reading and committing, duplicates, more jobs in one second than
 * a batch, late jobs behind the settle cutoff, re-finished jobs; then the SQL aggregation against a
 * reference computed in JS, and the query plans.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import { migrations } from '../migrations.ts';
import { DiracxUnreachableError, type JobRow, type SearchParams, type SearchSpec } from '../diracx/client.ts';
import { postgresTarget, sqliteTarget, type DbTarget } from '../testing/db-targets.ts';
import { collectBatch, collectUntilIdle, FINAL_STATUSES, secondOf, type CollectorDeps } from './collector.ts';
import { aggregateSql, aggregateUsage, sourceFor, upsertUsage, type UsageRecord } from './repo.ts';
import { bucketStart } from './report.ts';
import type { AccountingBucket, AccountingGroupBy } from '../../contracts/accounting.ts';

const instance = parseConfig({ instances: [{ id: 'cta', label: 'CTA', url: 'http://diracx.test' }] }).instances[0]!;
const T0 = Date.parse('2026-03-01T10:00:00Z');

/** DiracX's datetime search: a string value is truncated to its second; gt S means >= S+1s, lt S means < S, eq S means within S. */
function matches(row: JobRow, s: SearchSpec): boolean {
  const v = row[s.parameter];
  if ('values' in s) return s.operator === 'in' ? (s.values as unknown[]).includes(v) : !(s.values as unknown[]).includes(v);
  if (s.parameter.endsWith('Time')) {
    const sec = Math.floor(Date.parse(`${v}Z`) / 1000);
    const at = Math.floor(Date.parse(`${String(s.value)}Z`) / 1000);
    return s.operator === 'eq' ? sec === at : s.operator === 'gt' ? sec >= at + 1 : s.operator === 'lt' ? sec < at : false;
  }
  const a = Number(v);
  const b = Number(s.value);
  return s.operator === 'eq' ? a === b : s.operator === 'gt' ? a > b : s.operator === 'lt' ? a < b : false;
}

interface FakeJob {
  JobID: number;
  Status: string;
  Site: string;
  Owner: string;
  OwnerGroup: string;
  VO: string;
  JobGroup: string | null;
  SubmissionTime: string;
  StartExecTime: string | null;
  EndExecTime: string | null;
  LastUpdateTime: string;
}

/** DiracX writes naive UTC datetimes with microseconds. */
const dx = (ms: number, micro = 0) => `${new Date(ms).toISOString().slice(0, 19)}.${String(micro).padStart(6, '0')}`;

function fakeDiracx(jobs: FakeJob[]) {
  const state = { calls: 0, failOn: new Set<number>(), duplicateFirst: false };
  return {
    state,
    searchJobs: async (_token: string, params: SearchParams, page: { page: number; perPage: number }) => {
      state.calls += 1;
      if (state.failOn.has(state.calls)) throw new DiracxUnreachableError('search', new Error('connect ECONNREFUSED'));
      let rows = jobs.filter((j) => (params.search ?? []).every((s) => matches(j as unknown as JobRow, s))) as unknown as JobRow[];
      const sort = params.sort ?? [];
      rows = [...rows].sort((a, b) => {
        for (const s of sort) {
          const x = a[s.parameter] as string | number;
          const y = b[s.parameter] as string | number;
          if (x !== y) return (x < y ? -1 : 1) * (s.direction === 'asc' ? 1 : -1);
        }
        return 0;
      });
      const out = rows.slice((page.page - 1) * page.perPage, page.page * page.perPage);
      // A duplicate row in the answer (as a retried or overlapping page would give).
      if (state.duplicateFirst && out.length > 1) out.splice(1, 0, out[0]!);
      return { rows: out.slice(0, page.perPage), total: rows.length };
    },
  };
}

let seq = 0;
function job(over: Partial<FakeJob> & { end: number }): FakeJob {
  const id = over.JobID ?? ++seq;
  return {
    JobID: id,
    Status: 'Done',
    Site: 'LCG.CERN.ch',
    Owner: 'alice',
    OwnerGroup: 'scientists',
    VO: 'escape',
    JobGroup: 'prod-1',
    SubmissionTime: dx(over.end - 600_000),
    StartExecTime: dx(over.end - 300_000),
    EndExecTime: dx(over.end),
    LastUpdateTime: dx(over.end + 1000, (id * 7919) % 1_000_000),
    ...over,
  };
}

describe.each([
  ['sqlite', () => sqliteTarget('acct')],
  ['postgres', () => postgresTarget('acct')],
] as const)('accounting collector (%s)', (_dialect, makeTarget) => {
  let target: DbTarget;
  beforeAll(async () => {
    target = await makeTarget();
  }, 120_000);
  afterAll(() => target?.teardown());

  const freshDb = async () => {
    const url = await target.freshUrl();
    const db = await openDatabase(url);
    await migrate(db, migrations);
    return { db, url };
  };
  const depsFor = (db: Database, diracx: CollectorDeps['diracx'], over: Partial<CollectorDeps> = {}): CollectorDeps => ({
    db,
    instance,
    diracx,
    token: async () => 'service-token',
    batchSize: 4,
    settleSeconds: 30,
    now: () => T0 + 86_400_000,
    ...over,
  });
  const count = async (db: Database) => (await db.one<{ n: number }>('SELECT count(*) AS n FROM accounting_jobs'))!.n;
  /** Each daily rollup equals the jobs regrouped per day and dimension (whatever was re-read, replaced or rolled back). */
  const expectRollupConsistent = async (db: Database) => {
    for (const [dimension, col] of [
      ['site', 'site'],
      ['user', 'owner'],
      ['group', 'owner_group'],
      ['vo', 'vo'],
      ['status', 'final_status'],
    ]) {
      const fromJobs = await db.query(
        `SELECT instance_id, (end_epoch / 86400) * 86400 AS day, ${col} AS key, COUNT(*) AS jobs, SUM(wall_seconds) AS wall, SUM(COALESCE(cpu_seconds, wall_seconds * cores)) AS cpu
         FROM accounting_jobs GROUP BY instance_id, (end_epoch / 86400) * 86400, ${col} ORDER BY instance_id, day, key`,
      );
      const rollup = await db.query(
        'SELECT instance_id, day_epoch AS day, key, jobs, wall_seconds AS wall, cpu_seconds AS cpu FROM accounting_daily WHERE dimension = $1 AND jobs <> 0 ORDER BY instance_id, day, key',
        [dimension],
      );
      expect(rollup, dimension).toEqual(fromJobs);
      expect(fromJobs.length).toBeGreaterThan(0);
    }
  };
  const ids = async (db: Database) =>
    (await db.query<{ job_id: number }>('SELECT job_id FROM accounting_jobs ORDER BY job_id')).map((r) => r.job_id);

  it('stores each finished job once, in batches, and skips jobs still running', async () => {
    const { db } = await freshDb();
    const jobs = [
      ...Array.from({ length: 10 }, (_, i) => job({ end: T0 + i * 60_000 })),
      job({ end: T0, Status: 'Running', EndExecTime: null }),
      job({ end: T0 + 5000, Status: 'Failed', Site: 'LCG.IN2P3.fr' }),
      job({ end: T0 + 6000, Status: 'Killed', StartExecTime: null, EndExecTime: null }),
    ];
    const fake = fakeDiracx(jobs);
    await collectUntilIdle(depsFor(db, fake));
    expect(await count(db)).toBe(12);
    expect(await ids(db)).toEqual(
      jobs
        .filter((j) => (FINAL_STATUSES as readonly string[]).includes(j.Status))
        .map((j) => j.JobID)
        .sort((a, b) => a - b),
    );
    const failed = await db.one<Record<string, unknown>>('SELECT * FROM accounting_jobs WHERE final_status = $1', ['Failed']);
    expect(failed).toMatchObject({
      site: 'LCG.IN2P3.fr',
      owner: 'alice',
      owner_group: 'scientists',
      vo: 'escape',
      job_group: 'prod-1',
      wall_seconds: 300,
      cores: 1,
      cpu_seconds: null,
    });
    const killed = await db.one<Record<string, unknown>>('SELECT * FROM accounting_jobs WHERE final_status = $1', ['Killed']);
    expect(killed).toMatchObject({ wall_seconds: 0, start_exec_time: null });
    // Nothing new: nothing stored, one search.
    const before = fake.state.calls;
    await collectUntilIdle(depsFor(db, fake));
    expect(fake.state.calls - before).toBe(1);
    expect(await count(db)).toBe(12);
    await db.close();
  });

  it('loses nothing and counts nothing twice when DiracX goes down mid-way', async () => {
    const { db } = await freshDb();
    const jobs = Array.from({ length: 11 }, (_, i) => job({ end: T0 + i * 1000 }));
    const fake = fakeDiracx(jobs);
    fake.state.failOn.add(2);
    await expect(collectUntilIdle(depsFor(db, fake))).rejects.toThrow(/unreachable/);
    expect(await count(db)).toBe(4); // the first batch was committed, with its watermark
    const wm = await db.one<{ second: string }>('SELECT second FROM accounting_watermarks WHERE instance_id = $1', ['cta']);
    expect(wm?.second).toBeDefined();
    await collectUntilIdle(depsFor(db, fake));
    expect(await ids(db)).toEqual(jobs.map((j) => j.JobID));
    await expectRollupConsistent(db);
    await db.close();
  });

  it('a crash between reading and committing leaves neither rows nor watermark; a restart completes', async () => {
    const { db, url } = await freshDb();
    const jobs = Array.from({ length: 9 }, (_, i) => job({ end: T0 + i * 1000 }));
    const fake = fakeDiracx(jobs);
    // The BFF "dies" while committing the second batch: the watermark write fails after the rows were written.
    let batches = 0;
    const crashing: Database = {
      ...db,
      dialect: db.dialect,
      query: db.query.bind(db),
      one: db.one.bind(db),
      exec: db.exec.bind(db),
      close: db.close.bind(db),
      transaction: (fn) =>
        db.transaction((tx) =>
          fn({
            ...tx,
            dialect: tx.dialect,
            query: tx.query.bind(tx),
            one: tx.one.bind(tx),
            transaction: tx.transaction.bind(tx),
            close: tx.close.bind(tx),
            exec: async (sql, params) => {
              if (sql.includes('accounting_watermarks') && ++batches === 2) throw new Error('process killed');
              return tx.exec(sql, params);
            },
          }),
        ),
    };
    await expect(collectUntilIdle(depsFor(crashing, fake))).rejects.toThrow('process killed');
    expect(await count(db)).toBe(4); // batch 2's rows were rolled back with its watermark
    await db.close();
    // Restart: a new process opens the same database.
    const again = await openDatabase(url);
    await collectUntilIdle(depsFor(again, fake));
    expect(await ids(again)).toEqual(jobs.map((j) => j.JobID));
    await expectRollupConsistent(again);
    await again.close();
  });

  it('duplicates in DiracX answers and jobs that finish again are one row each', async () => {
    const { db } = await freshDb();
    const jobs = Array.from({ length: 6 }, (_, i) => job({ end: T0 + i * 1000 }));
    const fake = fakeDiracx(jobs);
    fake.state.duplicateFirst = true;
    await collectUntilIdle(depsFor(db, fake, { batchSize: 3 }));
    expect(await ids(db)).toEqual(jobs.map((j) => j.JobID));
    fake.state.duplicateFirst = false;
    // Job 1 is deleted later (keeps Done and its times); job 2 failed, was rescheduled and is Done again (replaced).
    const [j1, j2] = jobs;
    const later = T0 + 86_400_000 + 3_600_000; // after the first collection's cutoff
    Object.assign(j1!, { Status: 'Deleted', LastUpdateTime: dx(later) });
    Object.assign(j2!, {
      Status: 'Done',
      Site: 'LCG.PIC.es',
      StartExecTime: dx(later - 120_000),
      EndExecTime: dx(later - 60_000),
      LastUpdateTime: dx(later + 1000),
    });
    await collectUntilIdle(depsFor(db, fake, { batchSize: 3, now: () => later + 600_000 }));
    expect(await count(db)).toBe(6);
    expect(await db.one('SELECT final_status, wall_seconds FROM accounting_jobs WHERE job_id = $1', [j1!.JobID])).toEqual({
      final_status: 'Done',
      wall_seconds: 300,
    });
    expect(await db.one('SELECT final_status, site, wall_seconds FROM accounting_jobs WHERE job_id = $1', [j2!.JobID])).toEqual({
      final_status: 'Done',
      site: 'LCG.PIC.es',
      wall_seconds: 60,
    });
    await expectRollupConsistent(db);
    await db.close();
  });

  it('two collectors (two BFF replicas) on one database store every job once, rollup included', async () => {
    const { db, url } = await freshDb();
    const other = await openDatabase(url);
    const jobs = Array.from({ length: 40 }, (_, i) => job({ end: T0 + Math.floor(i / 3) * 1000 }));
    const fake = fakeDiracx(jobs);
    await Promise.all([collectUntilIdle(depsFor(db, fake, { batchSize: 3 })), collectUntilIdle(depsFor(other, fake, { batchSize: 3 }))]);
    expect(await ids(db)).toEqual(jobs.map((j) => j.JobID));
    expect((await db.one<{ n: number }>("SELECT SUM(jobs) AS n FROM accounting_daily WHERE dimension = 'site'"))!.n).toBe(40);
    await expectRollupConsistent(db);
    await other.close();
    await db.close();
  });

  it('pages through more jobs in one second than a batch (keyset on second + JobID)', async () => {
    const { db } = await freshDb();
    // 10 jobs in the same second, microseconds in reverse JobID order, plus later ones.
    const same = Array.from({ length: 10 }, (_, i) => ({ ...job({ end: T0 }), LastUpdateTime: dx(T0 + 1000, 900_000 - i * 1000) }));
    const later = Array.from({ length: 3 }, (_, i) => job({ end: T0 + 10_000 + i * 1000 }));
    const fake = fakeDiracx([...same, ...later]);
    await collectUntilIdle(depsFor(db, fake, { batchSize: 3 }));
    expect(await ids(db)).toEqual([...same, ...later].map((j) => j.JobID));
    await db.close();
  });

  it('leaves jobs younger than the settle time for a later round', async () => {
    const { db } = await freshDb();
    const old = job({ end: T0 });
    const young = job({ end: T0 + 100_000 });
    const fake = fakeDiracx([old, young]);
    let now = T0 + 100_000 + 10_000; // young's LastUpdateTime is 9 s old, settle is 30 s
    const deps = depsFor(db, fake, { now: () => now });
    await collectUntilIdle(deps);
    expect(await ids(db)).toEqual([old.JobID]);
    // A job whose update committed late, with an older timestamp than the young one, is still found.
    const late = job({ end: T0 + 95_000 });
    const fake2 = fakeDiracx([old, young, late]);
    now += 60_000;
    await collectUntilIdle(depsFor(db, fake2, { now: () => now }));
    expect(await ids(db)).toEqual([old.JobID, young.JobID, late.JobID]);
    const wm = await db.one<{ second: string; last_job_id: number | null }>('SELECT second, last_job_id FROM accounting_watermarks');
    expect(wm).toEqual({ second: secondOf(now - 30_000 - 1000), last_job_id: null });
    await db.close();
  });

  it('takes cores from the JDL the portal kept (NumberOfProcessors), else 1', async () => {
    const { db } = await freshDb();
    const a = job({ end: T0 });
    const b = job({ end: T0 + 1000 });
    const now = new Date().toISOString();
    await db.exec(
      `INSERT INTO submissions (id, instance_id, owner_sub, idempotency_key, kind, status, request_json, jdl, created_at, updated_at) VALUES ('s1', 'cta', 'x', 'k', 'hello-world', 'submitted', '{}', '', $1, $1)`,
      [now],
    );
    await db.exec(
      `INSERT INTO job_records (instance_id, job_id, submission_id, owner_sub, jdl, created_at) VALUES ('cta', $1, 's1', 'x', $2, $3)`,
      [a.JobID, '[\n  Executable = "x";\n  NumberOfProcessors = 8;\n]', now],
    );
    await collectUntilIdle(depsFor(db, fakeDiracx([a, b])));
    expect(await db.query('SELECT job_id, cores FROM accounting_jobs ORDER BY job_id')).toEqual([
      { job_id: a.JobID, cores: 8 },
      { job_id: b.JobID, cores: 1 },
    ]);
    await db.close();
  });

  it('one batch at a time: the watermark only moves forward', async () => {
    const { db } = await freshDb();
    const fake = fakeDiracx(Array.from({ length: 5 }, (_, i) => job({ end: T0 + i * 1000 })));
    const seconds: string[] = [];
    for (;;) {
      const r = await collectBatch(depsFor(db, fake));
      if (r.watermark) seconds.push(`${r.watermark.second}#${String(r.watermark.lastJobId ?? 'all').padStart(12, '0')}`);
      if (!r.more) break;
    }
    expect(seconds).toEqual([...seconds].sort());
    expect(await count(db)).toBe(5);
    await db.close();
  });

  describe('aggregation', () => {
    let db: Database;
    const records: UsageRecord[] = [];
    const sites = ['LCG.CERN.ch', 'LCG.IN2P3.fr', 'LCG.PIC.es'];
    const users = ['alice', 'paul', 'ada'];
    const statuses = ['Done', 'Failed', 'Killed'];
    beforeAll(async () => {
      ({ db } = await freshDb());
      // 2,000 jobs over ~14 months, a few in another instance that must never show.
      for (let i = 0; i < 2000; i++) {
        const end = Math.floor(Date.parse('2025-12-20T00:00:00Z') / 1000) + i * 20_011;
        records.push({
          instanceId: i % 50 === 0 ? 'egi' : 'cta',
          jobId: i + 1,
          owner: users[i % 3]!,
          ownerGroup: i % 3 === 1 ? 'pis' : 'scientists',
          vo: i % 7 === 0 ? 'cta' : 'escape',
          site: sites[(i * 7) % 3]!,
          finalStatus: statuses[i % 5 === 0 ? 1 : i % 11 === 0 ? 2 : 0]!,
          jobGroup: null,
          submissionTime: null,
          startExecTime: null,
          endExecTime: null,
          endEpoch: end,
          wallSeconds: 100 + (i % 97),
          cpuSeconds: i % 4 === 0 ? 50 : null,
          normCpuSeconds: null,
          cores: 1 + (i % 3),
          lastUpdateTime: new Date(end * 1000).toISOString(),
        });
      }
      await db.transaction((tx) => upsertUsage(tx, records));
    });
    afterAll(() => db?.close());

    const KEY: Record<AccountingGroupBy, (r: UsageRecord) => string> = {
      site: (r) => r.site,
      user: (r) => r.owner,
      group: (r) => r.ownerGroup,
      vo: (r) => r.vo,
      status: (r) => r.finalStatus,
    };

    it.each([
      ['hour', 'site', '2026-01-03T00:00:00Z', '2026-01-09T00:00:00Z'],
      ['day', 'user', '2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z'],
      ['week', 'status', '2025-12-01T00:00:00Z', '2026-06-01T00:00:00Z'],
      ['month', 'vo', '2025-11-15T12:00:00Z', '2027-01-01T00:00:00Z'],
      ['month', 'site', '2025-11-01T00:00:00Z', '2027-01-01T00:00:00Z'],
      ['month', 'group', '2026-02-10T00:00:00Z', '2026-02-20T00:00:00Z'],
    ] as const)(
      '%s buckets by %s match a reference computed in JS',
      async (bucket: AccountingBucket, groupBy: AccountingGroupBy, from, to) => {
        const fromEpoch = Date.parse(from) / 1000;
        const toEpoch = Date.parse(to) / 1000;
        const want = new Map<string, { jobs: number; wall: number; cpu: number }>();
        for (const r of records) {
          if (r.instanceId !== 'cta' || r.endEpoch < fromEpoch || r.endEpoch >= toEpoch) continue;
          const k = `${bucketStart(bucket, r.endEpoch)}|${KEY[groupBy](r)}`;
          const w = want.get(k) ?? { jobs: 0, wall: 0, cpu: 0 };
          w.jobs += 1;
          w.wall += r.wallSeconds;
          w.cpu += r.cpuSeconds ?? r.wallSeconds * r.cores;
          want.set(k, w);
        }
        expect(want.size).toBeGreaterThan(0);
        // The jobs always; the daily rollup too when the range is whole UTC days (what the BFF then reads).
        const sources = sourceFor({ bucket, fromEpoch, toEpoch }) === 'daily' ? (['jobs', 'daily'] as const) : (['jobs'] as const);
        for (const source of sources) {
          const got = await aggregateUsage(db, { instanceId: 'cta', bucket, groupBy, fromEpoch, toEpoch, source });
          expect(
            new Map(got.map((g) => [`${g.bucket}|${g.key}`, { jobs: g.jobs, wall: g.wall_seconds, cpu: g.cpu_seconds }])),
            source,
          ).toEqual(want);
        }
      },
    );

    it('reads the range from one index: the covering (instance_id, end_epoch, …) one, or the rollup key', async () => {
      const cases = [
        {
          source: 'jobs',
          sqlite:
            /SEARCH accounting_jobs USING COVERING INDEX accounting_jobs_instance_end_idx \(instance_id=\? AND end_epoch>\? AND end_epoch<\?\)/,
          postgres: /accounting_jobs_instance_end_idx/,
        },
        {
          source: 'daily',
          sqlite:
            /SEARCH accounting_daily USING INDEX sqlite_autoindex_accounting_daily_1 \(instance_id=\? AND dimension=\? AND day_epoch>\? AND day_epoch<\?\)/,
          postgres: /accounting_daily_pkey/,
        },
      ] as const;
      for (const c of cases) {
        const sql = aggregateSql({ bucket: 'day', groupBy: 'site', dialect: db.dialect, source: c.source });
        if (db.dialect === 'sqlite') {
          const plan = (await db.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ['cta', 0, 2 ** 40]))
            .map((r) => r.detail)
            .join(' | ');
          expect(plan).toMatch(c.sqlite);
        } else {
          await db.exec('SET enable_seqscan = off'); // tiny table: make the planner show whether the index applies
          const plan = (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, ['cta', 0, 2 ** 40]))
            .map((r) => r['QUERY PLAN'])
            .join('\n');
          await db.exec('RESET enable_seqscan');
          expect(plan).toMatch(c.postgres);
        }
      }
    });
  });
});
