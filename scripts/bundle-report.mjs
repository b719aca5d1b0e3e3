// What a route makes the browser load, from Vite's build manifest: the entry's static imports plus the
// route's lazy modules and theirs, each file's gzipped size, and how many request "waves" it takes
// (a file imported dynamically is only requested once the module importing it has run).
//   node scripts/bundle-report.mjs [--dist dist] [--build] <module> …
// <module> is a source path as the manifest names it (src/app/routes/HomePage.tsx). `--build` first runs
// `vite build --manifest` into --dist. The browser figures stay with `npm run bench` (first_page_js_*,
// monitor_route_js_*); this is the quick look while changing the chunking.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { run } from './lib/proc.mjs';
import { ROOT } from './lib/stack.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const dist = path.resolve(ROOT, opt('--dist', 'dist'));
if (args.includes('--build')) {
  args.splice(args.indexOf('--build'), 1);
  run(path.join(ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn', '--manifest', '--outDir', dist], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}
const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8'));
const gz = (file) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;

/** Files of `key` and its static imports, each with the wave it is requested in. */
function closure(key, wave, into) {
  const chunk = manifest[key];
  if (!chunk)
    throw new Error(
      `not in the manifest: ${key} (names: ${Object.keys(manifest)
        .filter((k) => manifest[k].isDynamicEntry)
        .join(', ')})`,
    );
  if (!into.has(chunk.file) || into.get(chunk.file) > wave) into.set(chunk.file, wave);
  // Static imports are modulepreloaded together with the module that imports them: same wave.
  for (const dep of chunk.imports ?? []) closure(dep, wave, into);
  return into;
}

const files = closure('index.html', 0, new Map());
// Each named lazy module comes one wave after the entry (router `lazy`, React `lazy`).
for (const m of args) closure(m, 1, files);
let total = 0;
const rows = [...files].map(([file, wave]) => ({ file, wave, kb: gz(file) / 1024 }));
rows.sort((a, b) => a.wave - b.wave || b.kb - a.kb);
for (const r of rows) {
  total += r.kb;
  console.log(`${r.wave}  ${r.kb.toFixed(1).padStart(7)} KB  ${r.file}`);
}
console.log(`total: ${total.toFixed(1)} KB gzipped in ${rows.length} files`);
