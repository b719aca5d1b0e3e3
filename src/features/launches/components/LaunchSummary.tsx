import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useId, type ReactNode } from 'react';
import type { LaunchPreview } from '../../../contracts/launches.ts';
import { formatBytes, plural } from '../../../shared/lib/format.ts';
import { JdlBlock } from '../../../shared/ui/JdlBlock.tsx';
import { Fact, factsSx } from './Fact.tsx';

type LaunchSummaryProps = {
  preview: LaunchPreview | null;
  /** Something changed since this preview was made. */
  stale: boolean;
  /** A preview is being made. */
  updating: boolean;
};

/** What the launch will submit, from `POST /launches/preview`: jobs, input files and size, JobGroup, the first JDL. */
export function LaunchSummary({ preview, stale, updating }: LaunchSummaryProps) {
  const jdlHeadingId = useId();
  if (!preview) {
    return (
      <Typography variant="body2" color="text.secondary" role="status">
        {updating
          ? 'Updating the summary…'
          : 'Press “Update summary” to see how many jobs this launch creates, the input files and the first job’s JDL.'}
      </Typography>
    );
  }
  const facts: [string, ReactNode][] = [
    ['Input files', preview.inputFiles === 0 ? 'none' : `${plural(preview.inputFiles, 'file')} · ${formatBytes(preview.inputBytes)}`],
    [
      'JobGroup',
      <>
        <Box component="code" sx={{ fontFamily: 'monospace' }}>
          {preview.jobGroup}
        </Box>{' '}
        <Typography component="span" variant="body2" color="text.secondary">
          (its last part is chosen anew when you submit)
        </Typography>
      </>,
    ],
    ['Swept parameters', preview.sweptParameters.length === 0 ? 'none' : preview.sweptParameters.join(', ')],
  ];
  // The command line travels in the launch's wrapper script (the JDL only names the script and the job's index).
  if (preview.sampleCommandLine)
    facts.push([
      'First job’s command line',
      <Box component="code" sx={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}>
        {preview.sampleCommandLine}
      </Box>,
    ]);
  return (
    // minmax(0, 1fr): a long JDL line scrolls inside its block instead of widening the page.
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <Typography variant="h6" component="p" role="status" sx={{ opacity: updating ? 0.6 : 1 }}>
        {`This launch will create ${plural(preview.totalJobs, 'job')}.`}
      </Typography>
      {stale && !updating && (
        <Alert severity="info">
          You changed something since this summary was made: press “Update summary” (it is also updated when you submit).
        </Alert>
      )}
      <Box component="dl" sx={factsSx}>
        {facts.map(([term, value]) => (
          <Fact key={term} term={term}>
            {value}
          </Fact>
        ))}
      </Box>
      {preview.sampleJdl && (
        <Box>
          <Typography id={jdlHeadingId} variant="subtitle1" component="h3" sx={{ fontWeight: 600, mb: 1 }}>
            First job’s JDL
          </Typography>
          <JdlBlock jdl={preview.sampleJdl} labelledBy={jdlHeadingId} />
        </Box>
      )}
    </Box>
  );
}
