/**
 * Dataset search and basket routes: buildApp on SQLite with a stub token verifier and a DiracX
 * double that must never be called, exercised with app.inject (no port).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { testPrincipal } from '../testing/principal.ts';
import type { Principal } from '../auth/verify.ts';
import { parseConfig } from '../config.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { generateDemoDatasets } from '../datasets/demo-seed.ts';
import type { DiracxClient } from '../diracx/client.ts';
import { problems } from '../errors.ts';
import type { BasketItem, DatasetFile } from '../../contracts/datasets.ts';

const cta = { id: 'cta', label: 'CTA DiracX', url: 'http://diracx-cta.test', clientId: 'portal' };
const egi = { id: 'egi', label: 'EGI DiracX', url: 'http://diracx-egi.test', clientId: 'portal' };

const USERS: Record<string, { sub: string; username: string }> = {
  alice: { sub: 'escape:alice-sub', username: 'alice' },
  bob: { sub: 'escape:bob-sub', username: 'bob' },
};

/** Tokens are "<user>" or "<user>.<instance>". */
function principalFor(token: string): Principal {
  const [user, inst = 'cta'] = token.split('.');
  const u = USERS[user ?? ''];
  if (!u) throw problems.unauthenticated('The access token is invalid');
  return testPrincipal(inst === 'egi' ? egi : cta, { token, sub: u.sub, username: u.username });
}

const as = (token: string) => ({ authorization: `Bearer ${token}` });
const FILES = 600;
const catalogue: DatasetFile[] = generateDemoDatasets({ count: FILES });
const esapFixture: unknown = JSON.parse(fs.readFileSync(new URL('../datasets/testdata/esap-user-profiles.json', import.meta.url), 'utf8'));

