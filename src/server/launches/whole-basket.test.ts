/**
 * A launch on the whole basket (`inputBasket`, issue #13 item 6): the BFF reads the items itself, of the levels
 * asked for, only the caller's own, bounded by MAX_JOBS_PER_LAUNCH with a 400 above it; and the basket's pages
 * filtered by level, as the launch page's picker reads them.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataLevel } from '../../contracts/datasets.ts';
import type { Launch, LaunchPreview } from '../../contracts/launches.ts';
import { ownerKeyOf } from '../auth/owner.ts';
import { createBasketRepo, type NewBasketItem } from '../datasets/basket-repo.ts';
import { problems } from '../errors.ts';
import { demoPrincipal, TEST_INSTANCE, type DemoRole } from '../testing/principal.ts';
import { accessControlDiracx, unitApp } from '../testing/unit-app.ts';
import { MAX_JOBS_PER_LAUNCH } from './build.ts';

const as = (role: DemoRole) => ({ authorization: `Bearer role-${role}` });
const files = (n: number, level: DataLevel, tag: string): NewBasketItem[] =>
  Array.from({ length: n }, (_, i) => ({
    kind: 'lfn',
    ref: `/cta/test/${tag}/run_${i}.${level}.fits.fz`,
    name: `run_${i}.${level}.fits.fz`,
    sizeBytes: 1000,
    dataLevel: level,
    projectId: 'test',
    source: 'catalogue',
    meta: {},
  }));
const body = (key: string, extra: object) => ({
  idempotencyKey: key,
  name: 'whole basket',
  workflowId: 'cta-dl0-dl3',
  values: {},
  inputMode: 'per-file',
  ...extra,
});

describe('a launch on the whole basket', () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let basket: ReturnType<typeof createBasketRepo>;
  beforeAll(async () => {
    let db;
    ({ app, db, close } = await unitApp({
      instances: [TEST_INSTANCE],
      diracx: accessControlDiracx,
      verifyToken: async (token) => {
        const role = token.replace(/^role-/, '') as DemoRole;
        if (!['scientist', 'pi', 'admin'].includes(role)) throw problems.unauthenticated('The access token is invalid');
        return demoPrincipal(role);
      },
    }));
    basket = createBasketRepo(db);
    // alice: 3 DL0 files and 2 DL3; paul: DL3 only.
    await basket.add(ownerKeyOf(demoPrincipal('scientist')), [...files(3, 'DL0', 'a'), ...files(2, 'DL3', 'a')]);
    await basket.add(ownerKeyOf(demoPrincipal('pi')), files(4, 'DL3', 'p'));
  });
  afterAll(() => close());

  const post = (url: string, role: DemoRole, payload: object) => app.inject({ method: 'POST', url, headers: as(role), payload });

  it("reads the caller's own basket items of the levels asked for, and submits one job per item", async () => {
    const dl0 = await post('/bff/v1/launches/preview', 'scientist', body('whole-0001', { inputBasket: { levels: ['DL0'] } }));
    expect(dl0.statusCode, dl0.body).toBe(200);
    expect(dl0.json<LaunchPreview>()).toMatchObject({ totalJobs: 3, inputFiles: 3, inputBytes: 3000 });
    expect(dl0.json<LaunchPreview>().sampleJdl).toMatch(/InputData = \{"\/cta\/test\/a\/run_0\.DL0\.fits\.fz"\};/);
    const every = await post('/bff/v1/launches/preview', 'scientist', body('whole-0002', { inputBasket: {} }));
    expect(every.json<LaunchPreview>()).toMatchObject({ totalJobs: 5, inputFiles: 5 });

    const sent = await post('/bff/v1/launches', 'scientist', body('whole-0003', { inputBasket: { levels: ['DL0'] } }));
    expect(sent.statusCode, sent.body).toBe(202);
    expect(sent.json<Launch>()).toMatchObject({ totalJobs: 3 });

    // paul has no DL0 item: his own basket is read, never alice's.
    const none = await post('/bff/v1/launches/preview', 'pi', body('whole-0004', { inputBasket: { levels: ['DL0'] } }));
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ code: 'VALIDATION', message: 'Your basket holds no DL0 items', issues: [{ path: 'inputBasket' }] });
  });

  it('refuses chosen ids and the whole basket together, and unknown levels', async () => {
    const both = await post('/bff/v1/launches/preview', 'scientist', body('whole-0005', { inputItemIds: ['x'], inputBasket: {} }));
    expect(both.statusCode).toBe(400);
    expect(both.json()).toMatchObject({ message: 'Choose basket items or the whole basket, not both', issues: [{ path: 'inputBasket' }] });
    const bad = await post('/bff/v1/launches/preview', 'scientist', body('whole-0006', { inputBasket: { levels: ['DL9'] } }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION');
  });

  it(`refuses a basket of more than ${MAX_JOBS_PER_LAUNCH} matching items with a readable 400`, async () => {
    await basket.add(ownerKeyOf(demoPrincipal('admin')), files(MAX_JOBS_PER_LAUNCH + 1, 'DL0', 'big'));
    const big = await post('/bff/v1/launches/preview', 'admin', body('whole-0007', { inputBasket: { levels: ['DL0'] } }));
    expect(big.statusCode).toBe(400);
    expect(big.json()).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/^Your basket holds 10,001 DL0 items; one launch reads at most 10,000 files/),
      issues: [{ path: 'inputBasket', message: 'too many items' }],
    });
    // One job for all files is bounded the same way (what the browser no longer holds, the BFF does not either).
    const allInOne = await post('/bff/v1/launches/preview', 'admin', body('whole-0008', { inputMode: 'all-in-one', inputBasket: {} }));
    expect(allInOne.statusCode).toBe(400);
  });

  it('pages the basket by level for the picker, with the matching count and the whole basket figures', async () => {
    const res = await app.inject({ method: 'GET', url: '/bff/v1/basket?offset=1&limit=1&levels=DL0', headers: as('scientist') });
    expect(res.statusCode).toBe(200);
    const page = res.json<{ items: { name: string }[]; matching: number; count: number }>();
    expect(page).toMatchObject({ matching: 3, count: 5, offset: 1 });
    expect(page.items.map((i) => i.name)).toEqual(['run_1.DL0.fits.fz']);
    const several = await app.inject({ method: 'GET', url: '/bff/v1/basket?limit=10&levels=DL0,DL3', headers: as('scientist') });
    expect(several.json()).toMatchObject({ matching: 5 });
    const bad = await app.inject({ method: 'GET', url: '/bff/v1/basket?levels=DL0;DROP', headers: as('scientist') });
    expect(bad.statusCode).toBe(400);
  });
});
