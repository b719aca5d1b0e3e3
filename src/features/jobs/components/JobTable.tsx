import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { JobSummary } from '../../../contracts/jobs.ts';
import { paths } from '../../../shared/lib/paths.ts';
import { DateTime } from '../../../shared/ui/DateTime.tsx';
import { StatusChip } from '../../../shared/ui/StatusChip.tsx';

type JobTableProps = {
  jobs: readonly JobSummary[];
  /** id of the heading that names the table. */
  labelledBy: string;
  showSite?: boolean;
};

/** Jobs as a plain table: id (link to the job page), name, status, minor status, last update. */
export function JobTable({ jobs, labelledBy, showSite = false }: JobTableProps) {
  return (
    <TableContainer>
      <Table size="small" aria-labelledby={labelledBy}>
        <TableHead>
          <TableRow>
            <TableCell scope="col">Job ID</TableCell>
            <TableCell scope="col">Name</TableCell>
            <TableCell scope="col">Status</TableCell>
            <TableCell scope="col">Minor status</TableCell>
            {showSite && <TableCell scope="col">Site</TableCell>}
            <TableCell scope="col">Last update</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {jobs.map((job) => (
            <TableRow key={job.jobId} hover>
              <TableCell component="th" scope="row">
                <Link
                  href={paths.jobs.detail.getHref(job.jobId)}
                  aria-label={`Job ${job.jobId}`}
                  sx={{ fontVariantNumeric: 'tabular-nums' }}
                >
                  {job.jobId}
                </Link>
              </TableCell>
              <TableCell>{job.jobName ?? '—'}</TableCell>
              <TableCell>
                <StatusChip status={job.status} />
              </TableCell>
              <TableCell>
                <Typography variant="body2" color="text.secondary">
                  {job.minorStatus || '—'}
                </Typography>
              </TableCell>
              {showSite && <TableCell>{job.site && job.site !== 'ANY' ? job.site : '—'}</TableCell>}
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                <DateTime value={job.lastUpdateTime} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
