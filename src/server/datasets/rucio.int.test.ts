/**
 * The Rucio dataset source against a REAL Rucio server (PyPI rucio 41.5.1 on SQLite, started here the
 * way the PostgreSQL tests start theirs; scripts/rucio/rucio.mjs) and real DiracX tokens: search by
 * name pattern and metadata, paging, files with replicas, adding DIDs to the basket (kept across a BFF
 * restart, per user), a refused credential and an unreachable Rucio as clear problems.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RucioSourceConfigInput } from '../datasets/sources-config.ts';
import { loadPgHelper } from '../testing/db-targets.ts';
import { bearer, inProcessBff, loginAs } from '../testing/real-stack.ts';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;
interface RucioServer {
  url: string;
  account: string;
  username: string;
  passwordFile: string;
  stop(): void;
}
const RUCIO_HELPER = new URL('../../../scripts/rucio/rucio.mjs', import.meta.url).href;
const loadRucioHelper = () => import(RUCIO_HELPER) as Promise<{ startRucio(o: { dir: string; port: number }): RucioServer }>;

const DATASET = 'cta:prod5b.lst1.dl1.run2967';
const CONTAINER = 'cta:prod5b.lst1.dl1';

describe('Rucio dataset source (real Rucio server)', () => {
  let dir: string;
  let rucio: RucioServer;
  let databaseUrl: string;
  const bffs: Bff[] = [];

  const rucioSource = (overrides: Partial<RucioSourceConfigInput> = {}): RucioSourceConfigInput => ({
    type: 'rucio',
    label: 'CTA Rucio',
    url: rucio.url,
    account: rucio.account,
    auth: { method: 'userpass', username: rucio.username, passwordFile: rucio.passwordFile },
    defaultScope: 'cta',
    timeoutMs: 5_000,
    ...overrides,
  });
  const start = async (source: RucioSourceConfigInput, db = databaseUrl) => {
    const bff = await inProcessBff({ databaseUrl: db, config: { demoDatasets: 0, datasetSources: [{ type: 'catalogue' }, source] } });
    bffs.push(bff);
    return bff;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bff-rucio-int-'));
    databaseUrl = `sqlite:${path.join(dir, 'portal.db')}`;
    const { startRucio } = await loadRucioHelper();
    // A free port of its own: the test stack may run another Rucio on PORTAL_RUCIO_PORT.
    const { findFreePort } = await loadPgHelper();
    rucio = startRucio({ dir: path.join(dir, 'rucio'), port: await findFreePort() });
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
      items: [{ scope: 'cta', name: 'prod5b.lst1.dl1.run2967', did: DATASET, type: 'DATASET', bytes: expect.any(Number), length: 20 }],
      page: 1,
      perPage: 25,
      hasMore: false,
    });
    expect((await get('scope=cta&type=dataset&project=prod6')).json().items).toEqual([]);
    expect((await get('scope=cta&type=container&name=prod5b*')).json().items.map((d: { did: string }) => d.did)).toEqual([CONTAINER]);

    const seen: string[] = [];
    const pages = [];
    for (let page = 1; page <= 3; page++) {
      const res = (await get(`scope=cta&type=file&name=LST-1.1.Run02967.*&perPage=8&page=${page}`)).json();
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
      expect(f.replicas).toEqual([
        {
          rse: 'CTA-DESY-DISK',
          state: 'AVAILABLE',
          pfns: [expect.stringMatching(/^https:\/\/dcache\.desy\.example\.org:2880\/.+\.dl1\.h5$/)],
        },
      ]);
    }
    const dataset = (
      await bff.app.inject({ method: 'GET', url: '/bff/v1/datasets/rucio/dids?scope=cta&type=dataset', headers: alice })
    ).json().items[0];
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
  });
});
