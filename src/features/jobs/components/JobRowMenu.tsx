import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import type { JobSummary } from '../../../contracts/jobs.ts';
import { paths } from '../../../shared/lib/paths.ts';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { TableSkeleton } from '../../../shared/ui/TableSkeleton.tsx';
import { jobQueries } from '../api/job-queries.ts';
import { JobSandboxes } from './JobSandboxes.tsx';
import { StatusTimeline } from './StatusTimeline.tsx';

/** The row a context menu was opened on, and where (the pointer, or the focused cell for the keyboard). */
export type RowMenuTarget = { job: JobSummary; top: number; left: number };

function HistoryBody({ jobId, labelledBy }: { jobId: number; labelledBy: string }) {
  const { data, error, isPending, refetch } = useQuery(jobQueries.detail(jobId));
  if (isPending) return <TableSkeleton rows={4} columns={2} label="Loading the status history" />;
  if (!data) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  return <StatusTimeline history={data.history} labelledBy={labelledBy} />;
}

/**
 * A job row's context menu (right click, or Shift+F10 / the Menu key on a cell): open the job, its
 * status history and its sandboxes (downloads) in a dialog, without leaving the monitor, as diracx-web's
 * monitor offers (issue #17).
 */
export function JobRowMenu({ target, onClose }: { target: RowMenuTarget | null; onClose: () => void }) {
  const navigate = useNavigate();
  const titleId = useId();
  const [dialog, setDialog] = useState<{ kind: 'history' | 'sandboxes'; job: JobSummary } | null>(null);
  const open = (kind: 'history' | 'sandboxes') => {
    if (target) setDialog({ kind, job: target.job });
    onClose();
  };
  return (
    <>
      <Menu
        open={target !== null}
        onClose={onClose}
        anchorReference="anchorPosition"
        anchorPosition={target ? { top: target.top, left: target.left } : undefined}
        slotProps={{ list: { 'aria-label': target ? `Job ${target.job.jobId}` : undefined } }}
      >
        <MenuItem
          onClick={() => {
            if (target) void navigate(paths.jobs.detail.getHref(target.job.jobId));
            onClose();
          }}
        >
          Open job {target?.job.jobId}
        </MenuItem>
        <MenuItem onClick={() => open('history')}>Status history</MenuItem>
        <MenuItem onClick={() => open('sandboxes')}>Sandboxes and downloads</MenuItem>
      </Menu>
      <Dialog open={dialog !== null} onClose={() => setDialog(null)} aria-labelledby={titleId} fullWidth maxWidth="sm">
        <DialogTitle id={titleId}>
          {dialog?.kind === 'history' ? 'Status history' : 'Sandboxes'} of job {dialog?.job.jobId}
        </DialogTitle>
        <DialogContent>
          {dialog?.kind === 'history' && <HistoryBody jobId={dialog.job.jobId} labelledBy={titleId} />}
          {dialog?.kind === 'sandboxes' && <JobSandboxes jobId={dialog.job.jobId} status={dialog.job.status} labelledBy={titleId} />}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDialog(null)}>Close</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
