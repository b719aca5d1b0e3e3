import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import type { Schedule } from '../../../contracts/schedules.ts';
import { DateTime } from '../../../shared/ui/DateTime.tsx';
import { EmptyState } from '../../../shared/ui/EmptyState.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { TableSkeleton } from '../../../shared/ui/TableSkeleton.tsx';
import { scheduleQueries } from '../api/schedule-queries.ts';
import { RunFiles } from './RunFiles.tsx';
import { RunOutcome } from './RunOutcome.tsx';

/** The runs of one schedule, newest first: slot, outcome, the jobs it created (linked to the monitor). */
export function ScheduleRunsDialog({ schedule, onClose }: { schedule: Schedule; onClose: () => void }) {
  const titleId = useId();
  const { data, error, isPending, refetch } = useQuery(scheduleQueries.detail(schedule.id));
  let body;
  if (isPending) body = <TableSkeleton rows={3} columns={3} label="Loading the runs…" />;
  else if (error && !data) body = <ErrorAlert error={error} onRetry={() => void refetch()} />;
  else if (!data || data.runs.length === 0)
    body = (
      <EmptyState
        title="No runs yet"
        description={schedule.nextRunAt ? 'The first run is due at the next run time shown in the list.' : 'This schedule is not active.'}
        headingComponent="h3"
      />
    );
  else
    body = (
      <Table size="small" aria-labelledby={titleId}>
        <TableHead>
          <TableRow>
            <TableCell scope="col">Run time</TableCell>
            <TableCell scope="col">Outcome</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {data.runs.map((r) => (
            <TableRow key={r.id}>
              {/* The run time wraps on a phone, so that the outcome column keeps the width it needs (390 px). */}
              <TableCell sx={{ whiteSpace: { xs: 'normal', sm: 'nowrap' }, verticalAlign: 'top', width: { xs: '35%', sm: 'auto' } }}>
                <DateTime value={r.slotTime} />
                {r.manual && (
                  <Typography variant="caption" color="text.secondary" component="div">
                    run now
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                <RunOutcome run={r} />
                <RunFiles scheduleId={schedule.id} run={r} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} maxWidth="md" fullWidth>
      <DialogTitle id={titleId}>Runs of “{schedule.name}”</DialogTitle>
      <DialogContent>{body}</DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
