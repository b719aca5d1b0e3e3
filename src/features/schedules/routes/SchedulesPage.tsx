import EventRepeatIcon from '@mui/icons-material/EventRepeat';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { Schedule } from '../../../contracts/schedules.ts';
import { paths } from '../../../shared/lib/paths.ts';
import { useMe } from '../../../shared/ui/auth-context.tsx';
import { DateTime } from '../../../shared/ui/DateTime.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';
import { QueryStates } from '../../../shared/ui/QueryStates.tsx';
import { ScrollableTable } from '../../../shared/ui/ScrollableTable.tsx';
import {
  startAuthorization,
  useDeleteSchedule,
  useMarkNotificationsRead,
  useRevokeAll,
  useScheduleAction,
} from '../api/schedule-mutations.ts';
import { scheduleQueries } from '../api/schedule-queries.ts';
import { RunOutcome } from '../components/RunOutcome.tsx';
import { ScheduleDialog } from '../components/ScheduleDialog.tsx';
import { describeSource } from '../components/source-draft.ts';
import { ScheduleRunsDialog } from '../components/ScheduleRunsDialog.tsx';
import { plural } from '../../../shared/lib/format.ts';

function StatusCell({ s }: { s: Schedule }) {
  const signIn = s.credential !== 'ok';
  const label = s.status === 'active' ? 'Active' : s.status === 'ended' ? 'Ended' : signIn ? 'Needs authorization' : 'Paused';
  const color = s.status === 'active' ? 'success' : signIn ? 'warning' : 'default';
  return (
    <Box sx={{ display: 'grid', gap: 0.5, justifyItems: 'start' }}>
      <Chip size="small" label={label} color={color} variant={color === 'default' ? 'outlined' : 'filled'} />
      {s.pausedReason && s.status !== 'active' && (
        <Typography variant="caption" color={signIn ? 'warning.dark' : 'text.secondary'} sx={{ maxWidth: 260 }}>
          {s.pausedReason}
        </Typography>
      )}
      {s.consecutiveFailures > 0 && (
        <Typography variant="caption" color="error">
          {plural(s.consecutiveFailures, 'failed run')} in a row
        </Typography>
      )}
    </Box>
  );
}

