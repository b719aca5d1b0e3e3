// A real Rucio server (PyPI `rucio`, pinned in requirements.lock) for tests and `npm start`:
// - ensureRucioVenv(): the virtualenv `.venv-rucio` (idempotent: reinstalled only when the lock changes);
// - startRucio({ dir, port }): bootstrap a SQLite Rucio in `dir`, start gunicorn on 127.0.0.1:port and seed
//   the CTA-like demo data (start-rucio.sh); returns { url, account, username, passwordFile, stop };
// - seedLocalDisk(rucio, { seDir }): the posix RSE LOCAL-DISK (files under seDir) where the local sites keep
//   OutputData, with a few real DL0 files of the portal catalogue on it, and cta:prod5b.lst1.dl0.run2968, raw files
//   with bytes on tape at PIC (Node 24: uses src/site/data.ts).
// Runs on Node 20 too (ensure-deps).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
export const RUCIO_VENV = path.join(ROOT, '.venv-rucio');
export const DEFAULT_RUCIO_PORT = { dev: 8714, test: 8724 };
/** The root identity start-rucio.sh bootstraps. */
export const RUCIO_ROOT = { account: 'root', username: 'ddmlab', password: 'secret' };

/** A token of that root identity (benches seed replicas with it). */
export async function rucioRootToken(url) {
  const res = await fetch(`${url}/auth/userpass`, {
    headers: { 'X-Rucio-Account': RUCIO_ROOT.account, 'X-Rucio-Username': RUCIO_ROOT.username, 'X-Rucio-Password': RUCIO_ROOT.password },
  });
  const token = res.headers.get('x-rucio-auth-token');
  if (!token) throw new Error(`no Rucio token: ${res.status}`);
  return token;
}

/** Register replicas (metadata only) of these files on an RSE, 500 per call (the SQLite Rucio refuses much bigger inserts). */
export async function addReplicas(url, token, rse, files) {
  for (let i = 0; i < files.length; i += 500) {
    const res = await fetch(`${url}/replicas`, {
      method: 'POST',
      headers: { 'X-Rucio-Auth-Token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ rse, files: files.slice(i, i + 500) }),
    });
    if (!res.ok && res.status !== 409) throw new Error(`replicas on ${rse}: ${res.status} ${await res.text()}`);
  }
}

function pythonForRucio() {
  for (const c of [process.env.PYTHON, 'python3.11', 'python3.12', 'python3']) {
    if (!c) continue;
    const r = spawnSync(c, ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)']);
    if (r.status === 0) return c;
  }
  throw new Error('Rucio needs Python >= 3.10 (python3.11 not found)');
}

/** Create or update .venv-rucio from requirements.lock (PyPI only). */
export function ensureRucioVenv({ log = console.log } = {}) {
  const lock = path.join(HERE, 'requirements.lock');
  const stamp = path.join(RUCIO_VENV, '.requirements-hash');
  const hash = crypto.createHash('sha256').update(fs.readFileSync(lock)).digest('hex');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash && fs.existsSync(path.join(RUCIO_VENV, 'bin/gunicorn'))) return;
  const sh = (cmd, args) => {
    const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
  };
  if (!fs.existsSync(path.join(RUCIO_VENV, 'bin/python'))) {
    log('rucio: creating .venv-rucio');
    sh(pythonForRucio(), ['-m', 'venv', RUCIO_VENV]);
  }
  log('rucio: installing rucio (pinned) into .venv-rucio');
  sh(path.join(RUCIO_VENV, 'bin/pip'), ['install', '-q', '--disable-pip-version-check', '-r', lock]);
  fs.writeFileSync(stamp, hash);
}

function script(args, { dir, port, env = {} }) {
  const r = spawnSync('bash', [path.join(HERE, 'start-rucio.sh'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, RUCIO_DIR: dir, RUCIO_PORT: String(port), RUCIO_VENV, ...env },
  });
  if (r.status !== 0) throw new Error(`start-rucio.sh ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * Start (or reuse) a seeded Rucio server with its state in `dir`, and its conveyor unless `conveyor` is false
 * (then `startConveyor` starts it later, e.g. after more seeding).
 */
export function startRucio({ dir, port, conveyor = true }) {
  ensureRucioVenv();
  fs.mkdirSync(dir, { recursive: true });
  script([], { dir, port, env: conveyor ? {} : { CONVEYOR: '0' } });
  const passwordFile = path.join(dir, 'portal-password');
  fs.writeFileSync(passwordFile, `${RUCIO_ROOT.password}\n`, { mode: 0o600 });
  const pidFile = path.join(dir, `rucio-${port}.pid`);
  const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : null;
  return {
    url: `http://127.0.0.1:${port}`,
    account: RUCIO_ROOT.account,
    username: RUCIO_ROOT.username,
    passwordFile,
    pid,
    stop: () => script(['stop'], { dir, port }),
  };
}

/** Start the conveyor beside a server started with `conveyor: false`; its pid (`stop` ends it too). */
export function startConveyor({ dir, port }) {
  script(['conveyor'], { dir, port });
  return Number(fs.readFileSync(path.join(dir, `conveyor-${port}.pid`), 'utf8'));
}

