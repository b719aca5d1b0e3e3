import { keyframes } from '@emotion/react';
import Box from '@mui/material/Box';

const slide = keyframes`
  0% { transform: translateX(-100%); }
  100% { transform: translateX(250%); }
`;

/** A thin indeterminate bar (lighter than MUI's LinearProgress, which the first page would otherwise load). */
export function NavigationProgress({ label = 'Loading page' }: { label?: string }) {
  return (
    <Box
      role="progressbar"
      aria-label={label}
      sx={{ position: 'absolute', left: 0, right: 0, bottom: 0, height: 3, overflow: 'hidden', bgcolor: 'rgba(255,255,255,0.25)' }}
    >
      <Box
        sx={{
          width: '40%',
          height: '100%',
          bgcolor: '#5fd1c4',
          animation: `${slide} 1.1s ease-in-out infinite`,
          '@media (prefers-reduced-motion: reduce)': { animation: 'none', width: '100%', opacity: 0.7 },
        }}
      />
    </Box>
  );
}
