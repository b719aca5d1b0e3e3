import { defineConfig } from 'vitest/config';

// Three projects: node-side unit tests, browser-side component tests (jsdom),
// and integration tests that talk to the real local stack (started by scripts/test.mjs).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/server/**/*.test.ts', 'src/site/**/*.test.ts', 'src/contracts/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'web',
          environment: 'jsdom',
          include: ['src/{app,features,shared}/**/*.test.{ts,tsx}'],
          setupFiles: ['src/shared/testing/setup.ts'],
          // A timeout catches a hang, it does not measure speed: MUI + user-event in jsdom take several
          // seconds per test when the machine is busy (5 s, Vitest's default, failed under load).
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: ['src/**/*.int.test.ts', 'scripts/**/*.int.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
