import WorkIcon from '@mui/icons-material/Work';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  ChartGroupSchema,
  MAX_EXPORT_ROWS,
  type ChartGroup,
  type JobActionResult,
  type JobFilters,
  type JobSearchQuery,
} from '../../../contracts/monitor.ts';
import type { JobStatus } from '../../../contracts/jobs.ts';
import { paths } from '../../../shared/lib/paths.ts';
import { useMe } from '../../../shared/ui/auth-context.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';
import { QueryStates } from '../../../shared/ui/QueryStates.tsx';
import { downloadFromBff } from '../../../shared/lib/download.ts';
import { formatCount } from '../../../shared/lib/format.ts';
import { useDelayedFlag } from '../../../shared/lib/use-delayed-flag.ts';
import { useStableCallback } from '../../../shared/lib/use-stable-callback.ts';
import { jobQueries } from '../api/job-queries.ts';
import { DEFAULT_COLUMNS, readColumns, readPinned, sameColumns, saveColumns, type MonitorColumn } from '../api/monitor-columns.ts';
import { filterLabel, filtersOf, hasFilters, monitorSearchParams, parseMonitorSearch } from '../api/monitor-search.ts';
import { ActionResultAlert, JobActionsBar } from '../components/JobActionsBar.tsx';
import { JobsGrid } from '../components/JobsGrid.tsx';
import { MonitorFilters } from '../components/MonitorFilters.tsx';
import { SavedViews } from '../components/SavedViews.tsx';
import { SearchConditions } from '../components/SearchConditions.tsx';
import { StatusOverTimeChart } from '../components/StatusOverTimeChart.tsx';
import { StatusSummary } from '../components/StatusSummary.tsx';

/**
 * The chart's timeline costs DiracX one summary per day (14 of them, ~1 s at 20,000 jobs): asked for
 * only once the rows are in and no search has been running for this long, so that it never holds up
 * the searches a user waits for (with it in flight, a sort took 3× longer: issue #17).
 */
const CHART_AFTER_QUIET_MS = 1_000;

/** A new view's progress bar shows only when its rows take longer than this (the grid is aria-busy at once). */
const PROGRESS_AFTER_MS = 400;

/** No status or search condition chosen (one array, so memoised children see the same props). */
const NONE: readonly never[] = [];
const HIDDEN = { display: 'none' } as const;
/** One element for every render: React skips it (and its styles) when the view changes. */
const HEADER = (
  <PageHeader
    title="Jobs"
    description="Monitor your jobs: filter, sort, select and act. Everything is searched by DiracX and refreshes on its own."
  />
);

/** The filters the chart shows: the view's, once the list has been quiet for CHART_AFTER_QUIET_MS (null before). */
function useQuietFilters(filters: JobFilters, busy: boolean, settledAt: number): JobFilters | null {
  const [quietAt, setQuietAt] = useState(-1);
  const [shown, setShown] = useState<JobFilters | null>(null);
  useEffect(() => {
    if (busy) return;
    const timer = setTimeout(() => setQuietAt(settledAt), CHART_AFTER_QUIET_MS);
    return () => clearTimeout(timer);
  }, [busy, settledAt]);
  // Adjusted while rendering (no extra commit): the chart follows the view once it is quiet.
  if (!busy && quietAt === settledAt && shown !== filters) setShown(filters);
  return shown;
}

/**
 * `/jobs`: the job monitor. Filters, sort and page live in the URL (a link
 * reproduces the view, Back works); DiracX searches, sorts, pages and counts.
 * The page and the summary refresh with back-off, keeping the rows on screen.
 */
