import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useId } from 'react';
import { BlockSkeleton } from '../../../shared/ui/BlockSkeleton.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { productionQueries } from '../api/production-queries.ts';

const ProgressLineChart = lazy(() => import('./ProgressLineChart.tsx'));

/** Progress over time, from the jobs' own times; refetched whenever the production's counts change. */
export function ProgressOverTime({ productionId, version }: { productionId: string; version: string }) {
  const headingId = useId();
  const { data, error, isPending, refetch } = useQuery(productionQueries.progress(productionId, version));
  const last = data?.points.at(-1);
  let body;
  if (isPending) body = <BlockSkeleton label="Loading the progress…" height={280} />;
  else if (error && !data) body = <ErrorAlert error={error} title="The progress could not be loaded" onRetry={() => void refetch()} />;
  else if (data.points.length === 0)
    body = (
      <Typography variant="body2" color="text.secondary">
        DiracX does not list this production’s jobs yet.
      </Typography>
    );
  else
    body = (
      <>
        <Box aria-hidden>
          <Suspense fallback={<Skeleton variant="rounded" height={280} />}>
            <ProgressLineChart points={data.points} />
          </Suspense>
        </Box>
        {last && (
          <Typography variant="body2" color="text.secondary">
            By {new Date(last.time).toLocaleString()}: {last.submitted} submitted, {last.started} started, {last.done} done, {last.failed}{' '}
            failed
            {data.truncated ? ` (from the first ${data.jobs.toLocaleString('en-US')} jobs)` : ''}.
          </Typography>
        )}
      </>
    );
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-labelledby={headingId}
      sx={{ p: { xs: 2, md: 3 }, display: 'grid', gap: 1, gridTemplateColumns: 'minmax(0, 1fr)' }}
    >
      <Typography id={headingId} variant="h6" component="h2">
        Progress over time
      </Typography>
      {body}
    </Paper>
  );
}
