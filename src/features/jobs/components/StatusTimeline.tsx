import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { StatusHistoryEntry } from '../../../contracts/jobs.ts';
import { parseApiTime } from '../../../shared/ui/format.ts';
import { DateTime } from '../../../shared/ui/DateTime.tsx';
import { StatusChip } from '../../../shared/ui/StatusChip.tsx';

/** Oldest first; entries with the same time keep DiracX's order. */
export function sortHistory(history: readonly StatusHistoryEntry[]): StatusHistoryEntry[] {
  return history
    .map((entry, index) => ({ entry, index, t: parseApiTime(entry.time)?.getTime() ?? 0 }))
    .sort((a, b) => a.t - b.t || a.index - b.index)
    .map(({ entry }) => entry);
}

/** The job's status history as an ordered list (a vertical timeline). */
export function StatusTimeline({ history, labelledBy }: { history: readonly StatusHistoryEntry[]; labelledBy: string }) {
  const entries = sortHistory(history);
  if (entries.length === 0) {
    return <Typography color="text.secondary">DiracX has not recorded any status change yet.</Typography>;
  }
  return (
    <Box component="ol" aria-labelledby={labelledBy} sx={{ listStyle: 'none', m: 0, p: 0 }}>
      {entries.map((entry, i) => {
        const last = i === entries.length - 1;
        return (
          <Box
            component="li"
            key={`${entry.time}-${entry.status}-${i}`}
            aria-current={last ? 'step' : undefined}
            sx={{ position: 'relative', pl: 3.5, pb: last ? 0 : 2.25 }}
          >
            <Box
              aria-hidden
              sx={{
                position: 'absolute',
                left: 6,
                top: 8,
                width: 12,
                height: 12,
                borderRadius: '50%',
                bgcolor: last ? 'primary.main' : 'background.paper',
                border: 2,
                borderColor: last ? 'primary.main' : 'grey.500',
              }}
            />
            {!last && <Box aria-hidden sx={{ position: 'absolute', left: 11, top: 22, bottom: 0, width: 2, bgcolor: 'divider' }} />}
            <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 1 }}>
              <StatusChip status={entry.status} />
              {entry.minorStatus && <Typography variant="body2">{entry.minorStatus}</Typography>}
            </Box>
            <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 0.5 }}>
              <DateTime value={entry.time} />
              {entry.source ? ` · source: ${entry.source}` : ''}
              {entry.applicationStatus && entry.applicationStatus !== 'Unknown' ? ` · application: ${entry.applicationStatus}` : ''}
            </Typography>
          </Box>
        );
      })}
    </Box>
  );
}