export function JobsPage() {
  const headingId = useId();
  const me = useMe();
  const [searchParams, setSearchParams] = useSearchParams();
  const user = useMemo(() => ({ instanceId: me.instance.id, username: me.username }), [me.instance.id, me.username]);
  const parsed = useMemo(() => parseMonitorSearch(searchParams), [searchParams]);
  const shown = useMemo(() => readColumns(searchParams, user), [searchParams, user]);
  const pinned = useMemo(() => readPinned(searchParams, shown.columns), [searchParams, shown.columns]);
  const query = parsed.query;
  // The chart's grouping: in the URL (not a search parameter of the list).
  const chartByParsed = ChartGroupSchema.safeParse(searchParams.get('chartBy') ?? undefined);
  const chartBy: ChartGroup = chartByParsed.success ? chartByParsed.data : 'Status';
  const invalid = [
    ...parsed.invalid,
    ...(shown.invalid ? ['columns'] : []),
    ...(pinned.invalid ? ['pin'] : []),
    ...(searchParams.has('chartBy') && !chartByParsed.success ? ['chartBy'] : []),
  ];
  // The same object while the filters are the same (a sort or page change keeps them): the summary, the
  // chart and the filter fields, memoised, then skip re-rendering.
  const filtersJson = JSON.stringify(filtersOf(query));
  const filters = useMemo(() => JSON.parse(filtersJson) as JobFilters, [filtersJson]);
  const queryClient = useQueryClient();
  const list = useQuery(jobQueries.search(query));
  // The summary counts every status of the view: it is also the status quick filter.
  const summary = useQuery(jobQueries.summary({ ...filters, status: undefined }));
  const chartFilters = useQuietFilters(filters, list.isFetching || (!list.data && !list.error), list.dataUpdatedAt + list.errorUpdatedAt);
  const [selection, setSelection] = useState<number[]>([]);
  const [result, setResult] = useState<JobActionResult | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);
  const [exportCut, setExportCut] = useState<number | null>(null);

  /**
   * A new view in the URL; the columns and pins (not BFF parameters) are kept as they are. A new search
   * is sent at once, before the router navigates (its loader asks for the same query: one request).
   */
  const setView = (
    params: URLSearchParams,
    columns: readonly MonitorColumn[] = shown.columns,
    by: ChartGroup = chartBy,
    pins: readonly MonitorColumn[] = pinned.pinned,
  ) => {
    const next = parseMonitorSearch(params).query;
    if (monitorSearchParams(next).toString() !== monitorSearchParams(query).toString())
      void queryClient.prefetchQuery(jobQueries.search(next));
    if (!sameColumns(columns, DEFAULT_COLUMNS)) params.set('columns', columns.join(','));
    const kept = pins.filter((c) => columns.includes(c));
    if (kept.length) params.set('pin', kept.join(','));
    if (by !== 'Status') params.set('chartBy', by);
    setSearchParams(params);
  };
  const go = (next: Partial<JobSearchQuery>, { keepPage = false } = {}) =>
    setView(monitorSearchParams({ ...query, ...(keepPage ? {} : { page: 1 }), ...next }));
  const clearFilters = () => setView(monitorSearchParams({ sort: query.sort, order: query.order, perPage: query.perPage }));
  const changeColumns = (columns: MonitorColumn[]) => {
    if (columns.length === 0 || sameColumns(columns, shown.columns)) return;
    saveColumns(columns, user);
    setView(monitorSearchParams(query), columns);
  };
  // Stable handlers for the memoised filters, summary, chart and grid: a sort re-renders none of the first three.
  const onFiltersChange = useStableCallback((f: JobFilters) =>
    setView(monitorSearchParams({ ...f, sort: query.sort, order: query.order, perPage: query.perPage })),
  );
  const onConditionsChange = useStableCallback((where: string[] | undefined) => go({ where }));
  const onStatusSelect = useStableCallback((status: JobStatus[] | undefined) => go({ status }));
  const onGroupByChange = useStableCallback((by: ChartGroup) => setView(monitorSearchParams(query), shown.columns, by));
  const onApplyView = useStableCallback((search: string) => setSearchParams(new URLSearchParams(search)));

  const exportJobs = async (format: 'csv' | 'json') => {
    setExporting(true);
    setExportError(null);
    setExportCut(null);
    try {
      const params = monitorSearchParams({ ...filters, sort: query.sort, order: query.order });
      params.set('format', format);
      if (selection.length) params.set('ids', selection.join(','));
      await downloadFromBff(`/bff/v1/jobs/export?${params}`, `jobs.${format}`);
      // The BFF exports at most MAX_EXPORT_ROWS jobs of a view: say so rather than hand over a silently cut file.
      const total = list.data?.total ?? 0;
      if (!selection.length && total > MAX_EXPORT_ROWS) setExportCut(total);
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting(false);
    }
  };

  const onActionDone = useStableCallback((r: JobActionResult) => {
    setResult(r);
    setSelection((s) => s.filter((id) => !r.succeeded.includes(id)));
  });
  const onExport = useStableCallback((f: 'csv' | 'json') => void exportJobs(f));

  const { data, isFetching, isPlaceholderData } = list;
  const slow = useDelayedFlag(isFetching && isPlaceholderData, PROGRESS_AFTER_MS);
  const filtered = hasFilters(query);
  const body = (
    <QueryStates
      query={list}
      loading={{ rows: 8, columns: 7, label: 'Loading your jobs…' }}
      errorAction={filtered ? <Button onClick={clearFilters}>Clear filters</Button> : undefined}
      isEmpty={(d) => d.total === 0}
      filtered={filtered}
      noMatch={{
        title: 'No jobs match these filters',
        description: 'Change or clear the filters to see more jobs.',
        onClear: clearFilters,
      }}
      empty={{
        icon: <WorkIcon />,
        title: 'No jobs yet',
        description: 'Launch the Hello world job from the home page, or a workflow, to see jobs appear here.',
        action: (
          <Button variant="contained" href={paths.home.getHref()}>
            Launch Hello world
          </Button>
        ),
      }}
    >
      {(data) => (
        <>
          <JobActionsBar selection={selection} onDone={onActionDone} onExport={onExport} exporting={exporting} />
          <JobsGrid
            rows={data.items}
            total={data.total}
            page={query.page}
            perPage={query.perPage}
            sort={query.sort}
            order={query.order}
            labelledBy={headingId}
            selection={selection}
            onSelectionChange={setSelection}
            onPageChange={(page, perPage) => {
              if (page !== query.page || perPage !== query.perPage) go({ page, perPage }, { keepPage: perPage === query.perPage });
            }}
            onSortChange={(sort, order) => go({ sort, order })}
            columns={shown.columns}
            onColumnsChange={changeColumns}
            pinned={pinned.pinned}
            onPinnedChange={(pins) => setView(monitorSearchParams(query), shown.columns, chartBy, pins)}
            busy={isFetching && isPlaceholderData}
          />
        </>
      )}
    </QueryStates>
  );

  return (
    <>
      {HEADER}
      <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: { xs: 2, md: 3 } }}>
        <Box sx={{ display: 'flex', alignItems: 'flex-start', justifyContent: 'space-between', gap: 2, mb: 2 }}>
          <Typography variant="h6" component="h2" id={headingId}>
            {query.jobGroup
              ? `Jobs of ${query.jobGroup}`
              : me.role === 'scientist'
                ? 'Your jobs'
                : me.role === 'pi'
                  ? "Your group's jobs"
                  : 'All jobs'}
            {data && data.total > 0 ? ` (${data.total})` : ''}
          </Typography>
          <SavedViews user={user} current={searchParams} onApply={onApplyView} />
        </Box>
        {invalid.length > 0 && (
          <Alert
            severity="warning"
            sx={{ mb: 2 }}
            action={<Button onClick={() => setView(monitorSearchParams(query))}>Fix the link</Button>}
          >
            This link had invalid values for {[...new Set(invalid)].map(filterLabel).join(', ')}; they are ignored.
          </Alert>
        )}
        <MonitorFilters filters={filters} canFilterOwner={me.role !== 'scientist'} onChange={onFiltersChange} />
        <SearchConditions conditions={query.where ?? NONE} onChange={onConditionsChange} />
        {summary.error && !summary.data ? (
          <ErrorAlert
            error={summary.error}
            title="The status summary could not be loaded"
            onRetry={() => void summary.refetch()}
            severity="warning"
            sx={{ mb: 2 }}
          />
        ) : (
          <StatusSummary summary={summary.data} selected={query.status ?? NONE} onSelect={onStatusSelect} />
        )}
        {/* A fixed height, whatever the chart shows (loading, empty, bars): it arrives after the rows and
            must not move the table under the user's pointer. Narrow screens put "Group by" under the caption. */}
        <Box sx={{ height: { xs: 274, md: 224 }, overflow: 'hidden' }}>
          {chartFilters && <StatusOverTimeChart filters={chartFilters} groupBy={chartBy} onGroupByChange={onGroupByChange} />}
        </Box>
        {result && <ActionResultAlert result={result} onClose={() => setResult(null)} />}
        {Boolean(exportError) && <ErrorAlert error={exportError} title="The export failed" sx={{ mb: 2 }} />}
        {exportCut !== null && (
          <Alert severity="warning" onClose={() => setExportCut(null)} sx={{ mb: 2 }}>
            The export holds the first {formatCount(MAX_EXPORT_ROWS)} of {formatCount(exportCut)} jobs in this view. Narrow the filters (for
            example by submission date) to export the rest.
          </Alert>
        )}
        {/* Rendered with the page and only shown while a new view is slow to load: mounting it on a sort
            inserted its styles then, in the middle of the sort, and its animation redraws the page every
            frame (issue #17). display:none also stops the animation. */}
        <Box sx={{ height: 4 }}>
          <LinearProgress aria-label="Refreshing jobs" style={slow ? undefined : HIDDEN} />
        </Box>
        {body}
      </Paper>
    </>
  );
}
