/**
 * The Rucio dataset source against a REAL Rucio server (PyPI rucio 41.5.1 on SQLite, started here the
 * way the PostgreSQL tests start theirs; scripts/rucio/rucio.mjs) and real DiracX tokens: search by
 * name pattern and metadata, paging, files with replicas, adding DIDs to the basket (kept across a BFF
 * restart, per user), a refused credential and an unreachable Rucio as clear problems.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RucioSourceConfigInput } from '../datasets/sources-config.ts';
import { loadPgHelper } from '../testing/db-targets.ts';
import { insertDatasetFiles } from './demo-seed.ts';
import { bearer, inProcessBff, loginAs } from '../testing/real-stack.ts';
import { rucioAsRoot, rucioSourceOf, startTestRucio, type RucioServer } from '../testing/rucio-server.ts';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;

const DATASET = 'cta:prod5b.lst1.dl1.run2967';
const CONTAINER = 'cta:prod5b.lst1.dl1';
const DL0_DATASET = 'cta:prod5b.lst1.dl0.run2967';

describe('Rucio dataset source (real Rucio server)', () => {
  let dir: string;
  let rucio: RucioServer;
  let databaseUrl: string;
  const bffs: Bff[] = [];

  const rucioSource = (overrides: Partial<RucioSourceConfigInput> = {}) => rucioSourceOf(rucio, overrides);
  const start = async (source: RucioSourceConfigInput, db = databaseUrl) => {
    const bff = await inProcessBff({ databaseUrl: db, config: { demoDatasets: 0, datasetSources: [{ type: 'catalogue' }, source] } });
    bffs.push(bff);
    return bff;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bff-rucio-int-'));
    databaseUrl = `sqlite:${path.join(dir, 'portal.db')}`;
    rucio = await startTestRucio(dir);
  }, 300_000);
  afterAll(async () => {
    for (const b of bffs) await b.close().catch(() => {});
    rucio?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists the sources, and refuses requests without a valid token', async () => {
    const bff = await start(rucioSource());
    const alice = bearer(await loginAs('scientist'));
    const sources = await bff.app.inject({ method: 'GET', url: '/bff/v1/datasets/sources', headers: alice });
    expect(sources.statusCode).toBe(200);
    expect(sources.json()).toEqual({
      items: [
        { type: 'catalogue', label: 'Portal catalogue' },
        { type: 'rucio', label: 'CTA Rucio' },
      ],
      rucioDefaultScope: 'cta',
    });
    const anonymous = await bff.app.inject({ method: 'GET', url: '/bff/v1/datasets/rucio/dids?scope=cta' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('searches DIDs by type, name pattern and metadata, and pages through files', async () => {
    const bff = await start(rucioSource());
    const alice = bearer(await loginAs('scientist'));
    const get = (qs: string) => bff.app.inject({ method: 'GET', url: `/bff/v1/datasets/rucio/dids?${qs}`, headers: alice });

    const datasets = await get('scope=cta&type=dataset&project=prod5b');
    expect(datasets.statusCode).toBe(200);
    expect(datasets.json()).toEqual({
      items: expect.arrayContaining([
        { scope: 'cta', name: 'prod5b.lst1.dl1.run2967', did: DATASET, type: 'DATASET', bytes: expect.any(Number), length: 20 },
        { scope: 'cta', name: 'prod5b.lst1.dl0.run2967', did: DL0_DATASET, type: 'DATASET', bytes: expect.any(Number), length: 8 },
      ]),
      page: 1,
      perPage: 25,
      hasMore: false,
    });
    expect(datasets.json().items).toHaveLength(2);
    expect((await get('scope=cta&type=dataset&project=prod6')).json().items).toEqual([]);
    expect((await get('scope=cta&type=container&name=prod5b*')).json().items.map((d: { did: string }) => d.did)).toEqual([CONTAINER]);

    const seen: string[] = [];
    const pages = [];
    for (let page = 1; page <= 3; page++) {
      const res = (await get(`scope=cta&type=file&name=LST-1.1.Run02967.*.dl1.h5&perPage=8&page=${page}`)).json();
      pages.push({ n: res.items.length, hasMore: res.hasMore });
      seen.push(...res.items.map((d: { did: string; type: string }) => (expect(d.type).toBe('FILE'), d.did)));
    }
    expect(pages).toEqual([
      { n: 8, hasMore: true },
      { n: 8, hasMore: true },
      { n: 4, hasMore: false },
    ]);
    expect(new Set(seen).size).toBe(20);

    expect((await get('scope=nosuchscope')).json().items).toEqual([]);
    const bad = await get('scope=cta;drop&name=a"b');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION');
  });

  it('lists the files of a container with size, adler32 and replicas per storage element', async () => {
    const bff = await start(rucioSource());
    const alice = bearer(await loginAs('scientist'));
    const res = await bff.app.inject({
      method: 'GET',
      url: `/bff/v1/datasets/rucio/files?did=${encodeURIComponent(CONTAINER)}`,
      headers: alice,
    });
    expect(res.statusCode).toBe(200);
    const list = res.json();
    expect(list.files).toHaveLength(20);
    expect(list.truncated).toBe(false);
    for (const f of list.files) {
      expect(f.adler32).toMatch(/^[0-9a-f]{8}$/);
      expect(f.bytes).toBeGreaterThan(100_000_000);
      // Every DL1 file is on disk at DESY; 0013-0016 also on tape at PIC, 0017-0020 also on disk at PIC (start-rucio.sh step 6).
      expect(f.replicas).toContainEqual({
        rse: 'CTA-DESY-DISK',
        state: 'AVAILABLE',
        pfns: [expect.stringMatching(/^https:\/\/dcache\.desy\.example\.org:2880\/.+\.dl1\.h5$/)],
      });
    }
    const rsesOf = (n: number) =>
      list.files
        .find((f: { name: string }) => f.name === `LST-1.1.Run02967.${String(n).padStart(4, '0')}.dl1.h5`)
        .replicas.map((r: { rse: string }) => r.rse)
        .sort();
    expect(rsesOf(1)).toEqual(['CTA-DESY-DISK']);
    expect(rsesOf(14)).toEqual(['CTA-DESY-DISK', 'CTA-PIC-TAPE']);
    expect(rsesOf(18)).toEqual(['CTA-DESY-DISK', 'CTA-PIC-DISK']);
    const dataset = (await bff.app.inject({ method: 'GET', url: '/bff/v1/datasets/rucio/dids?scope=cta&type=dataset', headers: alice }))
      .json()
      .items.find((d: { did: string }) => d.did === DATASET);
    expect(list.totalBytes).toBe(dataset.bytes);

    const unknown = await bff.app.inject({ method: 'GET', url: '/bff/v1/datasets/rucio/files?did=cta:no.such.dataset', headers: alice });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toContain('cta:no.such.dataset');
    expect((await bff.app.inject({ method: 'GET', url: '/bff/v1/datasets/rucio/files?did=nocolon', headers: alice })).statusCode).toBe(400);
  });

  it('adds DIDs to the basket with their metadata; the basket keeps them across a restart, per user', async () => {
    const alice = bearer(await loginAs('scientist'));
    const paul = bearer(await loginAs('pi'));
    let bff = await start(rucioSource());
    const file = 'cta:LST-1.1.Run02967.0001.dl1.h5';
    const add = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/basket/rucio-search',
      headers: alice,
      payload: { dids: [DATASET, file, 'cta:no.such.file', DATASET] },
    });
    expect(add.statusCode).toBe(200);
    const r = add.json();
    expect(r).toMatchObject({ added: 2, alreadyPresent: 1, unknown: ['cta:no.such.file'] });
    const ds = r.basket.items.find((i: { ref: string }) => i.ref === DATASET);
    expect(ds).toMatchObject({
      kind: 'rucio',
      source: 'rucio',
      name: 'prod5b.lst1.dl1.run2967',
      projectId: 'prod5b',
      meta: { scope: 'cta', didType: 'DATASET', files: 20, project: 'prod5b' },
    });
    expect(ds.sizeBytes).toBeGreaterThan(1_000_000_000);
    expect(r.basket.items.find((i: { ref: string }) => i.ref === file).meta).toMatchObject({
      didType: 'FILE',
      adler32: '1a5c0597',
      events: 83896,
    });

    const again = await bff.app.inject({ method: 'POST', url: '/bff/v1/basket/rucio-search', headers: alice, payload: { dids: [file] } });
    expect(again.json()).toMatchObject({ added: 0, alreadyPresent: 1 });
    const none = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/basket/rucio-search',
      headers: alice,
      payload: { dids: ['cta:nothing.here'] },
    });
    expect(none.statusCode).toBe(404);
    expect((await bff.app.inject({ method: 'GET', url: '/bff/v1/basket', headers: paul })).json().count).toBe(0);

    await bff.close();
    bffs.splice(bffs.indexOf(bff), 1);
    bff = await start(rucioSource());
    const after = (await bff.app.inject({ method: 'GET', url: '/bff/v1/basket', headers: alice })).json();
    expect(after.items.map((i: { ref: string }) => i.ref).sort()).toEqual([DATASET, file].sort());
    expect(after.items.find((i: { ref: string }) => i.ref === DATASET).meta.files).toBe(20);
  });

  it('locates a basket of catalogue and Rucio files: replicas per file (SE, disk/tape, site) and what each site must stage or transfer', async () => {
    const bff = await start(rucioSource(), `sqlite:${path.join(dir, 'locality.db')}`);
    const alice = bearer(await loginAs('scientist'));
    const dl1File = 'cta:LST-1.1.Run02967.0001.dl1.h5';
    // A dataset, a file and an unknown DID, as a user pastes them.
    const paste = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/basket/rucio',
      headers: alice,
      payload: { dids: `${DL0_DATASET}\n${dl1File}\ncta:no.such.file` },
    });
    expect(paste.statusCode).toBe(200);
    const items = paste.json().basket.items as { id: string; ref: string }[];
    const res = await bff.app.inject({ method: 'POST', url: '/bff/v1/basket/locality', headers: alice, payload: { perPage: 100 } });
    expect(res.statusCode).toBe(200);
    const answer = res.json();
    expect(answer.total).toBe(10);
    const byName = new Map<string, { availability: string; replicas: unknown[]; itemId: string }>(
      answer.files.map((f: { name: string }) => [f.name, f]),
    );
    const dl0 = (n: number) => byName.get(`LST-1.1.Run02967.000${n}.dl0.fits.fz`)!;
    expect(dl0(1)).toMatchObject({
      availability: 'tape',
      itemId: items.find((i) => i.ref === DL0_DATASET)!.id,
      replicas: [{ se: 'CTA-PIC-TAPE', kind: 'tape', sites: ['HPC.MareNostrum.es'] }],
    });
    expect(dl0(7)).toMatchObject({
      availability: 'disk',
      replicas: [
        { se: 'CTA-PIC-DISK', kind: 'disk', sites: ['HPC.MareNostrum.es'] },
        { se: 'CTA-PIC-TAPE', kind: 'tape', sites: ['HPC.MareNostrum.es'] },
      ],
    });
    expect(byName.get('LST-1.1.Run02967.0001.dl1.h5')).toMatchObject({
      availability: 'disk',
      replicas: [{ se: 'CTA-DESY-DISK', kind: 'disk', sites: ['LCG.DESY-GPU.de'] }],
    });
    expect(byName.get('no.such.file')).toMatchObject({ availability: 'none', replicas: [] });

    const s = answer.summary;
    expect(s).toMatchObject({ files: 10, diskFiles: 4, tapeOnlyFiles: 5, noReplicaFiles: 1, unknownFiles: 0, warnings: [] });
    // One batch (three DIDs), plus one call each for the two DIDs that are not files, told apart.
    expect(s.rucioCalls).toBe(3);
    const site = (name: string) => s.sites.find((x: { site: string }) => x.site === name);
    // At MareNostrum (PIC's storage): 3 DL0 on disk, 5 DL0 staged there, the DL1 file copied from DESY.
    expect(site('HPC.MareNostrum.es')).toMatchObject({ localFiles: 3, stageFiles: 5, transferFiles: 1, transferFromTapeFiles: 0 });
    expect(site('LCG.DESY-GPU.de')).toMatchObject({ localFiles: 1, stageFiles: 0, transferFiles: 8, transferFromTapeFiles: 5 });
    expect(site('LCG.CERN-HTC.ch')).toMatchObject({ localFiles: 0, transferFiles: 9 });
    expect(s.sites[0].site).toBe('HPC.MareNostrum.es');

    // The resource step: queues ranked by where the inputs are, next to the capability fit.
    const fit = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/resources/fit',
      headers: alice,
      payload: { cores: 1, inputItemIds: items.map((i) => i.id) },
    });
    expect(fit.statusCode).toBe(200);
    const queues = fit.json().queues as { site: string; fits: boolean; locality?: { stageFiles: number } }[];
    const fitting = queues.filter((q) => q.fits);
    expect(queues.slice(0, fitting.length).every((q) => q.fits)).toBe(true);
    expect(fitting[0]!.site).toBe('HPC.MareNostrum.es');
    expect(fitting[0]!.locality).toMatchObject({ stageFiles: 5 });
    expect(fitting.at(-1)!.site).toBe('LCG.CERN-HTC.ch');
    expect(fit.json().locality.tapeOnlyFiles).toBe(5);

    // A launch on the whole basket of one level: only those items are located (here a catalogue DL3 file on
    // DESY's disk, next to the Rucio items of no level), and the queues are ranked for them.
    await insertDatasetFiles(bff.db, [
      {
        id: 'loc.DL3.run_1',
        lfn: '/cta/prod/2026/loc/DL3/run_1.fits',
        name: 'run_1.fits',
        projectId: 'loc',
        dataLevel: 'DL3',
        sizeBytes: 1_000,
        checksum: 'adler32:0badcafe',
        storageElement: 'CTA-DESY-DISK',
        observationDate: '2026-11-30',
      },
    ]);
    const added = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/basket/items',
      headers: alice,
      payload: { fileIds: ['loc.DL3.run_1'] },
    });
    expect(added.json()).toMatchObject({ added: 1 });
    const dl3Only = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/basket/locality',
      headers: alice,
      payload: { levels: ['DL3'], perPage: 100 },
    });
    expect(dl3Only.statusCode, dl3Only.body).toBe(200);
    expect(dl3Only.json().files.map((f: { name: string }) => f.name)).toEqual(['run_1.fits']);
    const wholeDl3 = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/resources/fit',
      headers: alice,
      payload: { cores: 1, inputBasket: { levels: ['DL3'] } },
    });
    expect(wholeDl3.statusCode, wholeDl3.body).toBe(200);
    expect(wholeDl3.json().locality).toMatchObject({ files: 1, diskFiles: 1, tapeOnlyFiles: 0 });
    // Read in place only at DESY (whose queues do not fit this requirement); every other site must transfer it.
    expect(wholeDl3.json().locality.sites[0]).toMatchObject({ site: 'LCG.DESY-GPU.de', localFiles: 1, transferFiles: 0 });
    const ranked = wholeDl3.json().queues as { site: string; locality?: { localFiles: number; transferFiles: number } }[];
    for (const q of ranked) expect(q.locality).toMatchObject(q.site === 'LCG.DESY-GPU.de' ? { localFiles: 1 } : { transferFiles: 1 });
    // The whole basket without levels is every item: the 10 files above and this one.
    const all = await bff.app.inject({ method: 'POST', url: '/bff/v1/basket/locality', headers: alice, payload: { perPage: 1 } });
    expect(all.json().total).toBe(11);
    const both = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/resources/fit',
      headers: alice,
      payload: { cores: 1, inputItemIds: [items[0]!.id], inputBasket: {} },
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().message).toMatch(/not both/);

    // Page bounds and unknown items are problems, not 500s.
    const big = await bff.app.inject({ method: 'POST', url: '/bff/v1/basket/locality', headers: alice, payload: { perPage: 501 } });
    expect(big.statusCode).toBe(400);
    expect(big.headers['content-type']).toContain('application/problem+json');
    const none = await bff.app.inject({ method: 'POST', url: '/bff/v1/basket/locality', headers: alice, payload: { itemIds: ['nope'] } });
    expect(none.statusCode).toBe(404);
  });

  it('a refused portal credential is a clear 502 problem that does not leak the password', async () => {
    const wrong = path.join(dir, 'wrong-password');
    fs.writeFileSync(wrong, 'not-the-password\n');
    const bff = await start(
      rucioSource({ auth: { method: 'userpass', username: rucio.username, passwordFile: wrong } }),
      `sqlite:${path.join(dir, 'wrong.db')}`,
    );
    const res = await bff.app.inject({
      method: 'GET',
      url: '/bff/v1/datasets/rucio/dids?scope=cta',
      headers: bearer(await loginAs('scientist')),
    });
    expect(res.statusCode).toBe(502);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body.code).toBe('CATALOGUE');
    expect(body.message).toMatch(/CTA Rucio refused the portal's credential \(account "root", user "ddmlab"\): CannotAuthenticate/);
    expect(JSON.stringify(body)).not.toContain('not-the-password');
  });

  it('an unreachable Rucio is a 503 problem, and the portal catalogue still answers', async () => {
    const { findFreePort } = await loadPgHelper();
    const bff = await start(rucioSource({ url: `http://127.0.0.1:${await findFreePort()}` }), `sqlite:${path.join(dir, 'down.db')}`);
    const alice = bearer(await loginAs('scientist'));
    const res = await bff.app.inject({ method: 'GET', url: '/bff/v1/datasets/rucio/dids?scope=cta', headers: alice });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'CATALOGUE_UNREACHABLE', message: expect.stringContaining('CTA Rucio is not reachable') });
    const add = await bff.app.inject({ method: 'POST', url: '/bff/v1/basket/rucio-search', headers: alice, payload: { dids: [DATASET] } });
    expect(add.statusCode).toBe(503);
    expect((await bff.app.inject({ method: 'GET', url: '/bff/v1/datasets/files?perPage=1', headers: alice })).statusCode).toBe(200);
    // Locality with Rucio down: the Rucio items are unknown, with a warning, not a failure.
    await bff.app.inject({ method: 'POST', url: '/bff/v1/basket/rucio', headers: alice, payload: { dids: DATASET } });
    const loc = await bff.app.inject({ method: 'POST', url: '/bff/v1/basket/locality', headers: alice, payload: {} });
    expect(loc.statusCode).toBe(200);
    expect(loc.json().summary).toMatchObject({ unknownFiles: 1, warnings: [expect.stringContaining('Rucio could not be asked')] });
  });

  it('a write that meets another process’s lock on the SQLite file is run again (wsgi_sqlite.py), not answered 500', async () => {
    const root = await rucioAsRoot(rucio);
    // Another writer of the file, as the conveyor is, holds its write lock for 1.5 s.
    const holder = spawn('python3', [
      '-c',
      'import sqlite3,sys,time\nc=sqlite3.connect(sys.argv[1],timeout=30,isolation_level=None)\nc.execute("BEGIN IMMEDIATE")\nprint("locked",flush=True)\ntime.sleep(1.5)\nc.execute("COMMIT")',
      path.join(dir, 'rucio', 'rucio.db'),
    ]);
    let stderr = '';
    holder.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(holder, 'exit');
    const first = await Promise.race([once(holder.stdout, 'data').then(() => 'locked'), exited.then(() => 'exited')]);
    expect(first, stderr).toBe('locked');
    const name = `locked.${Date.now()}.dl0.fits.fz`;
    const res = await root('/replicas', {
      method: 'POST',
      body: JSON.stringify({ rse: 'CTA-DESY-DISK', files: [{ scope: 'cta', name, bytes: 1000, adler32: '0badcafe' }] }),
    });
    expect(res.status, await res.text()).toBe(201);
    await exited;
    const port = new URL(rucio.url).port;
    const log = fs.readFileSync(path.join(dir, 'rucio', 'log', `server-${port}.log`), 'utf8');
    expect(log).toMatch(/sqlite locked: POST \/replicas, attempt 1 of 6/);
    expect((await root(`/dids/cta/${name}`)).status).toBe(200);
  });
});
