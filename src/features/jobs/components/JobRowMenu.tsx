import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import { lazy, Suspense, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import type { JobSummary } from '../../../contracts/jobs.ts';
import { paths } from '../../../shared/lib/paths.ts';
import { TableSkeleton } from '../../../shared/ui/TableSkeleton.tsx';

const JobRowDialogBody = lazy(() => import('./JobRowDialogBody.tsx'));

/** The row a context menu was opened on, and where (the pointer, or the focused cell for the keyboard). */
export type RowMenuTarget = { job: JobSummary; top: number; left: number };

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
          {dialog && (
            <Suspense fallback={<TableSkeleton rows={3} columns={2} label="Loading" />}>
              <JobRowDialogBody kind={dialog.kind} jobId={dialog.job.jobId} status={dialog.job.status} labelledBy={titleId} />
            </Suspense>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDialog(null)}>Close</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
