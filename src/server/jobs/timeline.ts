/**
 * The monitor's "submitted per day" chart in a bounded number of DiracX calls. DiracX 0.7 has no
 * date-bucketed attribute to group by, so the BFF first counts the window's jobs (one summary by Status),
 * then, for up to TIMELINE_ROW_LIMIT jobs, asks one summary grouped by Status and SubmissionTime and adds the
 * rows up per UTC day (rows ≤ jobs). Only a bigger window falls back to one summary per day, a few at a
 * time. Answers are kept a short time per user and view (routes.ts).
 */
import type { SearchSpec } from '../diracx/client.ts';

const DAY_MS = 86_400_000;

/** The `days` UTC days ending today, oldest first, as YYYY-MM-DD. */
export function timelineDays(days: number, now = new Date()): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

/** SubmissionTime from the first day on: DiracX reads `gt <bare date>` as "from the end of that day". */
export function windowCondition(dayList: string[]): SearchSpec {
  const before = new Date(Date.parse(`${dayList[0]}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
  return { parameter: 'SubmissionTime', operator: 'gt', value: before };
}

/** Summary rows `{ <groupBy>, SubmissionTime, count }` added up per day; days without jobs have empty counts. */
export function bucketByDay(dayList: string[], rows: Record<string, unknown>[], groupBy = 'Status') {
  const byDay = new Map(dayList.map((d) => [d, {} as Record<string, number>]));
  for (const r of rows) {
    const counts = byDay.get(String(r.SubmissionTime ?? '').slice(0, 10));
    if (!counts) continue;
    const group = String(r[groupBy] ?? 'Unknown');
    counts[group] = (counts[group] ?? 0) + Number(r.count ?? 0);
  }
  return dayList.map((day) => ({ day, counts: byDay.get(day)! }));
}

/** A small time-bounded, size-bounded memo (oldest entry dropped first). */
export function shortCache<T>(ttlMs: number, maxEntries: number) {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return (key: string, load: () => Promise<T>, now = Date.now()): Promise<T> => {
    const hit = entries.get(key);
    if (hit && now - hit.at < ttlMs) return hit.value;
    entries.delete(key);
    const value = load();
    // A failure is not remembered: the next request asks DiracX again.
    value.catch(() => entries.delete(key));
    entries.set(key, { at: now, value });
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    return value;
  };
}

/** Above this many jobs in the window, one row per submission time would be too big an answer. */
export const TIMELINE_ROW_LIMIT = 20_000;
/** Per-day summaries in flight at once on the fallback path. */
export const TIMELINE_DAY_CONCURRENCY = 4;

type Summary = (grouping: string[], search: SearchSpec[]) => Promise<Record<string, unknown>[]>;

/** Jobs submitted per day in `dayList`, counted per value of `groupBy` (a job attribute). */
export async function loadTimeline(summary: Summary, base: SearchSpec[], dayList: string[], groupBy = 'Status') {
  const window = [...base, windowCondition(dayList)];
  const total = (await summary(['Status'], window)).reduce((n, r) => n + Number(r.count ?? 0), 0);
  if (total === 0) return bucketByDay(dayList, []);
  if (total <= TIMELINE_ROW_LIMIT) return bucketByDay(dayList, await summary([groupBy, 'SubmissionTime'], window), groupBy);
  const out: ReturnType<typeof bucketByDay> = [];
  for (let i = 0; i < dayList.length; i += TIMELINE_DAY_CONCURRENCY) {
    const chunk = dayList.slice(i, i + TIMELINE_DAY_CONCURRENCY);
    // DiracX reads a bare date as that whole day.
    const rows = await Promise.all(
      chunk.map((day) => summary([groupBy], [...base, { parameter: 'SubmissionTime', operator: 'eq', value: day }])),
    );
    chunk.forEach((day, k) =>
      out.push({
        day,
        counts: bucketByDay(
          [day],
          rows[k]!.map((r) => ({ ...r, SubmissionTime: day })),
          groupBy,
        )[0]!.counts,
      }),
    );
  }
  return out;
}
