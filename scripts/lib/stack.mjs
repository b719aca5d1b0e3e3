// The local stack, modelled on DiracX's own run_local.sh: Redis, an S3 emulator
// (moto), the VO's identity provider, the DiracX app (uvicorn), the task
// scheduler and workers, and the local execution sites (or DiracX's demo executor with
// PORTAL_EXECUTOR=demo). Everything on loopback.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpOk, portInUse, run, startService, stopPids, tcpOpen, waitFor } from './proc.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VENV = path.join(ROOT, '.venv');
const PY_BIN = path.join(VENV, 'bin');

export const DEV_PORTS = { bff: 8080, diracx: 8710, idp: 8711, s3: 8712, redis: 8713 };
export const TEST_PORTS = { bff: 8090, diracx: 8720, idp: 8721, s3: 8722, redis: 8723 };

/** The demo VO: one VO, three groups, group sharing for PIs (see docs/architecture.md, "PIs and group sharing"). */
export const DEMO_VO = {
  vo: 'escape',
  defaultGroup: 'scientists',
  groups: {
    scientists: ['NormalUser'],
    pis: ['NormalUser'],
    admins: ['NormalUser', 'JobAdministrator'],
    // The accounting collector's group: JobMonitor only (read every job of the VO, change none, submit none).
    accounting: ['JobMonitor'],
  },
  roleGroup: { scientist: 'scientists', pi: 'pis', admin: 'admins' },
  // manager group -> groups whose jobs it may read and manage (same VO only)
  groupSharing: { pis: ['scientists', 'pis'] },
  // Operations/<vo>/Services/JobMonitoring/GlobalJobsInfo: false = users search only what they may see,
  // at DiracX itself too (the extension widens it for manager groups); see docs/architecture.md
  globalJobsInfo: false,
};
export const PORTAL_CLIENT_ID = 'escape-batch-portal';
/** The accounting collector's service identity: a CS user of the read-only accounting group with no IdP account (see docs/accounting.md). */
export const ACCOUNTING_USER = { username: 'portal-accounting', sub: 'portal-accounting-service', group: 'accounting' };
/** The local execution sites' service identity (JobAdministrator, no IdP account; see docs/execution-site.md). */
export const SITE_USER = { username: 'portal-site', sub: 'portal-site-service', group: 'admins' };
/**
 * What runs jobs: `site` (default) the local execution sites of config/sites.json, `demo` DiracX's demo
 * executor (Waiting → Done without running anything). PORTAL_EXECUTOR overrides.
 */
export function executorMode(explicit) {
  const mode = explicit ?? process.env.PORTAL_EXECUTOR ?? 'site';
  if (mode !== 'site' && mode !== 'demo') throw new Error(`PORTAL_EXECUTOR must be "site" or "demo", not "${mode}"`);
  return mode;
}
export const IDP_CLIENT_ID = 'diracx-escape';
const HOST = '127.0.0.1';

function portsFromEnv(base) {
  const pick = (name, def) => Number(process.env[`PORTAL_${name.toUpperCase()}_PORT`] ?? def);
  return Object.fromEntries(Object.entries(base).map(([k, v]) => [k, pick(k, v)]));
}

export function stackUrls(ports) {
  return {
    bff: `http://${HOST}:${ports.bff}`,
    diracx: `http://${HOST}:${ports.diracx}`,
    idp: `http://${HOST}:${ports.idp}`,
    s3: `http://${HOST}:${ports.s3}`,
    redis: `redis://${HOST}:${ports.redis}`,
  };
}

function py(args, opts = {}) {
  return run(path.join(PY_BIN, 'python'), args, opts);
}

const gitEnv = {
  GIT_AUTHOR_NAME: 'escape-portal',
  GIT_AUTHOR_EMAIL: 'portal@escape.invalid',
  GIT_COMMITTER_NAME: 'escape-portal',
  GIT_COMMITTER_EMAIL: 'portal@escape.invalid',
};

