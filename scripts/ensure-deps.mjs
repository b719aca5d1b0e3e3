// Install what the portal needs, idempotently: npm packages (including Node 24
// itself, the `node` devDependency), Debian packages (Redis; for tests also
// Chromium, PostgreSQL and nginx), the DiracX virtualenv (.venv, pinned) and, for tests,
// helm + kubeconform + Kubernetes schemas built from the Go module proxy (.tools/).
// Runs on the machine's Node 20 too, since it is what installs Node 24.
// Usage: node scripts/ensure-deps.mjs [--test]
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const forTests = process.argv.includes('--test') || process.env.npm_lifecycle_event === 'pretest';
const log = (msg) => console.log(`deps: ${msg}`);

function sh(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (res.error) throw new Error(`${cmd}: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${res.status}`);
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function sha(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

// 1. npm packages
const lock = path.join(root, 'package-lock.json');
const installedLock = path.join(root, 'node_modules/.package-lock.json');
const stamp = path.join(root, 'node_modules/.portal-lock-hash');
if (!fs.existsSync(installedLock) || !fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== sha(lock)) {
  log('installing npm packages (npm ci)');
  sh('npm', ['ci', '--no-audit', '--no-fund']);
  fs.writeFileSync(stamp, sha(lock));
}

// 2. Debian packages
function postgresBinaries() {
  const base = '/usr/lib/postgresql';
  return fs.existsSync(base) && fs.readdirSync(base).some((v) => fs.existsSync(path.join(base, v, 'bin/initdb')));
}
const missing = [];
if (!has('redis-server')) missing.push('redis-server');
if (forTests && !fs.existsSync('/usr/bin/chromium')) missing.push('chromium');
if (forTests && !postgresBinaries()) missing.push('postgresql');
// The TLS reverse proxy of the production topology test (scripts/topology).
if (forTests && !fs.existsSync('/usr/sbin/nginx')) missing.push('nginx');
if (!has('git')) missing.push('git');
if (missing.length) {
  if (process.getuid?.() !== 0) {
    console.error(
      `deps: missing Debian packages: ${missing.join(' ')}\n  Install them with: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`,
    );
    process.exit(1);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  sh('apt-get', ['update', '-qq']);
  sh(
    'apt-get',
    ['install', '-y', '-qq', '--no-install-recommends', ...missing, ...(missing.includes('chromium') ? ['fonts-dejavu-core'] : [])],
    { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } },
  );
}

// 3. DiracX virtualenv
const venvPy = path.join(root, '.venv/bin/python');
const reqs = path.join(root, 'scripts/diracx/requirements.txt');
const reqStamp = path.join(root, '.venv/.requirements-hash');
if (!fs.existsSync(venvPy)) {
  const candidates = ['python3.11', 'python3.12', 'python3.13', 'python3'];
  const python = candidates.find((c) => {
    if (!has(c)) return false;
    const r = spawnSync(c, ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)']);
    return r.status === 0;
  });
  if (!python) {
    console.error('deps: DiracX needs Python >= 3.11 (python3.11 not found). Install it (e.g. apt-get install python3) and run again.');
    process.exit(1);
  }
  log(`creating the DiracX virtualenv with ${python}`);
  sh(python, ['-m', 'venv', path.join(root, '.venv')]);
}
if (!fs.existsSync(reqStamp) || fs.readFileSync(reqStamp, 'utf8') !== sha(reqs)) {
  log('installing DiracX (pinned) into .venv');
  sh(path.join(root, '.venv/bin/pip'), ['install', '-q', '--disable-pip-version-check', '-r', reqs]);
  fs.writeFileSync(reqStamp, sha(reqs));
}
// 4. Rucio virtualenv (.venv-rucio, pinned): Rucio is part of the stack (the local sites' data catalogue);
// `PORTAL_RUCIO=0 npm start` runs without it.
if (forTests || process.env.PORTAL_RUCIO !== '0') {
  const { ensureRucioVenv } = await import('./rucio/rucio.mjs');
  ensureRucioVenv({ log });
}
// 5. Boutiques virtualenv (.venv-boutiques, pinned): only for the tests (the cross-checks against Boutiques)
if (forTests) {
  const { ensureBoutiquesVenv } = await import('./boutiques/venv.mjs');
  ensureBoutiquesVenv({ log });
}
// 6. helm, kubeconform, the Kubernetes and CRD schemas (pinned, .tools/): only for the tests' chart check
if (forTests) {
  const { ensureCrdSchemas, ensureK8sBinaries, ensureK8sSchemas } = await import('./lib/k8s-tools.mjs');
  ensureK8sBinaries({ log });
  ensureK8sSchemas({ log });
  ensureCrdSchemas({ log });
}
log('all dependencies present');
