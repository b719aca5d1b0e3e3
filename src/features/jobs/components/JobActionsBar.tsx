import CancelIcon from '@mui/icons-material/Cancel';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import DeleteIcon from '@mui/icons-material/Delete';
import DownloadIcon from '@mui/icons-material/Download';
import ReplayIcon from '@mui/icons-material/Replay';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { memo, useId, useState } from 'react';
import type { JobAction, JobActionResult } from '../../../contracts/monitor.ts';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { useNotify } from '../../../shared/ui/notify.tsx';
import { useJobAction } from '../api/job-actions.ts';
import { plural } from '../../../shared/lib/format.ts';

const ACTIONS: Record<JobAction, { label: string; verb: string; icon: React.ReactElement; explain: string }> = {
  kill: {
    label: 'Kill',
    verb: 'killed',
    icon: <CancelIcon />,
    explain: 'Running jobs are stopped by their pilot; waiting jobs never start.',
  },
  delete: {
    label: 'Delete',
    verb: 'deleted',
    icon: <DeleteIcon />,
    explain: 'Deleted jobs disappear from normal views; DiracX keeps their record.',
  },
  reschedule: {
    label: 'Reschedule',
    verb: 'rescheduled',
    icon: <ReplayIcon />,
    explain: 'The jobs go back to Received and run again (DiracX allows a few reschedules per job).',
  },
};

/** Partial results: which ids worked, which failed and why. */
export function ActionResultAlert({ result, onClose }: { result: JobActionResult; onClose: () => void }) {
  const a = ACTIONS[result.action];
  const ok = result.failed.length === 0;
  return (
    <Alert severity={ok ? 'success' : result.succeeded.length ? 'warning' : 'error'} onClose={onClose} sx={{ mb: 2 }}>
      <AlertTitle>
        {plural(result.succeeded.length, 'job')} {a.verb}
        {ok ? '' : `, ${result.failed.length} failed`}
      </AlertTitle>
      {!ok && (
        <Box component="ul" sx={{ m: 0, pl: 2 }}>
          {result.failed.slice(0, 20).map((f) => (
            <li key={f.jobId}>
              Job {f.jobId}: {f.reason}
            </li>
          ))}
          {result.failed.length > 20 && <li>… and {result.failed.length - 20} more</li>}
        </Box>
      )}
    </Alert>
  );
}

type JobActionsBarProps = {
  selection: number[];
  onDone: (result: JobActionResult) => void;
  onExport: (format: 'csv' | 'json') => void;
  exporting: boolean;
};

/** Toolbar buttons for the selected jobs: each action behind a confirm dialog (Cancel focused first). */
export const JobActionsBar = memo(function JobActionsBar({ selection, onDone, onExport, exporting }: JobActionsBarProps) {
  const [open, setOpen] = useState(false);
  // Kept after closing so the dialog's content stays during its exit transition.
  const [pending, setPending] = useState<JobAction>('kill');
  const mutation = useJobAction();
  const titleId = useId();
  const n = selection.length;
  const notify = useNotify();
  // The selected ids, comma-separated: what a user pastes into a script, a ticket or DiracX's CLI.
  const copyIds = async () => {
    try {
      await navigator.clipboard.writeText(selection.join(','));
      notify(`${plural(n, 'job id')} copied to the clipboard`, 'success');
    } catch {
      notify('Could not copy the job ids.', 'error');
    }
  };
  const close = () => {
    setOpen(false);
    mutation.reset();
  };
  const confirm = () => {
    mutation.mutate(
      { action: pending, jobIds: selection },
      {
        onSuccess: (result) => {
          setOpen(false);
          onDone(result);
        },
      },
    );
  };
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, alignItems: 'center', mb: 1 }}>
      {(Object.keys(ACTIONS) as JobAction[]).map((action) => (
        <Button
          key={action}
          size="small"
          variant="outlined"
          color={action === 'reschedule' ? 'primary' : 'error'}
          startIcon={ACTIONS[action].icon}
          disabled={n === 0}
          onClick={() => {
            setPending(action);
            setOpen(true);
          }}
        >
          {ACTIONS[action].label}
          {n > 0 ? ` (${n})` : ''}
        </Button>
      ))}
      <Button size="small" startIcon={<ContentCopyIcon />} disabled={n === 0} onClick={() => void copyIds()}>
        Copy ids{n > 0 ? ` (${n})` : ''}
      </Button>
      <Box sx={{ flex: 1 }} />
      {(['csv', 'json'] as const).map((format) => (
        <Button key={format} size="small" startIcon={<DownloadIcon />} disabled={exporting} onClick={() => onExport(format)}>
          Export {format.toUpperCase()}
          {n > 0 ? ' (selection)' : ''}
        </Button>
      ))}
      <Dialog open={open} onClose={close} aria-labelledby={titleId}>
        <DialogTitle id={titleId}>
          {ACTIONS[pending].label} {plural(n, 'job')}?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            {ACTIONS[pending].explain} Jobs: {selection.slice(0, 10).join(', ')}
            {n > 10 ? ` and ${n - 10} more` : ''}.
          </DialogContentText>
          {mutation.error && <ErrorAlert error={mutation.error} sx={{ mt: 2 }} />}
        </DialogContent>
        <DialogActions>
          <Button onClick={close} autoFocus>
            Cancel
          </Button>
          <Button onClick={confirm} variant="contained" color={pending === 'reschedule' ? 'primary' : 'error'} loading={mutation.isPending}>
            {ACTIONS[pending].label}
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
});
