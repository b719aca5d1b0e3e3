// The virtualenv `.venv-boutiques` with PyPI `boutiques` (pinned in requirements.lock): Boutiques' own
// reference implementation and official descriptor schema, which the tests cross-check the portal's
// descriptor model and command lines against. Idempotent: reinstalled only when the lock changes.
// Runs on Node 20 too (ensure-deps).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
export const BOUTIQUES_VENV = path.join(ROOT, '.venv-boutiques');

function python() {
  for (const c of [process.env.PYTHON, 'python3.11', 'python3.12', 'python3.13', 'python3']) {
    if (!c) continue;
    const r = spawnSync(c, ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)']);
    if (r.status === 0) return c;
  }
  throw new Error('boutiques needs Python >= 3.9 (python3 not found)');
}

/** Create or update .venv-boutiques from requirements.lock (PyPI only). */
export function ensureBoutiquesVenv({ log = console.log } = {}) {
  const lock = path.join(HERE, 'requirements.lock');
  const stamp = path.join(BOUTIQUES_VENV, '.requirements-hash');
  const hash = crypto.createHash('sha256').update(fs.readFileSync(lock)).digest('hex');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash && fs.existsSync(path.join(BOUTIQUES_VENV, 'bin/bosh'))) return;
  const sh = (cmd, args) => {
    const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
  };
  if (!fs.existsSync(path.join(BOUTIQUES_VENV, 'bin/python'))) {
    log('boutiques: creating .venv-boutiques');
    sh(python(), ['-m', 'venv', BOUTIQUES_VENV]);
  }
  log('boutiques: installing boutiques (pinned) into .venv-boutiques');
  sh(path.join(BOUTIQUES_VENV, 'bin/pip'), ['install', '-q', '--disable-pip-version-check', '-r', lock]);
  fs.writeFileSync(stamp, hash);
}