async function demoUsers() {
  const { DEMO_USERS } = await import('../idp/users.mjs');
  return DEMO_USERS;
}

/** Keystore, configuration repository (CS) and extension, created once per state dir. */
async function prepareState(stateDir, urls) {
  const env = { ...process.env, ...gitEnv };
  const keystore = path.join(stateDir, 'keystore', 'jwks.json');
  if (!fs.existsSync(keystore)) {
    fs.mkdirSync(path.dirname(keystore), { recursive: true, mode: 0o700 });
    py(['-m', 'diracx.logic', 'rotate-jwk', '--jwks-path', keystore], { env });
  }
  // DiracX's private signing key: owner only (also for state dirs made before this was set)
  fs.chmodSync(path.dirname(keystore), 0o700);
  fs.chmodSync(keystore, 0o600);
  const csRepo = path.join(stateDir, 'cs');
  const csMarker = path.join(stateDir, 'cs.json');
  const csWanted = JSON.stringify({ idp: urls.idp, vo: DEMO_VO, accounting: ACCOUNTING_USER, site: SITE_USER });
  if (!fs.existsSync(csMarker) || fs.readFileSync(csMarker, 'utf8') !== csWanted) {
    fs.rmSync(csRepo, { recursive: true, force: true });
    const dirac = path.join(PY_BIN, 'dirac');
    run(dirac, ['internal', 'generate-cs', csRepo], { env });
    run(
      dirac,
      [
        'internal',
        'add-vo',
        csRepo,
        `--vo=${DEMO_VO.vo}`,
        `--idp-url=${urls.idp}`,
        `--idp-client-id=${IDP_CLIENT_ID}`,
        `--default-group=${DEMO_VO.defaultGroup}`,
      ],
      { env },
    );
    for (const [group, props] of Object.entries(DEMO_VO.groups)) {
      if (group === DEMO_VO.defaultGroup) continue; // add-vo created it with NormalUser
      run(
        dirac,
        ['internal', 'add-group', csRepo, `--vo=${DEMO_VO.vo}`, `--group=${group}`, ...props.flatMap((p) => ['--properties', p])],
        { env },
      );
    }
    // The demo users, then the service identities (no IdP account: tokens through the legacy exchange).
    const users = [...(await demoUsers()).map((u) => ({ ...u, group: DEMO_VO.roleGroup[u.role] })), ACCOUNTING_USER, SITE_USER];
    for (const user of users) {
      run(
        dirac,
        [
          'internal',
          'add-user',
          csRepo,
          `--vo=${DEMO_VO.vo}`,
          `--group=${user.group}`,
          `--sub=${user.sub}`,
          `--preferred-username=${user.username}`,
        ],
        { env },
      );
    }
    py([path.join(ROOT, 'scripts/diracx/set-global-jobs-info.py'), csRepo, DEMO_VO.vo, String(DEMO_VO.globalJobsInfo)], { env });
    fs.writeFileSync(csMarker, csWanted);
  }
  // The DiracX extension (group sharing) is installed into a private target dir
  // and put on PYTHONPATH of the DiracX app only.
  const extDir = path.join(stateDir, 'ext');
  const extSrc = path.join(ROOT, 'diracx-ext');
  const extStamp = path.join(extDir, '.source-hash');
  const srcHash = hashDir(extSrc);
  if (!fs.existsSync(extStamp) || fs.readFileSync(extStamp, 'utf8') !== srcHash) {
    fs.rmSync(extDir, { recursive: true, force: true });
    run(path.join(PY_BIN, 'pip'), ['install', '-q', '--no-deps', '--no-build-isolation', '--target', extDir, extSrc], { env });
    fs.writeFileSync(extStamp, srcHash);
  }
  const secretsFile = path.join(stateDir, 'secrets.json');
  if (!fs.existsSync(secretsFile)) {
    fs.writeFileSync(secretsFile, JSON.stringify({ stateKey: crypto.randomBytes(32).toString('base64') }), { mode: 0o600 });
  }
  const secrets = JSON.parse(fs.readFileSync(secretsFile, 'utf8'));
  return { keystore, csRepo, extDir, stateKey: secrets.stateKey, ...accountingKey(stateDir) };
}

