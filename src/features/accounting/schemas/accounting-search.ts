import { z } from 'zod';
import {
  AccountingBucketSchema,
  AccountingGroupBySchema,
  AccountingMetricSchema,
  ACCOUNTING_MAX_BUCKETS,
  type AccountingBucket,
  type AccountingQuery,
} from '../../../contracts/accounting.ts';

export const RANGE_PRESETS = ['24h', '7d', '30d', '90d', '12m', 'custom'] as const;
export const RangePresetSchema = z.enum(RANGE_PRESETS);
export type RangePreset = z.infer<typeof RangePresetSchema>;

const day = z.iso.date();

/** The page's state as it lives in the URL (`?metric=cpuHours&groupBy=user&bucket=week&range=90d`). Bad values fall back. */
export const AccountingSearchSchema = z.object({
  metric: AccountingMetricSchema.catch('jobs'),
  groupBy: AccountingGroupBySchema.catch('site'),
  bucket: AccountingBucketSchema.catch('day'),
  range: RangePresetSchema.catch('30d'),
  /** Custom range, whole UTC days, both inclusive. */
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
});
export type AccountingSearch = z.output<typeof AccountingSearchSchema>;

export function parseAccountingSearch(params: URLSearchParams): AccountingSearch {
  return AccountingSearchSchema.parse(Object.fromEntries(params));
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const startOfUtcDay = (ms: number) => Math.floor(ms / DAY) * DAY;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The BFF query for a search at `now`. Presets end at the next hour (24 h) or the end of today (UTC), so
 * the query (and its cache key) stays the same for a while; a custom range covers whole UTC days.
 */
export function toQuery(s: AccountingSearch, now = Date.now()): AccountingQuery {
  let from: number;
  let to: number;
  if (s.range === 'custom' && s.from && s.to && s.from <= s.to) {
    from = Date.parse(`${s.from}T00:00:00Z`);
    to = Date.parse(`${s.to}T00:00:00Z`) + DAY;
  } else if (s.range === '24h') {
    to = Math.floor(now / HOUR) * HOUR + HOUR;
    from = to - 24 * HOUR;
  } else {
    const days = s.range === '7d' ? 7 : s.range === '90d' ? 90 : s.range === '12m' ? 365 : 30;
    to = startOfUtcDay(now) + DAY;
    from = to - days * DAY;
  }
  return { groupBy: s.groupBy, bucket: s.bucket, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** Default custom days when switching to "custom": the range currently shown. */
export function customDaysOf(q: AccountingQuery): { from: string; to: string } {
  return { from: isoDay(Date.parse(q.from)), to: isoDay(Date.parse(q.to) - 1) };
}

const APPROX_MS: Record<AccountingBucket, number> = { hour: HOUR, day: DAY, week: 7 * DAY, month: 28 * DAY };

/** Whether a bucket size gives at most ACCOUNTING_MAX_BUCKETS bars for this range (the BFF refuses more). */
export function bucketFits(bucket: AccountingBucket, q: AccountingQuery): boolean {
  return (Date.parse(q.to) - Date.parse(q.from)) / APPROX_MS[bucket] <= ACCOUNTING_MAX_BUCKETS;
}
