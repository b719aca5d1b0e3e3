import fs from 'node:fs';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../scripts/lib/chromium.mjs';

// The stack (DiracX, IdP, BFF serving the built SPA) is started by scripts/test.mjs;
// its URLs are in the file named by PORTAL_STACK_FILE. There is no fake backend.
const stackFile = process.env.PORTAL_STACK_FILE ?? '.stack/test/stack.json';
const stack = fs.existsSync(stackFile) ? (JSON.parse(fs.readFileSync(stackFile, 'utf8')) as { urls: { bff: string } }) : null;

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../test-results/playwright',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  use: {
    baseURL: stack?.urls.bff ?? 'http://127.0.0.1:8090',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1280, height: 860 },
    launchOptions: CHROMIUM_LAUNCH,
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
