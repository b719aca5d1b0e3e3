import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import { visuallyHidden } from './visually-hidden.ts';

/** A busy placeholder for a page's first load: announced to screen readers, one grey block on screen. */
export function BlockSkeleton({ label, height = 320 }: { label: string; height?: number }) {
  return (
    <Box role="status" aria-busy="true">
      <Box component="span" sx={visuallyHidden}>
        {label}
      </Box>
      <Skeleton variant="rounded" height={height} aria-hidden />
    </Box>
  );
}
