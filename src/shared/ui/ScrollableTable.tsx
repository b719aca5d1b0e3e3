import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import TableContainer from '@mui/material/TableContainer';
import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways on narrow screens (a focusable, named region for keyboard users).
 * Pass `refreshing` to keep a thin progress bar above it for background refreshes (the stale rows stay visible).
 */
export function ScrollableTable({
  label,
  refreshing,
  refreshingLabel,
  maxHeight,
  children,
}: {
  /** Names the region: "<label> (scrolls sideways)". */
  label: string;
  /** Leave out for a table that never refreshes in the background (no bar, no reserved space). */
  refreshing?: boolean;
  refreshingLabel?: string;
  /** Scroll vertically too beyond this height (pair with a `stickyHeader` table). */
  maxHeight?: number;
  children: ReactNode;
}) {
  return (
    <>
      {refreshing !== undefined && (
        <Box sx={{ height: 4 }}>{refreshing && <LinearProgress aria-label={refreshingLabel ?? 'Refreshing'} />}</Box>
      )}
      <TableContainer
        tabIndex={0}
        role="region"
        aria-label={`${label} (scrolls sideways)`}
        // position: relative: a visually hidden header label (position: absolute) is placed inside the scroller, not
        // against the page, where it widened a 390 px page to the table's width (647 px on a production's outputs).
        sx={{ position: 'relative', maxHeight, '&:focus-visible': { outline: '3px solid #5b9bd5' } }}
      >
        {children}
      </TableContainer>
    </>
  );
}
