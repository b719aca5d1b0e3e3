import { isLaunchActive } from '../../contracts/launches.ts';
import type { BreakdownEntry, JobCounts, ProductionState, ProgressBucket, ProgressPoint } from '../../contracts/productions.ts';
import type { JobRow } from '../diracx/client.ts';
import type { ProductionRow } from './repo.ts';

/** DiracX job statuses in the buckets a production's progress bar shows. */
const BUCKET_OF: Record<string, ProgressBucket> = {
  Done: 'done',
  Completed: 'done',
  Matched: 'running',
  Running: 'running',
  Completing: 'running',
  Stalled: 'running',
  Submitting: 'waiting',
  Received: 'waiting',
  Checking: 'waiting',
  Staging: 'waiting',
  Waiting: 'waiting',
  Rescheduled: 'waiting',
  Failed: 'failed',
  Killed: 'killed',
  Deleted: 'killed',
};

/** Statuses "kill all remaining" acts on: every status that is not final. */
export const REMAINING_STATUSES = Object.entries(BUCKET_OF)
  .filter(([, b]) => b === 'running' || b === 'waiting')
  .map(([s]) => s);

export const emptyCounts = (): JobCounts => ({ done: 0, running: 0, waiting: 0, failed: 0, killed: 0 });

/** Fold DiracX summary rows (`{JobGroup, Status, count}`) into counts per JobGroup. */
export function countsByGroup(rows: Record<string, unknown>[]): Map<string, JobCounts> {
  const out = new Map<string, JobCounts>();
  for (const row of rows) {
    const group = String(row.JobGroup ?? '');
    const bucket = BUCKET_OF[String(row.Status)] ?? 'waiting';
    const counts = out.get(group) ?? emptyCounts();
    counts[bucket] += Number(row.count ?? 0);
    out.set(group, counts);
  }
  return out;
}

/** Failed jobs by one summary column (DiracX rows with Status, MinorStatus, Site, count), most frequent first; no value = key null, last among equals. */
export function failureBreakdown(rows: Record<string, unknown>[], column: 'MinorStatus' | 'Site' | 'ApplicationStatus'): BreakdownEntry[] {
  const totals = new Map<string | null, number>();
  for (const row of rows) {
    if (row.Status !== 'Failed') continue;
    const key = row[column] === null || row[column] === undefined || row[column] === '' ? null : String(row[column]);
    totals.set(key, (totals.get(key) ?? 0) + Number(row.count ?? 0));
  }
  return [...totals]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || Number(a.key === null) - Number(b.key === null) || (a.key ?? '').localeCompare(b.key ?? ''));
}

export function productionState(row: Pick<ProductionRow, 'launchStatus' | 'submittedJobs'>, c: JobCounts): ProductionState {
  if (isLaunchActive(row.launchStatus)) return 'submitting';
  const known = c.done + c.running + c.waiting + c.failed + c.killed;
  // Jobs DiracX does not list yet count as waiting.
  if (c.running + c.waiting > 0 || known < row.submittedJobs) return 'active';
  return c.failed + c.killed > 0 || row.launchStatus !== 'submitted' ? 'failures' : 'completed';
}

/**
 * Throughput: finished jobs per hour since the production was created. Estimated completion: the
 * jobs still waiting or running (or not yet listed by DiracX), at that pace.
 */
export function pace(row: Pick<ProductionRow, 'createdAt' | 'submittedJobs'>, c: JobCounts, now = Date.now()) {
  const finished = c.done + c.failed + c.killed;
  const hours = Math.max(now - Date.parse(row.createdAt), 1_000) / 3_600_000;
  const throughputPerHour = finished > 0 ? finished / hours : null;
  const remaining = Math.max(row.submittedJobs - finished, c.running + c.waiting);
  const estimatedCompletion =
    throughputPerHour && remaining > 0 ? new Date(now + (remaining / throughputPerHour) * 3_600_000).toISOString() : null;
  return { throughputPerHour: throughputPerHour === null ? null : Math.round(throughputPerHour * 10) / 10, estimatedCompletion };
}

/** DiracX dates are UTC, sometimes without a zone designator. */
export function parseDiracDate(v: unknown): number | null {
  if (typeof v !== 'string' || !v) return null;
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
  return Number.isNaN(t) ? null : t;
}

/** Columns the progress series is computed from. */
export const PROGRESS_COLUMNS = ['JobID', 'Status', 'SubmissionTime', 'StartExecTime', 'EndExecTime', 'LastUpdateTime'];

/**
 * A job's submission, first start and (final) end. With its status history (LoggingInfo, asked for
 * small productions) the end is the time of its last status, so a job that failed, was rescheduled
 * and ran again ends when it really ended; otherwise the job attributes are used.
 */
function jobTimes(r: JobRow): { submitted: number | null; started: number | null; ended: number | null } {
  const log = Array.isArray(r.LoggingInfo) ? (r.LoggingInfo as Record<string, unknown>[]) : [];
  if (log.length > 0) {
    const entries = log
      .map((e) => ({ status: String(e.Status ?? ''), t: parseDiracDate(e.StatusTime) }))
      .filter((e): e is { status: string; t: number } => e.t !== null);
    entries.sort((a, b) => a.t - b.t);
    if (entries.length > 0)
      return {
        submitted: entries[0]!.t,
        started: entries.find((e) => e.status === 'Running')?.t ?? null,
        ended: entries[entries.length - 1]!.t,
      };
  }
  return {
    submitted: parseDiracDate(r.SubmissionTime),
    started: parseDiracDate(r.StartExecTime),
    ended: parseDiracDate(r.EndExecTime) ?? parseDiracDate(r.LastUpdateTime),
  };
}

/**
 * Progress over time from the jobs' own times: for each job its submission, start and (for Done /
 * Failed jobs) end time, the end falling back to the last update when DiracX has no EndExecTime
 * (e.g. a job reported Failed before it ran). Cumulative counts at up to `maxPoints` instants.
 */
export function progressSeries(rows: JobRow[], maxPoints = 60): ProgressPoint[] {
  const events: { t: number; kind: 'submitted' | 'started' | 'done' | 'failed' }[] = [];
  for (const r of rows) {
    const times = jobTimes(r);
    if (times.submitted !== null) events.push({ t: times.submitted, kind: 'submitted' });
    if (times.started !== null) events.push({ t: times.started, kind: 'started' });
    const bucket = BUCKET_OF[String(r.Status)];
    if ((bucket === 'done' || bucket === 'failed') && times.ended !== null) events.push({ t: times.ended, kind: bucket });
  }
  if (events.length === 0) return [];
  events.sort((a, b) => a.t - b.t);
  const first = events[0]!.t;
  const last = events[events.length - 1]!.t;
  const instants = new Set<number>();
  if (last === first) instants.add(first);
  else for (let i = 0; i < maxPoints; i++) instants.add(Math.round(first + ((last - first) * i) / (maxPoints - 1)));
  const points: ProgressPoint[] = [];
  const acc = { submitted: 0, started: 0, done: 0, failed: 0 };
  let e = 0;
  for (const t of [...instants].sort((a, b) => a - b)) {
    while (e < events.length && events[e]!.t <= t) acc[events[e++]!.kind]++;
    points.push({ time: new Date(t).toISOString(), ...acc });
  }
  return points;
}
