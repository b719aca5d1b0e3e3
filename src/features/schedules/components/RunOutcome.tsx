import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import type { ScheduleRun } from '../../../contracts/schedules.ts';
import { paths } from '../../../shared/lib/paths.ts';

const LABEL: Record<ScheduleRun['status'], { text: string; color: 'default' | 'success' | 'error' | 'info' }> = {
  claimed: { text: 'Submitting', color: 'info' },
  submitted: { text: 'Submitted', color: 'success' },
  failed: { text: 'Failed', color: 'error' },
  skipped: { text: 'Skipped', color: 'default' },
};

/** A run's outcome in words: its status, the jobs it created (linked to the monitor) or why it failed. */
export function RunOutcome({ run }: { run: ScheduleRun }) {
  // A saved-query run that found nothing new is "skipped" with a note, not a missed slot.
  const l = run.status === 'skipped' && run.filesTaken === 0 ? { text: 'Nothing new', color: 'default' as const } : LABEL[run.status];
  return (
    <Box sx={{ display: 'grid', gap: 0.5, justifyItems: 'start' }}>
      <Chip size="small" label={l.text} color={l.color} variant={l.color === 'default' ? 'outlined' : 'filled'} />
      {run.jobGroup && run.jobIds.length > 0 && (
        <Link href={paths.jobs.getHref({ jobGroup: run.jobGroup })}>
          {run.jobIds.length === 1 ? `Job ${run.jobIds[0]}` : `${run.jobIds.length} jobs`} ({run.jobGroup})
        </Link>
      )}
      {run.note && (
        <Typography variant="caption" color="text.secondary">
          {run.note}
        </Typography>
      )}
      {run.error && (
        <Typography variant="caption" color={run.status === 'failed' ? 'error' : 'text.secondary'}>
          {run.error}
        </Typography>
      )}
    </Box>
  );
}
