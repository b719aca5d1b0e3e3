import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import type { JobStatus } from '../../../contracts/jobs.ts';
import type { JobStatusSummary } from '../../../contracts/monitor.ts';
import { statusTone } from '../../../shared/ui/job-status.ts';
import { memo } from 'react';

type StatusSummaryProps = {
  summary: JobStatusSummary | undefined;
  selected: readonly JobStatus[];
  onSelect: (status: JobStatus[] | undefined) => void;
};

/**
 * Counts per status for the current filter (DiracX's summary), as toggle
 * buttons: pressing one shows only that status, pressing it again all.
 */
export const StatusSummary = memo(function StatusSummary({ summary, selected, onSelect }: StatusSummaryProps) {
  if (!summary)
    return <Skeleton variant="rounded" height={32} sx={{ mb: 2 }} role="status" aria-busy="true" aria-label="Loading the status summary" />;
  const only = (s: string) => selected.length === 1 && selected[0] === s;
  return (
    <Box
      role="group"
      aria-label="Jobs per status (quick filter)"
      sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, alignItems: 'center', mb: 2 }}
    >
      <Chip
        label={`All ${summary.total}`}
        variant={selected.length === 0 ? 'filled' : 'outlined'}
        onClick={() => onSelect(undefined)}
        aria-pressed={selected.length === 0}
      />
      {summary.counts.map(({ status, count }) => {
        const tone = statusTone(status);
        return (
          <Chip
            key={status}
            label={`${status} ${count}`}
            color={tone}
            variant={only(status) ? 'filled' : 'outlined'}
            onClick={() => onSelect(only(status) ? undefined : [status as JobStatus])}
            aria-pressed={only(status)}
          />
        );
      })}
      {summary.counts.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          No jobs in this view.
        </Typography>
      )}
    </Box>
  );
});
