import { useQuery } from '@tanstack/react-query';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { TableSkeleton } from '../../../shared/ui/TableSkeleton.tsx';
import { jobQueries } from '../api/job-queries.ts';
import { JobSandboxes } from './JobSandboxes.tsx';
import { StatusTimeline } from './StatusTimeline.tsx';

function History({ jobId, labelledBy }: { jobId: number; labelledBy: string }) {
  const { data, error, isPending, refetch } = useQuery(jobQueries.detail(jobId));
  if (isPending) return <TableSkeleton rows={4} columns={2} label="Loading the status history" />;
  if (!data) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  return <StatusTimeline history={data.history} labelledBy={labelledBy} />;
}

/**
 * What the row menu's dialog shows: a job's status history or its sandboxes. Loaded only when a dialog
 * opens (the job page's components would otherwise add two files to the monitor's first load).
 */
export default function JobRowDialogBody({
  kind,
  jobId,
  status,
  labelledBy,
}: {
  kind: 'history' | 'sandboxes';
  jobId: number;
  status: string;
  labelledBy: string;
}) {
  return kind === 'history' ? (
    <History jobId={jobId} labelledBy={labelledBy} />
  ) : (
    <JobSandboxes jobId={jobId} status={status} labelledBy={labelledBy} />
  );
}
