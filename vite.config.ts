import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * SPA build. The BFF serves `dist/` and replaces `__CSP_NONCE__` in index.html per
 * response (CSP: script-src 'self'; style-src 'self' 'nonce-…'), so the build must not
 * emit inline scripts; emotion gets the nonce from <meta name="csp-nonce">.
 * Routes are lazy-loaded (react-router `lazy`); the vendor groups below keep the
 * libraries every page needs in long-cached chunks.
 */
export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/bff': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  preview: { host: '127.0.0.1', port: 4173 },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Everything is same-origin under script-src 'self'; keep Vite from inlining small assets as data: URLs.
    assetsInlineLimit: 0,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser)[\\/]/,
              priority: 30,
            },
            {
              name: 'mui',
              test: /node_modules[\\/](@mui|@emotion|@babel[\\/]runtime|react-is|react-transition-group|clsx|stylis|hoist-non-react-statics|@popperjs)[\\/]/,
              priority: 20,
              tags: ['$initial'],
            },
            { name: 'data', test: /node_modules[\\/](@tanstack|zod|oidc-client-ts|jwt-decode)[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
});
