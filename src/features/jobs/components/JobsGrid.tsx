import Box from '@mui/material/Box';
import TablePagination from '@mui/material/TablePagination';
import { memo, useMemo, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useNavigate } from 'react-router';
import type { JobSummary } from '../../../contracts/jobs.ts';
import type { JobSortField } from '../../../contracts/monitor.ts';
import { formatCount } from '../../../shared/lib/format.ts';
import { paths } from '../../../shared/lib/paths.ts';
import { useStableCallback } from '../../../shared/lib/use-stable-callback.ts';
import { ColumnChooser } from '../../../shared/ui/ColumnChooser.tsx';
import { DateTime } from '../../../shared/ui/DateTime.tsx';
import { GridTable, type GridTableColumn } from '../../../shared/ui/GridTable.tsx';
import { StatusTag, StatusTagStyles } from '../../../shared/ui/StatusChip.tsx';
import type { MonitorColumn } from '../api/monitor-columns.ts';
import { JobRowMenu, type RowMenuTarget } from './JobRowMenu.tsx';

/** Grid column → the DiracX attribute the server sorts on. */
const SORT_FIELD: Record<MonitorColumn, JobSortField> = {
  jobId: 'JobID',
  jobName: 'JobName',
  status: 'Status',
  minorStatus: 'MinorStatus',
  applicationStatus: 'ApplicationStatus',
  site: 'Site',
  jobGroup: 'JobGroup',
  jobType: 'JobType',
  owner: 'Owner',
  ownerGroup: 'OwnerGroup',
  vo: 'VO',
  userPriority: 'UserPriority',
  rescheduleCounter: 'RescheduleCounter',
  submissionTime: 'SubmissionTime',
  startExecTime: 'StartExecTime',
  endExecTime: 'EndExecTime',
  lastUpdateTime: 'LastUpdateTime',
  heartBeatTime: 'HeartBeatTime',
  rescheduleTime: 'RescheduleTime',
};
const FIELD_OF_SORT = Object.fromEntries(Object.entries(SORT_FIELD).map(([k, v]) => [v, k])) as Record<JobSortField, MonitorColumn>;

type Column = GridTableColumn<JobSummary> & { id: MonitorColumn };
const text = (id: MonitorColumn, header: string, width: number): Column => ({ id, header, width, text: (r) => r[id] as string | null });
const num = (id: MonitorColumn, header: string, width: number): Column => ({ ...text(id, header, width), numeric: true });
const time = (id: MonitorColumn, header: string): Column => ({
  id,
  header,
  width: 170,
  render: (r) => <DateTime value={r[id] as string | null} />,
});

/** Every column, in screen order (MONITOR_COLUMNS order); `?columns=` picks the shown ones. */
const COLUMNS: readonly Column[] = [
  {
    id: 'jobId',
    header: 'Job ID',
    width: 100,
    numeric: true,
    // tabIndex -1: the grid moves its one tab stop itself (a link made tabbable later costs a style recalc).
    // A plain <a>, followed in the app by JobsGrid's click handler: a router Link per row re-rendered
    // every row's link on each URL change, a sort too (issue #17).
    render: (r) => (
      <a href={paths.jobs.detail.getHref(r.jobId)} tabIndex={-1}>
        {r.jobId}
      </a>
    ),
  },
  text('jobName', 'Name', 200),
  { id: 'status', header: 'Status', width: 140, render: (r) => <StatusTag status={r.status} /> },
  text('minorStatus', 'Minor status', 180),
  text('applicationStatus', 'Application status', 180),
  text('site', 'Site', 150),
  text('jobGroup', 'JobGroup', 160),
  text('jobType', 'Job type', 110),
  text('owner', 'Owner', 100),
  text('ownerGroup', 'Owner group', 120),
  text('vo', 'VO', 90),
  num('userPriority', 'Priority', 90),
  num('rescheduleCounter', 'Reschedules', 110),
  time('submissionTime', 'Submitted'),
  time('startExecTime', 'Started'),
  time('endExecTime', 'Ended'),
  time('lastUpdateTime', 'Last update'),
  time('heartBeatTime', 'Last sign of life'),
  time('rescheduleTime', 'Rescheduled'),
];
const HEADERS = COLUMNS.map(({ id, header }) => ({ id, header }));

/** Page sizes offered (diracx-web's largest is 1,000; the table renders only the rows in view). */
const PAGE_SIZES = [25, 50, 100, 250, 500, 1000];

const PAGER_SX = { '& .MuiTablePagination-toolbar': { flexWrap: 'wrap', pl: 0 } } as const;
const CHOOSER_SX = { display: 'flex', justifyContent: 'flex-start', mb: 1 } as const;
const getRowId = (r: JobSummary) => r.jobId;
const rowLabel = (r: JobSummary) => `Select row of job ${r.jobId}`;

type JobsGridProps = {
  rows: readonly JobSummary[];
  total: number;
  page: number;
  perPage: number;
  sort: JobSortField;
  order: 'asc' | 'desc';
  labelledBy: string;
  selection: number[];
  onSelectionChange: (ids: number[]) => void;
  onPageChange: (page: number, perPage: number) => void;
  onSortChange: (sort: JobSortField, order: 'asc' | 'desc') => void;
  /** The shown columns and the pinned ones (the "Columns" panel changes them). */
  columns: readonly MonitorColumn[];
  onColumnsChange: (columns: MonitorColumn[]) => void;
  pinned: readonly MonitorColumn[];
  onPinnedChange: (pinned: MonitorColumn[]) => void;
  /** The rows are the previous view's while the next one loads. */
  busy: boolean;
};

