import DownloadIcon from '@mui/icons-material/Download';
import InsightsIcon from '@mui/icons-material/Insights';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useId, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ACCOUNTING_BUCKETS, ACCOUNTING_GROUP_BY, ACCOUNTING_METRICS } from '../../../contracts/accounting.ts';
import { BlockSkeleton } from '../../../shared/ui/BlockSkeleton.tsx';
import { EmptyState } from '../../../shared/ui/EmptyState.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { SelectField } from '../../../shared/ui/fields.tsx';
import { formatDateTime } from '../../../shared/ui/format.ts';
import { useNotify } from '../../../shared/ui/notify.tsx';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';
import { TableSkeleton } from '../../../shared/ui/TableSkeleton.tsx';
import { accountingQueries, downloadUsageCsv } from '../api/accounting-queries.ts';
import { BUCKET_LABEL, GROUP_BY_LABEL, METRIC_LABEL } from '../components/labels.ts';
import { UsageTotalsTable } from '../components/UsageTotalsTable.tsx';
import {
  bucketFits,
  customDaysOf,
  parseAccountingSearch,
  RANGE_PRESETS,
  toQuery,
  type AccountingSearch,
} from '../schemas/accounting-search.ts';

// MUI X Charts loads with the first report, not with the route (a refused user never downloads it).
const UsageChart = lazy(async () => ({ default: (await import('../components/UsageChart.tsx')).UsageChart }));

const RANGE_LABEL: Record<(typeof RANGE_PRESETS)[number], string> = {
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  '12m': 'Last 12 months',
  custom: 'Custom dates',
};