/**
 * The API key of DiracX's legacy exchange, per state dir: DiracX gets only its sha256 (of the raw bytes),
 * the BFF reads the key from a 0600 file (config `accounting.apiKeyFile`), never from its config or logs.
 */
function accountingKey(stateDir) {
  const apiKeyFile = path.join(stateDir, 'accounting-api-key');
  if (!fs.existsSync(apiKeyFile)) fs.writeFileSync(apiKeyFile, crypto.randomBytes(32).toString('base64url') + '=', { mode: 0o600 });
  const raw = Buffer.from(fs.readFileSync(apiKeyFile, 'utf8').trim(), 'base64url');
  return { accountingKeyFile: apiKeyFile, legacyKeyHash: crypto.createHash('sha256').update(raw).digest('hex') };
}

function hashDir(dir) {
  const h = crypto.createHash('sha256');
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === '__pycache__' || e.name.endsWith('.egg-info') || e.name === 'build') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(p).update(fs.readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

/**
 * `sqliteTimeoutSeconds`: how long DiracX's SQLite databases wait for a lock (Python's default is 5 s, after
 * which DiracX 0.7 answers a submission with 400 "JDL syntax error"); the load bench raises it.
 */
export function diracxEnv({
  stateDir,
  urls,
  ports,
  prepared,
  executor = executorMode(),
  redirects: extraRedirects = [],
  sqliteTimeoutSeconds,
}) {
  const dbDir = path.join(stateDir, 'db');
  fs.mkdirSync(dbDir, { recursive: true });
  const env = {};
  const out = py(['-m', 'diracx.db', 'generate-local-urls', dbDir]);
  for (const line of out.split('\n')) {
    const m = /^export ([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let value = m[2];
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) value = value.slice(1, -1);
    if (sqliteTimeoutSeconds && value.startsWith('sqlite')) value += `?timeout=${sqliteTimeoutSeconds}`;
    env[m[1]] = value;
  }
  const redirects = [
    `http://${HOST}:${ports.bff}/auth/callback`,
    `http://localhost:${ports.bff}/auth/callback`,
    'http://127.0.0.1:5173/auth/callback',
    'http://localhost:5173/auth/callback',
  ];
  // The BFF's own authorization for scheduled (unattended) runs (docs/schedules.md).
  redirects.push(
    `http://${HOST}:${ports.bff}/bff/v1/schedules/authorize/callback`,
    `http://localhost:${ports.bff}/bff/v1/schedules/authorize/callback`,
    'http://127.0.0.1:5173/bff/v1/schedules/authorize/callback',
    'http://localhost:5173/bff/v1/schedules/authorize/callback',
    // A portal behind a TLS proxy (the topology test): its https callbacks.
    ...extraRedirects,
  );
  Object.assign(env, {
    DIRACX_CONFIG_BACKEND_URL: `git+file://${prepared.csRepo}`,
    DIRACX_SERVICE_AUTH_TOKEN_KEYSTORE: `file://${prepared.keystore}`,
    DIRACX_SERVICE_AUTH_STATE_KEY: prepared.stateKey,
    DIRACX_SERVICE_AUTH_TOKEN_ISSUER: urls.diracx,
    DIRACX_SERVICE_AUTH_ALLOWED_REDIRECTS: JSON.stringify(redirects),
    DIRACX_SERVICE_AUTH_DIRAC_CLIENT_ID: PORTAL_CLIENT_ID,
    DIRACX_SANDBOX_STORE_BUCKET_NAME: 'sandboxes',
    DIRACX_SANDBOX_STORE_AUTO_CREATE_BUCKET: 'true',
    DIRACX_SANDBOX_STORE_S3_CLIENT_KWARGS: JSON.stringify({
      endpoint_url: urls.s3,
      aws_access_key_id: 'testing',
      aws_secret_access_key: 'testing',
    }),
    DIRACX_TASKS_REDIS_URL: urls.redis,
    DIRACX_TASKS_DUMMY_JOB_EXECUTOR_ENABLED: executor === 'demo' ? 'true' : 'false',
    DIRACX_TASKS_DUMMY_JOB_EXECUTOR_INTERVAL_SECONDS: process.env.PORTAL_EXECUTOR_INTERVAL ?? '3',
    ESCAPE_DIRACX_GROUP_SHARING: JSON.stringify({ [DEMO_VO.vo]: DEMO_VO.groupSharing }),
    DIRACX_LEGACY_EXCHANGE_HASHED_API_KEY: prepared.legacyKeyHash,
  });
  return env;
}

function pidFile(stateDir) {
  return path.join(stateDir, 'pids.json');
}

/** Stop whatever a previous run left behind in this state dir. */
export async function stopStale(stateDir) {
  const file = pidFile(stateDir);
  if (!fs.existsSync(file)) return;
  const pids = JSON.parse(fs.readFileSync(file, 'utf8'));
  await stopPids(pids.map((p) => p.pid));
  fs.rmSync(file, { force: true });
}

/**
 * Start the stack (without the BFF). Returns {urls, ports, services, stop, env}.
 * `fresh` wipes the state dir first (tests); `npm start` keeps it (jobs survive restarts). `redirects`: further
 * redirect URIs DiracX accepts for the portal's client (a portal on another origin); `diracxOrigins`: further
 * origins browsers reach DiracX at (a TLS proxy), whose callbacks the IdP accepts.
 */
export async function startStack({
  stateDir,
  ports: basePorts = DEV_PORTS,
  fresh = false,
  log = console.log,
  rucio: withRucio = process.env.PORTAL_RUCIO !== '0',
  executor: executorArg,
  redirects = [],
  diracxOrigins = [],
  sqliteTimeoutSeconds,
} = {}) {
  const executor = executorMode(executorArg);
  const ports = portsFromEnv(basePorts);
  const urls = stackUrls(ports);
  if (!fs.existsSync(path.join(PY_BIN, 'python'))) {
    throw new Error(`The DiracX virtualenv is missing (${VENV}). Run: node scripts/ensure-deps.mjs`);
  }
  await stopStale(stateDir);
  if (fresh) fs.rmSync(stateDir, { recursive: true, force: true });
  fs.mkdirSync(stateDir, { recursive: true });
  for (const [name, port] of Object.entries(ports)) {
    if (name === 'bff') continue;
    if (await portInUse(port)) {
      throw new Error(
        `Port ${port} (${name}) is already in use on ${HOST}. Stop what uses it (\`ss -ltnp 'sport = :${port}'\`) or choose another port with PORTAL_${name.toUpperCase()}_PORT=<port>.`,
      );
    }
  }
  log(`stack: preparing DiracX configuration in ${path.relative(ROOT, stateDir)}`);
  const prepared = await prepareState(stateDir, urls);
  const logDir = path.join(stateDir, 'logs');
  const services = [];
  const record = () => fs.writeFileSync(pidFile(stateDir), JSON.stringify(services.map((s) => ({ name: s.name, pid: s.pid }))));
  const start = (spec) => {
    const svc = startService({ logDir, cwd: ROOT, ...spec });
    services.push(svc);
    record();
    return svc;
  };
  const stop = async () => {
    await stopPids(services.map((s) => s.pid));
    fs.rmSync(pidFile(stateDir), { force: true });
  };
  try {
    const baseEnv = { ...process.env, PYTHONUNBUFFERED: '1' };
    const redis = start({
      name: 'redis',
      cmd: 'redis-server',
      args: ['--port', String(ports.redis), '--bind', HOST, '--save', '', '--appendonly', 'no'],
      env: baseEnv,
    });
    const s3 = start({ name: 's3', cmd: path.join(PY_BIN, 'moto_server'), args: ['-H', HOST, '-p', String(ports.s3)], env: baseEnv });
    const idpClients = [
      {
        client_id: IDP_CLIENT_ID,
        // DiracX names its own callback from the URL the browser used: also each origin it is reached at.
        redirect_uris: [urls.diracx, ...diracxOrigins].flatMap((o) => [
          `${o}/api/auth/authorize/complete`,
          `${o}/api/auth/device/complete`,
        ]),
      },
    ];
    const idp = start({
      name: 'idp',
      cmd: process.execPath,
      args: [path.join(ROOT, 'scripts/idp/idp.mjs')],
      env: {
        ...baseEnv,
        IDP_HOST: HOST,
        IDP_PORT: String(ports.idp),
        IDP_ISSUER: urls.idp,
        IDP_CLIENTS: JSON.stringify(idpClients),
        IDP_KEY_FILE: path.join(stateDir, 'idp-key.json'),
      },
    });
    await waitFor(redis, () => tcpOpen(ports.redis), { timeoutMs: 20_000 });
    await waitFor(s3, () => tcpOpen(ports.s3), { timeoutMs: 60_000 });
    await waitFor(idp, () => httpOk(`${urls.idp}/.well-known/openid-configuration`), { timeoutMs: 30_000 });

    const dxEnv = { ...baseEnv, ...diracxEnv({ stateDir, urls, ports, prepared, executor, redirects, sqliteTimeoutSeconds }) };
    const appEnv = { ...dxEnv, PYTHONPATH: prepared.extDir };
    log('stack: starting DiracX');
    const diracx = start({
      name: 'diracx',
      cmd: path.join(PY_BIN, 'uvicorn'),
      args: ['--factory', 'diracx.testing.routers:create_app', '--host', HOST, '--port', String(ports.diracx)],
      env: appEnv,
    });
    start({ name: 'scheduler', cmd: path.join(PY_BIN, 'diracx-tasks'), args: ['scheduler'], env: dxEnv });
    for (const size of ['small', 'medium', 'large']) {
      start({
        name: `worker-${size}`,
        cmd: path.join(PY_BIN, 'diracx-tasks'),
        args: ['worker', '--worker-size', size, '--max-concurrent-tasks', size === 'large' ? '4' : '2'],
        env: dxEnv,
      });
    }
    await waitFor(diracx, () => httpOk(`${urls.diracx}/api/health/ready`), { timeoutMs: 120_000 });
    await seedRss(dxEnv);
    // Rucio before the sites: they resolve InputData and register OutputData there.
    const rucio = withRucio
      ? await startRucioService({ stateDir, port: ports.rucio ?? (basePorts === TEST_PORTS ? 8724 : 8714), services, record, log })
      : undefined;
    if (executor === 'site') {
      log(
        `stack: starting the local execution sites (${localSites()
          .map((s) => s.site)
          .join(', ')})`,
      );
      for (const site of localSites()) start(siteService({ site, stateDir, urls, dxEnv, prepared, baseEnv, rucio }));
    }
    for (const svc of services) {
      if (svc.exited) throw new Error(`${svc.name} exited during start-up; see ${svc.logFile}`);
    }
    const info = { urls, ports, stateDir, vo: DEMO_VO, portalClientId: PORTAL_CLIENT_ID, env: dxEnv, rucio, executor };
    fs.writeFileSync(
      path.join(stateDir, 'stack.json'),
      JSON.stringify({ urls, ports, vo: DEMO_VO.vo, portalClientId: PORTAL_CLIENT_ID, executor, ...(rucio ? { rucio } : {}) }, null, 2),
    );
    return { ...info, services, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The local execution sites of config/sites.json. */
export function localSites() {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'config/sites.json'), 'utf8')).sites;
}

/**
 * The runtime configuration of one local site process (src/site/config.ts), written next to the stack's
 * state; `extra` overrides (tests start extra site processes with it).
 */
export function siteConfig({ site, stateDir, urls, dxEnv, prepared, rucio, extra = {} }) {
  return {
    ...site,
    localSites: localSites().map(({ site: name, queues }) => ({ site: name, ...(queues ? { queues } : {}) })),
    diracxUrl: urls.diracx,
    vo: DEMO_VO.vo,
    serviceUser: { user: SITE_USER.username, group: SITE_USER.group },
    apiKeyFile: prepared?.accountingKeyFile ?? path.join(stateDir, 'accounting-api-key'),
    jobDb: dxEnv.DIRACX_DB_URL_JOBDB.replace(/^sqlite\+aiosqlite:\/\/\//, '').replace(/\?.*$/, ''),
    catalogue: path.join(ROOT, 'config/resources.cfg'),
    stateDir: path.join(stateDir, 'site'),
    softwareDir: path.join(ROOT, 'scripts/site/software'),
    pollMs: Number(process.env.PORTAL_SITE_POLL_MS ?? 1500),
    heartbeatMs: Number(process.env.PORTAL_SITE_HEARTBEAT_MS ?? 3000),
    ...(rucio
      ? { rucio: { url: rucio.url, account: rucio.account, username: rucio.username, passwordFile: rucio.passwordFile, rse: rucio.rse } }
      : {}),
    ...extra,
  };
}

function siteService({ site, stateDir, urls, dxEnv, prepared, baseEnv, rucio }) {
  const cfg = siteConfig({ site, stateDir, urls, dxEnv, prepared, rucio });
  const file = path.join(stateDir, `site-${site.site}.json`);
  fs.writeFileSync(file, JSON.stringify(cfg, null, 2), { mode: 0o600 });
  return {
    name: `site-${site.site}`,
    cmd: process.execPath,
    args: [path.join(ROOT, 'src/site/main.ts'), file],
    // The payloads get their own minimal environment (wrapper.ts); the site process needs none of the stack's secrets.
    env: { PATH: baseEnv.PATH ?? '/usr/bin:/bin', HOME: baseEnv.HOME ?? stateDir, NODE_NO_WARNINGS: '1' },
  };
}

/**
 * A real Rucio server with the demo data (scripts/rucio), on PORTAL_RUCIO_PORT (default 8714, tests 8724), and
 * the local sites' storage element LOCAL-DISK (files in <state>/se) with a few real DL0 files.
 */
async function startRucioService({ stateDir, port: basePort, services, record, log }) {
  const port = Number(process.env.PORTAL_RUCIO_PORT ?? basePort);
  if (await portInUse(port))
    throw new Error(
      `Port ${port} (rucio) is already in use on ${HOST}. Stop what uses it or choose another port with PORTAL_RUCIO_PORT=<port>.`,
    );
  log(`stack: starting Rucio on port ${port}`);
  const { seedLocalDisk, startRucio } = await import('../rucio/rucio.mjs');
  const rucio = startRucio({ dir: path.join(stateDir, 'rucio'), port });
  if (rucio.pid) services.push({ name: 'rucio', pid: rucio.pid, logFile: path.join(stateDir, 'rucio/log', `server-${port}.log`) });
  if (rucio.conveyorPid)
    services.push({ name: 'rucio-conveyor', pid: rucio.conveyorPid, logFile: path.join(stateDir, 'rucio/log', `conveyor-${port}.log`) });
  record();
  const info = { url: rucio.url, account: rucio.account, username: rucio.username, passwordFile: rucio.passwordFile };
  const disk = await seedLocalDisk(info, { seDir: path.join(stateDir, 'se') });
  return { ...info, ...disk };
}

async function seedRss(dxEnv) {
  const script = path.join(ROOT, 'scripts/seed-rss.py');
  const catalogue = path.join(ROOT, 'config/resources.cfg');
  if (!fs.existsSync(script) || !fs.existsSync(catalogue)) return;
  run(
    path.join(PY_BIN, 'python'),
    [script, '--db-url', dxEnv.DIRACX_DB_URL_RESOURCESTATUSDB, '--vo', DEMO_VO.vo, '--catalogue', catalogue],
    { env: dxEnv, cwd: ROOT },
  );
}

/** The AES-256 key for stored schedule credentials of this state dir, created on first use (mode 0600). */
export function scheduleKeyFile(stateDir) {
  const file = path.join(stateDir, 'schedule-key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return file;
}

/** The BFF configuration for a running stack. */
export function portalConfig({ urls, ports, stateDir, databaseUrl, rucio }) {
  return {
    host: HOST,
    port: ports.bff,
    databaseUrl: databaseUrl ?? `sqlite:${path.join(stateDir, 'portal.db')}`,
    staticDir: path.join(ROOT, 'dist'),
    resourceCatalogue: path.join(ROOT, 'config/resources.cfg'),
    logLevel: process.env.PORTAL_LOG_LEVEL ?? 'info',
    // Scheduled submissions: a key made once per state dir (never in the repo), 1-minute schedules allowed.
    scheduleKeyFile: scheduleKeyFile(stateDir),
    scheduleMinIntervalMinutes: 1,
    schedulerTickMs: 2000,
    instances: [
      {
        id: 'local',
        label: 'Local DiracX (demo VO "escape")',
        url: urls.diracx,
        clientId: PORTAL_CLIENT_ID,
        groupSharing: { [DEMO_VO.vo]: DEMO_VO.groupSharing },
        accounting: {
          vo: DEMO_VO.vo,
          group: ACCOUNTING_USER.group,
          user: ACCOUNTING_USER.username,
          apiKeyFile: path.join(stateDir, 'accounting-api-key'),
        },
      },
    ],
    ...(rucio
      ? {
          datasetSources: [
            { type: 'catalogue' },
            {
              type: 'rucio',
              label: 'Rucio (local demo)',
              url: rucio.url,
              account: rucio.account,
              auth: { method: 'userpass', username: rucio.username, passwordFile: rucio.passwordFile },
              defaultScope: 'cta',
              ...(rucio.rse && rucio.seDir ? { localRses: { [rucio.rse]: rucio.seDir } } : {}),
            },
          ],
        }
      : {}),
    accountingIntervalMs: Number(process.env.PORTAL_ACCOUNTING_INTERVAL_MS ?? 5000),
    accountingSettleSeconds: 2,
  };
}

/**
 * Start the BFF as a child service (listening on ports.bff) and wait until it answers. `name` tells
 * replicas apart (their config, log and pid entry): the load bench runs two on one database.
 */
export async function startBff({ stack, databaseUrl, log = console.log, extraEnv = {}, name = 'bff' }) {
  const cfg = portalConfig({ ...stack, databaseUrl });
  const cfgFile = path.join(stack.stateDir, name === 'bff' ? 'portal.json' : `portal-${name}.json`);
  fs.writeFileSync(cfgFile, JSON.stringify(cfg, null, 2));
  if (await portInUse(stack.ports.bff))
    throw new Error(`Port ${stack.ports.bff} (portal) is already in use. Stop what uses it or set PORTAL_BFF_PORT=<port>.`);
  log(`stack: starting the portal (BFF) on ${stack.urls.bff}`);
  const svc = startService({
    name,
    cmd: process.execPath,
    args: [path.join(ROOT, 'src/server/server.ts')],
    env: { ...process.env, PORTAL_CONFIG: cfgFile, ...extraEnv },
    cwd: ROOT,
    logDir: path.join(stack.stateDir, 'logs'),
  });
  const pids = path.join(stack.stateDir, 'pids.json');
  const list = fs.existsSync(pids) ? JSON.parse(fs.readFileSync(pids, 'utf8')) : [];
  fs.writeFileSync(pids, JSON.stringify([...list, { name, pid: svc.pid }]));
  await waitFor(svc, () => httpOk(`${stack.urls.bff}/bff/healthz`), { timeoutMs: 60_000 });
  return { svc, stop: () => stopPids([svc.pid]) };
}
