/**
 * Results come back to the scientist (issue #12), against the real stack: CTA DL0→DL3 on 5 catalogue files
 * with real bytes on LOCAL-DISK → 5 jobs Done → 5 outputs registered in Rucio → listed, previewed, downloaded
 * (one, and all as a tar) → added to the basket → IRF generation on them → Done → its output listed. A missing
 * input fails the job with DIRAC's "Input Data Resolution"; another user's production is a 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRucioSession, type RucioSession } from '../datasets/rucio.ts';
import { untar } from '../sandbox/tar.ts';
import { bearer, inProcessBff, loginAs, stackRucio, until } from '../testing/real-stack.ts';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;
interface Output {
  name: string;
  lfn: string;
  did: string;
  jobId: number | null;
  bytes: number;
  adler32: string;
  rses: string[];
  readable: boolean;
}

const key = () => `outputs-${crypto.randomUUID()}`;

describe('production outputs (real DiracX, sites and Rucio)', () => {
  let bff: Bff;
  let alice: Record<string, string>;
  let paul: Record<string, string>;
  let rucio: RucioSession;
  let localDl0: Set<string>;

  beforeAll(async () => {
    const r = stackRucio();
    bff = await inProcessBff({
      config: {
        datasetSources: [
          { type: 'catalogue' },
          {
            type: 'rucio',
            url: r.url,
            account: r.account,
            auth: { method: 'userpass', username: r.username, passwordFile: r.passwordFile },
            localRses: { [r.rse]: r.seDir },
          },
        ],
      },
    });
    rucio = createRucioSession({
      url: r.url,
      label: 'Rucio',
      account: r.account,
      username: r.username,
      passwordFile: r.passwordFile,
      timeoutMs: 10_000,
    });
    alice = bearer(await loginAs('scientist'));
    paul = bearer(await loginAs('pi'));
    const { localDl0Files } = (await import(new URL('../../../scripts/rucio/rucio.mjs', import.meta.url).href)) as {
      localDl0Files(): Promise<string[]>;
    };
    localDl0 = new Set(await localDl0Files());
  });
  afterAll(() => bff.close());

  const get = (url: string, headers = alice) => bff.app.inject({ method: 'GET', url, headers });

  /** Basket item ids of catalogue DL0 files: `n` with a replica on LOCAL-DISK, or `n` without. */
  async function dl0Items(n: number, { local }: { local: boolean }): Promise<string[]> {
    // The project of the files with real bytes; oldest first (the demo catalogue generates them first).
    const projectId = [...localDl0][0]!.split('/')[4]!;
    const files = (
      await get(`/bff/v1/datasets/files?projectId=${encodeURIComponent(projectId)}&dataLevel=DL0&sort=observationDate&dir=asc&perPage=100`)
    )
      .json()
      .items.filter((f: { lfn: string }) => localDl0.has(f.lfn) === local)
      .slice(0, n);
    expect(files).toHaveLength(n);
    const added = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/basket/items',
      headers: alice,
      payload: { fileIds: files.map((f: { id: string }) => f.id) },
    });
    expect(added.statusCode, added.body).toBe(200);
    const lfns = new Set(files.map((f: { lfn: string }) => f.lfn));
    return (await get('/bff/v1/basket'))
      .json()
      .items.filter((i: { ref: string }) => lfns.has(i.ref))
      .map((i: { id: string }) => i.id);
  }

  async function launch(headers: Record<string, string>, body: object): Promise<{ id: string; jobIds: number[] }> {
    const res = await bff.app.inject({ method: 'POST', url: '/bff/v1/launches', headers, payload: { idempotencyKey: key(), ...body } });
    expect(res.statusCode, res.body).toBe(202);
    return until(
      async () => {
        const l = (await get(`/bff/v1/launches/${res.json().id}`, headers)).json();
        return l.status === 'submitted' ? l : undefined;
      },
      { timeoutMs: 120_000, what: 'launch submitted' },
    );
  }

  async function finalJobs(
    ids: number[],
    headers = alice,
  ): Promise<{ jobId: number; status: string; minorStatus: string; applicationStatus: string }[]> {
    return Promise.all(
      ids.map((id) =>
        until(
          async () => {
            const d = (await get(`/bff/v1/jobs/${id}`, headers)).json();
            return ['Done', 'Failed', 'Killed'].includes(d.job.status) ? d.job : undefined;
          },
          { timeoutMs: 240_000, what: `job ${id} final` },
        ),
      ),
    );
  }

  it('DL0→DL3 on 5 files: outputs registered, listed, previewed, downloaded, archived, then IRF generation runs on them', async () => {
    const items = await dl0Items(5, { local: true });
    const dl3 = await launch(alice, {
      name: 'outputs DL3',
      workflowId: 'cta-dl0-dl3',
      values: {},
      sweeps: {},
      inputItemIds: items,
      inputMode: 'per-file',
    });
    expect(dl3.jobIds).toHaveLength(5);
    const jobs = await finalJobs(dl3.jobIds);
    expect(jobs.map((j) => `${j.status}/${j.minorStatus}`)).toEqual(Array(5).fill('Done/Execution Complete'));

    const listed = await get(`/bff/v1/productions/${dl3.id}/outputs`);
    expect(listed.statusCode, listed.body).toBe(200);
    const outputs = listed.json() as { dataset: string; files: Output[]; totalFiles: number; totalBytes: number };
    expect(outputs.dataset).toMatch(/^user\.alice:\/escape\/user\/a\/alice\/outputs-dl3-[0-9a-f]+$/);
    expect(outputs.totalFiles).toBe(5);
    expect(outputs.files.map((f) => f.jobId).sort()).toEqual([...dl3.jobIds].sort());
    expect(outputs.totalBytes).toBe(outputs.files.reduce((s, f) => s + f.bytes, 0));
    for (const f of outputs.files) {
      expect(f).toMatchObject({ rses: ['LOCAL-DISK'], readable: true });
      expect(f.name).toMatch(/^run_\d+\.\d+\.DL3\.h5$/);
      expect(f.lfn).toBe(`${outputs.dataset.split(':')[1]}/${f.jobId}/${f.name}`);
      // In Rucio itself: the file DID in alice's scope, with the checksum the portal shows.
      const did = await rucio.authed(`/dids/user.alice/${encodeURIComponent(f.lfn)}`);
      expect(await did!.json()).toMatchObject({ type: 'FILE', bytes: f.bytes, adler32: f.adler32 });
    }

    const first = outputs.files[0]!;
    const q = `lfn=${encodeURIComponent(first.lfn)}`;
    const preview = await get(`/bff/v1/productions/${dl3.id}/outputs/preview?${q}`);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ lfn: first.lfn, bytes: first.bytes, truncated: first.bytes > 64 * 1024 });
    // The payload read the real DL0 bytes of its input (its base name, in the working directory).
    expect(preview.json().text).toMatch(
      new RegExp(`^# DL3 event list from ${first.name.replace('.DL3.h5', '.fits.fz').replace(/\./g, '\\.')} `),
    );
    const file = await get(`/bff/v1/productions/${dl3.id}/outputs/file?${q}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toBe(`attachment; filename="${first.name}"`);
    expect(file.body).toHaveLength(first.bytes);
    expect(file.body.startsWith(preview.json().text)).toBe(true);

    const archive = await get(`/bff/v1/productions/${dl3.id}/outputs/archive`);
    expect(archive.statusCode).toBe(200);
    expect(archive.headers['content-type']).toBe('application/x-tar');
    const members = untar(archive.rawPayload);
    expect(members.map((m) => m.name).sort()).toEqual(outputs.files.map((f) => `${f.jobId}/${f.name}`).sort());
    expect(members.find((m) => m.name === `${first.jobId}/${first.name}`)!.content.toString('utf8')).toBe(file.body);

    // Chaining: the outputs go to the basket as Rucio DIDs, and IRF generation takes them as InputData.
    const toBasket = await bff.app.inject({ method: 'POST', url: `/bff/v1/productions/${dl3.id}/outputs/basket`, headers: alice });
    expect(toBasket.statusCode, toBasket.body).toBe(200);
    expect(toBasket.json()).toMatchObject({ added: 5, alreadyPresent: 0 });
    const dids = new Set(outputs.files.map((f) => f.did));
    const inBasket = toBasket.json().basket.items.filter((i: { kind: string; ref: string }) => i.kind === 'rucio' && dids.has(i.ref));
    expect(inBasket).toHaveLength(5);
    expect(inBasket[0]).toMatchObject({ dataLevel: 'DL3', source: 'rucio' });

    const irf = await launch(alice, {
      name: 'outputs IRF',
      workflowId: 'irf-generation',
      values: {},
      sweeps: {},
      inputItemIds: inBasket.map((i: { id: string }) => i.id),
      inputMode: 'all-in-one',
    });
    expect(irf.jobIds).toHaveLength(1);
    const jdl = (await get(`/bff/v1/jobs/${irf.jobIds[0]}`)).json().jdl as string;
    for (const f of outputs.files) expect(jdl).toContain(f.lfn); // InputData: the LFNs
    const [irfJob] = await finalJobs(irf.jobIds);
    expect(irfJob).toMatchObject({ status: 'Done', minorStatus: 'Execution Complete' });
    const irfOutputs = (await get(`/bff/v1/productions/${irf.id}/outputs`)).json() as { files: Output[] };
    expect(irfOutputs.files.map((f) => f.name)).toEqual(['irf_2025A_prod6-alpha-north.fits.gz']);
    expect(irfOutputs.files[0]).toMatchObject({ jobId: irf.jobIds[0], readable: true });
  }, 600_000);

  it('a missing input fails the job with "Input Data Resolution", naming the LFN; another user gets 404', async () => {
    const [item] = await dl0Items(1, { local: false });
    const run = await launch(alice, {
      name: 'outputs missing',
      workflowId: 'cta-dl0-dl3',
      values: {},
      sweeps: {},
      inputItemIds: [item],
      inputMode: 'per-file',
    });
    const [job] = await finalJobs(run.jobIds);
    expect(job).toMatchObject({ status: 'Failed', minorStatus: 'Input Data Resolution' });
    expect(job!.applicationStatus).toMatch(/^\/cta\/prod\/.*\/DL0\/.*: no replica on a storage element of this site$/);
    expect((await get(`/bff/v1/productions/${run.id}/outputs`)).json()).toMatchObject({ totalFiles: 0, files: [] });
    // The production's failure breakdown says why, from what the job wrote: the end of its std.err.
    const samples = await get(`/bff/v1/productions/${run.id}/failures/stderr`);
    expect(samples.statusCode, samples.body).toBe(200);
    expect(samples.json()).toMatchObject({
      looked: 1,
      truncated: false,
      items: [{ minorStatus: 'Input Data Resolution', jobId: job!.jobId, count: 1 }],
    });
    expect(samples.json().items[0].stderrTail).toMatch(
      /\[site\] input data: \/cta\/prod\/.*: no replica on a storage element of this site\n$/,
    );
    const none = await get(`/bff/v1/productions/${run.id}/outputs/archive`);
    expect(none.statusCode).toBe(404);

    // paul's production is not alice's to see (she manages no group): 404 on every outputs route.
    const his = await launch(paul, {
      name: 'outputs paul',
      workflowId: 'hello-world',
      values: { GREETING: 'Hello', MESSAGE: 'pis' },
      inputMode: 'none',
    });
    expect((await get(`/bff/v1/productions/${his.id}/outputs`, paul)).statusCode).toBe(200);
    for (const url of ['failures/stderr', 'outputs', 'outputs/archive', 'outputs/preview?lfn=/escape/x', 'outputs/file?lfn=/escape/x'])
      expect((await get(`/bff/v1/productions/${his.id}/${url}`)).statusCode).toBe(404);
    const post = await bff.app.inject({ method: 'POST', url: `/bff/v1/productions/${his.id}/outputs/basket`, headers: alice });
    expect(post.statusCode).toBe(404);
  }, 400_000);
});
