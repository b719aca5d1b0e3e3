import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import TableContainer from '@mui/material/TableContainer';
import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways on narrow screens (a focusable, named region for keyboard users),
 * with a thin progress bar above it while a background refresh runs (the stale rows stay visible).
 */
export function ScrollableTable({
  label,
  refreshing = false,
  refreshingLabel,
  children,
}: {
  label: string;
  refreshing?: boolean;
  refreshingLabel?: string;
  children: ReactNode;
}) {
  return (
    <>
      <Box sx={{ height: 4 }}>{refreshing && <LinearProgress aria-label={refreshingLabel ?? 'Refreshing'} />}</Box>
      <TableContainer
        tabIndex={0}
        role="region"
        aria-label={`${label} (scrolls sideways)`}
        sx={{ '&:focus-visible': { outline: '3px solid #5b9bd5' } }}
      >
        {children}
      </TableContainer>
    </>
  );
}