/** `/schedules`: the user's schedules (admins: everyone's) with next and last run; pause, resume, edit, run now, delete. */
export function SchedulesPage() {
  const headingId = useId();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const query = useQuery(scheduleQueries.list());
  const { data, isFetching } = query;
  const notes = useQuery(scheduleQueries.notifications());
  const markRead = useMarkNotificationsRead();
  const action = useScheduleAction();
  const del = useDeleteSchedule();
  const revokeAll = useRevokeAll();
  const [editing, setEditing] = useState<Schedule | null>(null);
  const [history, setHistory] = useState<Schedule | null>(null);
  const [deleting, setDeleting] = useState<Schedule | null>(null);
  const [revoking, setRevoking] = useState(false);
  const [authError, setAuthError] = useState<unknown>(null);
  const schedules = data?.items ?? [];
  const authorized = params.get('authorized');
  const authorizeError = params.get('authorizeError');
  const clearParams = () => setParams({}, { replace: true });
  const authorize = (s: Schedule) => startAuthorization(s.id).catch((e: unknown) => setAuthError(e));
  const unread = notes.data?.items.filter((n) => !n.read) ?? [];

  const body = (
    <QueryStates
      query={query}
      loading={{ rows: 3, columns: 6, label: 'Loading your schedules…' }}
      isEmpty={(d) => d.items.length === 0}
      empty={{
        icon: <EventRepeatIcon />,
        title: 'No schedules yet',
        description:
          'Open a workflow’s launch page, set it up as you would for one launch, and choose “Schedule…” to run it at regular intervals.',
        action: (
          <Button variant="contained" href={paths.workflows.getHref()}>
            Choose a workflow
          </Button>
        ),
      }}
    >
      {() => (
        <ScrollableTable label="Schedules" refreshing={isFetching} refreshingLabel="Refreshing the schedules">
          <Table size="small" aria-labelledby={headingId}>
            <TableHead>
              <TableRow>
                <TableCell scope="col">Name</TableCell>
                {me.role === 'admin' && <TableCell scope="col">Owner</TableCell>}
                <TableCell scope="col">Status</TableCell>
                <TableCell scope="col">Next run</TableCell>
                <TableCell scope="col">Last run</TableCell>
                <TableCell scope="col">Actions</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {schedules.map((s) => (
                <TableRow key={s.id} sx={{ verticalAlign: 'top' }}>
                  <TableCell component="th" scope="row">
                    <Typography sx={{ fontWeight: 600 }}>{s.name}</Typography>
                    <Typography variant="caption" color="text.secondary" component="div">
                      {s.workflowId} · {s.description}
                    </Typography>
                    {describeSource(s.source) && (
                      <Typography variant="caption" color="text.secondary" component="div">
                        {describeSource(s.source)}
                      </Typography>
                    )}
                  </TableCell>
                  {me.role === 'admin' && <TableCell>{s.owner}</TableCell>}
                  <TableCell>
                    <StatusCell s={s} />
                  </TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{s.nextRunAt ? <DateTime value={s.nextRunAt} /> : '—'}</TableCell>
                  <TableCell>
                    {s.lastRun ? (
                      <Box sx={{ display: 'grid', gap: 0.5 }}>
                        <Typography variant="body2" sx={{ whiteSpace: 'nowrap' }}>
                          <DateTime value={s.lastRun.slotTime} />
                        </Typography>
                        <RunOutcome run={s.lastRun} />
                      </Box>
                    ) : (
                      'No runs yet'
                    )}
                  </TableCell>
                  <TableCell>
                    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }} role="group" aria-label={`Actions for ${s.name}`}>
                      {s.mine && s.credential !== 'ok' && (
                        <Button size="small" variant="contained" onClick={() => void authorize(s)}>
                          Authorize
                        </Button>
                      )}
                      {s.status === 'active' && (
                        <Button size="small" variant="outlined" onClick={() => action.mutate({ id: s.id, action: 'pause' })}>
                          Pause
                        </Button>
                      )}
                      {s.mine && s.status !== 'active' && s.credential === 'ok' && (
                        <Button size="small" variant="outlined" onClick={() => action.mutate({ id: s.id, action: 'resume' })}>
                          Resume
                        </Button>
                      )}
                      {s.mine && s.credential === 'ok' && (
                        <Button size="small" onClick={() => action.mutate({ id: s.id, action: 'run-now' })}>
                          Run now
                        </Button>
                      )}
                      <Button size="small" onClick={() => setHistory(s)}>
                        Runs
                      </Button>
                      {s.mine && (
                        <Button size="small" onClick={() => setEditing(s)}>
                          Edit
                        </Button>
                      )}
                      <Button size="small" color="error" onClick={() => setDeleting(s)}>
                        Delete
                      </Button>
                    </Box>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </ScrollableTable>
      )}
    </QueryStates>
  );

  return (
    <>
      <PageHeader
        title="Schedules"
        description="Launches the portal submits for you at regular intervals, with the authorization you gave it for unattended runs."
        actions={
          <Button variant="outlined" color="warning" onClick={() => setRevoking(true)}>
            Revoke unattended access
          </Button>
        }
      />
      <Box sx={{ display: 'grid', gap: 2, mb: 2 }}>
        {authorized && (
          <Alert severity="success" onClose={clearParams}>
            Unattended runs are authorized: the schedule is active.
          </Alert>
        )}
        {authorizeError && (
          <Alert severity="error" onClose={clearParams}>
            <AlertTitle>Unattended runs were not authorized</AlertTitle>
            {authorizeError}
          </Alert>
        )}
        {authError !== null && <ErrorAlert error={authError} title="The authorization could not start" />}
        {action.error && <ErrorAlert error={action.error} title="That did not work" />}
        {unread.length > 0 && (
          <Alert
            severity={unread.some((n) => n.level === 'error') ? 'error' : 'warning'}
            action={
              <Button color="inherit" size="small" onClick={() => markRead.mutate()}>
                Mark as read
              </Button>
            }
          >
            <AlertTitle>{plural(unread.length, 'new notification')}</AlertTitle>
            <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
              {unread.slice(0, 5).map((n) => (
                <li key={n.id}>{n.message}</li>
              ))}
            </Box>
          </Alert>
        )}
      </Box>
      <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: { xs: 2, md: 3 } }}>
        <Typography variant="h6" component="h2" id={headingId} sx={{ mb: 1 }}>
          {me.role === 'admin' ? 'All schedules' : 'Your schedules'}
          {schedules.length > 0 ? ` (${schedules.length})` : ''}
        </Typography>
        {body}
      </Paper>
      {editing && <ScheduleDialog mode={{ kind: 'edit', schedule: editing }} onClose={() => setEditing(null)} />}
      {history && <ScheduleRunsDialog schedule={history} onClose={() => setHistory(null)} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.name}”?`}
          text="Its runs stop, its history is removed, and its authorization for unattended runs is revoked at DiracX. Jobs already submitted are not affected."
          confirm="Delete"
          onCancel={() => setDeleting(null)}
          onConfirm={() => del.mutate(deleting.id, { onSettled: () => setDeleting(null) })}
        />
      )}
      {revoking && (
        <ConfirmDialog
          title="Revoke unattended access everywhere?"
          text="Every authorization you gave the portal for unattended runs is revoked at DiracX, and your schedules pause until you authorize them again. Your own sign-in in this browser is not affected."
          confirm="Revoke"
          onCancel={() => setRevoking(false)}
          onConfirm={() => revokeAll.mutate(undefined, { onSettled: () => setRevoking(false) })}
        />
      )}
    </>
  );
}

function ConfirmDialog({
  title,
  text,
  confirm,
  onCancel,
  onConfirm,
}: {
  title: string;
  text: string;
  confirm: string;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const titleId = useId();
  return (
    <Dialog open onClose={onCancel} aria-labelledby={titleId}>
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent>
        <DialogContentText>{text}</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel} autoFocus>
          Cancel
        </Button>
        <Button color="error" variant="contained" onClick={onConfirm}>
          {confirm}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
