import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import type { Launch } from '../../../contracts/launches.ts';

export const submittedText = (l: Pick<Launch, 'submittedJobs' | 'totalJobs'>) =>
  `${l.submittedJobs.toLocaleString('en-US')} of ${l.totalJobs.toLocaleString('en-US')} ${l.totalJobs === 1 ? 'job' : 'jobs'} submitted`;

/** "n of N jobs submitted" as text and as a determinate progress bar (aria-valuenow = n, aria-valuemax = N), plus the failed count. */
export function LaunchProgressBar({ launch }: { launch: Pick<Launch, 'submittedJobs' | 'totalJobs' | 'failedJobs' | 'status'> }) {
  const labelId = useId();
  const text = submittedText(launch);
  const failed = launch.failedJobs > 0 ? `${launch.failedJobs.toLocaleString('en-US')} failed` : null;
  const max = Math.max(launch.totalJobs, 1);
  const color =
    launch.status === 'failed' ? 'error' : launch.status === 'partial' ? 'warning' : launch.status === 'submitted' ? 'success' : 'primary';
  return (
    <Box sx={{ display: 'grid', gap: 1 }}>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, alignItems: 'baseline' }}>
        <Typography id={labelId} variant="h6" component="p" sx={{ fontVariantNumeric: 'tabular-nums' }}>
          {text}
        </Typography>
        {failed && (
          <Typography variant="body1" color="error" sx={{ fontWeight: 600 }}>
            {failed}
          </Typography>
        )}
      </Box>
      <LinearProgress
        variant="determinate"
        value={Math.min(launch.submittedJobs, max)}
        min={0}
        max={max}
        color={color}
        aria-labelledby={labelId}
        aria-valuetext={failed ? `${text}, ${failed}` : text}
        sx={{ height: 10, borderRadius: 5 }}
      />
    </Box>
  );
}
