import { CacheProvider, type EmotionCache } from '@emotion/react';
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { NotificationHost } from '../shared/ui/notify.tsx';
import { AuthProvider } from './auth/AuthProvider.tsx';
import { theme } from './theme.ts';

type AppProvidersProps = { queryClient: QueryClient; emotionCache: EmotionCache; children: ReactNode };

/** Styles (emotion cache with the CSP nonce, theme), data (react-query), session, notifications. */
export function AppProviders({ queryClient, emotionCache, children }: AppProvidersProps) {
  return (
    <CacheProvider value={emotionCache}>
      <ThemeProvider theme={theme} defaultMode="system">
        <CssBaseline />
        <QueryClientProvider client={queryClient}>
          <AuthProvider>
            {children}
            <NotificationHost />
          </AuthProvider>
        </QueryClientProvider>
      </ThemeProvider>
    </CacheProvider>
  );
}
