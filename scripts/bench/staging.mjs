// Stage-first launches (issue #16) on the bench stack: N files only on tape at PIC (replicas registered in the
// stack's real Rucio, metadata only) launched one job per file with "stage first" at HPC.MareNostrum.es. The BFF
// makes one Rucio rule per file to CTA-PIC-DISK, Rucio's conveyor with its mock transfertool "transfers" them, and
// each job is submitted once its file is on disk there. Figures, from the launch request (the BFF polled every
// 250 ms): every rule OK as the portal records it (`staging_launch_to_rules_ok`), every job submitted
// (`staging_launch_to_jobs_submitted`), and the same launch without stage first (`staging_launch_without_staging`).
// Their difference is the conveyor's cycle (CONVEYOR_SLEEP, 2 s) plus the BFF's rule polls (stagingPollSeconds,
// 10 s by default), not bytes moved. Part of `npm run bench` (PORTAL_BENCH_STAGING_FILES, default 50); alone, on a
// stack of its own (ports 8780-8785): `node scripts/bench/staging.mjs [files]` (bench/results-staging.json).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureSpaBuild } from '../lib/build.mjs';
import { demoUserAuth } from '../lib/login.mjs';
import { ROOT, startBff, startStack } from '../lib/stack.mjs';
import { addReplicas, rucioRootToken } from '../rucio/rucio.mjs';

const PIC = 'HPC.MareNostrum.es';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function benchStaging(stack, auth, { report, files = Number(process.env.PORTAL_BENCH_STAGING_FILES ?? 50) }) {
  if (!stack.rucio) throw new Error('the staging bench needs the stack with Rucio (PORTAL_RUCIO=0 is set)');
  const api = async (p, init = {}) => {
    const r = await fetch(`${stack.urls.bff}${p}`, {
      ...init,
      headers: { ...auth, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
    const body = await r.json();
    if (!r.ok) throw new Error(`${init.method ?? 'GET'} ${p}: ${r.status} ${JSON.stringify(body)}`);
    return body;
  };

  // N new tape-only files (a fresh name per run), pasted into alice's basket.
  const tag = Date.now().toString(36);
  const tape = Array.from({ length: files }, (_, i) => ({
    scope: 'cta',
    name: `bench.stage.${tag}.${i}.dl0.fits.fz`,
    bytes: 1000,
    adler32: (i + 1).toString(16).padStart(8, '0'),
    meta: { datatype: 'DL0' },
  }));
  await addReplicas(stack.rucio.url, await rucioRootToken(stack.rucio.url), 'CTA-PIC-TAPE', tape);
  const dids = tape.map((f) => `${f.scope}:${f.name}`);
  await api('/bff/v1/basket/rucio', { method: 'POST', body: JSON.stringify({ dids: dids.join('\n') }) });
  const { items } = await api('/bff/v1/basket');
  const ids = dids.map((d) => items.find((i) => i.ref === d)?.id);
  if (ids.some((id) => !id)) throw new Error('staging bench: a pasted DID is not in the basket');

  const run = async (stageAt) => {
    const t0 = performance.now();
    let launch = await api('/bff/v1/launches', {
      method: 'POST',
      body: JSON.stringify({
        idempotencyKey: `bench-stage-${tag}-${stageAt ? 'staged' : 'plain'}`,
        name: 'bench staging',
        workflowId: 'cta-dl0-dl3',
        values: {},
        inputItemIds: ids,
        inputMode: 'per-file',
        ...(stageAt ? { stageAt } : {}),
      }),
    });
    let rulesOk = stageAt ? null : 0;
    for (;;) {
      const failed = launch.staging.filter((f) => f.state === 'failed');
      if (failed.length) throw new Error(`staging bench: ${failed.length} file(s) failed: ${failed[0].error}`);
      if (rulesOk === null && launch.staging.length === files && launch.staging.every((f) => f.state === 'ok'))
        rulesOk = performance.now() - t0;
      if (['submitted', 'partial', 'failed'].includes(launch.status)) break;
      if (performance.now() - t0 > 900_000) throw new Error(`staging bench: launch still ${launch.status} after 15 min`);
      await sleep(250);
      launch = await api(`/bff/v1/launches/${launch.id}`);
    }
    if (launch.status !== 'submitted' || launch.submittedJobs !== files)
      throw new Error(
        `staging bench: launch ended ${launch.status} with ${launch.submittedJobs}/${files} jobs: ${launch.errors[0]?.message}`,
      );
    const rules = new Set(launch.staging.map((f) => f.ruleId));
    if (stageAt && rules.size !== files) throw new Error(`staging bench: ${rules.size} rules for ${files} files`);
    return { rulesOk: rulesOk ?? performance.now() - t0, submitted: performance.now() - t0 };
  };

  const staged = await run(PIC);
  const plain = await run(undefined);
  report('staging_files', files, 'files');
  report('staging_launch_to_rules_ok', staged.rulesOk / 1000, 's');
  report('staging_launch_to_jobs_submitted', staged.submitted / 1000, 's');
  report('staging_launch_without_staging', plain.submitted / 1000, 's');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = {};
  const report = (name, value, unit) => {
    results[name] = { value: Number(Number(value).toFixed(3)), unit };
    console.log(`${name}: ${Number(value).toFixed(3)} ${unit}`);
  };
  ensureSpaBuild();
  const ports = { bff: 8785, diracx: 8780, idp: 8781, s3: 8782, redis: 8783, rucio: 8784 };
  const stack = await startStack({ stateDir: path.join(ROOT, '.stack/bench-staging'), ports, fresh: true, log: () => {} });
  try {
    const bff = await startBff({ stack, log: () => {}, extraEnv: { PORTAL_LOG_LEVEL: 'warn' } });
    try {
      await benchStaging(stack, await demoUserAuth(stack), { report, ...(process.argv[2] ? { files: Number(process.argv[2]) } : {}) });
    } finally {
      await bff.stop();
    }
  } finally {
    await stack.stop();
  }
  fs.mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
  fs.writeFileSync(
    path.join(ROOT, 'bench/results-staging.json'),
    `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`,
  );
}
