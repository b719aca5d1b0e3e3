import { __unsafe_useEmotionCache as useEmotionCache } from '@emotion/react';
import Link from '@mui/material/Link';
import { useMemo } from 'react';
import {
  DataGrid,
  type GridColDef,
  type GridColumnVisibilityModel,
  type GridRowSelectionModel,
  type GridSortModel,
} from '@mui/x-data-grid';
import type { JobSummary } from '../../../contracts/jobs.ts';
import type { JobSortField } from '../../../contracts/monitor.ts';
import { paths } from '../../../shared/lib/paths.ts';
import { MONITOR_COLUMNS, type MonitorColumn } from '../api/monitor-columns.ts';
import { DateTime } from '../../../shared/ui/DateTime.tsx';
import { StatusChip } from '../../../shared/ui/StatusChip.tsx';

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

const time = (field: keyof JobSummary, headerName: string): GridColDef<JobSummary> => ({
  field,
  headerName,
  width: 170,
  renderCell: ({ row }) => <DateTime value={row[field] as string | null} />,
});

const COLUMNS: GridColDef<JobSummary>[] = [
  {
    field: 'jobId',
    headerName: 'Job ID',
    width: 100,
    renderCell: ({ row }) => <Link href={paths.jobs.detail.getHref(row.jobId)}>{row.jobId}</Link>,
  },
  { field: 'jobName', headerName: 'Name', flex: 1, minWidth: 140 },
  { field: 'status', headerName: 'Status', width: 140, renderCell: ({ row }) => <StatusChip status={row.status} /> },
  { field: 'minorStatus', headerName: 'Minor status', flex: 1, minWidth: 150 },
  { field: 'applicationStatus', headerName: 'Application status', flex: 1, minWidth: 150 },
  { field: 'site', headerName: 'Site', width: 140 },
  { field: 'jobGroup', headerName: 'JobGroup', width: 150 },
  { field: 'jobType', headerName: 'Job type', width: 110 },
  { field: 'owner', headerName: 'Owner', width: 100 },
  { field: 'ownerGroup', headerName: 'Owner group', width: 120 },
  { field: 'vo', headerName: 'VO', width: 90 },
  { field: 'userPriority', headerName: 'Priority', type: 'number', width: 90 },
  { field: 'rescheduleCounter', headerName: 'Reschedules', type: 'number', width: 110 },
  time('submissionTime', 'Submitted'),
  time('startExecTime', 'Started'),
  time('endExecTime', 'Ended'),
  time('lastUpdateTime', 'Last update'),
  time('heartBeatTime', 'Last sign of life'),
  time('rescheduleTime', 'Rescheduled'),
];
const ALL_HIDDEN = Object.fromEntries(MONITOR_COLUMNS.map((c) => [c, false]));

// Props that stay the same object between renders: a new getRowId, sx or slotProps makes the grid
// process its rows or restyle again on every render of the page (part of a sort's time, issue #17).
const getRowId = (r: JobSummary) => r.jobId;
const GRID_SX = { '& .MuiDataGrid-cell': { display: 'flex', alignItems: 'center' } } as const;
const SLOT_PROPS = {
  toolbar: { csvOptions: { disableToolbarButton: true }, printOptions: { disableToolbarButton: true }, showQuickFilter: false },
} as const;

type JobsGridProps = {
  rows: readonly JobSummary[];
  total: number;
  /** First load only: later refreshes keep the rows on screen. */
  loading: boolean;
  page: number;
  perPage: number;
  sort: JobSortField;
  order: 'asc' | 'desc';
  labelledBy: string;
  selection: number[];
  onSelectionChange: (ids: number[]) => void;
  onPageChange: (page: number, perPage: number) => void;
  onSortChange: (sort: JobSortField | undefined, order: 'asc' | 'desc' | undefined) => void;
  /** The shown columns (the grid's "Columns" panel changes them). */
  columns: readonly MonitorColumn[];
  onColumnsChange: (columns: MonitorColumn[]) => void;
};

/** The monitor's table: MUI X DataGrid in server mode (DiracX pages and sorts). */
export function JobsGrid(props: JobsGridProps) {
  const { rows, total, page, perPage, sort, order } = props;
  // Stable models: a new sortModel object makes the grid think the sort changed and jump to page 1.
  const sortModel: GridSortModel = useMemo(() => [{ field: FIELD_OF_SORT[sort], sort: order }], [sort, order]);
  const paginationModel = useMemo(() => ({ page: page - 1, pageSize: perPage }), [page, perPage]);
  // At most 100 (MONITOR_MAX_PER_PAGE): the MIT DataGrid throws on larger pages.
  const pageSizeOptions = useMemo(() => [...new Set([perPage, 25, 50, 100])].sort((a, b) => a - b), [perPage]);
  // The grid injects a <style> of CSS variables: it needs the CSP nonce emotion already uses.
  const nonce = useEmotionCache()?.nonce;
  const visibilityModel: GridColumnVisibilityModel = useMemo(
    () => ({ ...ALL_HIDDEN, ...Object.fromEntries(props.columns.map((c) => [c, true])) }),
    [props.columns],
  );
  const selectionModel: GridRowSelectionModel = useMemo(() => ({ type: 'include', ids: new Set(props.selection) }), [props.selection]);
  return (
    <DataGrid<JobSummary>
      aria-labelledby={props.labelledBy}
      nonce={nonce}
      rows={rows}
      columns={COLUMNS}
      getRowId={getRowId}
      rowCount={total}
      loading={props.loading}
      paginationMode="server"
      sortingMode="server"
      filterMode="server"
      disableColumnFilter
      paginationModel={paginationModel}
      onPaginationModelChange={(m) => props.onPageChange(m.page + 1, m.pageSize)}
      pageSizeOptions={pageSizeOptions}
      sortModel={sortModel}
      sortingOrder={['desc', 'asc']}
      onSortModelChange={(m) => {
        const first = m[0];
        props.onSortChange(first ? SORT_FIELD[first.field as MonitorColumn] : undefined, first?.sort ?? undefined);
      }}
      checkboxSelection
      keepNonExistentRowsSelected
      rowSelectionModel={selectionModel}
      onRowSelectionModelChange={(m) => {
        const ids = m.type === 'include' ? [...m.ids] : rows.map((r) => r.jobId).filter((id) => !m.ids.has(id));
        props.onSelectionChange(ids.map(Number));
      }}
      disableRowSelectionOnClick
      showToolbar
      slotProps={SLOT_PROPS}
      columnVisibilityModel={visibilityModel}
      onColumnVisibilityModelChange={(m) => props.onColumnsChange(MONITOR_COLUMNS.filter((c) => m[c] !== false))}
      density="compact"
      autoHeight
      sx={GRID_SX}
    />
  );
}