/** Only re-rendered when their own props change (a sort keeps them). */
const ColumnChooserMemo = memo(ColumnChooser);
const JobRowMenuMemo = memo(JobRowMenu);

type PagerProps = { total: number; page: number; perPage: number; onPageChange: (page: number, perPage: number) => void };
/** The pager, re-rendered only when the page, its size or the total change (not on a sort). */
const Pager = memo(function Pager({ total, page, perPage, onPageChange }: PagerProps) {
  const pageSizes = useMemo(() => [...new Set([perPage, ...PAGE_SIZES])].sort((a, b) => a - b), [perPage]);
  return (
    <TablePagination
      component="div"
      count={total}
      page={page - 1}
      rowsPerPage={perPage}
      rowsPerPageOptions={pageSizes}
      onPageChange={(_, p) => onPageChange(p + 1, perPage)}
      onRowsPerPageChange={(e) => onPageChange(1, Number(e.target.value))}
      labelDisplayedRows={({ from, to, count }) => `${formatCount(from)}–${formatCount(to)} of ${formatCount(count)}`}
      // at 390 px the pager wraps rather than push "next page" off the screen
      sx={PAGER_SX}
    />
  );
});

/** A plain click on a job's link opens it in the app (modified clicks are the browser's: new tab, …). */
function useInAppLinks() {
  const navigate = useNavigate();
  return useStableCallback((e: MouseEvent<HTMLElement>) => {
    const a = (e.target as Element).closest('a');
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    void navigate(a.getAttribute('href') ?? '');
  });
}

/** The monitor's table (GridTable) with its column chooser and pager: DiracX pages and sorts. */
export function JobsGrid(props: JobsGridProps) {
  const { rows, total, page, perPage, sort, order } = props;
  const onLinkClick = useInAppLinks();
  // The row context menu: a right click on a row, or Shift+F10 / the Menu key on a focused cell.
  const [menu, setMenu] = useState<RowMenuTarget | null>(null);
  const closeMenu = useStableCallback(() => setMenu(null));
  const openMenu = (el: Element, at?: { top: number; left: number }) => {
    const index = Number(el.closest('tr[data-rowindex]')?.getAttribute('data-rowindex'));
    const job = rows[index];
    if (!job) return false;
    const box = el.getBoundingClientRect();
    setMenu({ job, ...(at ?? { top: box.bottom, left: box.left }) });
    return true;
  };
  const onContextMenu = (e: MouseEvent<HTMLElement>) => {
    if (openMenu(e.target as Element, { top: e.clientY, left: e.clientX })) e.preventDefault();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if ((e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) && openMenu(e.target as Element)) e.preventDefault();
  };
  // Stable inputs: the table re-renders its rows only when the page, the columns or the selection change
  // (keyed by value: every URL change, a sort too, brings new column arrays with the same ids).
  const shownKey = props.columns.join(',');
  const pinnedKey = props.pinned.join(',');
  const columns = useMemo(() => COLUMNS.filter((c) => shownKey.split(',').includes(c.id)), [shownKey]);
  const pinned = useMemo(() => new Set<string>(pinnedKey.split(',')), [pinnedKey]);
  const selection = useMemo(() => new Set(props.selection), [props.selection]);
  const sortedBy = useMemo(() => ({ column: FIELD_OF_SORT[sort], order }), [sort, order]);
  const shownIds = useMemo(() => shownKey.split(','), [shownKey]);
  const pinnedIds = useMemo(() => (pinnedKey ? pinnedKey.split(',') : []), [pinnedKey]);
  const onShownChange = useStableCallback((shown: string[]) => props.onColumnsChange(shown as MonitorColumn[]));
  const onPinnedChange = useStableCallback((p: string[]) => props.onPinnedChange(p as MonitorColumn[]));
  const onPageChange = useStableCallback(props.onPageChange);
  return (
    <>
      <Box sx={CHOOSER_SX}>
        <ColumnChooserMemo
          columns={HEADERS}
          shown={shownIds}
          pinned={pinnedIds}
          onShownChange={onShownChange}
          onPinnedChange={onPinnedChange}
        />
      </Box>
      <StatusTagStyles onClick={onLinkClick} onContextMenu={onContextMenu} onKeyDown={onKeyDown}>
        <GridTable<JobSummary, number>
          rows={rows}
          getRowId={getRowId}
          columns={columns}
          pinned={pinned}
          labelledBy={props.labelledBy}
          sortedBy={sortedBy}
          // a new column sorts newest/largest first; the sorted one flips
          onSort={(column) => {
            const field = SORT_FIELD[column as MonitorColumn];
            props.onSortChange(field, field === sort ? (order === 'desc' ? 'asc' : 'desc') : 'desc');
          }}
          selection={selection}
          onSelectionChange={props.onSelectionChange}
          rowLabel={rowLabel}
          busy={props.busy}
        />
      </StatusTagStyles>
      <JobRowMenuMemo target={menu} onClose={closeMenu} />
      <Pager total={total} page={page} perPage={perPage} onPageChange={onPageChange} />
    </>
  );
}
