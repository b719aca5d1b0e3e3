import type { AccountingBucket, AccountingGroupBy, AccountingMetric, AccountingReport } from '../../../contracts/accounting.ts';

export const METRIC_LABEL: Record<AccountingMetric, string> = { jobs: 'Jobs', cpuHours: 'CPU hours', wallHours: 'Wall-clock hours' };
export const GROUP_BY_LABEL: Record<AccountingGroupBy, string> = {
  site: 'Site',
  user: 'User',
  group: 'Group',
  vo: 'VO',
  status: 'Final status',
};
export const BUCKET_LABEL: Record<AccountingBucket, string> = { hour: 'Hour', day: 'Day', week: 'Week', month: 'Month' };

const fmt = (opts: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', ...opts });
const FORMATS: Record<AccountingBucket, Intl.DateTimeFormat> = {
  hour: fmt({ day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  day: fmt({ day: 'numeric', month: 'short' }),
  week: fmt({ day: 'numeric', month: 'short', year: '2-digit' }),
  month: fmt({ month: 'short', year: 'numeric' }),
};

/** A bucket start as shown on the axis and in tables (UTC). */
export function bucketLabel(bucket: AccountingBucket, iso: string): string {
  const s = FORMATS[bucket].format(new Date(iso));
  return bucket === 'week' ? `Week of ${s}` : s;
}

export const formatValue = (metric: AccountingMetric, v: number) =>
  metric === 'jobs'
    ? v.toLocaleString('en-GB')
    : v > 0 && v < 0.01
      ? '< 0.01'
      : v.toLocaleString('en-GB', { maximumFractionDigits: v < 10 ? 2 : 1 });

/** The series drawn: the `max` largest keys by the metric, the rest summed as "Other". */
export function topSeries(report: AccountingReport, metric: AccountingMetric, max = 8): { key: string; data: number[] }[] {
  const ranked = [...report.series].sort((a, b) => sum(b[metric]) - sum(a[metric]) || a.key.localeCompare(b.key));
  const shown = ranked.slice(0, max).map((s) => ({ key: s.key, data: s[metric] }));
  const rest = ranked.slice(max);
  if (rest.length)
    shown.push({
      key: `Other (${rest.length})`,
      data: report.buckets.map((_b, i) => round(rest.reduce((x, s) => x + (s[metric][i] ?? 0), 0))),
    });
  return shown;
}

const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
const round = (v: number) => Math.round(v * 1000) / 1000;