/** `/accounting` (administrators): usage of finished jobs over time, stacked by a dimension, with totals and CSV. */
export function AccountingPage() {
  const totalsId = useId();
  const notify = useNotify();
  const [params, setParams] = useSearchParams();
  const search = parseAccountingSearch(params);
  const query = useMemo(() => toQuery(search), [search.groupBy, search.bucket, search.range, search.from, search.to]); // eslint-disable-line react-hooks/exhaustive-deps
  const { data, error, isPending, isFetching, isPlaceholderData, refetch } = useQuery(accountingQueries.usage(query));
  const [exporting, setExporting] = useState(false);

  const set = (patch: Partial<AccountingSearch>) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined || v === '') next.delete(k);
        else next.set(k, String(v));
      }
      return next;
    });

  const chooseRange = (range: string) => {
    if (range === 'custom') set({ range: 'custom', ...customDaysOf(query) });
    else {
      const next = { ...search, range: range as AccountingSearch['range'], from: undefined, to: undefined };
      // Keep the bar count within what the BFF serves: widen the bucket when the range grows.
      const bucket =
        ACCOUNTING_BUCKETS.find(
          (b) => ACCOUNTING_BUCKETS.indexOf(b) >= ACCOUNTING_BUCKETS.indexOf(search.bucket) && bucketFits(b, toQuery(next)),
        ) ?? 'month';
      set({ range: next.range, from: undefined, to: undefined, bucket });
    }
  };

  const exportCsv = async () => {
    setExporting(true);
    try {
      await downloadUsageCsv(query);
    } catch (err) {
      notify(`The CSV export failed: ${(err as Error).message}`, 'error');
    } finally {
      setExporting(false);
    }
  };

  let body;
  if (isPending) body = <TableSkeleton rows={6} columns={4} label="Loading accounting…" />;
  else if (error && !data) body = <ErrorAlert error={error} onRetry={() => void refetch()} />;
  else if (data.total.jobs === 0)
    body = (
      <EmptyState
        icon={<InsightsIcon />}
        title="No finished jobs in this range"
        description={
          data.collectedUntil
            ? `Finished jobs are collected from DiracX up to ${formatDateTime(data.collectedUntil)}. Choose a longer range, or wait for running jobs to finish.`
            : 'The portal has not collected any finished job from DiracX yet; the first collection runs shortly after the portal starts.'
        }
        action={search.range !== '12m' ? <Button onClick={() => chooseRange('12m')}>Show the last 12 months</Button> : undefined}
      />
    );
  else
    body = (
      <>
        <Box sx={{ height: 4 }}>{isFetching && isPlaceholderData && <LinearProgress aria-label="Loading accounting" />}</Box>
        <Suspense fallback={<BlockSkeleton height={400} label="Loading the chart…" />}>
          <UsageChart report={data} metric={search.metric} />
        </Suspense>
        <Typography variant="h6" component="h2" id={totalsId} sx={{ mt: 3, mb: 1 }}>
          Totals by {GROUP_BY_LABEL[data.groupBy].toLowerCase()}
        </Typography>
        <UsageTotalsTable report={data} labelledBy={totalsId} />
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 2 }}>
          {data.collectedUntil ? `Finished jobs collected from DiracX up to ${formatDateTime(data.collectedUntil)}. ` : ''}
          CPU hours are cores × wall-clock time: DiracX 0.7 does not publish jobs’ CPU time. Buckets are UTC.
        </Typography>
      </>
    );

  return (
    <>
      <PageHeader
        title="Accounting"
        description="Usage of finished jobs (Done, Completed, Failed, Killed, Deleted) over time: jobs, CPU hours and wall-clock hours, stacked by site, user, group, VO or final status."
        actions={
          <Button variant="outlined" startIcon={<DownloadIcon />} onClick={() => void exportCsv()} disabled={exporting}>
            Export CSV
          </Button>
        }
      />
      <Paper variant="outlined" component="section" aria-label="Accounting report" sx={{ p: { xs: 2, md: 3 } }}>
        <Box role="group" aria-label="Report settings" sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, mb: 2 }}>
          <SelectField
            label="Metric"
            value={search.metric}
            onChange={(v) => set({ metric: v as AccountingSearch['metric'] })}
            options={ACCOUNTING_METRICS.map((m) => ({ value: m, label: METRIC_LABEL[m] }))}
            sx={{ minWidth: 170 }}
          />
          <SelectField
            label="Group by"
            value={search.groupBy}
            onChange={(v) => set({ groupBy: v as AccountingSearch['groupBy'] })}
            options={ACCOUNTING_GROUP_BY.map((g) => ({ value: g, label: GROUP_BY_LABEL[g] }))}
            sx={{ minWidth: 150 }}
          />
          <SelectField
            label="Bucket"
            value={search.bucket}
            onChange={(v) => set({ bucket: v as AccountingSearch['bucket'] })}
            options={ACCOUNTING_BUCKETS.filter((b) => b === search.bucket || bucketFits(b, query)).map((b) => ({
              value: b,
              label: BUCKET_LABEL[b],
            }))}
            error={!bucketFits(search.bucket, query)}
            helperText={bucketFits(search.bucket, query) ? undefined : 'Too many bars: choose a larger bucket'}
            sx={{ minWidth: 120 }}
          />
          <SelectField
            label="Time range"
            value={search.range}
            onChange={chooseRange}
            options={RANGE_PRESETS.map((r) => ({ value: r, label: RANGE_LABEL[r] }))}
            sx={{ minWidth: 170 }}
          />
          {search.range === 'custom' && (
            <>
              <TextField
                type="date"
                size="small"
                label="From (UTC)"
                value={search.from ?? ''}
                onChange={(e) => set({ from: e.target.value })}
                slotProps={{ inputLabel: { shrink: true } }}
              />
              <TextField
                type="date"
                size="small"
                label="To (UTC, inclusive)"
                value={search.to ?? ''}
                onChange={(e) => set({ to: e.target.value })}
                error={!!search.from && !!search.to && search.to < search.from}
                helperText={search.from && search.to && search.to < search.from ? '“To” is before “From”' : undefined}
                slotProps={{ inputLabel: { shrink: true } }}
              />
            </>
          )}
        </Box>
        {body}
      </Paper>
    </>
  );
}
