import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const COMPRESSIBLE = /\.(js|mjs|css|svg|json|txt|webmanifest)$/;

/**
 * After `vite build`: move source maps out of the served directory (to build/sourcemaps/, for
 * debugging stack traces; the bundles carry no sourceMappingURL: `sourcemap: 'hidden'`), and write
 * `.br` and `.gz` beside every text asset of 1 KiB or more, so the BFF sends them without compressing
 * per request (@fastify/static `preCompressed`). index.html is a per-response template: left as is.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'portal-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const maps = path.resolve(outDir, '../build/sourcemaps');
      fs.rmSync(maps, { recursive: true, force: true });
      for (const entry of fs.readdirSync(outDir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const file = path.join(entry.parentPath, entry.name);
        if (entry.name.endsWith('.map')) {
          const target = path.join(maps, path.relative(outDir, file));
          fs.mkdirSync(path.dirname(target), { recursive: true });
          fs.renameSync(file, target);
          continue;
        }
        if (!COMPRESSIBLE.test(entry.name)) continue;
        const body = fs.readFileSync(file);
        if (body.length < 1024) continue;
        fs.writeFileSync(
          `${file}.br`,
          zlib.brotliCompressSync(body, {
            params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
          }),
        );
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: 9 }));
      }
    },
  };
}

/**
 * SPA build. The BFF serves `dist/` and replaces `__CSP_NONCE__` in index.html per
 * response (CSP: script-src 'self'; style-src 'self' 'nonce-…'), so the build must not
 * emit inline scripts; emotion gets the nonce from <meta name="csp-nonce">.
 * Routes are lazy-loaded (react-router `lazy`), except the home page (the first page after sign-in).
 * Chunking aims at few files requested at once rather than many small ones in waves
 * (issue #17; `node scripts/bundle-report.mjs --build <route module>` shows what a route loads):
 * the first page is the entry plus long-cached vendor chunks (react, mui, data, app); a later page
 * adds its own chunk, `mui-more` (every other MUI component, shared by all pages) and, when it
 * needs them, `charts` (MUI X Charts: productions, accounting; the monitor draws its own SVG).
 */
export default defineConfig({
  plugins: [react(), precompress()],
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
    // Maps for debugging, kept out of the served directory (precompress moves them to build/sourcemaps/).
    sourcemap: 'hidden',
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
            // MUI X Charts (productions, accounting) and what only it uses, in one chunk.
            {
              name: 'charts',
              test: /node_modules[\\/](@mui[\\/](x-charts|x-charts-vendor|x-internal-gestures|x-internals)|@base-ui|reselect|use-sync-external-store|d3-[a-z-]+|internmap|bezier-easing|flatqueue)[\\/]/,
              priority: 18,
            },
            // The app's own modules of the first page in one chunk (not one per contract file).
            { name: 'app', test: /[\\/]src[\\/]/, tags: ['$initial'], priority: 5 },
            // Every MUI module the first page does not use, in one chunk that later pages share
            // (above charts, which would otherwise take the material modules it uses).
            {
              name: 'mui-more',
              test: /node_modules[\\/](@mui[\\/](material|system|utils|styled-engine|private-theming)|@emotion|@babel[\\/]runtime|react-is|react-transition-group|clsx|@popperjs|prop-types)[\\/]/,
              priority: 19,
            },
          ],
        },
      },
    },
  },
});
