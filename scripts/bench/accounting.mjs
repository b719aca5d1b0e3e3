// Accounting aggregation at scale: 1,000,000 usage records over one year in a throw-away SQLite file and a
// throw-away PostgreSQL, inserted through the BFF's own upsert (multi-row, in transactions, daily rollup
// maintained), then the year-long, day-bucketed, by-site report (median of 5 after a warm-up), side by side:
// once over the job rows (GROUP BY over every record) and once over the daily rollup (what the BFF reads
// for whole-day ranges). Jobs are skewed like a production VO's: a few production users and big sites
// carry most jobs; each user belongs to one group and one VO.
// Run alone: `node scripts/bench/accounting.mjs [records]`.
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
const { aggregateUsage, upsertUsage } = await mod('src/server/accounting/repo.ts');

const YEAR_FROM = Date.parse('2025-01-01T00:00:00Z') / 1000;
const YEAR_TO = Date.parse('2026-01-01T00:00:00Z') / 1000;
const SITES = Array.from({ length: 20 }, (_, i) => `LCG.SITE-${String(i).padStart(2, '0')}.eu`);
const USERS = Array.from({ length: 200 }, (_, i) => `user${i}`);
const STATUSES = ['Done', 'Done', 'Done', 'Done', 'Failed', 'Killed'];

function* records(n) {
  let x = 12345; // mulberry32: deterministic, full-period, exact in 32-bit integer arithmetic
  const rnd = () => {
    x = (x + 0x6d2b79f5) | 0;
    let t = Math.imul(x ^ (x >>> 15), 1 | x);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = 0; i < n; i++) {
    const end = YEAR_FROM + Math.floor(rnd() * (YEAR_TO - YEAR_FROM));
    const wall = 60 + Math.floor(rnd() * 36_000);
    const user = Math.floor(USERS.length * rnd() ** 4);
    yield {
      instanceId: 'cta',
      jobId: i + 1,
      owner: USERS[user],
      ownerGroup: user % 5 === 0 ? 'pis' : 'scientists',
      vo: user % 3 === 0 ? 'cta' : 'escape',
      site: SITES[Math.floor(SITES.length * rnd() ** 2)],
      finalStatus: STATUSES[i % STATUSES.length],
      jobGroup: `prod-${i % 500}`,
      submissionTime: null,
      startExecTime: new Date((end - wall) * 1000).toISOString(),
      endExecTime: new Date(end * 1000).toISOString(),
      endEpoch: end,
      wallSeconds: wall,
      cpuSeconds: null,
      normCpuSeconds: null,
      cores: 1 + (i % 4),
      lastUpdateTime: new Date(end * 1000).toISOString(),
    };
  }
}

async function fill(db, n) {
  const t0 = performance.now();
  let batch = [];
  const flush = () => db.transaction((tx) => upsertUsage(tx, batch, '2026-01-01T00:00:00.000Z'));
  for (const r of records(n)) {
    batch.push(r);
    if (batch.length === 20_000) {
      await flush();
      batch = [];
    }
  }
  if (batch.length) await flush();
  if (db.dialect === 'postgres') await db.exec('VACUUM ANALYZE'); // what autovacuum does in production: index-only scans
  return performance.now() - t0;
}

async function timeQuery(db, source) {
  const q = { instanceId: 'cta', bucket: 'day', groupBy: 'site', fromEpoch: YEAR_FROM, toEpoch: YEAR_TO, source };
  const rows = await aggregateUsage(db, q); // warm-up
  const jobs = rows.reduce((s, r) => s + r.jobs, 0);
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await aggregateUsage(db, q);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[2], rows: rows.length, jobs, result: JSON.stringify(rows) };
}

async function measure(db, n) {
  await migrate(db, migrations);
  const fillMs = await fill(db, n);
  const jobs = await timeQuery(db, 'jobs');
  const daily = await timeQuery(db, 'daily');
  if (jobs.result !== daily.result) throw new Error(`${db.dialect}: the rollup and the job rows disagree`);
  const dailyRows = (await db.one('SELECT COUNT(*) AS n FROM accounting_daily')).n;
  return { fillMs, jobs, daily, dailyRows };
}

/** Runs the accounting benchmark and reports through `report(name, value, unit)`. */
export async function benchAccounting(report, n = 1_000_000) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-acct-'));
  let pg;
  try {
    const sqlite = await openDatabase(`sqlite:${path.join(dir, 'acct.db')}`);
    const s = await measure(sqlite, n);
    await sqlite.close();

    pg = await startPostgres({ dir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-acct-pg-')), port: await findFreePort() });
    const postgres = await openDatabase(pg.url);
    const p = await measure(postgres, n);
    await postgres.close();

    if (s.jobs.jobs !== n || p.jobs.jobs !== n || s.jobs.result !== p.jobs.result)
      throw new Error(`the two databases disagree: sqlite ${s.jobs.jobs} jobs, postgres ${p.jobs.jobs} jobs`);
    report('accounting_records', n, 'records');
    report('accounting_daily_rollup_rows', s.dailyRows, 'rows');
    report('accounting_insert_sqlite', n / (s.fillMs / 1000), 'records/s');
    report('accounting_insert_postgres', n / (p.fillMs / 1000), 'records/s');
    report('accounting_year_by_site_day_sqlite', s.jobs.ms, 'ms');
    report('accounting_year_by_site_day_postgres', p.jobs.ms, 'ms');
    report('accounting_year_by_site_day_postgres_over_sqlite', p.jobs.ms / s.jobs.ms, 'ratio');
    report('accounting_year_by_site_day_rollup_sqlite', s.daily.ms, 'ms');
    report('accounting_year_by_site_day_rollup_postgres', p.daily.ms, 'ms');
    report('accounting_year_by_site_day_rollup_over_jobs_sqlite', s.daily.ms / s.jobs.ms, 'ratio');
    report('accounting_year_by_site_day_rollup_over_jobs_postgres', p.daily.ms / p.jobs.ms, 'ratio');
  } finally {
    await pg?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = Number(process.argv[2] ?? 1_000_000);
  await benchAccounting((name, value, unit) => console.log(`${name}: ${Number(value).toFixed(3)} ${unit}`), n);
}
