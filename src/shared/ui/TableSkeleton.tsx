import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import { visuallyHidden } from './visually-hidden.ts';

type TableSkeletonProps = { rows?: number; columns?: number; label?: string };

/** Placeholder rows while a table's first page loads (announced as busy). */
export function TableSkeleton({ rows = 5, columns = 4, label = 'Loading…' }: TableSkeletonProps) {
  return (
    <Box role="status" aria-busy="true" aria-live="polite" sx={{ width: '100%' }}>
      <Box component="span" sx={visuallyHidden}>
        {label}
      </Box>
      <Box aria-hidden sx={{ display: 'grid', gridTemplateColumns: `repeat(${columns}, 1fr)`, gap: 1.5, py: 1 }}>
        {Array.from({ length: columns }, (_, c) => (
          <Skeleton key={`h${c}`} variant="text" height={28} />
        ))}
        {Array.from({ length: rows * columns }, (_, i) => (
          <Skeleton key={i} variant="rounded" height={22} />
        ))}
      </Box>
    </Box>
  );
}
