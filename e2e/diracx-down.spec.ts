import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { shot } from './support.ts';

// A second portal BFF whose DiracX is down (nothing listens on its port): the user must see
// a readable message, not a blank page.
let bff: ChildProcess;
let url: string;

async function freePort() {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

test.beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bff-down-'));
  const [port, dead] = [await freePort(), await freePort()];
  fs.writeFileSync(
    path.join(dir, 'portal.json'),
    JSON.stringify({
      host: '127.0.0.1',
      port,
      databaseUrl: `sqlite:${path.join(dir, 'p.db')}`,
      staticDir: path.resolve('dist'),
      resourceCatalogue: path.resolve('config/resources.cfg'),
      logLevel: 'warn',
      instances: [{ id: 'down', label: 'Unreachable DiracX', url: `http://127.0.0.1:${dead}`, clientId: 'x' }],
    }),
  );
  bff = spawn(process.execPath, ['src/server/server.ts'], {
    env: { ...process.env, PORTAL_CONFIG: path.join(dir, 'portal.json') },
    stdio: 'ignore',
  });
  url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/bff/healthz`)).status) return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error('second BFF did not start');
});
test.afterAll(() => {
  bff?.kill();
});

test('when DiracX is down the sign-in page says so and offers a retry', async ({ page }) => {
  await page.goto(`${url}/`);
  await expect(page.getByRole('alert')).toContainText(/unreachable/i);
  await expect(page.getByRole('button', { name: /retry/i })).toBeVisible();
  await shot(page, '07-diracx-down');
});
