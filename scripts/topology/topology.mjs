// The production topology, tested here (step `topology` of npm test; alone:
// `flock /tmp/portal-stack.lock node scripts/test.mjs topology`, about 2 minutes; needs root):
//
//   Chromium ─https─▶ nginx (TLS, a CA made here) ─▶ two portal replicas ─▶ a throw-away PostgreSQL;
//   the replicas ─▶ the local DiracX, which browsers reach through nginx too (https), as a production DiracX is.
//
// The replicas are the shipped artifact: the OCI image (built by scripts/image/build.mjs unless a current one
// is there, as after npm test's `image` step) unpacked, its entrypoint run as a container runtime would
// (scripts/image/oci.mjs: read-only root, user 10001, production mode, config and key mounted read-only).
// Checks: certificate chain and HSTS; brotli and gzip assets with immutable caching; no source maps; /metrics
// not served through the proxy but on each replica's metrics port; a browser signs in, launches Hello world and
// finds it in the monitor; a replica killed (SIGKILL) mid-launch loses nothing: the other finishes the launch
// once the lease expires, every job exactly once in DiracX; a replica stopped (SIGTERM) mid-launch finishes it
// before exiting 0; spans reach an OTLP collector with DiracX calls as children of the requests. Ports
// 8760–8769 (the test stack has 8090 and 8720–8724, the bench 8730–8740, its load test 8750–8759).
// `--bench` (npm run bench runs it so): also measures, without asserting, what the topology costs and writes
// bench/topology.json: bytes on the wire for the first page and the monitor through the proxy, time to the
// monitor's first rows through the proxy vs straight at a replica, cold start to ready, the image's size.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import zlib from 'node:zlib';
import { chromium } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_USERS } from '../idp/users.mjs';
import { checks, expect } from '../lib/checks.mjs';
import { CHROMIUM_LAUNCH } from '../lib/chromium.mjs';
import { loginThroughIdp } from '../lib/login.mjs';
import { ensureSpaBuild } from '../lib/build.mjs';
import { startPostgres } from '../lib/postgres.mjs';
import { startService, stopPids, tail, waitFor } from '../lib/proc.mjs';
import { ROOT, scheduleKeyFile, startStack } from '../lib/stack.mjs';
import { ensureImage, entrypointCommand, expectRunsAsImage, unpackImage } from '../image/oci.mjs';

const PORTS = {
  proxy: 8760,
  diracx: 8761,
  idp: 8762,
  s3: 8763,
  redis: 8764,
  diracxTls: 8765,
  replicas: [8766, 8767],
  metrics: [8768, 8769],
};
const ORIGIN = `https://localhost:${PORTS.proxy}`;
const DIRACX_TLS = `https://localhost:${PORTS.diracxTls}`;
const WORK = path.join(ROOT, '.stack/topology');
const LEASE_SECONDS = 3;
// Long enough for a 200-job launch to finish after SIGTERM (the graceful-shutdown check).
const SHUTDOWN_GRACE_MS = 30_000;
const { check, finish } = checks('topology', ROOT);
const BENCH = process.argv.includes('--bench');
const figures = {};
const figure = (name, value, unit) => {
  figures[name] = { value: Number(value.toFixed(3)), unit };
  console.log(`      ${name}: ${value.toFixed(3)} ${unit}`);
};

if (!fs.existsSync('/usr/sbin/nginx')) throw new Error('nginx is missing: node scripts/ensure-deps.mjs --test (Debian nginx)');
if (process.getuid?.() !== 0) throw new Error('the topology runs the image unpacked: it needs root (mount namespace and chroot)');
ensureSpaBuild();
ensureImage();
fs.rmSync(WORK, { recursive: true, force: true });
fs.mkdirSync(WORK, { recursive: true });
const logDir = path.join(WORK, 'logs');
const rootfs = path.join(WORK, 'rootfs');
const img = unpackImage(rootfs);
console.log(`image ${img.ref} unpacked: the replicas run its entrypoint ${img.image.config.Entrypoint.join(' ')}`);

