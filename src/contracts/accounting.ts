import { z } from 'zod';

/** Dimensions an accounting report can be stacked by. */
export const ACCOUNTING_GROUP_BY = ['site', 'user', 'group', 'vo', 'status'] as const;
export const AccountingGroupBySchema = z.enum(ACCOUNTING_GROUP_BY);
export type AccountingGroupBy = z.infer<typeof AccountingGroupBySchema>;

export const ACCOUNTING_BUCKETS = ['hour', 'day', 'week', 'month'] as const;
export const AccountingBucketSchema = z.enum(ACCOUNTING_BUCKETS);
export type AccountingBucket = z.infer<typeof AccountingBucketSchema>;

export const ACCOUNTING_METRICS = ['jobs', 'cpuHours', 'wallHours'] as const;
export const AccountingMetricSchema = z.enum(ACCOUNTING_METRICS);
export type AccountingMetric = z.infer<typeof AccountingMetricSchema>;

/** At most this many buckets per report (an hour-bucketed year would be 8,760 bars). */
export const ACCOUNTING_MAX_BUCKETS = 1000;

export const AccountingQuerySchema = z
  .object({
    groupBy: AccountingGroupBySchema.default('site'),
    bucket: AccountingBucketSchema.default('day'),
    from: z.iso.datetime({ offset: true }).meta({ description: 'Start of the range (inclusive), ISO-8601' }),
    to: z.iso.datetime({ offset: true }).meta({ description: 'End of the range (exclusive), ISO-8601' }),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: '"from" must be before "to"', path: ['to'] });
export type AccountingQuery = z.infer<typeof AccountingQuerySchema>;

const Usage = { jobs: z.number().int().nonnegative(), cpuHours: z.number().nonnegative(), wallHours: z.number().nonnegative() };
export const AccountingUsageSchema = z.object(Usage);
export type AccountingUsage = z.infer<typeof AccountingUsageSchema>;

export const AccountingReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: AccountingGroupBySchema,
  bucket: AccountingBucketSchema,
  /** Start of each bucket (ISO-8601 UTC), empty buckets included. */
  buckets: z.array(z.string()),
  /** One series per key, each array aligned with `buckets`. */
  series: z.array(z.object({ key: z.string(), jobs: z.array(z.number()), cpuHours: z.array(z.number()), wallHours: z.array(z.number()) })),
  /** Totals per key over the range, largest job count first. */
  totals: z.array(z.object({ key: z.string(), ...Usage })),
  total: AccountingUsageSchema,
  /** Finished jobs are collected up to this instant (null before the first collection). */
  collectedUntil: z.string().nullable(),
});
export type AccountingReport = z.infer<typeof AccountingReportSchema>;
