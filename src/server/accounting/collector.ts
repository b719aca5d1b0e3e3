/**
 * The accounting collector: reads finished jobs from DiracX in (LastUpdateTime second, JobID) order and
 * stores one usage row per job with the watermark, in one transaction per batch. A crash or DiracX
 * failure between batches loses nothing (the batch is read again), and re-reading is harmless (upsert).
 *
 * DiracX compares datetimes to the second (diracx.db.sql.utils find_time_resolution), so the keyset is
 * (second, JobID): first the rest of the watermark's second by JobID, then later seconds by time.
 * Jobs updated less than `settleSeconds` ago are left for a later round, so a job whose update commits
 * a little late (or a clock a little off) is not skipped.
 */
import type { InstanceConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { DiracxClient, JobRow, SearchSpec } from '../diracx/client.ts';
import { commitBatch, coresOf, readWatermark, type UsageRecord, type Watermark } from './repo.ts';
import type { ServiceTokenSource } from './service-token.ts';

/** States a job does not leave on its own (Failed may be rescheduled: see docs/accounting.md). */
export const FINAL_STATUSES = ['Done', 'Completed', 'Failed', 'Killed', 'Deleted'] as const;

export const COLLECTED_PARAMETERS = [
  'JobID',
  'Owner',
  'OwnerGroup',
  'VO',
  'Site',
  'Status',
  'JobGroup',
  'SubmissionTime',
  'StartExecTime',
  'EndExecTime',
  'LastUpdateTime',
];

export interface CollectorDeps {
  db: Database;
  instance: InstanceConfig;
  diracx: Pick<DiracxClient, 'searchJobs'>;
  token: ServiceTokenSource;
  batchSize: number;
  settleSeconds: number;
  now?: () => number;
}

/** DiracX dates: ISO, with or without zone (UTC either way), any fraction. */
export function parseDiracxDate(v: unknown): number | null {
  if (typeof v !== 'string' || !v) return null;
  const s = /[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`;
  const t = Date.parse(s.replace(' ', 'T'));
  return Number.isNaN(t) ? null : t;
}

/** 'YYYY-MM-DDTHH:MM:SS' (UTC) of an epoch in ms: the precision DiracX searches with. */
export const secondOf = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);

const isoOrNull = (v: unknown) => {
  const t = parseDiracxDate(v);
  return t === null ? null : new Date(t).toISOString();
};

export function toUsageRecord(instanceId: string, row: JobRow, cores: Map<number, number>): UsageRecord {
  const jobId = Number(row.JobID);
  const start = parseDiracxDate(row.StartExecTime);
  const end = parseDiracxDate(row.EndExecTime);
  const last = parseDiracxDate(row.LastUpdateTime) ?? 0;
  const text = (v: unknown, fallback: string) => (typeof v === 'string' && v.length > 0 ? v : fallback);
  return {
    instanceId,
    jobId,
    owner: text(row.Owner, 'unknown'),
    ownerGroup: text(row.OwnerGroup, 'unknown'),
    vo: text(row.VO, 'unknown'),
    site: text(row.Site, 'ANY'),
    finalStatus: text(row.Status, 'unknown'),
    jobGroup: typeof row.JobGroup === 'string' && row.JobGroup ? row.JobGroup : null,
    submissionTime: isoOrNull(row.SubmissionTime),
    startExecTime: start === null ? null : new Date(start).toISOString(),
    endExecTime: end === null ? null : new Date(end).toISOString(),
    endEpoch: Math.floor((end ?? last) / 1000),
    wallSeconds: start !== null && end !== null && end > start ? Math.round((end - start) / 1000) : 0,
    cpuSeconds: null,
    normCpuSeconds: null,
    cores: cores.get(jobId) ?? 1,
    lastUpdateTime: new Date(last).toISOString(),
  };
}

const finalFilter: SearchSpec = { parameter: 'Status', operator: 'in', values: [...FINAL_STATUSES] };

/**
 * One batch: returns how many jobs it stored and whether more may be waiting.
 * Throws (and commits nothing) when DiracX or the database fails.
 */
export async function collectBatch(deps: CollectorDeps): Promise<{ stored: number; more: boolean; watermark: Watermark | null }> {
  const { db, instance, batchSize } = deps;
  const now = deps.now ?? Date.now;
  const wm = await readWatermark(db, instance.id);
  const token = await deps.token();
  const parameters = COLLECTED_PARAMETERS;
  let rows: JobRow[];
  let next: { second: string; lastJobId: number | null };
  let more: boolean;
  if (wm && wm.lastJobId !== null) {
    // The rest of the watermark's second, by JobID.
    const search: SearchSpec[] = [
      finalFilter,
      { parameter: 'LastUpdateTime', operator: 'eq', value: wm.second },
      { parameter: 'JobID', operator: 'gt', value: wm.lastJobId },
    ];
    ({ rows } = await deps.diracx.searchJobs(
      token,
      { parameters, search, sort: [{ parameter: 'JobID', direction: 'asc' }] },
      { page: 1, perPage: batchSize },
    ));
    const full = rows.length >= batchSize;
    next = { second: wm.second, lastJobId: full ? Number(rows[rows.length - 1]!.JobID) : null };
    more = true; // either more of this second, or the later seconds
  } else {
    // Later seconds, oldest first, up to the settle cutoff (DiracX: `lt S` is "before second S").
    const cutoffMs = now() - deps.settleSeconds * 1000;
    const cutoff = secondOf(cutoffMs);
    if (wm && wm.second >= cutoff) return { stored: 0, more: false, watermark: wm };
    const search: SearchSpec[] = [finalFilter, { parameter: 'LastUpdateTime', operator: 'lt', value: cutoff }];
    if (wm) search.push({ parameter: 'LastUpdateTime', operator: 'gt', value: wm.second });
    ({ rows } = await deps.diracx.searchJobs(
      token,
      {
        parameters,
        search,
        sort: [
          { parameter: 'LastUpdateTime', direction: 'asc' },
          { parameter: 'JobID', direction: 'asc' },
        ],
      },
      { page: 1, perPage: batchSize },
    ));
    if (rows.length >= batchSize) {
      // Every second before the last row's second is complete; that second is read again by JobID.
      const lastMs = parseDiracxDate(rows[rows.length - 1]!.LastUpdateTime);
      if (lastMs === null) throw new Error('DiracX returned a finished job without LastUpdateTime');
      next = { second: secondOf(lastMs), lastJobId: 0 };
      more = true;
    } else {
      next = { second: secondOf(cutoffMs - 1000), lastJobId: null };
      more = false;
    }
  }
  const ids = rows.map((r) => Number(r.JobID));
  const cores = await coresOf(db, instance.id, ids);
  const records = rows.map((r) => toUsageRecord(instance.id, r, cores));
  // Another collector (BFF replica) got there first: nothing written, read again from its watermark.
  if (!(await commitBatch(db, instance.id, records, next, wm)))
    return { stored: 0, more: true, watermark: await readWatermark(db, instance.id) };
  return { stored: records.length, more, watermark: await readWatermark(db, instance.id) };
}

/** Batches until caught up (or `maxBatches`). */
export async function collectUntilIdle(deps: CollectorDeps, maxBatches = 1000): Promise<number> {
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const r = await collectBatch(deps);
    total += r.stored;
    if (!r.more) break;
  }
  return total;
}

export interface CollectorLoop {
  /** Resolves when the loop has stopped (after the running round). */
  stop(): Promise<void>;
  /** Run a round now (tests); resolves with the jobs stored per instance. */
  runOnce(): Promise<Record<string, number>>;
  lastErrors(): Record<string, string | null>;
}

/** The background loop: one round over every configured instance, then `intervalMs` of rest. */
export function startCollectorLoop(opts: {
  intervalMs: number;
  instances: { instance: InstanceConfig; deps: CollectorDeps }[];
  log: { info(o: object, m: string): void; warn(o: object, m: string): void };
  /** Each instance's collection in a trace span of its own. */
  inSpan?: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}): CollectorLoop {
  const inSpan = opts.inSpan ?? ((_name, fn) => fn());
  const errors: Record<string, string | null> = {};
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<Record<string, number>> | null = null;
  const round = async () => {
    const out: Record<string, number> = {};
    for (const { instance, deps } of opts.instances) {
      try {
        out[instance.id] = await inSpan('accounting collection', () => collectUntilIdle(deps));
        if (out[instance.id]! > 0) opts.log.info({ instance: instance.id, jobs: out[instance.id] }, 'accounting: collected finished jobs');
        errors[instance.id] = null;
      } catch (err) {
        errors[instance.id] = (err as Error).message;
        opts.log.warn({ instance: instance.id, err: (err as Error).message }, 'accounting: collection failed; retrying next round');
      }
    }
    return out;
  };
  const runOnce = () => {
    running ??= round().finally(() => {
      running = null;
    });
    return running;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runOnce().finally(schedule);
    }, opts.intervalMs);
    timer.unref();
  };
  if (opts.intervalMs > 0) schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
    runOnce,
    lastErrors: () => ({ ...errors }),
  };
}
