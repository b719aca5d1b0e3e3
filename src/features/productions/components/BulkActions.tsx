import BlockIcon from '@mui/icons-material/Block';
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
import { useId, useState } from 'react';
import type { BulkAction, BulkResult, Production } from '../../../contracts/productions.ts';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { useBulkAction } from '../api/production-mutations.ts';
import { plural } from '../../../shared/lib/format.ts';

const WORDS: Record<BulkAction, { button: string; title: string; verb: string; done: string; body: (n: string) => string }> = {
  'reschedule-failed': {
    button: 'Reschedule all failed',
    title: 'Reschedule the failed jobs?',
    verb: 'Reschedule',
    done: 'rescheduled',
    body: (n) => `DiracX will run the ${n} failed jobs of this production again (DiracX allows a few reschedules per job).`,
  },
  'kill-remaining': {
    button: 'Kill all remaining',
    title: 'Kill the remaining jobs?',
    verb: 'Kill',
    done: 'killed',
    body: (n) =>
      `The ${n} jobs of this production that are waiting or running will be killed. This cannot be undone; finished jobs are kept.`,
  },
};

const MAX_LISTED = 10;

function Outcome({ result }: { result: BulkResult }) {
  const w = WORDS[result.action];
  if (result.requested === 0) return <Alert severity="info">There were no jobs to {w.verb.toLowerCase()} any more.</Alert>;
  if (result.failed.length === 0)
    return (
      <Alert severity="success">
        {plural(result.succeeded.length, 'job')} {w.done}.
      </Alert>
    );
  return (
    <Alert severity="warning">
      <AlertTitle>
        {result.succeeded.length.toLocaleString('en-US')} of {result.requested.toLocaleString('en-US')} jobs {w.done};{' '}
        {result.failed.length.toLocaleString('en-US')} could not be
      </AlertTitle>
      <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
        {result.failed.slice(0, MAX_LISTED).map((f) => (
          <li key={f.jobId}>
            Job {f.jobId}: {f.detail}
          </li>
        ))}
        {result.failed.length > MAX_LISTED && <li>… and {result.failed.length - MAX_LISTED} more</li>}
      </Box>
    </Alert>
  );
}

/** "Reschedule all failed" and "Kill all remaining", each behind a confirmation (Cancel focused), with per-job results. */
export function BulkActions({ production }: { production: Production }) {
  const [asking, setAsking] = useState<BulkAction | null>(null);
  const titleId = useId();
  const mutation = useBulkAction(production.id);
  const counts = production.counts;
  const amount: Record<BulkAction, number> = { 'reschedule-failed': counts.failed, 'kill-remaining': counts.running + counts.waiting };
  const confirm = () => {
    if (!asking) return;
    mutation.mutate(asking);
    setAsking(null);
  };
  const w = asking ? WORDS[asking] : null;
  return (
    <Box sx={{ display: 'grid', gap: 1.5 }}>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1.5 }}>
        <Button
          variant="contained"
          startIcon={<ReplayIcon />}
          disabled={amount['reschedule-failed'] === 0 || mutation.isPending}
          onClick={() => setAsking('reschedule-failed')}
        >
          {WORDS['reschedule-failed'].button} ({amount['reschedule-failed'].toLocaleString('en-US')})
        </Button>
        <Button
          variant="outlined"
          color="error"
          startIcon={<BlockIcon />}
          disabled={amount['kill-remaining'] === 0 || mutation.isPending}
          onClick={() => setAsking('kill-remaining')}
        >
          {WORDS['kill-remaining'].button} ({amount['kill-remaining'].toLocaleString('en-US')})
        </Button>
      </Box>
      <Box role="status" aria-live="polite">
        {mutation.isPending && <Alert severity="info">Sending the request to DiracX…</Alert>}
        {mutation.data && !mutation.isPending && <Outcome result={mutation.data} />}
      </Box>
      {mutation.error && !mutation.isPending && <ErrorAlert error={mutation.error} title="DiracX did not take the request" />}
      <Dialog open={asking !== null} onClose={() => setAsking(null)} aria-labelledby={titleId}>
        {w && asking && (
          <>
            <DialogTitle id={titleId}>{w.title}</DialogTitle>
            <DialogContent>
              <DialogContentText>{w.body(amount[asking].toLocaleString('en-US'))}</DialogContentText>
            </DialogContent>
            <DialogActions>
              <Button autoFocus onClick={() => setAsking(null)}>
                Cancel
              </Button>
              <Button variant="contained" color={asking === 'kill-remaining' ? 'error' : 'primary'} onClick={confirm}>
                {w.verb} {amount[asking].toLocaleString('en-US')} jobs
              </Button>
            </DialogActions>
          </>
        )}
      </Dialog>
    </Box>
  );
}
