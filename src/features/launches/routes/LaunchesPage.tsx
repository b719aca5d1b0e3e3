import RocketLaunchIcon from '@mui/icons-material/RocketLaunch';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo } from 'react';
import { paths } from '../../../shared/lib/paths.ts';
import { DateTime } from '../../../shared/ui/DateTime.tsx';
import { EmptyState } from '../../../shared/ui/EmptyState.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';
import { TableSkeleton } from '../../../shared/ui/TableSkeleton.tsx';
import { launchQueries } from '../api/launch-queries.ts';
import { LaunchStatusChip } from '../components/LaunchStatusChip.tsx';

/** `/launches`: the user's launches (productions), newest first, with their progress. */
export function LaunchesPage() {
  const headingId = useId();
  const { data, error, isPending, isFetching, refetch } = useQuery(launchQueries.list());
  const launches = useMemo(() => [...(data?.items ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt)), [data]);

  let body;
  if (isPending) body = <TableSkeleton rows={5} columns={5} label="Loading your launches…" />;
  else if (error && !data) body = <ErrorAlert error={error} onRetry={() => void refetch()} />;
  else if (launches.length === 0)
    body = (
      <EmptyState
        icon={<RocketLaunchIcon />}
        title="No launches yet"
        description="Choose a workflow, fill in its parameters and launch it: its jobs are submitted as one production, which you follow here."
        action={
          <Button variant="contained" href={paths.workflows.getHref()}>
            Choose a workflow
          </Button>
        }
      />
    );
  else
    body = (
      <>
        <Box sx={{ height: 4 }}>{isFetching && <LinearProgress aria-label="Refreshing the launches" />}</Box>
        <TableContainer tabIndex={0} role="region" aria-label="Launches (scrolls sideways)" sx={{ '&:focus-visible': { outline: '3px solid #5b9bd5' } }}>
          <Table size="small" aria-labelledby={headingId}>
            <TableHead>
              <TableRow>
                <TableCell scope="col">Name</TableCell>
                <TableCell scope="col">Workflow</TableCell>
                <TableCell scope="col">Status</TableCell>
                <TableCell scope="col" align="right">
                  Submitted
                </TableCell>
                <TableCell scope="col">Created</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {launches.map((l) => (
                <TableRow key={l.id} hover>
                  <TableCell component="th" scope="row">
                    <Link href={paths.launches.detail.getHref(l.id)} sx={{ fontWeight: 600 }}>
                      {l.name}
                    </Link>
                    <Typography variant="caption" color="text.secondary" component="div" sx={{ fontFamily: 'monospace' }}>
                      {l.jobGroup}
                    </Typography>
                  </TableCell>
                  <TableCell>{l.workflowId}</TableCell>
                  <TableCell>
                    <LaunchStatusChip status={l.status} />
                  </TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                    {l.submittedJobs.toLocaleString('en-US')}/{l.totalJobs.toLocaleString('en-US')}
                    {l.failedJobs > 0 && (
                      <Typography variant="caption" color="error" component="div">
                        {l.failedJobs.toLocaleString('en-US')} failed
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    <DateTime value={l.createdAt} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      </>
    );

  return (
    <>
      <PageHeader title="Launches" description="Each launch submits a workflow’s jobs as one production (a DIRAC JobGroup). Open one to follow its submission and reach its jobs." />
      <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: { xs: 2, md: 3 } }}>
        <Typography variant="h6" component="h2" id={headingId} sx={{ mb: 1 }}>
          Your launches{launches.length > 0 ? ` (${launches.length})` : ''}
        </Typography>
        {body}
      </Paper>
    </>
  );
}
