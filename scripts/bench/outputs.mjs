// Output download throughput (issue #12): one 64 MiB output of a production, streamed through the BFF
// (`GET /bff/v1/productions/:id/outputs/file`: visibility check, Rucio listing, replica path, stream) vs read
// directly from its replica on LOCAL-DISK, median of 5 after a warm-up. The file is put and registered in the
// production's dataset with the sites' own write path (src/site/data.ts): a 64 MiB payload output would only
// make the bench slower, not the download different.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../lib/stack.mjs';

const mod = (p) => import(pathToFileURL(path.join(ROOT, p)).href);
const SIZE = 64 * 1024 * 1024;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function drain(iterable) {
  let n = 0;
  for await (const chunk of iterable) n += chunk.length;
  return n;
}

export async function benchOutputs(stack, auth, { report }) {
  if (!stack.rucio) throw new Error('the bench stack runs no Rucio');
  const data = await mod('src/site/data.ts');
  const { productionDataset } = await mod('src/contracts/outputs.ts');
  const { localPathOf } = await mod('src/server/productions/outputs.ts');
  const bff = (p, init = {}) => fetch(`${stack.urls.bff}${p}`, { ...init, headers: { ...auth, ...init.headers } });

  const launched = await bff('/bff/v1/launches', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      idempotencyKey: `bench-outputs-${crypto.randomUUID()}`,
      name: 'bench outputs',
      workflowId: 'hello-world',
      values: { GREETING: 'Hello', MESSAGE: 'bench' },
    }),
  });
  if (launched.status !== 202) throw new Error(`bench outputs: launch ${launched.status} ${await launched.text()}`);
  const { id } = await launched.json();
  const { production } = await (await bff(`/bff/v1/productions/${id}`)).json();

  const rucio = data.rucioSessionFor(stack.rucio);
  const ds = productionDataset(stack.vo.vo ?? 'escape', 'alice', production.jobGroup);
  await data.ensureUserScope(rucio, 'alice');
  await data.ensureDataset(rucio, ds.scope, ds.name);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-outputs-'));
  try {
    const file = path.join(tmp, 'bench-64MiB.bin');
    fs.writeFileSync(file, crypto.randomBytes(SIZE));
    const lfn = `${ds.name}/0/bench-64MiB.bin`;
    const reg = await data.putAndRegister(rucio, { rse: stack.rucio.rse, scope: ds.scope, name: lfn, file, dataset: ds });
    const local = localPathOf(reg.pfn);
    const viaBff = async () => {
      const res = await bff(`/bff/v1/productions/${id}/outputs/file?lfn=${encodeURIComponent(lfn)}`);
      if (!res.ok) throw new Error(`bench outputs: download ${res.status} ${await res.text()}`);
      return drain(res.body);
    };
    const direct = () => drain(fs.createReadStream(local, { highWaterMark: 256 * 1024 }));
    const times = { bff: [], direct: [] };
    await viaBff();
    await direct();
    for (let i = 0; i < 5; i++) {
      for (const [k, fn] of [
        ['bff', viaBff],
        ['direct', direct],
      ]) {
        const t0 = performance.now();
        const n = await fn();
        times[k].push(performance.now() - t0);
        if (n !== SIZE) throw new Error(`bench outputs: ${k} read ${n} bytes of ${SIZE}`);
      }
    }
    const mibs = (ms) => SIZE / 1024 / 1024 / (ms / 1000);
    report('output_download_bff_mib_s', mibs(median(times.bff)), 'MiB/s');
    report('output_download_direct_mib_s', mibs(median(times.direct)), 'MiB/s');
    report('output_download_bff_over_direct', median(times.bff) / median(times.direct), 'ratio');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
