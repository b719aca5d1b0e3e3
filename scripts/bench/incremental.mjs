// An incremental schedule run (issue #16) over a 100,000-file source with 100 new files: a saved catalogue query
// matching every file of a throw-away database (SQLite, then PostgreSQL when it can be started), whose ledger
// already holds the 100,000 files earlier runs took, then 100 new files added. A run's own part in the portal
// database is timed and its queries counted: resolve the query (what is new, how many are left; sources.ts) and,
// in one transaction, put the new files into the ledger (repo.takeFiles). The launch it then creates is an
// ordinary one (its cost: `schedule_run_over_manual_launch_p50`). Median of 5 runs, each run's ledger rows
// removed again before the next; then "nothing new" runs once they are taken (median of 3).
// Run alone: `node scripts/bench/incremental.mjs [files] [new]`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findFreePort, startPostgres } from '../lib/postgres.mjs';
import { ROOT } from '../lib/stack.mjs';

const mod = (p) => import(pathToFileURL(path.join(ROOT, p)).href);
const { openDatabase } = await mod('src/server/db/database.ts');
const { migrate } = await mod('src/server/db/migrations.ts');
const { migrations } = await mod('src/server/migrations.ts');
const { generateDemoDatasets, insertDatasetFiles } = await mod('src/server/datasets/demo-seed.ts');
const { createScheduleRepo } = await mod('src/server/schedules/repo.ts');
const { resolveSource } = await mod('src/server/schedules/sources.ts');
const { testSchedule } = await mod('src/server/testing/schedule.ts');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const PROJECT = 'BENCH-INC';

/** The database with every statement counted (transactions included: the repository runs them through this handle). */
function counting(db) {
  const c = { n: 0 };
  const wrap = (d) => ({
    dialect: d.dialect,
    query: (...a) => (c.n++, d.query(...a)),
    one: (...a) => (c.n++, d.one(...a)),
    exec: (...a) => (c.n++, d.exec(...a)),
    transaction: (fn) => d.transaction((tx) => fn(wrap(tx))),
    close: () => d.close(),
  });
  return { db: wrap(db), counter: c };
}

async function benchOn(label, url, report, total, fresh) {
  const raw = await openDatabase(url);
  try {
    await migrate(raw, migrations);
    // The source: `total` files of one project, then `fresh` more (new names, later observation dates).
    const files = generateDemoDatasets({ count: total + fresh }).map((f, i) => ({
      ...f,
      id: `bench-inc-${i}`,
      lfn: `/bench/inc/${i}.fits`,
      name: `${i}.fits`,
      projectId: PROJECT,
    }));
    await insertDatasetFiles(raw, files.slice(0, total));
    const { db, counter } = counting(raw);
    const repo = createScheduleRepo(db);
    const s = await repo.create(
      testSchedule({ name: 'bench incremental', inputs: [], source: { kind: 'catalogue', filters: { projectId: PROJECT } } }),
      null,
    );
    const deps = { db, rucio: null, zooniverse: null };
    let slot = Date.parse('2026-01-01T03:00:00Z');
    const claim = () =>
      repo.claimSlot({ scheduleId: s.id, slot: new Date((slot += 86_400_000)).toISOString(), manual: true, leaseMs: 60_000 });
    // Earlier runs took every file so far (into the ledger, as runs of 10,000).
    for (let done = 0; done < total; done += 10_000) {
      const r = await resolveSource(deps, s.id, s.source, 10_000);
      const earlier = await claim();
      await repo.transaction(() => repo.takeFiles(s.id, earlier.id, r.files));
    }
    await insertDatasetFiles(raw, files.slice(total));
    if (raw.dialect === 'postgres') await raw.exec('VACUUM ANALYZE'); // what autovacuum does in production

    const run = async () => {
      const r = await claim();
      counter.n = 0;
      const t0 = performance.now();
      const q = await resolveSource(deps, s.id, s.source, 1000);
      const taken = q.files.length ? await repo.transaction(() => repo.takeFiles(s.id, r.id, q.files)) : [];
      return { ms: performance.now() - t0, queries: counter.n, taken: taken.length, left: q.left, runId: r.id };
    };
    const times = [];
    let last;
    for (let i = 0; i < 6; i++) {
      last = await run();
      if (last.taken !== fresh || last.left !== 0)
        throw new Error(`incremental bench: took ${last.taken} (${last.left} left), expected ${fresh}`);
      if (i > 0) times.push(last.ms); // the first is a warm-up
      if (i < 5) await raw.exec('DELETE FROM schedule_files WHERE run_id = $1', [last.runId]);
    }
    const idle = [];
    for (let i = 0; i < 3; i++) idle.push(await run());
    if (idle.some((r) => r.taken !== 0)) throw new Error('incremental bench: a later run took files again');
    const nothing = { ms: median(idle.map((r) => r.ms)), queries: idle[0].queries };
    report(`schedule_incremental_${label}_source_files`, total + fresh, 'files');
    report(`schedule_incremental_${label}_new_files`, fresh, 'files');
    report(`schedule_incremental_${label}_run`, median(times), 'ms');
    report(`schedule_incremental_${label}_queries`, last.queries, 'queries');
    report(`schedule_incremental_${label}_nothing_new_run`, nothing.ms, 'ms');
    report(`schedule_incremental_${label}_nothing_new_queries`, nothing.queries, 'queries');
  } finally {
    await raw.close();
  }
}

export async function benchIncremental(report, total = 100_000, fresh = 100) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-incremental-'));
  let pg;
  try {
    await benchOn('sqlite', `sqlite:${path.join(dir, 'portal.db')}`, report, total, fresh);
    try {
      // Its own mkdtemp directory: as root, the server runs as "postgres", which must reach it.
      pg = await startPostgres({ dir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-inc-pg-')), port: await findFreePort() });
    } catch (err) {
      console.log(`incremental bench: PostgreSQL not measured (${err.message})`);
    }
    if (pg) await benchOn('postgres', pg.url, report, total, fresh);
  } finally {
    await pg?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchIncremental(
    (name, value, unit) => console.log(`${name}: ${Number(value).toFixed(3)} ${unit}`),
    Number(process.argv[2] ?? 100_000),
    Number(process.argv[3] ?? 100),
  );
}
