import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useId, type ReactNode } from 'react';
import type { LaunchPreview } from '../../../contracts/launches.ts';
import { Fact, factsSx } from './Fact.tsx';

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;
/** SI bytes, as storage systems count them. */
export function bytesText(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 2 : 1 })} ${UNITS[unit]}`;
}

/** The first job's JDL, readable and focusable (so it scrolls with the keyboard). */
export function JdlPre({ jdl, labelledBy }: { jdl: string; labelledBy: string }) {
  return (
    <Box
      component="pre"
      tabIndex={0}
      aria-labelledby={labelledBy}
      sx={{
        m: 0,
        p: 2,
        bgcolor: 'action.hover',
        borderRadius: 1,
        fontFamily: 'monospace',
        fontSize: '0.8125rem',
        lineHeight: 1.6,
        overflow: 'auto',
        maxHeight: 420,
        whiteSpace: 'pre',
      }}
    >
      {jdl}
    </Box>
  );
}

type LaunchSummaryProps = {
  preview: LaunchPreview | null;
  /** Something changed since this preview was made. */
  stale: boolean;
  /** A preview is being made. */
  updating: boolean;
  /** Render the JDL (the app can pass the jobs feature's JdlBlock); a plain `<pre>` otherwise. */
  renderJdl?: (jdl: string, labelledBy: string) => ReactNode;
};

/** What the launch will submit, from `POST /launches/preview`: jobs, input files and size, JobGroup, the first JDL. */
export function LaunchSummary({ preview, stale, updating, renderJdl }: LaunchSummaryProps) {
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
    ['Input files', preview.inputFiles === 0 ? 'none' : `${count(preview.inputFiles, 'file')} · ${bytesText(preview.inputBytes)}`],
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
  return (
    // minmax(0, 1fr): a long JDL line scrolls inside its block instead of widening the page.
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <Typography variant="h6" component="p" role="status" sx={{ opacity: updating ? 0.6 : 1 }}>
        {`This launch will create ${count(preview.totalJobs, 'job')}.`}
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
          {renderJdl ? renderJdl(preview.sampleJdl, jdlHeadingId) : <JdlPre jdl={preview.sampleJdl} labelledBy={jdlHeadingId} />}
        </Box>
      )}
    </Box>
  );
}
