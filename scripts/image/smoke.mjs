// Smoke test of the image built by scripts/image/build.mjs, without a container engine: unpacked and its
// entrypoint run as a container runtime would (scripts/image/oci.mjs: read-only root, /tmp a tmpfs, config and
// keys bind-mounted read-only, chrooted, as the image's user 10001, the image's environment only). Against the
// local DiracX (the test stack, started here): probes, the SPA (HSTS, brotli, no source maps), a real sign-in
// token verified by the BFF, Hello world launched and submitted to DiracX, a refused start naming the
// missing field, and a clean exit on SIGTERM.
// Needs root (mount namespace, chroot) and the test stack's ports: step `image` of npm test (after the
// stack steps), or alone: flock /tmp/portal-stack.lock node scripts/image/smoke.mjs (about 2 minutes).
// Writes test-results/image.json ({ passed, failed }).
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEMO_PASSWORD, DEMO_USERS } from '../idp/users.mjs';
import { checks, expect } from '../lib/checks.mjs';
import { loginThroughIdp } from '../lib/login.mjs';
import { ROOT, TEST_PORTS, startStack } from '../lib/stack.mjs';
import { OCI_DIR, entrypointCommand, expectRunsAsImage, unpackImage } from './oci.mjs';

const WORK = path.join(ROOT, '.stack/image-smoke');
const { check, finish } = checks('image', ROOT);

if (process.getuid?.() !== 0) throw new Error('the image smoke test needs root (mount namespace and chroot)');
if (!fs.existsSync(path.join(OCI_DIR, 'index.json'))) throw new Error('no image: run node scripts/image/build.mjs first');

// ---- unpack ----
fs.rmSync(WORK, { recursive: true, force: true });
const rootfs = path.join(WORK, 'rootfs');
const { ref, image, uid, gid } = unpackImage(rootfs);
console.log(`image ${ref} unpacked: user ${image.config.User}, entrypoint ${image.config.Entrypoint.join(' ')}`);

// ---- the local DiracX ----
const stateDir = path.join(WORK, 'stack');
const stack = await startStack({ stateDir, ports: TEST_PORTS, fresh: true, rucio: false });
const bffUrl = stack.urls.bff; // the redirect URI DiracX accepts is on this port
const port = TEST_PORTS.bff;

// Mounted into the container: config (ro), keys (ro), a writable data volume for SQLite.
const configDir = path.join(WORK, 'config');
const secretsDir = path.join(WORK, 'secrets');
const dataDir = path.join(WORK, 'data');
for (const d of [configDir, secretsDir, dataDir, path.join(configDir, 'secrets')]) fs.mkdirSync(d, { recursive: true });
fs.chownSync(dataDir, uid, gid);
fs.writeFileSync(path.join(secretsDir, 'schedule-key'), crypto.randomBytes(32).toString('base64'));
const portalJson = (over = {}) => ({
  port,
  publicUrl: 'https://portal.smoke.test',
  databaseUrl: 'sqlite:/data/portal.db',
  allowSqlite: true,
  staticDir: '/app/dist',
  workflowsDir: '/app/workflows',
  scheduleKeyFile: '/etc/escape-portal/secrets/schedule-key',
  instances: [
    {
      id: 'local',
      label: 'Local DiracX',
      url: stack.urls.diracx,
      // Browsers would sign in here; the BFF itself only uses `url` and the issuer.
      publicUrl: 'https://diracx.smoke.test',
      issuer: stack.urls.diracx,
      clientId: stack.portalClientId,
    },
  ],
  ...over,
});

/** Run the image's entrypoint as a container runtime would (scripts/image/oci.mjs). */
function runImage(config) {
  fs.writeFileSync(path.join(configDir, 'portal.json'), JSON.stringify(config));
  const { cmd, args } = entrypointCommand({
    rootfs,
    image,
    uid,
    gid,
    volumes: { 'etc/escape-portal': configDir, 'etc/escape-portal/secrets': secretsDir, data: dataDir },
    rw: ['data'],
    // plus the listen address for this test
    env: { PORTAL_HOST: '127.0.0.1' },
  });
  return spawn(cmd, args, { cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
}

function collect(child) {
  const out = { text: '', exit: null };
  child.stdout.on('data', (b) => (out.text += b));
  child.stderr.on('data', (b) => (out.text += b));
  out.exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve((out.exit = { code, signal })));
    child.on('error', (err) => resolve((out.exit = { code: -1, signal: null, error: (out.text += err.message) })));
  });
  return out;
}