// ---- a CA and a server certificate for localhost, made here ----
const tls = path.join(WORK, 'tls');
fs.mkdirSync(tls);
const openssl = (...args) => {
  const r = spawnSync('openssl', args, { cwd: tls, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
  return r.stdout;
};
openssl(
  'req',
  '-x509',
  '-newkey',
  'ec',
  '-pkeyopt',
  'ec_paramgen_curve:P-256',
  '-nodes',
  '-days',
  '2',
  '-subj',
  '/CN=Portal topology test CA',
  '-keyout',
  'ca.key',
  '-out',
  'ca.crt',
  '-addext',
  'basicConstraints=critical,CA:TRUE',
  '-addext',
  'keyUsage=critical,keyCertSign',
);
openssl(
  'req',
  '-newkey',
  'ec',
  '-pkeyopt',
  'ec_paramgen_curve:P-256',
  '-nodes',
  '-subj',
  '/CN=localhost',
  '-keyout',
  'server.key',
  '-out',
  'server.csr',
);
fs.writeFileSync(
  path.join(tls, 'ext.cnf'),
  'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
);
openssl(
  'x509',
  '-req',
  '-in',
  'server.csr',
  '-CA',
  'ca.crt',
  '-CAkey',
  'ca.key',
  '-CAcreateserial',
  '-days',
  '2',
  '-extfile',
  'ext.cnf',
  '-out',
  'server.crt',
);
const ca = fs.readFileSync(path.join(tls, 'ca.crt'));
// Chromium accepts exactly this certificate (its public key's hash), nothing else that is self-signed.
const spki = crypto
  .createHash('sha256')
  .update(new crypto.X509Certificate(fs.readFileSync(path.join(tls, 'server.crt'))).publicKey.export({ type: 'spki', format: 'der' }))
  .digest('base64');

/** GET through the proxy, the chain checked against our CA only. */
function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
  });
}
async function api(base, token, method, p, body) {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, text };
}

/** Chromium trusting exactly the proxy's certificate (its public key's hash), nothing else self-signed. */
const launchChromium = () =>
  chromium.launch({ ...CHROMIUM_LAUNCH, args: [...CHROMIUM_LAUNCH.args, `--ignore-certificate-errors-spki-list=${spki}`] });

/** alice signs in on `origin` through DiracX and the IdP's form, back on the portal's home page. */
async function signIn(page, origin) {
  const alice = DEMO_USERS.find((u) => u.role === 'scientist');
  await page.goto(`${origin}/`);
  await page.getByLabel('Group').selectOption('scientists');
  await page.getByRole('button', { name: /^sign in$/i }).click();
  await page.getByLabel('Username').fill(alice.username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`${alice.username} · escape / scientists`).waitFor({ timeout: 30_000 });
}

/**
 * Bytes on the wire (response headers and bodies as transferred, TLS excluded) for a cold load of `url` until
 * `ready` resolves, and in all once the network is idle.
 */
async function wireBytes(page, url, ready) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.clearBrowserCache');
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => (bytes += e.encodedDataLength));
  await page.goto(url);
  await ready();
  const untilReady = bytes;
  await page.waitForLoadState('networkidle');
  await cdp.detach();
  return { untilReady, all: bytes };
}

/**
 * The signed-in session of `from` on another origin of the same BFF (a replica, straight): a production BFF
 * relays sign-ins only from its public origin, so the tokens are carried over (storage keys name the origin).
 */
async function carrySession(page, from, to) {
  const saved = await page.evaluate(() => ({ session: Object.entries(sessionStorage), local: Object.entries(localStorage) }));
  await page.goto(`${to}/signin`);
  await page.evaluate(
    ({ saved, from, to }) => {
      const move = (v) => v.split(from).join(to);
      for (const [k, v] of saved.session) sessionStorage.setItem(move(k), move(v));
      for (const [k, v] of saved.local) localStorage.setItem(move(k), move(v));
    },
    { saved, from, to },
  );
}

/** The monitor's first rows: a fresh navigation to /jobs until the first row's cells are shown (ms, median of 5). */
async function firstRows(page, origin) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await page.goto(`${origin}/jobs`);
    await page.getByRole('grid').getByRole('row').nth(1).getByRole('gridcell').nth(1).waitFor({ timeout: 30_000 });
    times.push(performance.now() - t0);
  }
  return times.sort((x, y) => x - y)[2];
}

