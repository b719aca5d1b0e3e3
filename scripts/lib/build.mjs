import fs from 'node:fs';
import path from 'node:path';
import { run } from './proc.mjs';
import { ROOT } from './stack.mjs';

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const e of fs.readdirSync(p)) {
    if (e === 'server' && p.endsWith(`${path.sep}src`)) continue;
    max = Math.max(max, newest(path.join(p, e)));
  }
  return max;
}

/** Build the SPA with Vite when dist/ is missing or older than its sources. */
export function ensureSpaBuild(log = console.log) {
  const built = path.join(ROOT, 'dist/index.html');
  const sources = ['src', 'index.html', 'vite.config.ts', 'public', 'package-lock.json'].map((p) => newest(path.join(ROOT, p)));
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= Math.max(...sources)) return false;
  log('build: building the SPA (vite build)');
  run(path.join(ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  return true;
}