describe('dataset and basket routes', () => {
  let dir: string;
  let db: Database;
  let app: FastifyInstance;
  let diracxCalls = 0;

  async function start(demoDatasets = FILES) {
    const config = parseConfig({
      databaseUrl: `sqlite:${path.join(dir, 'p.db')}`,
      instances: [cta, egi],
      staticDir: path.join(dir, 'none'),
      logLevel: 'silent',
      demoDatasets,
    });
    db = await openDatabase(config.databaseUrl);
    app = await buildApp({
      config,
      db,
      logger: false,
      catalogue: null,
      diracx: () =>
        new Proxy({} as DiracxClient, {
          get: () => {
            diracxCalls += 1;
            throw new Error('datasets and the basket never call DiracX');
          },
        }),
      verifyToken: async (token) => principalFor(token),
    });
  }
  async function stop() {
    await app?.close();
    await db?.close();
  }

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bff-datasets-'));
    diracxCalls = 0;
    await start();
  });
  afterEach(async () => {
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
    expect(diracxCalls).toBe(0);
  });

  const get = (url: string, token = 'alice') => app.inject({ method: 'GET', url, headers: as(token) });
  const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, token = 'alice') =>
    app.inject({ method, url, headers: as(token), ...(payload === undefined ? {} : { payload: payload as object }) });
  const basketOf = async (token: string): Promise<{ items: BasketItem[]; count: number; totalBytes: number; unknownSizeCount: number }> =>
    (await get('/bff/v1/basket', token)).json();

  it('requires a valid token on every route', async () => {
    for (const [method, url] of [
      ['GET', '/bff/v1/datasets/projects'],
      ['GET', '/bff/v1/datasets/files'],
      ['GET', '/bff/v1/basket'],
      ['POST', '/bff/v1/basket/items'],
      ['POST', '/bff/v1/basket/rucio'],
      ['POST', '/bff/v1/basket/esap'],
      ['PATCH', '/bff/v1/basket/items'],
      ['DELETE', '/bff/v1/basket/items/x'],
      ['DELETE', '/bff/v1/basket'],
    ] as const) {
      const res = await app.inject({ method, url, headers: as('mallory') });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(res.json().code).toBe('UNAUTHENTICATED');
      expect((await app.inject({ method, url })).statusCode).toBe(401);
    }
  });

  it('lists the projects with file counts, sizes and levels', async () => {
    const res = await get('/bff/v1/datasets/projects');
    expect(res.statusCode).toBe(200);
    const { items } = res.json();
    expect(items).toHaveLength(6);
    expect(items.reduce((s: number, p: { files: number }) => s + p.files, 0)).toBe(FILES);
    const lst = items.find((p: { projectId: string }) => p.projectId === 'CTA-LST1-2026-0042');
    const mine = catalogue.filter((f) => f.projectId === 'CTA-LST1-2026-0042');
    expect(lst).toEqual({
      projectId: 'CTA-LST1-2026-0042',
      files: mine.length,
      bytes: mine.reduce((s, f) => s + f.sizeBytes, 0),
      levels: ['DL0', 'DL1', 'DL2', 'DL3'],
    });
  });

  it('searches with filters, sorting and paging on the server, and reports the total', async () => {
    const project = 'CTA-LST1-2025-0017';
    const expected = catalogue.filter((f) => f.projectId === project && f.dataLevel === 'DL1').sort((a, b) => (a.name < b.name ? -1 : 1));
    const res = await get(`/bff/v1/datasets/files?projectId=${project}&dataLevel=DL1&sort=name&dir=asc&perPage=5&page=2`);
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page).toMatchObject({ total: expected.length, page: 2, perPage: 5 });
    expect(page.items.map((f: DatasetFile) => f.name)).toEqual(expected.slice(5, 10).map((f) => f.name));
    expect(page.items[0]).toEqual(expected[5]);

    const defaults = (await get('/bff/v1/datasets/files')).json();
    expect(defaults).toMatchObject({ total: FILES, page: 1, perPage: 50 });
    expect(defaults.items[0].observationDate >= defaults.items[49].observationDate).toBe(true);

    const from = '2025-03-01';
    const to = '2025-06-30';
    const dated = (await get(`/bff/v1/datasets/files?from=${from}&to=${to}&perPage=200`)).json();
    expect(dated.total).toBe(catalogue.filter((f) => f.observationDate >= from && f.observationDate <= to).length);

    const text = (await get('/bff/v1/datasets/files?q=RUN_0190')).json();
    expect(text.total).toBe(catalogue.filter((f) => f.name.includes('run_0190')).length);
    expect(text.total).toBeGreaterThan(0);
  });

  it('validates the search parameters as problem+json with field paths', async () => {
    for (const qs of [
      'perPage=500',
      'dataLevel=DL9',
      'from=2026-13-01',
      'from=2026-02-01&to=2026-01-01',
      `q=${'x'.repeat(101)}`,
      'sort=owner',
      'page=0',
    ]) {
      const res = await get(`/bff/v1/datasets/files?${qs}`);
      expect(res.statusCode, qs).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({
        code: 'VALIDATION',
        issues: [expect.objectContaining({ path: expect.stringMatching(/^querystring/) })],
      });
    }
  });

  it("keeps a basket per user: alice never sees bob's, and adding twice is a no-op", async () => {
    const ids = catalogue.slice(0, 3).map((f) => f.id);
    const first = await send('POST', '/bff/v1/basket/items', { fileIds: [...ids, 'no-such-file'] });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ added: 3, alreadyPresent: 0, unknownIds: ['no-such-file'] });
    expect(first.json().basket).toMatchObject({
      count: 3,
      totalBytes: catalogue.slice(0, 3).reduce((s, f) => s + f.sizeBytes, 0),
      unknownSizeCount: 0,
    });
    const item = first.json().basket.items[0];
    expect(item).toMatchObject({
      kind: 'lfn',
      ref: catalogue[0]!.lfn,
      name: catalogue[0]!.name,
      source: 'catalogue',
      dataLevel: catalogue[0]!.dataLevel,
      projectId: catalogue[0]!.projectId,
      group: null,
    });
    expect(item.meta).toMatchObject({
      fileId: catalogue[0]!.id,
      checksum: catalogue[0]!.checksum,
      storageElement: catalogue[0]!.storageElement,
    });

    const again = await send('POST', '/bff/v1/basket/items', { fileIds: ids });
    expect(again.json()).toMatchObject({ added: 0, alreadyPresent: 3, unknownIds: [] });
    expect(again.json().basket.count).toBe(3);

    expect((await basketOf('bob')).count).toBe(0);
    expect((await basketOf('alice.egi')).count).toBe(0); // one basket per DiracX instance too
    await send('POST', '/bff/v1/basket/items', { fileIds: [catalogue[10]!.id] }, 'bob');
    expect((await basketOf('bob')).items.map((i) => i.ref)).toEqual([catalogue[10]!.lfn]);
    expect((await basketOf('alice')).count).toBe(3);

    // bob can neither remove nor regroup alice's items
    const del = await send('DELETE', `/bff/v1/basket/items/${item.id}`, undefined, 'bob');
    expect(del.statusCode).toBe(404);
    expect((await send('PATCH', '/bff/v1/basket/items', { itemIds: [item.id], group: 'mine' }, 'bob')).statusCode).toBe(404);
    expect((await basketOf('alice')).count).toBe(3);
    // … nor empty it
    await send('DELETE', '/bff/v1/basket', undefined, 'bob');
    expect((await basketOf('alice')).count).toBe(3);

    expect((await send('POST', '/bff/v1/basket/items', { fileIds: ['nope'] })).statusCode).toBe(404);
    expect((await send('POST', '/bff/v1/basket/items', { fileIds: [] })).statusCode).toBe(400);
  });

  it('adds every file matching a search, and refuses more than 10,000 with a clear message', async () => {
    const project = 'CTA-MAGICLST1-2025-0008';
    const matches = catalogue.filter((f) => f.projectId === project && f.dataLevel === 'DL3');
    const res = await send('POST', '/bff/v1/basket/items', { query: { projectId: project, dataLevel: 'DL3' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ added: matches.length, alreadyPresent: 0 });
    expect(new Set(res.json().basket.items.map((i: BasketItem) => i.ref))).toEqual(new Set(matches.map((f) => f.lfn)));
    const none = await send('POST', '/bff/v1/basket/items', { query: { q: 'nothing-like-this' } });
    expect(none.statusCode).toBe(400);

    await stop();
    fs.rmSync(path.join(dir, 'p.db'), { force: true });
    await start(10_050);
    const tooMany = await send('POST', '/bff/v1/basket/items', { query: {} });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().message).toBe(
      '10,050 files match this search; "add all" takes at most 10,000. Narrow the search (project, data level, dates) and try again.',
    );
    expect((await basketOf('alice')).count).toBe(0);
    const fine = await send('POST', '/bff/v1/basket/items', { query: { dataLevel: 'DL3' } });
    expect(fine.statusCode).toBe(200);
    expect(fine.json().added).toBeGreaterThan(1000);
  });

  it('adds pasted Rucio DIDs and reports invalid lines with their numbers', async () => {
    const text =
      'ESCAPE_CTA_LAPP:run_100.simtel.zst\nESCAPE_CTA_LAPP:run_101.simtel.zst, LOFAR_ASTRON_GRANGE:L770123/SB244.MS\n\nnot-a-did\nbad scope:x\n';
    const res = await send('POST', '/bff/v1/basket/rucio', { dids: text });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.added).toBe(3);
    expect(body.invalid).toEqual([
      { line: 4, text: 'not-a-did', message: 'expected scope:name (no ":" found)' },
      { line: 5, text: 'bad scope:x', message: 'the scope must be 1 to 25 letters, digits, ".", "_" or "-"' },
    ]);
    // items added together are listed by name
    expect(body.basket.items.map((i: BasketItem) => [i.kind, i.ref, i.name, i.source])).toEqual([
      ['rucio', 'LOFAR_ASTRON_GRANGE:L770123/SB244.MS', 'L770123/SB244.MS', 'rucio'],
      ['rucio', 'ESCAPE_CTA_LAPP:run_100.simtel.zst', 'run_100.simtel.zst', 'rucio'],
      ['rucio', 'ESCAPE_CTA_LAPP:run_101.simtel.zst', 'run_101.simtel.zst', 'rucio'],
    ]);
    expect(body.basket).toMatchObject({ totalBytes: 0, unknownSizeCount: 3 });
    const again = (await send('POST', '/bff/v1/basket/rucio', { dids: 'ESCAPE_CTA_LAPP:run_100.simtel.zst' })).json();
    expect(again).toMatchObject({ added: 0, alreadyPresent: 1, invalid: [] });
    const empty = await send('POST', '/bff/v1/basket/rucio', { dids: ' \n# only a comment\n' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toMatch(/at least one Rucio DID/);
    expect((await send('POST', '/bff/v1/basket/rucio', { dids: 42 })).statusCode).toBe(400);
  });

  it('imports an ESAP shopping basket, mapping what it can and explaining what it skips', async () => {
    const res = await send('POST', '/bff/v1/basket/esap', esapFixture);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ added: 6, alreadyPresent: 1 });
    expect(body.skipped.map((s: { index: number }) => s.index)).toEqual([6, 7, 8, 9]);
    expect(body.skipped[1].reason).toMatch(/Rucio scope "not a scope!" is not valid/);
    const byKind = (k: string) =>
      body.basket.items
        .filter((i: BasketItem) => i.kind === k)
        .map((i: BasketItem) => i.ref)
        .sort();
    expect(byKind('rucio')).toEqual([
      'ESCAPE_CTA_LAPP:gamma_20deg_0deg_run100___cta-prod5-lapalma_desert-2158m-LaPalma-dark.simtel.zst',
      'LOFAR_ASTRON_GRANGE:2021_02_16_L770123_SB244_uv.MS.tar',
    ]);
    expect(byKind('esap')).toEqual([
      'apertif:190807041_AP_B001',
      'astron_vo:https://vo.astron.nl/getproduct/LoTSS-DR1/P164+55',
      'zooniverse:project/5483/classifications',
      'zooniverse:workflow/5483/11973/subjects',
    ]);
    expect(body.basket.items.every((i: BasketItem) => i.source === 'esap')).toBe(true);
    expect(body.basket.totalBytes).toBe(734003200);

    // importing the same basket again adds nothing; the bare cart works too
    const cart = (esapFixture as { results: [{ shopping_cart: unknown[] }] }).results[0].shopping_cart;
    const again = (await send('POST', '/bff/v1/basket/esap', cart)).json();
    expect(again).toMatchObject({ added: 0, alreadyPresent: 7 });

    const bad = await send('POST', '/bff/v1/basket/esap', { basket: [] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION');
  });

  it('groups items under a label, removes one item and empties the basket', async () => {
    await send('POST', '/bff/v1/basket/rucio', { dids: 'S:a\nS:b\nS:c' });
    const items = (await basketOf('alice')).items;
    const grouped = await send('PATCH', '/bff/v1/basket/items', { itemIds: [items[0]!.id, items[1]!.id], group: '  ON runs ' });
    expect(grouped.statusCode).toBe(200);
    expect(grouped.json().updated).toBe(2);
    expect(grouped.json().basket.items.map((i: BasketItem) => i.group)).toEqual(['ON runs', 'ON runs', null]);
    expect((await send('PATCH', '/bff/v1/basket/items', { itemIds: [items[0]!.id], group: null })).json().basket.items[0].group).toBeNull();
    expect((await send('PATCH', '/bff/v1/basket/items', { itemIds: [items[0]!.id], group: 'a\u0007b' })).statusCode).toBe(400);
    expect((await send('PATCH', '/bff/v1/basket/items', { itemIds: [items[0]!.id], group: '' })).statusCode).toBe(400);

    const del = await send('DELETE', `/bff/v1/basket/items/${items[2]!.id}`);
    expect(del.statusCode).toBe(200);
    expect(del.json().count).toBe(2);
    expect((await send('DELETE', `/bff/v1/basket/items/${items[2]!.id}`)).statusCode).toBe(404);

    const emptied = await send('DELETE', '/bff/v1/basket');
    expect(emptied.json()).toMatchObject({ removed: 2, basket: { count: 0, items: [], totalBytes: 0 } });
  });

  it('survives a restart of the BFF (same database)', async () => {
    await send('POST', '/bff/v1/basket/rucio', { dids: 'S:kept' });
    await stop();
    await start();
    expect((await basketOf('alice')).items.map((i) => i.ref)).toEqual(['S:kept']);
    expect((await get('/bff/v1/datasets/files')).json().total).toBe(FILES); // not seeded twice
  });

  it('publishes the routes in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/bff/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/bff/v1/datasets/projects',
        '/bff/v1/datasets/files',
        '/bff/v1/basket',
        '/bff/v1/basket/items',
        '/bff/v1/basket/rucio',
        '/bff/v1/basket/esap',
        '/bff/v1/basket/items/{itemId}',
      ]),
    );
    expect(doc.paths['/bff/v1/datasets/files'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['projectId', 'dataLevel', 'from', 'to', 'q', 'page', 'perPage', 'sort', 'dir']),
    );
  });
});