async function waitReady(out) {
  for (let i = 0; i < 120 && !out.exit; i++) {
    try {
      if ((await fetch(`${bffUrl}/bff/readyz`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(500);
  }
  throw new Error(`the image's BFF did not become ready:\n${out.text.slice(-3000)}`);
}

console.log('\nimage smoke test');
try {
  await check('refuses to start without the schedule key, naming the field', async () => {
    const out = collect(runImage(portalJson({ scheduleKeyFile: undefined })));
    const { code } = await out.exited;
    expect(code === 2, `exit ${code}:\n${out.text}`);
    expect(/scheduleKeyFile: required in production/.test(out.text), out.text);
  });

  const child = runImage(portalJson());
  const out = collect(child);
  await waitReady(out);

  await check('runs as the image user on a read-only root filesystem', async () => {
    // The spawned process became the entrypoint (sh and unshare exec): its pid is the BFF's.
    expectRunsAsImage(child.pid, { rootfs, image, uid });
  });

  await check('probes answer and the BFF reaches the local DiracX', async () => {
    expect((await fetch(`${bffUrl}/bff/livez`)).status === 200, 'livez');
    const health = await (await fetch(`${bffUrl}/bff/healthz`)).json();
    expect(health.status === 'ok' && health.instances[0].reachable, JSON.stringify(health));
  });

  await check('serves the SPA with HSTS, brotli assets and no source maps', async () => {
    const page = await fetch(`${bffUrl}/`);
    expect(page.status === 200 && /strict-transport-security/i.test([...page.headers.keys()].join()), 'no HSTS on /');
    const html = await page.text();
    // The entry script may be a tiny loader below the 1 KiB pre-compression threshold: check the largest
    // script index.html names (entry or modulepreload).
    const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
    expect(scripts.length > 0, 'no script in index.html');
    const sizes = await Promise.all(scripts.map(async (s) => (await (await fetch(`${bffUrl}${s}`)).arrayBuffer()).byteLength));
    const asset = scripts[sizes.indexOf(Math.max(...sizes))];
    const raw = spawnSync('curl', ['-s', '-D', '-', '-o', '/dev/null', '-H', 'accept-encoding: br', `${bffUrl}${asset}`], {
      encoding: 'utf8',
    }).stdout;
    expect(/content-encoding: br/i.test(raw) && /immutable/.test(raw), raw);
    expect((await fetch(`${bffUrl}${asset}.map`)).status === 404, 'source map served');
  });

  await check('verifies a real DiracX token and launches Hello world to DiracX', async () => {
    const alice = DEMO_USERS.find((u) => u.username === 'alice');
    const tokens = await loginThroughIdp({
      diracxUrl: stack.urls.diracx,
      clientId: stack.portalClientId,
      redirectUri: `${bffUrl}/auth/callback`,
      vo: stack.vo.vo,
      group: 'scientists',
      username: alice.username,
      password: DEMO_PASSWORD,
    });
    const headers = { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' };
    const me = await fetch(`${bffUrl}/bff/v1/me`, { headers });
    const meText = await me.text();
    expect(me.status === 200 && JSON.parse(meText).username === 'alice', `me: ${me.status} ${meText}`);
    const body = {
      idempotencyKey: `smoke-${crypto.randomUUID()}`,
      name: 'Hello world',
      workflowId: 'hello-world',
      values: { GREETING: 'Hello', MESSAGE: 'image' },
      sweeps: {},
      inputItemIds: [],
      inputMode: 'none',
      resources: {},
    };
    const res = await fetch(`${bffUrl}/bff/v1/launches`, { method: 'POST', headers, body: JSON.stringify(body) });
    const created = await res.text();
    expect(res.status === 202, `launch: ${res.status} ${created}`);
    const { id } = JSON.parse(created);
    let launch;
    for (let i = 0; i < 60; i++) {
      launch = await (await fetch(`${bffUrl}/bff/v1/launches/${id}`, { headers })).json();
      if (launch.status !== 'pending' && launch.status !== 'submitting') break;
      await sleep(500);
    }
    expect(launch.status === 'submitted' && launch.jobIds.length === 1, JSON.stringify(launch));
  });

  await check('stops cleanly on SIGTERM', async () => {
    process.kill(child.pid, 'SIGTERM');
    const { code } = await out.exited;
    expect(code === 0 && /"msg":"stopped"/.test(out.text), `exit ${code}:\n${out.text.slice(-2000)}`);
  });
  if (!out.exit) child.kill('SIGKILL');
} finally {
  await stack.stop();
}
finish();
