import Box from '@mui/material/Box';
import type { ReactNode } from 'react';

/** A file's text shown inline: preformatted, scrollable and focusable (keyboard scrolling), named for screen readers. */
export function TextPreview({ label, maxHeight = 240, children }: { label: string; maxHeight?: number | string; children: ReactNode }) {
  return (
    <Box
      component="pre"
      tabIndex={0}
      aria-label={label}
      sx={{ m: 0, p: 1, maxHeight, overflow: 'auto', bgcolor: 'action.hover', borderRadius: 1, fontSize: 13, whiteSpace: 'pre-wrap' }}
    >
      {children}
    </Box>
  );
}
