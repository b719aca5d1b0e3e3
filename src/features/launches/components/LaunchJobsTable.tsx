import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { paths } from '../../../shared/lib/paths.ts';
import { DateTime } from '../../../shared/ui/DateTime.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { StatusChip } from '../../../shared/ui/StatusChip.tsx';
import { TableSkeleton } from '../../../shared/ui/TableSkeleton.tsx';
import { launchQueries } from '../api/launch-queries.ts';

/** The first jobs of a production (its JobGroup), each linking to its job page. */
export function LaunchJobsTable({ jobGroup, labelledBy }: { jobGroup: string; labelledBy: string }) {
  const { data, error, isPending, refetch } = useQuery(launchQueries.jobs(jobGroup));
  if (isPending) return <TableSkeleton rows={3} columns={4} label="Loading the jobs…" />;
  if (error && !data) return <ErrorAlert error={error} title="The jobs could not be loaded" onRetry={() => void refetch()} />;
  if (data.items.length === 0)
    return (
      <Typography variant="body2" color="text.secondary">
        DiracX does not list these jobs yet; they appear within a few seconds.
      </Typography>
    );
  return (
    <>
      <TableContainer>
        <Table size="small" aria-labelledby={labelledBy}>
          <TableHead>
            <TableRow>
              <TableCell scope="col">Job ID</TableCell>
              <TableCell scope="col">Name</TableCell>
              <TableCell scope="col">Status</TableCell>
              <TableCell scope="col">Last update</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {data.items.map((job) => (
              <TableRow key={job.jobId} hover>
                <TableCell component="th" scope="row">
                  <Link href={paths.jobs.detail.getHref(job.jobId)} aria-label={`Job ${job.jobId}`} sx={{ fontVariantNumeric: 'tabular-nums' }}>
                    {job.jobId}
                  </Link>
                </TableCell>
                <TableCell>{job.jobName ?? '—'}</TableCell>
                <TableCell>
                  <StatusChip status={job.status} />
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  <DateTime value={job.lastUpdateTime} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {data.total > data.items.length && (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          The first {data.items.length} of {data.total.toLocaleString('en-US')} jobs.
        </Typography>
      )}
    </>
  );
}
