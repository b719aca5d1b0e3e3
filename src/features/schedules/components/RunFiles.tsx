import Button from '@mui/material/Button';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { ScheduleRun } from '../../../contracts/schedules.ts';
import { formatBytes, plural } from '../../../shared/lib/format.ts';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { scheduleQueries } from '../api/schedule-queries.ts';

function FileList({ scheduleId, runId, id }: { scheduleId: string; runId: string; id: string }) {
  const { data, error, isPending, refetch } = useQuery(scheduleQueries.runFiles(scheduleId, runId));
  if (isPending) return <Typography variant="caption">Loading the files…</Typography>;
  if (error) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  return (
    <>
      <List dense id={id} aria-label="Files this run took" sx={{ maxHeight: 240, overflow: 'auto', py: 0 }}>
        {data.items.map((f) => (
          <ListItem key={f.ref} disableGutters>
            <ListItemText
              primary={f.name}
              secondary={`${f.ref}${f.sizeBytes !== null ? ` · ${formatBytes(f.sizeBytes)}` : ''}`}
              slotProps={{ secondary: { sx: { wordBreak: 'break-all' } } }}
            />
          </ListItem>
        ))}
      </List>
      {data.total > data.items.length && (
        <Typography variant="caption" color="text.secondary">
          Showing the first {data.items.length} of {plural(data.total, 'file')}.
        </Typography>
      )}
    </>
  );
}

/** "Show the N files" of a saved-query run, loaded when opened. */
export function RunFiles({ scheduleId, run }: { scheduleId: string; run: ScheduleRun }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  if (!run.filesTaken) return null;
  return (
    <>
      <Button
        size="small"
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        sx={{ justifySelf: 'start', px: 0 }}
      >
        {open ? 'Hide the files' : `Show the ${plural(run.filesTaken, 'file')}`}
      </Button>
      {open && <FileList scheduleId={scheduleId} runId={run.id} id={listId} />}
    </>
  );
}
