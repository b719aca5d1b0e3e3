import Box from '@mui/material/Box';
import type { ReactNode } from 'react';
import { useElementWidth } from '../lib/use-element-width.ts';

/**
 * Room for an MUI X chart: full width, at least `height` tall (reserved before it is drawn). The chart is drawn only once the frame has a
 * measured width of at least `minWidth` (its axes and margins), and is given that width. Drawn
 * earlier, into a frame not laid out yet, MUI X computes a negative plot size and the browser
 * rejects its `<rect width="-68">` (a console error).
 */
export function ChartFrame({ height, minWidth, children }: { height: number; minWidth: number; children: (width: number) => ReactNode }) {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  return (
    // minHeight: the chart's HTML legend sits above its SVG, so the frame grows past `height` once drawn.
    // contain: inline-size: the drawn chart's width does not count as the frame's own, so a narrower page
    // (a resize, a rotated phone) shrinks the frame, the observer reports it and the chart is redrawn to fit.
    <Box ref={ref} sx={{ width: '100%', minWidth: 0, minHeight: height, contain: 'inline-size' }}>
      {width >= minWidth ? children(width) : null}
    </Box>
  );
}
