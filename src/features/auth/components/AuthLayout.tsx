import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { PRODUCT_NAME } from '../../../shared/ui/PageHeader.tsx';

/** Centered card for the pages outside the signed-in shell (/signin, /auth/callback). */
export function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <Box
      component="main"
      id="main"
      sx={(t) => ({
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        px: 2,
        py: 6,
        background: 'linear-gradient(160deg, #eaf0f8 0%, #f5f7fa 45%, #eef5f4 100%)',
        ...t.applyStyles('dark', { background: 'linear-gradient(160deg, #111a26 0%, #0f141b 45%, #0f1a1a 100%)' }),
      })}
    >
      <Box sx={{ width: '100%', maxWidth: 480 }}>
        <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'center', gap: 1.25, mb: 3 }}>
          <Box component="img" src="/favicon.svg" alt="" sx={{ width: 36, height: 36 }} />
          <Typography component="p" variant="h6" sx={{ color: 'primary.dark' }}>
            {PRODUCT_NAME}
          </Typography>
        </Box>
        <Paper variant="outlined" sx={{ p: { xs: 3, sm: 4 }, boxShadow: '0 8px 24px rgba(20, 40, 80, 0.08)' }}>
          {children}
        </Paper>
        <Typography variant="caption" component="p" color="text.secondary" sx={{ textAlign: 'center', mt: 2 }}>
          Batch work on the grid through DiracX, for ESCAPE scientists.
        </Typography>
      </Box>
    </Box>
  );
}
