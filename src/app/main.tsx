import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { installApiAuth } from './auth/api-auth.ts';
import { createEmotionCache } from './emotion-cache.ts';
import { AppProviders } from './providers.tsx';
import { createQueryClient } from './query-client.ts';
import { createRoutes } from './router.tsx';

// Order matters: api-client must know how to get tokens before the router runs its first loaders.
installApiAuth();
const queryClient = createQueryClient();
const router = createBrowserRouter(createRoutes(queryClient));

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <AppProviders queryClient={queryClient} emotionCache={createEmotionCache()}>
      <RouterProvider router={router} />
    </AppProviders>
  </StrictMode>,
);
