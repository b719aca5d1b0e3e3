import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { paths } from '../../../shared/lib/paths.ts';
import { BlockSkeleton } from '../../../shared/ui/BlockSkeleton.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { TextPreview } from '../../../shared/ui/TextPreview.tsx';
import { productionQueries } from '../api/production-queries.ts';

/** What really happened: for each failure kind, the end of the std.err of its newest failed job. */
export function FailureSamples({ productionId, version }: { productionId: string; version: string }) {
  const headingId = useId();
  const { data, error, isPending, refetch } = useQuery(productionQueries.failureSamples(productionId, version));
  let body;
  if (isPending) body = <BlockSkeleton label="Loading the std.err of failed jobs…" height={120} />;
  else if (error && !data)
    body = <ErrorAlert error={error} title="The std.err of failed jobs could not be loaded" onRetry={() => void refetch()} />;
  else
    body = data.items.map((s) => (
      <Box key={s.minorStatus ?? ''} sx={{ display: 'grid', gap: 0.5, minWidth: 0 }}>
        <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
          <strong>{s.minorStatus ?? 'Unknown'}</strong>
          {s.applicationStatus ? ` — ${s.applicationStatus}` : ''} ({s.count.toLocaleString('en-US')} {s.count === 1 ? 'job' : 'jobs'}),
          newest: <Link href={paths.jobs.detail.getHref(s.jobId)}>job {s.jobId}</Link>
        </Typography>
        {s.stderrTail !== null && (
          <TextPreview label={`End of std.err of job ${s.jobId}`} maxHeight={160}>
            {s.stderrTail || '(empty)'}
          </TextPreview>
        )}
        {s.note && (
          <Typography variant="body2" color="text.secondary">
            {s.note}
          </Typography>
        )}
      </Box>
    ));
  return (
    <Box component="section" aria-labelledby={headingId} sx={{ display: 'grid', gap: 1.5, minWidth: 0, mt: 3 }}>
      <Typography id={headingId} variant="subtitle1" component="h3" sx={{ fontWeight: 600 }}>
        std.err of failed jobs
      </Typography>
      {body}
      {data?.truncated && (
        <Typography variant="body2" color="text.secondary">
          From the newest {data.looked.toLocaleString('en-US')} failed jobs.
        </Typography>
      )}
    </Box>
  );
}
