import WorkIcon from '@mui/icons-material/Work';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Pagination from '@mui/material/Pagination';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useSearchParams } from 'react-router';
import { paths } from '../../../shared/lib/paths.ts';
import { EmptyState } from '../../../shared/ui/EmptyState.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';
import { TableSkeleton } from '../../../shared/ui/TableSkeleton.tsx';
import { JOBS_PER_PAGE, jobQueries, JobsSearchSchema } from '../api/job-queries.ts';
import { JobTable } from '../components/JobTable.tsx';

/** `/jobs`: the user's jobs, newest first, one page per `?page=`. */
export function JobsPage() {
  const headingId = useId();
  const [searchParams, setSearchParams] = useSearchParams();
  const { page, jobGroup } = JobsSearchSchema.parse(Object.fromEntries(searchParams));
  const { data, error, isPending, isFetching, isPlaceholderData, refetch } = useQuery(
    jobQueries.list({ page, perPage: JOBS_PER_PAGE, ...(jobGroup ? { jobGroup } : {}) }),
  );

  const goTo = (next: number) =>
    setSearchParams((prev) => {
      const params = new URLSearchParams(prev);
      if (next <= 1) params.delete('page');
      else params.set('page', String(next));
      return params;
    });

  const showAll = () =>
    setSearchParams((prev) => {
      const params = new URLSearchParams(prev);
      params.delete('jobGroup');
      params.delete('page');
      return params;
    });

  let body;
  if (isPending) body = <TableSkeleton rows={8} columns={6} label="Loading your jobs…" />;
  else if (error && !data) body = <ErrorAlert error={error} onRetry={() => void refetch()} />;
  else if (data.total === 0 && jobGroup)
    body = (
      <EmptyState
        title="No jobs in this JobGroup"
        description="DiracX lists a production’s jobs a few seconds after they are submitted."
        action={<Button onClick={showAll}>Show all jobs</Button>}
      />
    );
  else if (data.total === 0)
    body = (
      <EmptyState
        icon={<WorkIcon />}
        title="No jobs yet"
        description="Launch the Hello world job from the home page to see how jobs appear here."
        action={
          <Button variant="contained" href={paths.home.getHref()}>
            Launch Hello world
          </Button>
        }
      />
    );
  else if (data.items.length === 0)
    body = (
      <EmptyState
        title={`There is no page ${page}`}
        description={`You have ${data.total} jobs; they fit on fewer pages.`}
        action={<Button onClick={() => goTo(1)}>Go to the first page</Button>}
      />
    );
  else
    body = (
      <>
        <Box sx={{ height: 4 }}>{isFetching && isPlaceholderData && <LinearProgress aria-label="Loading page" />}</Box>
        <JobTable jobs={data.items} labelledBy={headingId} showSite />
        <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', flexWrap: 'wrap', gap: 1, mt: 2 }}>
          <Typography variant="body2" color="text.secondary">
            {(page - 1) * JOBS_PER_PAGE + 1}–{(page - 1) * JOBS_PER_PAGE + data.items.length} of {data.total}
          </Typography>
          {data.total > JOBS_PER_PAGE && (
            <Pagination
              count={Math.ceil(data.total / JOBS_PER_PAGE)}
              page={page}
              onChange={(_e, p) => goTo(p)}
              color="primary"
              shape="rounded"
              aria-label="Pages of jobs"
            />
          )}
        </Box>
      </>
    );

  return (
    <>
      <PageHeader
        title="Jobs"
        description="Every job you submitted, newest first. Open a job to follow its status history and see its JDL."
      />
      <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: { xs: 2, md: 3 } }}>
        <Box sx={{ display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', flexWrap: 'wrap', gap: 1, mb: 1 }}>
          <Typography variant="h6" component="h2" id={headingId}>
            {jobGroup ? `Jobs of ${jobGroup}` : 'Your jobs'}
            {data && data.total > 0 ? ` (${data.total})` : ''}
          </Typography>
          {jobGroup && (
            <Button size="small" onClick={showAll}>
              Show all jobs
            </Button>
          )}
        </Box>
        {body}
      </Paper>
    </>
  );
}
