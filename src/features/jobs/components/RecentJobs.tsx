import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { paths } from '../../../shared/lib/paths.ts';
import { EmptyState } from '../../../shared/ui/EmptyState.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { isFinalStatus } from '../../../shared/ui/job-status.ts';
import { TableSkeleton } from '../../../shared/ui/TableSkeleton.tsx';
import { jobQueries, LIST_POLL_MS } from '../api/job-queries.ts';
import { JobTable } from './JobTable.tsx';

export const RECENT_JOBS = { page: 1, perPage: 10 } as const;

/** The user's ten newest jobs, refreshed every few seconds while any of them is still active. */
export function RecentJobs() {
  const headingId = useId();
  const { data, error, isPending, refetch } = useQuery(jobQueries.list(RECENT_JOBS));
  const active = data?.items.some((job) => !isFinalStatus(job.status)) ?? false;

  let body;
  if (isPending) body = <TableSkeleton rows={4} columns={5} label="Loading recent jobs…" />;
  else if (error && !data) body = <ErrorAlert error={error} onRetry={() => void refetch()} />;
  else if (!data || data.items.length === 0)
    body = (
      <EmptyState
        headingComponent="h3"
        title="No jobs yet — launch Hello world above"
        description="Jobs you submit appear here with their live status."
      />
    );
  else body = <JobTable jobs={data.items} labelledBy={headingId} />;

  return (
    <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: { xs: 2, md: 3 } }}>
      <Box sx={{ display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', flexWrap: 'wrap', gap: 1, mb: 2 }}>
        <Box>
          <Typography variant="h6" component="h2" id={headingId}>
            Recent jobs
          </Typography>
          {active && (
            <Typography variant="caption" color="text.secondary">
              Live: updating every {LIST_POLL_MS / 1000} s while jobs are active
            </Typography>
          )}
        </Box>
        <Button href={paths.jobs.getHref()} size="small">
          View all jobs
        </Button>
      </Box>
      {body}
    </Paper>
  );
}