/** The storage element of the local sites (a posix RSE on this host). */
export const LOCAL_RSE = 'LOCAL-DISK';
/** How many DL0 files of the demo catalogue get real bytes on LOCAL-DISK, and how large each is. */
export const LOCAL_DL0_FILES = 8;
const LOCAL_DL0_BYTES = 256 * 1024;

/**
 * The DL0 files of the portal's demo catalogue (its default size, 20,000 files) that have real bytes on
 * LOCAL-DISK: the first LOCAL_DL0_FILES of the first project. Node 24 (imports TypeScript).
 */
export async function localDl0Files() {
  const { generateDemoDatasets } = await import('../../src/server/datasets/demo-seed.ts');
  return generateDemoDatasets({ count: 20_000 })
    .filter((f) => f.dataLevel === 'DL0')
    .slice(0, LOCAL_DL0_FILES)
    .map((f) => f.lfn);
}

/** Deterministic bytes of a demo file (a counter-mode sha256 stream of its name): the same file on every machine. */
function demoBytes(key) {
  const chunks = [];
  for (let i = 0; i * 32 < LOCAL_DL0_BYTES; i++) chunks.push(crypto.createHash('sha256').update(`${key}#${i}`).digest());
  return Buffer.concat(chunks).subarray(0, LOCAL_DL0_BYTES);
}

/** The dataset of raw files with bytes on CTA-PIC-TAPE (seedLocalDisk): all of them on tape, the last also on disk. */
export const PIC_TAPE_DATASET = { scope: 'cta', name: 'prod5b.lst1.dl0.run2968' };
/** How many of them are on tape only. */
const PIC_TAPE_ONLY = 2;
/** Their names are LFNs (scope = first path segment), so that jobs get them as InputData and the sites read them. */
export const picTapeFiles = () =>
  [1, 2, 3].map((i) => `/cta/prod5b/lst1/dl0/run2968/LST-1.1.Run02968.${String(i).padStart(4, '0')}.dl0.fits.fz`);

/**
 * Create LOCAL-DISK (posix, files under seDir, Rucio's `identity` lfn2pfn: `<scope>/<name>`) and register
 * the demo DL0 files on it through the sites' own write path (src/site/data.ts `putAndRegister`), attached
 * to one dataset per project. Idempotent (409s and already registered files are skipped).
 */
export async function seedLocalDisk(rucio, { seDir }) {
  const data = await import('../../src/site/data.ts');
  const { didOfLfn } = await import('../../src/contracts/outputs.ts');
  const { localPathOf } = await import('../../src/server/productions/outputs.ts');
  fs.mkdirSync(seDir, { recursive: true });
  fs.chmodSync(seDir, 0o755);
  const session = data.rucioSessionFor({ ...rucio, rse: LOCAL_RSE });
  const post = (p, body) =>
    session.authed(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, [409]);
  await post(`/rses/${LOCAL_RSE}`, { deterministic: true, volatile: false, rse_type: 'DISK' });
  await post(`/rses/${LOCAL_RSE}/attr/lfn2pfn_algorithm`, { value: 'identity' });
  await post(`/rses/${LOCAL_RSE}/protocols/file`, {
    hostname: 'localhost',
    port: 0,
    prefix: path.resolve(seDir),
    impl: 'rucio.rse.protocols.posix.Default',
    domains: { lan: { read: 1, write: 1, delete: 1 }, wan: { read: 1, write: 1, delete: 1 } },
  });
  const tmp = fs.mkdtempSync(path.join(seDir, '.seed-'));
  try {
    for (const lfn of await localDl0Files()) {
      const { scope, name } = didOfLfn(lfn);
      const dataset = { scope, name: path.posix.dirname(lfn) };
      await data.ensureDataset(session, dataset.scope, dataset.name);
      const file = path.join(tmp, path.posix.basename(lfn));
      fs.writeFileSync(file, demoBytes(lfn));
      await data.putAndRegister(session, { rse: LOCAL_RSE, scope, name, file, dataset, meta: { datatype: 'DL0' } });
    }
    // Raw files with bytes on tape at PIC, the storage of the local site HPC.MareNostrum.es (start-rucio.sh gives the
    // topology RSEs a posix protocol), so that a stage-first launch there stages for real and its jobs run.
    const { scope, name: dsName } = PIC_TAPE_DATASET;
    await data.ensureDataset(session, scope, dsName, { project: 'prod5b' });
    for (const [i, name] of picTapeFiles().entries()) {
      const file = path.join(tmp, path.posix.basename(name));
      fs.writeFileSync(file, demoBytes(name));
      const dataset = { scope, name: dsName };
      const put = await data.putAndRegister(session, { rse: 'CTA-PIC-TAPE', scope, name, file, dataset, meta: { datatype: 'DL0' } });
      if (i < PIC_TAPE_ONLY) continue;
      // The last one is on disk at PIC too (recalled earlier): jobs there read it at once.
      const target = localPathOf(await data.pfnFor(session, 'CTA-PIC-DISK', scope, name));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(file, target);
      const { bytes, adler32, md5 } = put;
      await post('/replicas', { rse: 'CTA-PIC-DISK', files: [{ scope, name, bytes, adler32, md5 }] });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { rse: LOCAL_RSE, seDir: path.resolve(seDir) };
}
