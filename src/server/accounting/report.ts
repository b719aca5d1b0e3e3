/** From grouped rows to the report the SPA draws (buckets, one series per key, totals) and to CSV. */
import { ACCOUNTING_MAX_BUCKETS, type AccountingBucket, type AccountingQuery, type AccountingReport } from '../../contracts/accounting.ts';
import { toCsv } from '../csv.ts';
import { problems } from '../errors.ts';
import type { AggregateRow } from './repo.ts';

const STEP: Record<Exclude<AccountingBucket, 'month'>, number> = { hour: 3600, day: 86_400, week: 604_800 };
const WEEK_OFFSET = 4 * 86_400;

/** UTC start (epoch seconds) of the bucket holding `epoch` — the same rule as the SQL (repo.ts bucketExpr). */
export function bucketStart(bucket: AccountingBucket, epoch: number): number {
  if (bucket === 'month') {
    const d = new Date(epoch * 1000);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
  }
  const offset = bucket === 'week' ? WEEK_OFFSET : 0;
  return Math.floor((epoch - offset) / STEP[bucket]) * STEP[bucket] + offset;
}

export function nextBucket(bucket: AccountingBucket, start: number): number {
  if (bucket === 'month') {
    const d = new Date(start * 1000);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 1000;
  }
  return start + STEP[bucket];
}

/** The range in epoch seconds and every bucket start in it; too many buckets is the caller's error. */
export function rangeOf(q: Pick<AccountingQuery, 'from' | 'to' | 'bucket'>): { fromEpoch: number; toEpoch: number; starts: number[] } {
  const fromEpoch = Math.floor(Date.parse(q.from) / 1000);
  const toEpoch = Math.ceil(Date.parse(q.to) / 1000);
  const starts: number[] = [];
  for (let s = bucketStart(q.bucket, fromEpoch); s < toEpoch; s = nextBucket(q.bucket, s)) {
    if (starts.length >= ACCOUNTING_MAX_BUCKETS) {
      throw problems.validation(
        `Too many ${q.bucket} buckets in this range (at most ${ACCOUNTING_MAX_BUCKETS}): choose a larger bucket or a shorter range`,
        [{ path: 'querystring.bucket', message: `at most ${ACCOUNTING_MAX_BUCKETS} buckets` }],
      );
    }
    starts.push(s);
  }
  return { fromEpoch, toEpoch, starts };
}

const hours = (seconds: number) => Math.round((seconds / 3600) * 1000) / 1000;
const iso = (epoch: number) => new Date(epoch * 1000).toISOString();

export function buildReport(q: AccountingQuery, starts: number[], rows: AggregateRow[], collectedUntil: string | null): AccountingReport {
  const index = new Map(starts.map((s, i) => [s, i]));
  const series = new Map<string, { jobs: number[]; cpu: number[]; wall: number[] }>();
  for (const r of rows) {
    const i = index.get(r.bucket);
    if (i === undefined) continue; // cannot happen: same bucket rule in SQL and here
    let s = series.get(r.key);
    if (!s) {
      s = { jobs: starts.map(() => 0), cpu: starts.map(() => 0), wall: starts.map(() => 0) };
      series.set(r.key, s);
    }
    s.jobs[i] = (s.jobs[i] ?? 0) + r.jobs;
    s.cpu[i] = (s.cpu[i] ?? 0) + r.cpu_seconds;
    s.wall[i] = (s.wall[i] ?? 0) + r.wall_seconds;
  }
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const totals = [...series.entries()]
    .map(([key, s]) => ({ key, jobs: sum(s.jobs), cpuHours: hours(sum(s.cpu)), wallHours: hours(sum(s.wall)) }))
    .sort((a, b) => b.jobs - a.jobs || a.key.localeCompare(b.key));
  const all = [...series.values()];
  return {
    from: q.from,
    to: q.to,
    groupBy: q.groupBy,
    bucket: q.bucket,
    buckets: starts.map(iso),
    series: totals.map(({ key }) => {
      const s = series.get(key)!;
      return { key, jobs: s.jobs, cpuHours: s.cpu.map(hours), wallHours: s.wall.map(hours) };
    }),
    totals,
    total: {
      jobs: sum(all.map((s) => sum(s.jobs))),
      cpuHours: hours(sum(all.map((s) => sum(s.cpu)))),
      wallHours: hours(sum(all.map((s) => sum(s.wall)))),
    },
    collectedUntil,
  };
}

/** CSV (csv.ts): one line per bucket and key (non-empty cells only). */
export function reportCsv(r: AccountingReport): string {
  const rows = r.buckets.flatMap((b, i) =>
    r.series.filter((s) => s.jobs[i]).map((s) => [b, s.key, s.jobs[i]!, s.cpuHours[i]!, s.wallHours[i]!]),
  );
  return toCsv(['bucket_start', r.groupBy, 'jobs', 'cpu_hours', 'wall_hours'], rows);
}