// ---- an OTLP/HTTP collector (the replicas export their spans to it) ----
const spans = [];
const collector = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.url === '/v1/traces') for (const rs of JSON.parse(body).resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise((r) => collector.listen(0, '127.0.0.1', r));
const otlp = `http://127.0.0.1:${collector.address().port}`;

const services = [];

/** Start (or restart) a replica from its entrypoint command; stopped with the other services at the end. */
function startReplica(replica) {
  replica.startedAt = performance.now();
  replica.svc = startService({ name: replica.name, ...replica.command, env: { PATH: process.env.PATH }, cwd: '/', logDir });
  services.push(replica.svc);
  return replica;
}
async function replicaReady(r) {
  await waitFor(r.svc, async () => (await fetch(`${r.url}/bff/readyz`)).ok, { timeoutMs: 90_000 });
  return performance.now() - r.startedAt;
}
let stack;
let pg;
try {
  // ---- the local DiracX (demo executor: this suite is about the portal's topology, not about running jobs) ----
  stack = await startStack({
    stateDir: path.join(WORK, 'stack'),
    ports: { bff: PORTS.proxy, diracx: PORTS.diracx, idp: PORTS.idp, s3: PORTS.s3, redis: PORTS.redis },
    fresh: true,
    rucio: false,
    executor: 'demo',
    // …and replica B's own origin, for the bench's "direct" side.
    redirects: [
      `${ORIGIN}/auth/callback`,
      `${ORIGIN}/bff/v1/schedules/authorize/callback`,
      `http://127.0.0.1:${PORTS.replicas[1]}/auth/callback`,
    ],
    diracxOrigins: [DIRACX_TLS],
  });
  pg = await startPostgres({ dir: fs.mkdtempSync(path.join(os.tmpdir(), 'topology-pg-')), database: 'portal' });

  // ---- nginx: TLS for the portal (two upstreams) and for DiracX ----
  const nginxDir = path.join(WORK, 'nginx');
  fs.mkdirSync(path.join(nginxDir, 'tmp'), { recursive: true, mode: 0o777 });
  const tlsLines = `ssl_certificate ${tls}/server.crt; ssl_certificate_key ${tls}/server.key; ssl_protocols TLSv1.2 TLSv1.3;`;
  const proxyLines = `proxy_http_version 1.1; proxy_set_header Host $http_host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto https;`;
  fs.writeFileSync(
    path.join(nginxDir, 'nginx.conf'),
    `worker_processes 1;
pid ${nginxDir}/nginx.pid;
error_log ${logDir}/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log ${logDir}/nginx-access.log;
  client_body_temp_path ${nginxDir}/tmp/body; proxy_temp_path ${nginxDir}/tmp/proxy; fastcgi_temp_path ${nginxDir}/tmp/fcgi;
  uwsgi_temp_path ${nginxDir}/tmp/uwsgi; scgi_temp_path ${nginxDir}/tmp/scgi;
  # The portal's replicas: a dead one is skipped (connection refused) and retried after fail_timeout.
  upstream portal {
${PORTS.replicas.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${PORTS.proxy} ssl; server_name localhost; ${tlsLines}
    location / { proxy_pass http://portal; ${proxyLines} proxy_next_upstream error timeout http_502 http_503; }
  }
  server {
    listen 127.0.0.1:${PORTS.diracxTls} ssl; server_name localhost; ${tlsLines}
    location / { proxy_pass http://127.0.0.1:${PORTS.diracx}; ${proxyLines} }
  }
}
`,
  );
  const nginx = startService({
    name: 'nginx',
    cmd: '/usr/sbin/nginx',
    args: ['-e', path.join(logDir, 'nginx-error.log'), '-p', nginxDir, '-c', path.join(nginxDir, 'nginx.conf'), '-g', 'daemon off;'],
    env: process.env,
    cwd: nginxDir,
    logDir,
  });
  services.push(nginx);

  // ---- two replicas of the image (scripts/image/oci.mjs): its entrypoint in production mode, read-only root ----
  const secrets = path.join(WORK, 'secrets');
  const key = scheduleKeyFile(secrets);
  fs.chownSync(key, img.uid, img.gid); // as Kubernetes' fsGroup makes a mounted Secret readable by the pod's user
  const replicas = PORTS.replicas.map((port, i) => {
    const cfg = {
      host: '127.0.0.1',
      port,
      publicUrl: ORIGIN,
      trustProxy: '127.0.0.1',
      staticDir: '/app/dist',
      workflowsDir: '/app/workflows',
      scheduleKeyFile: '/etc/escape-portal/secrets/schedule-key',
      launchLeaseSeconds: LEASE_SECONDS,
      shutdownGraceMs: SHUTDOWN_GRACE_MS,
      metrics: { port: PORTS.metrics[i] },
      instances: [
        {
          id: 'local',
          label: 'Local DiracX (demo VO "escape")',
          url: stack.urls.diracx,
          publicUrl: DIRACX_TLS,
          clientId: stack.portalClientId,
          groupSharing: { [stack.vo.vo]: stack.vo.groupSharing },
        },
      ],
    };
    const configDir = path.join(WORK, `portal-${i}`);
    fs.mkdirSync(path.join(configDir, 'secrets'), { recursive: true }); // the Secret's mount point
    fs.writeFileSync(path.join(configDir, 'portal.json'), JSON.stringify(cfg, null, 2));
    const replica = {
      name: `portal-${i}`,
      url: `http://127.0.0.1:${port}`,
      metrics: `http://127.0.0.1:${PORTS.metrics[i]}/metrics`,
      // What the Deployment's pod spec adds to the image: volumes (ConfigMap, Secret) and the environment.
      command: entrypointCommand({
        ...img,
        rootfs,
        volumes: { 'etc/escape-portal': configDir, 'etc/escape-portal/secrets': secrets },
        env: {
          DATABASE_URL: pg.url,
          OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
          OTEL_SERVICE_NAME: `portal-${i}`,
        },
      }),
    };
    return startReplica(replica);
  });
  // Both start together on a fresh database (one applies the migrations, the other waits for its lock).
  const readyAfter = await Promise.all(replicas.map(replicaReady));
  await waitFor(nginx, async () => (await get(`${ORIGIN}/bff/livez`)).status === 200, { timeoutMs: 20_000 });
  console.log(`\ntopology: nginx ${ORIGIN} → replicas ${PORTS.replicas.join(', ')} → PostgreSQL; DiracX ${DIRACX_TLS}`);

  await check('both replicas are the image: its entrypoint as user 10001, chrooted, read-only root', async () => {
    for (const r of replicas) expectRunsAsImage(r.svc.pid, { ...img, rootfs });
  });

  await check('TLS with the local CA, HSTS, and the proxy scheme believed by the BFF', async () => {
    const page = await get(`${ORIGIN}/`);
    expect(page.status === 200, `GET /: ${page.status}`);
    expect(
      page.headers['strict-transport-security'] === 'max-age=31536000; includeSubDomains',
      `HSTS: ${page.headers['strict-transport-security']}`,
    );
    const discovery = JSON.parse((await get(`${ORIGIN}/bff/v1/instances/local/oidc/.well-known/openid-configuration`)).body.toString());
    expect(discovery.authorization_endpoint?.startsWith(`${DIRACX_TLS}/`), `authorize at ${discovery.authorization_endpoint}`);
    // A certificate from another CA is refused (the chain is really checked).
    const foreign = await new Promise((resolve) =>
      https.get(`${ORIGIN}/`, { ca: [] }, () => resolve('accepted')).on('error', (e) => resolve(e.code)),
    );
    expect(foreign !== 'accepted', 'a client without the CA accepted the certificate');
  });

  await check('assets through the proxy: brotli and gzip, immutable caching, no source maps', async () => {
    const html = (await get(`${ORIGIN}/`)).body.toString();
    const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
    expect(scripts.length > 0, 'no script in index.html');
    // The largest script (small files are not worth compressing and have no .br/.gz beside them).
    const sizes = await Promise.all(scripts.map(async (s) => (await get(`${ORIGIN}${s}`)).body.length));
    const assets = [scripts[sizes.indexOf(Math.max(...sizes))]];
    for (const [encoding, decode] of [
      ['br', zlib.brotliDecompressSync],
      ['gzip', zlib.gunzipSync],
    ]) {
      const res = await get(`${ORIGIN}${assets[0]}`, { 'accept-encoding': encoding });
      expect(res.headers['content-encoding'] === encoding, `${encoding}: content-encoding ${res.headers['content-encoding']}`);
      expect(/immutable/.test(res.headers['cache-control'] ?? ''), `cache-control ${res.headers['cache-control']}`);
      expect(decode(res.body).length > res.body.length, `${encoding} body does not decode larger`);
    }
    expect((await get(`${ORIGIN}${assets[0]}.map`)).status === 404, 'a source map is served');
  });

  await check('/metrics: not served through the proxy, served on each replica’s metrics port', async () => {
    // Production without a metrics token: no such route on the main listener (the SPA's index answers instead).
    const proxied = await get(`${ORIGIN}/metrics`);
    expect(!proxied.body.toString().includes('portal_http_requests_total'), '/metrics answered through the proxy');
    for (const r of replicas) {
      const text = await (await fetch(r.metrics)).text();
      expect(
        /^portal_http_requests_total\{method="GET",route="\/bff\/readyz",status_class="2xx"\} \d+$/m.test(text),
        `no readyz series on ${r.metrics}`,
      );
      expect(/^portal_launch_queue_depth \d+$/m.test(text), 'no queue depth');
    }
  });

  await check('Chromium through https: sign in, launch Hello world, find it in the monitor', async () => {
    const browser = await chromium.launch({
      ...CHROMIUM_LAUNCH,
      args: [...CHROMIUM_LAUNCH.args, `--ignore-certificate-errors-spki-list=${spki}`],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      await signIn(page, ORIGIN);
      expect(page.url().startsWith(`${ORIGIN}/`), `signed in at ${page.url()}`);
      await page.getByLabel('Message').fill('through TLS');
      await page.getByRole('button', { name: 'Launch Hello world' }).click();
      const link = page
        .getByRole('alert')
        .filter({ hasText: /submitted/ })
        .getByRole('link');
      await link.waitFor({ timeout: 60_000 });
      const jobId = Number(await link.textContent());
      expect(jobId > 0, 'no job id');
      await page.goto(`${ORIGIN}/jobs`);
      await page.getByRole('grid').getByText(String(jobId), { exact: true }).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(WORK, 'monitor.png') });
    } finally {
      await browser.close();
    }
  });

  const alice = DEMO_USERS.find((u) => u.role === 'scientist');
  const token = (
    await loginThroughIdp({
      diracxUrl: stack.urls.diracx,
      clientId: stack.portalClientId,
      redirectUri: `${ORIGIN}/auth/callback`,
      vo: stack.vo.vo,
      group: 'scientists',
      username: alice.username,
      password: DEMO_PASSWORD,
    })
  ).access_token;

  /** A 200-job sweep of Hello world asked of `base`, once some but not all of its batches are recorded. */
  const N = 200;
  async function midLaunch(base, name) {
    const created = await api(base, token, 'POST', '/bff/v1/launches', {
      idempotencyKey: `topology-${crypto.randomUUID()}`,
      name,
      workflowId: 'hello-world',
      values: { GREETING: 'Hello', MESSAGE: 'x' },
      sweeps: { MESSAGE: { kind: 'list', values: Array.from({ length: N }, (_, i) => `m${i}`) } },
    });
    expect(created.status === 202, `launch: ${created.status} ${created.text}`);
    let seen;
    for (let i = 0; i < 600; i++) {
      seen = (await api(base, token, 'GET', `/bff/v1/launches/${created.json.id}`)).json;
      if (seen.submittedJobs > 0) break;
      await sleep(50);
    }
    return { ...seen, id: created.json.id };
  }
  /** The launch is complete and DiracX has each of its jobs exactly once. */
  async function expectEveryJobOnce(done) {
    expect(done?.status === 'submitted' && done.submittedJobs === N && done.failedJobs === 0, JSON.stringify(done).slice(0, 400));
    const inDiracx = await fetch(`${stack.urls.diracx}/api/jobs/search?page=1&per_page=1000`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ parameters: ['JobID', 'JobName'], search: [{ parameter: 'JobGroup', operator: 'eq', value: done.jobGroup }] }),
    }).then((r) => r.json());
    expect(
      inDiracx.length === N && new Set(inDiracx.map((j) => j.JobName)).size === N,
      `DiracX has ${inDiracx.length} jobs, ${new Set(inDiracx.map((j) => j.JobName)).size} names`,
    );
    const ids = new Set(inDiracx.map((j) => j.JobID));
    expect(done.jobIds.length === N && done.jobIds.every((j) => ids.has(j)), 'the launch and DiracX disagree on the job ids');
  }

  await check('a replica killed mid-launch loses nothing: the other finishes it, every job once in DiracX', async () => {
    const [a] = replicas;
    // Kill A (SIGKILL, as an OOM kill or a lost node would) once some but not all of its batches are in.
    const seen = await midLaunch(a.url, 'topology kill');
    process.kill(a.svc.pid, 'SIGKILL');
    console.log(`      (replica A killed with ${seen.submittedJobs} of ${N} jobs recorded)`);
    expect(seen.submittedJobs > 0 && seen.submittedJobs < N, `A was killed with ${seen.submittedJobs} of ${N} submitted: not mid-launch`);
    // The user's next visits reach B through the proxy; B takes over once A's lease has expired.
    let done;
    for (let i = 0; i < 120 && done?.status !== 'submitted'; i++) {
      await sleep(500);
      const res = await get(`${ORIGIN}/bff/v1/launches/${seen.id}`, { authorization: `Bearer ${token}` }).catch(() => null);
      if (res?.status === 200) done = JSON.parse(res.body.toString());
    }
    await expectEveryJobOnce(done);
  });

  await check('graceful shutdown: on SIGTERM a replica finishes its in-flight launch, then exits 0', async () => {
    const [a, b] = replicas;
    const seen = await midLaunch(b.url, 'topology drain');
    process.kill(b.svc.pid, 'SIGTERM'); // what the kubelet sends first (terminationGracePeriodSeconds)
    console.log(`      (replica B stopped with ${seen.submittedJobs} of ${N} jobs recorded)`);
    expect(seen.submittedJobs > 0 && seen.submittedJobs < N, `B was stopped with ${seen.submittedJobs} of ${N} submitted: not mid-launch`);
    for (let i = 0; i < (SHUTDOWN_GRACE_MS + 10_000) / 250 && !b.svc.exited; i++) await sleep(250);
    expect(b.svc.exited?.code === 0, `B: ${JSON.stringify(b.svc.exited)}\n${tail(b.svc.logFile)}`);
    const log = fs.readFileSync(b.svc.logFile, 'utf8');
    expect(/"running":1,"msg":"in-flight launches finished"/.test(log), `B did not finish its launch:\n${tail(b.svc.logFile)}`);
    // Both replicas come back (A was killed above), as the Deployment replaces them. A's first answer already
    // shows the launch complete: B finished it before exiting; nobody had to resume it.
    await Promise.all([a, b].map((r) => replicaReady(startReplica(r))));
    await expectEveryJobOnce((await api(a.url, token, 'GET', `/bff/v1/launches/${seen.id}`)).json);
  });

  await check('traces: request spans reach the OTLP collector, DiracX calls as their children', async () => {
    for (let i = 0; i < 30 && !spans.some((s) => s.name === 'DiracX submit'); i++) await sleep(500);
    const submit = spans.find((s) => s.name === 'DiracX submit' && s.parentSpanId);
    expect(submit, `no DiracX submit span among ${spans.length}`);
    const parent = spans.find((s) => s.spanId === submit.parentSpanId);
    expect(parent?.kind === 2 && parent.traceId === submit.traceId, `parent of the submit span: ${JSON.stringify(parent)}`);
  });

  if (BENCH) {
    console.log('\ntopology figures (--bench):');
    figure('topology_cold_start_to_ready', Math.max(...readyAfter) / 1000, 's');
    const image = path.join(ROOT, 'build/image/escape-portal.oci.tar');
    if (fs.existsSync(image)) figure('image_size_compressed', fs.statSync(image).size / 1e6, 'MB');
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      await signIn(page, ORIGIN);
      const home = await wireBytes(page, `${ORIGIN}/`, () => page.getByRole('button', { name: 'Launch Hello world' }).waitFor());
      figure('tls_first_page_wire', home.all / 1024, 'KB');
      const rows = () => page.getByRole('grid').getByRole('row').nth(1).getByRole('gridcell').nth(1).waitFor();
      const monitor = await wireBytes(page, `${ORIGIN}/jobs`, rows);
      figure('tls_monitor_wire_until_rows', monitor.untilReady / 1024, 'KB');
      figure('tls_monitor_wire', monitor.all / 1024, 'KB');
      const viaProxy = await firstRows(page, ORIGIN);
      const direct = `http://127.0.0.1:${PORTS.replicas[1]}`;
      await carrySession(page, ORIGIN, direct);
      const straight = await firstRows(page, direct);
      figure('monitor_first_rows_tls_proxy', viaProxy, 'ms');
      figure('monitor_first_rows_direct', straight, 'ms');
      figure('monitor_first_rows_tls_over_direct', viaProxy / straight, 'ratio');
    } finally {
      await browser.close();
    }
    fs.mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'bench/topology.json'), `${JSON.stringify(figures, null, 2)}\n`);
  }
} finally {
  await stopPids(services.map((s) => s.pid));
  await stack?.stop();
  await pg?.stop();
  collector.close();
}
finish();
