import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { BlockSkeleton } from '../../../shared/ui/BlockSkeleton.tsx';
import ReplayIcon from '@mui/icons-material/Replay';
import WorkIcon from '@mui/icons-material/Work';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { Launch } from '../../../contracts/launches.ts';
import { paths } from '../../../shared/lib/paths.ts';
import { isNotFound } from '../../../shared/ui/api-error.ts';
import { DateTime } from '../../../shared/ui/DateTime.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';
import { isLaunchActive, LAUNCH_POLL_MS, launchQueries } from '../api/launch-queries.ts';
import { LaunchJobsTable } from '../components/LaunchJobsTable.tsx';
import { LaunchProgressBar } from '../components/LaunchProgressBar.tsx';
import { LaunchStatusChip } from '../components/LaunchStatusChip.tsx';
import { relaunchStateFor } from '../schemas/launch-settings.ts';

const backButton = (
  <Button href={paths.launches.getHref()} startIcon={<ArrowBackIcon />}>
    All launches
  </Button>
);

/** `/launches/:launchId`: the progress of one launch. The BFF submits; this page watches (and survives a reload). */
export function LaunchProgressPage() {
  const { launchId = '' } = useParams();
  const { data, error, isPending, refetch } = useQuery(launchQueries.detail(launchId));

  if (isPending) {
    return (
      <>
        <PageHeader title="Launch" actions={backButton} />
        <BlockSkeleton label="Loading the launch…" height={200} />
      </>
    );
  }
  if (isNotFound(error)) {
    return (
      <>
        <PageHeader title="Launch not found" actions={backButton} />
        <Alert severity="warning">
          <AlertTitle>There is no launch “{launchId}” of yours</AlertTitle>
          Check the address, or choose one from your launches.
        </Alert>
      </>
    );
  }
  if (error && !data) {
    return (
      <>
        <PageHeader title="Launch" actions={backButton} />
        <ErrorAlert error={error} onRetry={() => void refetch()} />
      </>
    );
  }
  return <LaunchProgress launch={data} />;
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <Typography component="dt" variant="body2" color="text.secondary">
        {term}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0, overflowWrap: 'anywhere' }}>
        {children}
      </Typography>
    </>
  );
}

function Outcome({ launch }: { launch: Launch }) {
  const n = launch.totalJobs.toLocaleString('en-US');
  switch (launch.status) {
    case 'pending':
    case 'submitting':
      return (
        <Typography variant="body2" color="text.secondary">
          The portal is submitting the jobs to DiracX in the background; this page checks every {LAUNCH_POLL_MS / 1000} seconds. You can leave it: the launch goes on, and you can come back from “Launches”.
        </Typography>
      );
    case 'submitted':
      return <Alert severity="success">{launch.totalJobs === 1 ? 'The job was submitted to DiracX.' : `All ${n} jobs were submitted to DiracX.`}</Alert>;
    case 'partial':
      return (
        <Alert severity="warning">
          {launch.submittedJobs.toLocaleString('en-US')} of {n} jobs were submitted; {launch.failedJobs.toLocaleString('en-US')} could not be. See the errors below.
        </Alert>
      );
    case 'failed':
      return <Alert severity="error">No job of this launch could be submitted. See the errors below.</Alert>;
  }
}

function LaunchProgress({ launch }: { launch: Launch }) {
  const navigate = useNavigate();
  const errorsId = useId();
  const jobsId = useId();
  const active = isLaunchActive(launch.status);
  const relaunch = relaunchStateFor(launch);

  return (
    <>
      <PageHeader title={launch.name} documentTitle={`Launch ${launch.name}`} adornment={<LaunchStatusChip status={launch.status} size="medium" />} actions={backButton} />
      <Box sx={{ display: 'grid', gap: 3 }}>
        <Paper variant="outlined" component="section" aria-label="Progress" sx={{ p: { xs: 2, md: 3 }, display: 'grid', gap: 2 }}>
          <LaunchProgressBar launch={launch} />
          <Box role="status" aria-live="polite">
            <Outcome launch={launch} />
          </Box>
          <Box component="dl" sx={{ m: 0, display: 'grid', gridTemplateColumns: { xs: '1fr', sm: 'max-content 1fr' }, columnGap: 3, rowGap: 0.75 }}>
            <Fact term="Workflow">
              <Link href={paths.workflows.detail.getHref(launch.workflowId)}>{launch.workflowId}</Link>
            </Fact>
            <Fact term="JobGroup">
              <Box component="code" sx={{ fontFamily: 'monospace' }}>
                {launch.jobGroup}
              </Box>
            </Fact>
            <Fact term="Created">
              <DateTime value={launch.createdAt} />
            </Fact>
            <Fact term="Last change">
              <DateTime value={launch.updatedAt} />
            </Fact>
          </Box>
          {!active && (
            <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1.5 }}>
              {launch.submittedJobs > 0 && (
                <Button variant="contained" startIcon={<WorkIcon />} href={paths.jobs.getHref({ jobGroup: launch.jobGroup })}>
                  View the jobs
                </Button>
              )}
              {relaunch && (
                <Button variant="outlined" startIcon={<ReplayIcon />} onClick={() => void navigate(paths.workflows.launch.getHref(launch.workflowId), { state: relaunch })}>
                  Relaunch with these inputs
                </Button>
              )}
            </Box>
          )}
        </Paper>

        {launch.errors.length > 0 && (
          <Paper variant="outlined" component="section" aria-labelledby={errorsId} sx={{ p: { xs: 2, md: 3 } }}>
            <Typography id={errorsId} variant="h6" component="h2" sx={{ mb: 1 }}>
              Errors ({launch.errors.length})
            </Typography>
            <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
              {launch.errors.map((e, i) => (
                <li key={`${e.jobIndex}:${i}`}>
                  <Typography variant="body2">
                    <strong>
                      {launch.workflowId}-{e.jobIndex}
                    </strong>{' '}
                    (job index {e.jobIndex}): {e.message}
                  </Typography>
                </li>
              ))}
            </Box>
          </Paper>
        )}

        {!active && launch.submittedJobs > 0 && (
          <Paper variant="outlined" component="section" aria-labelledby={jobsId} sx={{ p: { xs: 2, md: 3 } }}>
            <Typography id={jobsId} variant="h6" component="h2" sx={{ mb: 1 }}>
              First jobs
            </Typography>
            <LaunchJobsTable jobGroup={launch.jobGroup} labelledBy={jobsId} />
          </Paper>
        )}
      </Box>
    </>
  );
}
