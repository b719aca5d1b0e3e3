import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import TableContainer from '@mui/material/TableContainer';
import type { ReactNode } from 'react';

/**
 * Shadows at an edge with more columns beyond it (issue #17: the resources' status sat off-screen at
 * 1280 px with no hint). CSS only: the paper-coloured covers scroll with the content (`local`) and hide
 * the shadows (`scroll`) at an edge the table has reached. Cells keep transparent backgrounds.
 */
const SCROLLER_SX = (maxHeight: number | undefined) =>
  ({
    position: 'relative',
    maxHeight,
    '&:focus-visible': { outline: '3px solid #5b9bd5' },
    background: [
      'linear-gradient(to right, var(--mui-palette-background-paper) 30%, transparent) left / 40px 100% no-repeat local',
      'linear-gradient(to left, var(--mui-palette-background-paper) 30%, transparent) right / 40px 100% no-repeat local',
      'radial-gradient(farthest-side at 0 50%, color-mix(in srgb, var(--mui-palette-text-primary) 25%, transparent), transparent) left / 14px 100% no-repeat scroll',
      'radial-gradient(farthest-side at 100% 50%, color-mix(in srgb, var(--mui-palette-text-primary) 25%, transparent), transparent) right / 14px 100% no-repeat scroll',
    ].join(', '),
  }) as const;

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
        sx={SCROLLER_SX(maxHeight)}
      >
        {children}
      </TableContainer>
    </>
  );
}
