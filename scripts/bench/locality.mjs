// Replica lookup + locality ranking for a 10,000-file basket (issue #16): half catalogue files (a throw-away
// SQLite with the demo catalogue and its replicas), half Rucio file DIDs (a real Rucio started here, its demo
// topology plus 5,000 files spread over disk and tape RSEs), through the BFF's own lookupLocality (median of 3
// after a warm-up), side by side with the `POST /replicas/list` calls it makes (same batches, same
// parallelism) sent directly to Rucio: the ratio is what the portal adds to the Rucio calls it cannot avoid.
// Run alone: `node scripts/bench/locality.mjs [files]`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findFreePort } from '../lib/postgres.mjs';
import { ROOT } from '../lib/stack.mjs';
import { addReplicas, rucioRootToken, startRucio } from '../rucio/rucio.mjs';

const mod = (p) => import(pathToFileURL(path.join(ROOT, p)).href);
const { openDatabase } = await mod('src/server/db/database.ts');
const { migrate } = await mod('src/server/db/migrations.ts');
const { migrations } = await mod('src/server/migrations.ts');
const { ensureDemoDatasets, generateDemoDatasets } = await mod('src/server/datasets/demo-seed.ts');
const { lookupLocality, RUCIO_BATCH, RUCIO_PARALLEL } = await mod('src/server/datasets/replicas.ts');
const { createRucioClient } = await mod('src/server/datasets/rucio.ts');
const { loadCatalogue } = await mod('src/server/resources/catalogue.ts');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** n files `cta:bench.loc.<i>.h5`: a third on disk at DESY, a third only on tape at PIC, a third on disk and tape at PIC. */
async function seedRucio(url, token, n) {
  const byRse = { 'CTA-DESY-DISK': [], 'CTA-PIC-TAPE': [], 'CTA-PIC-DISK': [] };
  for (let i = 0; i < n; i++) {
    const f = { scope: 'cta', name: `bench.loc.${i}.h5`, bytes: 100_000_000 + i, adler32: (i + 1).toString(16).padStart(8, '0') };
    if (i % 3 === 0) byRse['CTA-DESY-DISK'].push(f);
    else {
      byRse['CTA-PIC-TAPE'].push(f);
      if (i % 3 === 2) byRse['CTA-PIC-DISK'].push(f);
    }
  }
  for (const [rse, files] of Object.entries(byRse)) await addReplicas(url, token, rse, files);
}

export async function benchLocality(report, files = 10_000) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-locality-'));
  let rucio;
  try {
    rucio = startRucio({ dir: path.join(dir, 'rucio'), port: await findFreePort() });
    const token = await rucioRootToken(rucio.url);
    const half = Math.floor(files / 2);
    await seedRucio(rucio.url, token, files - half);

    const db = await openDatabase(`sqlite:${path.join(dir, 'portal.db')}`);
    await migrate(db, migrations);
    await ensureDemoDatasets(db, { count: Math.max(20_000, half) });
    const item = (kind, ref, name, sizeBytes) => ({
      id: `${kind}-${ref}`,
      kind,
      ref,
      name,
      sizeBytes,
      dataLevel: null,
      projectId: null,
      source: kind === 'lfn' ? 'catalogue' : 'rucio',
      group: null,
      addedAt: '',
      meta: {},
    });
    const items = [
      ...generateDemoDatasets({ count: Math.max(20_000, half) })
        .slice(0, half)
        .map((f) => item('lfn', f.lfn, f.name, f.sizeBytes)),
      ...Array.from({ length: files - half }, (_, i) => item('rucio', `cta:bench.loc.${i}.h5`, `bench.loc.${i}.h5`, null)),
    ];
    const client = createRucioClient({
      url: rucio.url,
      label: 'Rucio',
      account: rucio.account,
      username: rucio.username,
      passwordFile: rucio.passwordFile,
      timeoutMs: 60_000,
    });
    const deps = { db, rucio: client, catalogue: await loadCatalogue(path.join(ROOT, 'config/resources.cfg')) };

    const portal = [];
    let answer;
    for (let run = 0; run < 4; run++) {
      const t0 = performance.now();
      answer = await lookupLocality(deps, items);
      if (run > 0) portal.push(performance.now() - t0);
    }
    if (answer.summary.files !== files) throw new Error(`locality counted ${answer.summary.files} files, expected ${files}`);

    // The same Rucio calls, sent directly: RUCIO_BATCH DIDs per call, RUCIO_PARALLEL at a time, bodies read whole.
    const dids = items.filter((i) => i.kind === 'rucio').map((i) => ({ scope: 'cta', name: i.name }));
    const batches = [];
    for (let i = 0; i < dids.length; i += RUCIO_BATCH) batches.push(dids.slice(i, i + RUCIO_BATCH));
    const direct = [];
    for (let run = 0; run < 4; run++) {
      const t0 = performance.now();
      for (let i = 0; i < batches.length; i += RUCIO_PARALLEL) {
        await Promise.all(
          batches.slice(i, i + RUCIO_PARALLEL).map(async (b) => {
            const res = await fetch(`${rucio.url}/replicas/list`, {
              method: 'POST',
              headers: { 'X-Rucio-Auth-Token': token, 'content-type': 'application/json' },
              body: JSON.stringify({ dids: b, all_states: false }),
            });
            await res.text();
          }),
        );
      }
      if (run > 0) direct.push(performance.now() - t0);
    }
    await db.close();

    report('locality_basket_files', files, 'files');
    report('locality_lookup_and_ranking', median(portal), 'ms');
    report('locality_rucio_calls', answer.summary.rucioCalls, 'calls');
    report('locality_rucio_calls_direct', median(direct), 'ms');
    report('locality_lookup_over_rucio_calls', median(portal) / median(direct), 'ratio');
  } finally {
    rucio?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = Number(process.argv[2] ?? 10_000);
  await benchLocality((name, value, unit) => console.log(`${name}: ${Number(value).toFixed(3)} ${unit}`), n);
}
