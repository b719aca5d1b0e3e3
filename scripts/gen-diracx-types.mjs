// Regenerate the DiracX client types from a running DiracX's OpenAPI document.
// Usage: node scripts/gen-diracx-types.mjs [http://127.0.0.1:8710]
// Writes src/server/diracx/openapi.json (the snapshot) and src/server/diracx/schema.d.ts.
// An integration test compares the snapshot with the live document, so drift is caught.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const base = (process.argv[2] ?? 'http://127.0.0.1:8710').replace(/\/+$/, '');
const res = await fetch(`${base}/api/openapi.json`);
if (!res.ok) throw new Error(`GET ${base}/api/openapi.json -> ${res.status}`);
const doc = await res.json();
const outDir = path.join(root, 'src/server/diracx');
fs.mkdirSync(outDir, { recursive: true });
const snapshot = path.join(outDir, 'openapi.json');
fs.writeFileSync(snapshot, `${JSON.stringify(doc, null, 2)}\n`);
execFileSync(path.join(root, 'node_modules/.bin/openapi-typescript'), [snapshot, '-o', path.join(outDir, 'schema.d.ts')], {
  stdio: 'inherit',
});
console.log(`DiracX types regenerated from ${base}`);
