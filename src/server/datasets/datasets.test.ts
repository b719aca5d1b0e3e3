/**
 * The dataset catalogue, the demo seed and the basket repository on both dialects (SQLite in a
 * temp dir, a throw-away PostgreSQL from scripts/lib/postgres.mjs: it fails, never skips), plus
 * the ESAP mapping and the query-plan check on 100,000 files.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BASKET_MAX_ITEMS,
  DatasetFileSchema,
  DatasetSearchQuerySchema,
  EsapBasketImportSchema,
  parseRucioDids,
} from '../../contracts/datasets.ts';
import type { Database } from '../db/database.ts';
import { basketItemsFor, createBasketRepo, type NewBasketItem } from './basket-repo.ts';
import { createDbDatasetCatalogue, fileToItem, likePattern, searchSql } from './catalogue.ts';
import { DEMO_PROJECTS, demoIrfs, demoReplicas, ensureDemoDatasets, generateDemoDatasets, insertDatasetFiles } from './demo-seed.ts';
import { findIrfs } from './irfs.ts';
import { lookupLocality } from './replicas.ts';
import { esapCart, mapEsapItem, MAX_ESAP_ID } from './esap.ts';
import {
  migratedTarget,
  postgresTarget as postgresDbTarget,
  sqliteTarget as sqliteDbTarget,
  type MigratedTarget as Target,
} from '../testing/db-targets.ts';

const query = (q: Record<string, unknown> = {}) => DatasetSearchQuerySchema.parse(q);
const rucio = (ref: string, over: Partial<NewBasketItem> = {}): NewBasketItem => ({
  kind: 'rucio',
  ref,
  name: ref.split(':')[1] ?? ref,
  sizeBytes: null,
  dataLevel: null,
  projectId: null,
  source: 'rucio',
  meta: { scope: ref.split(':')[0] ?? '' },
  ...over,
});

describe('demo catalogue generator', () => {
  it('is deterministic, valid and realistic', () => {
    const a = generateDemoDatasets({ count: 3000 });
    const b = generateDemoDatasets({ count: 3000 });
    expect(a).toEqual(b);
    expect(a).toHaveLength(3000);
    for (const f of a) expect(DatasetFileSchema.safeParse(f).success).toBe(true);
    expect(new Set(a.map((f) => f.id)).size).toBe(3000);
    expect(new Set(a.map((f) => f.lfn)).size).toBe(3000);
    expect(new Set(a.map((f) => f.projectId))).toEqual(new Set(DEMO_PROJECTS.map((p) => p.id)));
    const GB = 1024 ** 3;
    const MB = 1024 ** 2;
    for (const f of a) {
      expect(f.lfn).toBe(`/cta/prod/${f.observationDate.slice(0, 4)}/${f.projectId}/${f.dataLevel}/${f.name}`);
      const [lo, hi] = { DL0: [2 * GB, 4 * GB], DL1: [300 * MB, 700 * MB], DL2: [50 * MB, 150 * MB], DL3: [5 * MB, 20 * MB] }[f.dataLevel];
      expect(f.sizeBytes).toBeGreaterThanOrEqual(lo!);
      expect(f.sizeBytes).toBeLessThanOrEqual(hi!);
      expect(f.observationDate >= '2024-01-01' && f.observationDate <= '2026-12-31').toBe(true);
    }
    // a different count keeps the same first project's files (stable ids across catalogue sizes is not promised, but order is)
    expect(generateDemoDatasets({ count: 0 })).toEqual([]);
    expect(a.find((f) => f.name === 'run_023000.fits.fz')?.lfn).toBe('/cta/prod/2026/CTA-LST1-2026-0042/DL3/run_023000.fits.fz');
  });
});

describe('Rucio DID parsing', () => {
  it('reads one DID per line or comma-separated, and reports bad ones with line numbers', () => {
    const text = [
      'ESCAPE_CTA_LAPP:run_1.fits, ESCAPE_CTA_LAPP:run_2.fits',
      '',
      '# a comment',
      'no-colon-here',
      'bad scope!:x',
      'ok.scope:dir/sub/file-1.h5',
      `s:${'n'.repeat(251)}`,
      'x:',
    ].join('\n');
    const { dids, invalid } = parseRucioDids(text);
    expect(dids.map((d) => [d.line, d.did])).toEqual([
      [1, 'ESCAPE_CTA_LAPP:run_1.fits'],
      [1, 'ESCAPE_CTA_LAPP:run_2.fits'],
      [6, 'ok.scope:dir/sub/file-1.h5'],
    ]);
    expect(invalid.map((i) => i.line)).toEqual([4, 5, 7, 8]);
    expect(invalid[0]).toMatchObject({ text: 'no-colon-here', message: expect.stringMatching(/scope:name/) });
    expect(invalid[1]?.message).toMatch(/scope must be/);
    expect(invalid[2]?.message).toMatch(/name must be/);
    expect(invalid[2]?.text.length).toBeLessThanOrEqual(120);
  });
});

describe('ESAP shopping basket mapping', () => {
  // References reach the command line shell-quoted in the wrapper script, not the JDL: what ESAP ids really hold passes.
  it.each([`ivo://x?a"b`, "obs'1", 'id;rm', 'a[0]', 'back\\slash', 'ivo://nasa.heasarc/chanmaster#obs 1&x=$y', 'ü €'])(
    'keeps a record id as it is (%j), shell and JDL characters included',
    (id) => {
      expect(mapEsapItem({ archive: 'ivoa', record: { obs_publisher_did: id } })).toMatchObject({ ok: true, item: { ref: `ivoa:${id}` } });
      expect(mapEsapItem({ archive: 'zooniverse', catalog: 'project', project_id: id })).toMatchObject({
        ok: true,
        item: { ref: `zooniverse:project/${id}` },
      });
    },
  );

  it.each([
    ['line\nbreak', /U\+000A \(new line\) is not allowed$/],
    ['nul\u0000byte', /U\+0000 is not allowed$/],
    ['c1\u0085', /U\+0085 is not allowed$/],
    ['x'.repeat(MAX_ESAP_ID + 1), /longer than 1000 characters/],
  ])('refuses a record id a job cannot receive (%j) at the basket boundary, with a reason', (id, reason) => {
    for (const entry of [
      { archive: 'ivoa', record: { obs_publisher_did: id } },
      { archive: 'zooniverse', catalog: 'project', project_id: id },
    ]) {
      const mapped = mapEsapItem(entry);
      expect(mapped.ok).toBe(false);
      expect(mapped.ok ? '' : mapped.reason).toMatch(/identifier "/);
      expect(mapped.ok ? '' : mapped.reason).toMatch(reason);
    }
  });

  const fixture: unknown = JSON.parse(fs.readFileSync(new URL('./testdata/esap-user-profiles.json', import.meta.url), 'utf8'));

  it('accepts the user-profiles answer, one profile, or the bare cart', () => {
    const body = EsapBasketImportSchema.parse(fixture);
    const cart = esapCart(body);
    expect(cart).toHaveLength(11);
    expect(esapCart(EsapBasketImportSchema.parse({ user_name: 'a', shopping_cart: cart }))).toHaveLength(11);
    expect(esapCart(EsapBasketImportSchema.parse(cart))).toHaveLength(11);
    expect(EsapBasketImportSchema.safeParse({ results: [] }).success).toBe(false);
    expect(EsapBasketImportSchema.safeParse({ hello: 1 }).success).toBe(false);
  });

  it('maps Rucio records to DIDs, other archives to references, and explains what it skips', () => {
    const cart = esapCart(EsapBasketImportSchema.parse(fixture));
    const mapped = cart.map(mapEsapItem);
    const ok = mapped.flatMap((m) => (m.ok ? [m.item] : []));
    expect(ok.map((i) => [i.kind, i.ref])).toEqual([
      ['rucio', 'ESCAPE_CTA_LAPP:gamma_20deg_0deg_run100___cta-prod5-lapalma_desert-2158m-LaPalma-dark.simtel.zst'],
      ['rucio', 'LOFAR_ASTRON_GRANGE:2021_02_16_L770123_SB244_uv.MS.tar'],
      ['esap', 'astron_vo:https://vo.astron.nl/getproduct/LoTSS-DR1/P164+55'],
      ['esap', 'zooniverse:project/5483/classifications'],
      ['esap', 'apertif:190807041_AP_B001'],
      ['esap', 'zooniverse:workflow/5483/11973/subjects'],
      ['rucio', 'ESCAPE_CTA_LAPP:gamma_20deg_0deg_run100___cta-prod5-lapalma_desert-2158m-LaPalma-dark.simtel.zst'],
    ]);
    expect(ok[0]).toMatchObject({
      sizeBytes: 734003200,
      source: 'esap',
      meta: { archive: 'rucio', scope: 'ESCAPE_CTA_LAPP', didType: 'FILE', adler32: '0c8d4a2f' },
    });
    expect(ok[2]).toMatchObject({
      name: 'P164+55',
      meta: { archive: 'astron_vo', recordId: 'https://vo.astron.nl/getproduct/LoTSS-DR1/P164+55', facility: 'LOFAR' },
    });
    expect(ok[3]?.name).toBe('Zooniverse project 5483 (classifications)');
    expect(ok[4]?.name).toBe('M31'); // Python str(dict) item_data of older gateways
    const skipped = mapped.flatMap((m, index) => (m.ok ? [] : [{ index, reason: m.reason }]));
    expect(skipped.map((s) => s.index)).toEqual([6, 7, 8, 9]);
    expect(skipped[0]?.reason).toMatch(/no "archive"/);
    expect(skipped[1]?.reason).toMatch(/Rucio scope "not a scope!" is not valid/);
    expect(skipped[2]?.reason).toMatch(/"samp" record has no identifier/);
    expect(skipped[3]?.reason).toMatch(/not a JSON object/);
    expect(mapEsapItem(42)).toEqual({ ok: false, reason: 'not an object' });
    expect(mapEsapItem({ archive: 'rucio', record: { did: 'a.b:c/d' } })).toMatchObject({ ok: true, item: { ref: 'a.b:c/d' } });
  });
});

describe('LIKE patterns', () => {
  it('escape the wildcards', () => {
    expect(likePattern('Run_01%')).toBe('%run\\_01\\%%');
  });
});

// ---------------------------------------------------------------------------------------------

const sqliteTarget = async () => migratedTarget('sqlite', await sqliteDbTarget('datasets'));
const postgresTarget = async () => migratedTarget('postgres', await postgresDbTarget('datasets'));

for (const make of [sqliteTarget, postgresTarget]) {
  describe(`catalogue and basket on ${make === sqliteTarget ? 'SQLite' : 'PostgreSQL'}`, () => {
    let target: Target;
    let db: Database;
    const files = generateDemoDatasets({ count: 1200 });

    beforeAll(async () => {
      target = await make();
      db = await target.fresh();
      expect(await ensureDemoDatasets(db, { count: 1200 })).toBe(1200);
      expect(await ensureDemoDatasets(db, { count: 1200 })).toBe(0); // only into an empty catalogue
    }, 120_000);
    afterAll(async () => {
      await target?.teardown();
    });

    it('seeds replicas (tape-only, disk-only, both) and looks them up for basket items', async () => {
      const replicas = demoReplicas(files);
      const count = await db.one<{ n: number }>('SELECT count(*) AS n FROM dataset_replicas');
      expect(Number(count?.n)).toBe(replicas.length + demoIrfs().length);
      const owner = { ownerSub: 'locality-user', instanceId: 'test' };
      const repo = createBasketRepo(db);
      const dl0 = files.filter((f) => f.dataLevel === 'DL0').slice(0, 40);
      const dl3 = files.filter((f) => f.dataLevel === 'DL3').slice(0, 40);
      await repo.add(owner, [...dl0, ...dl3].map(fileToItem));
      const items = (await repo.get(owner)).items;
      const catalogue = {
        sites: [],
        storageElements: [
          { name: 'CTA-PIC-TAPE', kind: 'tape' as const, seType: 'T1D0', sites: ['HPC.MareNostrum.es'] },
          { name: 'CTA-CNAF-TAPE', kind: 'tape' as const, seType: 'T1D0', sites: [] },
        ],
      };
      const { summary, files: found } = await lookupLocality({ db, rucio: null, catalogue }, items);
      expect(summary.files).toBe(80);
      expect(summary.bytes).toBe([...dl0, ...dl3].reduce((s, f) => s + f.sizeBytes, 0));
      // Every DL0 file is on tape; some were staged to disk too. DL3 files are on disk.
      const byRef = new Map(found.map((f) => [f.ref, f]));
      for (const f of dl0) expect(byRef.get(f.lfn)!.replicas.some((r) => r.kind === 'tape')).toBe(true);
      for (const f of dl3) expect(byRef.get(f.lfn)!.availability).toBe('disk');
      expect(summary.tapeOnlyFiles).toBeGreaterThan(0);
      expect(summary.tapeOnlyFiles).toBeLessThan(40);
      expect(summary.diskFiles).toBe(80 - summary.tapeOnlyFiles);
    });

    it('finds the IRFs of DL3 files: same array configuration, validity period covering the observation', async () => {
      const owner = { ownerSub: 'irf-user', instanceId: 'test' };
      const repo = createBasketRepo(db);
      const dl3 = files
        .filter((f) => f.dataLevel === 'DL3' && f.telescope === 'LST-1' && f.observationDate.startsWith('2024-0'))
        .slice(0, 3);
      const dl0 = files.find((f) => f.dataLevel === 'DL0')!;
      expect(dl3.length).toBeGreaterThan(0);
      await repo.add(owner, [...dl3, dl0].map(fileToItem));
      const match = await findIrfs(db, (await repo.get(owner)).items);
      expect(match.dl3Files).toBe(dl3.length);
      expect(match.withoutIrf).toEqual([]);
      // LST-1, first half of 2024: its point-like and full-enclosure IRFs, nothing of another configuration or period.
      expect(match.irfs.map((i) => i.name).sort()).toEqual([
        'irf_LST-1_2024H1_full-enclosure.fits.gz',
        'irf_LST-1_2024H1_point-like.fits.gz',
      ]);
      expect(match.irfs[0]).toMatchObject({
        kind: 'lfn',
        source: 'catalogue',
        meta: { arrayConfig: 'LST-1', period: '2024-01-01 – 2024-06-30' },
      });
      // The IRFs have replicas too (the locality panel shows them).
      const loc = await lookupLocality({ db, rucio: null, catalogue: null }, [
        ...match.irfs.map((i, n) => ({ ...i, id: `irf-${n}`, group: null, addedAt: '' })),
      ]);
      expect(loc.summary.diskFiles).toBe(2);
    });

    it('filters, sorts, pages and counts on the server', async () => {
      const cat = createDbDatasetCatalogue(db);
      const all = await cat.search(query({ perPage: 200 }));
      expect(all.total).toBe(1200);
      expect(all.items).toHaveLength(200);
      const dates = all.items.map((f) => f.observationDate);
      expect([...dates].sort().reverse()).toEqual(dates);

      const project = DEMO_PROJECTS[1]!.id;
      const expected = files.filter((f) => f.projectId === project && f.dataLevel === 'DL3');
      const p1 = await cat.search(query({ projectId: project, dataLevel: 'DL3', sort: 'name', dir: 'asc', perPage: 10 }));
      expect(p1.total).toBe(expected.length);
      expect(p1.items.map((f) => f.name)).toEqual(
        expected
          .map((f) => f.name)
          .sort()
          .slice(0, 10),
      );
      const p2 = await cat.search(query({ projectId: project, dataLevel: 'DL3', sort: 'name', dir: 'asc', perPage: 10, page: 2 }));
      expect(p2.items.map((f) => f.name)).toEqual(
        expected
          .map((f) => f.name)
          .sort()
          .slice(10, 20),
      );
      expect(p2.items[0]).toEqual(expected.find((f) => f.id === p2.items[0]!.id));

      const bySize = await cat.search(query({ sort: 'sizeBytes', dir: 'desc', perPage: 5 }));
      expect(bySize.items.map((f) => f.sizeBytes)).toEqual([...files.map((f) => f.sizeBytes)].sort((a, b) => b - a).slice(0, 5));
      expect(bySize.items[0]!.sizeBytes).toBeGreaterThan(2 ** 31); // BIGINT on PostgreSQL

      const from = files[100]!.observationDate;
      const to = files[300]!.observationDate;
      const inRange = await cat.search(query({ from, to }));
      expect(inRange.total).toBe(files.filter((f) => f.observationDate >= from && f.observationDate <= to).length);

      // free text: case-insensitive substring of name or LFN; % and _ are literal
      const name = files[7]!.name;
      const text = await cat.search(query({ q: name.toUpperCase().slice(0, 10) }));
      expect(text.total).toBe(
        files.filter((f) => f.name.includes(name.slice(0, 10)) || f.lfn.toLowerCase().includes(name.slice(0, 10).toLowerCase())).length,
      );
      expect((await cat.search(query({ q: DEMO_PROJECTS[0]!.id.toLowerCase() }))).total).toBe(
        files.filter((f) => f.projectId === DEMO_PROJECTS[0]!.id).length,
      );
      expect((await cat.search(query({ q: 'run%0' }))).total).toBe(0);
      expect((await cat.search(query({ q: 'dl1_h5' }))).total).toBe(0); // "_" would match the "." of dl1.h5
      expect((await cat.search(query({ q: 'DL1.H5' }))).total).toBe(files.filter((f) => f.name.endsWith('.dl1.h5')).length);

      expect((await cat.search(query({ page: 999 }))).items).toEqual([]);
    });

    it('summarises projects and resolves ids and searches', async () => {
      const cat = createDbDatasetCatalogue(db);
      const projects = await cat.projects();
      expect(projects.map((p) => p.projectId)).toEqual(DEMO_PROJECTS.map((p) => p.id).sort());
      const first = projects.find((p) => p.projectId === DEMO_PROJECTS[0]!.id)!;
      const mine = files.filter((f) => f.projectId === first.projectId);
      expect(first).toEqual({
        projectId: first.projectId,
        files: mine.length,
        bytes: mine.reduce((s, f) => s + f.sizeBytes, 0),
        levels: ['DL0', 'DL1', 'DL2', 'DL3'],
      });

      const ids = [files[5]!.id, 'nope', files[2]!.id];
      expect((await cat.getMany(ids)).map((f) => f.id)).toEqual([files[5]!.id, files[2]!.id]);
      const m = await cat.matching({ dataLevel: 'DL3' }, 7);
      expect(m.total).toBe(files.filter((f) => f.dataLevel === 'DL3').length);
      expect(m.files).toHaveLength(7);
    });

    it('keeps one basket per user and instance, adds idempotently, groups and removes', async () => {
      const repo = createBasketRepo(db);
      const alice = { ownerSub: 'sub-alice', instanceId: 'cta' };
      const aliceEgi = { ownerSub: 'sub-alice', instanceId: 'egi' };
      const bob = { ownerSub: 'sub-bob', instanceId: 'cta' };
      const lfn: NewBasketItem = {
        kind: 'lfn',
        ref: files[0]!.lfn,
        name: files[0]!.name,
        sizeBytes: files[0]!.sizeBytes,
        dataLevel: 'DL0',
        projectId: files[0]!.projectId,
        source: 'catalogue',
        meta: { fileId: files[0]!.id, runNumber: 16000 },
      };

      expect(await repo.add(alice, [lfn, rucio('S:a'), rucio('S:a'), rucio('S:b')])).toEqual({ added: 3, alreadyPresent: 1 });
      expect(await repo.add(alice, [rucio('S:b'), rucio('S:c')])).toEqual({ added: 1, alreadyPresent: 1 });
      expect(await repo.add(bob, [rucio('S:a')])).toEqual({ added: 1, alreadyPresent: 0 });
      const basket = await repo.get(alice);
      expect(basket.count).toBe(4);
      expect(basket.totalBytes).toBe(files[0]!.sizeBytes);
      expect(basket.unknownSizeCount).toBe(3);
      expect(basket.items.find((i) => i.kind === 'lfn')).toMatchObject({
        ref: files[0]!.lfn,
        dataLevel: 'DL0',
        group: null,
        meta: { fileId: files[0]!.id, runNumber: 16000 },
      });
      expect((await repo.get(aliceEgi)).count).toBe(0);
      expect((await repo.get(bob)).items.map((i) => i.ref)).toEqual(['S:a']);

      const [x, y] = basket.items.filter((i) => i.kind === 'rucio');
      expect(await repo.setGroup(alice, [x!.id, y!.id, (await repo.get(bob)).items[0]!.id], 'ON runs')).toBe(2);
      expect((await repo.get(alice)).items.filter((i) => i.group === 'ON runs')).toHaveLength(2);
      expect((await repo.get(bob)).items[0]!.group).toBeNull();

      // Pages: a stable order, the whole basket's figures and groups on each page.
      const all = (await repo.get(alice)).items.map((i) => i.id);
      const first = await repo.get(alice, { offset: 0, limit: 3 });
      const second = await repo.get(alice, { offset: 3, limit: 3 });
      expect([...first.items, ...second.items].map((i) => i.id)).toEqual(all);
      expect(second).toMatchObject({ count: 4, offset: 3, totalBytes: files[0]!.sizeBytes, unknownSizeCount: 3 });
      expect(second.groups).toEqual([{ name: 'ON runs', count: 2 }]);
      expect((await repo.get(alice, { offset: 4, limit: 3 })).items).toEqual([]);
      expect(await repo.setGroup(alice, [x!.id], null)).toBe(1);

      // the launch engine's view: only this user's items, in the order asked
      const resolved = await basketItemsFor(db, 'sub-alice', 'cta', [y!.id, 'missing', x!.id]);
      expect(resolved.map((i) => i.id)).toEqual([y!.id, x!.id]);
      expect(await basketItemsFor(db, 'sub-bob', 'cta', [x!.id])).toEqual([]);

      expect(await repo.remove(bob, x!.id)).toBe(false);
      expect(await repo.remove(alice, x!.id)).toBe(true);
      expect((await repo.get(alice)).count).toBe(3);
      expect(await repo.clear(alice)).toBe(3);
      expect((await repo.get(alice)).count).toBe(0);
      expect((await repo.get(bob)).count).toBe(1);
    });

    it('adds thousands of items at once and refuses to grow past the limit, all or nothing', async () => {
      const repo = createBasketRepo(db);
      const carol = { ownerSub: 'sub-carol', instanceId: 'cta' };
      const many = Array.from({ length: BASKET_MAX_ITEMS - 2 }, (_, i) => rucio(`bulk:f${i}`));
      expect(await repo.add(carol, many)).toEqual({ added: BASKET_MAX_ITEMS - 2, alreadyPresent: 0 });
      await expect(repo.add(carol, [rucio('bulk:x1'), rucio('bulk:x2'), rucio('bulk:x3')])).rejects.toMatchObject({
        status: 400,
        code: 'VALIDATION',
      });
      expect((await repo.get(carol)).count).toBe(BASKET_MAX_ITEMS - 2);
      expect(await repo.add(carol, [rucio('bulk:x1'), rucio('bulk:f0')])).toEqual({ added: 1, alreadyPresent: 1 });
      expect(await repo.clear(carol)).toBe(BASKET_MAX_ITEMS - 1);
    }, 60_000);
  });
}

describe('search performance on 100,000 files (SQLite)', () => {
  let target: Target;
  let db: Database;
  beforeAll(async () => {
    target = await sqliteTarget();
    db = await target.fresh();
    await db.transaction((tx) => insertDatasetFiles(tx, generateDemoDatasets({ count: 100_000 })));
  }, 120_000);
  afterAll(async () => {
    await target?.teardown();
  });

  const plan = async (q: Record<string, unknown>) => {
    const s = searchSql(query(q));
    const page = await db.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${s.sql}`, s.params);
    const count = await db.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${s.countSql}`, s.countParams);
    return { page: page.map((r) => r.detail).join(' | '), count: count.map((r) => r.detail).join(' | ') };
  };

  it('uses an index for the project and data level filters (page and count queries)', async () => {
    expect((await db.one<{ n: number }>('SELECT count(*) AS n FROM dataset_files'))?.n).toBe(100_000);
    const both = await plan({ projectId: DEMO_PROJECTS[1]!.id, dataLevel: 'DL3' });
    expect(both.page).toMatch(/SEARCH dataset_files USING INDEX dataset_files_project_level_date_idx \(project_id=\? AND data_level=\?\)/);
    expect(both.count).toMatch(/USING COVERING INDEX dataset_files_project_level_date_idx \(project_id=\? AND data_level=\?\)/);
    const project = await plan({ projectId: DEMO_PROJECTS[1]!.id, sort: 'name', dir: 'asc' });
    expect(project.page).toMatch(/USING INDEX dataset_files_project_level_date_idx \(project_id=\?\)/);
    const level = await plan({ dataLevel: 'DL1', from: '2025-03-01', to: '2025-04-01' });
    expect(level.page).toMatch(
      /USING INDEX dataset_files_level_date_idx \(data_level=\? AND observation_date>\? AND observation_date<\?\)/,
    );
    const dates = await plan({ from: '2025-03-01', to: '2025-03-05' });
    expect(dates.page).toMatch(/USING INDEX dataset_files_date_idx/);
    const cat = createDbDatasetCatalogue(db);
    const res = await cat.search(query({ projectId: DEMO_PROJECTS[1]!.id, dataLevel: 'DL3', perPage: 200 }));
    expect(res.items).toHaveLength(200);
    expect(res.total).toBeGreaterThan(3000);
  });
});
