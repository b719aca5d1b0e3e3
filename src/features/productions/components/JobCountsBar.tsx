import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { JobCounts, ProgressBucket } from '../../../contracts/productions.ts';

/** Bar segments in order, with colours that also hold as text (the legend names every count). */
export const BUCKETS: readonly { key: ProgressBucket; label: string; color: string }[] = [
  { key: 'done', label: 'done', color: 'success.main' },
  { key: 'running', label: 'running', color: 'primary.main' },
  { key: 'waiting', label: 'waiting', color: 'info.light' },
  { key: 'failed', label: 'failed', color: 'error.main' },
  { key: 'killed', label: 'killed', color: 'grey.500' },
];

const n = (v: number) => v.toLocaleString('en-US');

/** "9 of 12 done, 1 running, 2 failed" (zero counts left out, done always said). */
export function countsText(counts: JobCounts, total: number): string {
  const rest = BUCKETS.slice(1)
    .filter((b) => counts[b.key] > 0)
    .map((b) => `${n(counts[b.key])} ${b.label}`);
  return [`${n(counts.done)} of ${n(total)} done`, ...rest].join(', ');
}

/**
 * A production's jobs as one stacked bar: done / running / waiting / failed / killed of the total
 * (jobs not yet listed by DiracX leave the rest empty). The text says the same for everyone.
 */
export function JobCountsBar({ counts, total, dense = false }: { counts: JobCounts; total: number; dense?: boolean }) {
  const max = Math.max(
    total,
    BUCKETS.reduce((s, b) => s + counts[b.key], 0),
    1,
  );
  const text = countsText(counts, total);
  return (
    <Box sx={{ display: 'grid', gap: 0.5, minWidth: dense ? 180 : undefined }}>
      <Box
        role="img"
        aria-label={text}
        sx={{ display: 'flex', height: dense ? 8 : 14, borderRadius: 1, overflow: 'hidden', bgcolor: 'action.hover' }}
      >
        {BUCKETS.map((b) =>
          counts[b.key] > 0 ? <Box key={b.key} sx={{ width: `${(counts[b.key] / max) * 100}%`, bgcolor: b.color }} /> : null,
        )}
      </Box>
      <Typography variant={dense ? 'caption' : 'body2'} color="text.secondary" aria-hidden sx={{ fontVariantNumeric: 'tabular-nums' }}>
        {text}
      </Typography>
    </Box>
  );
}
