/**
 * The basket against the real stack: real DiracX tokens (login through the IdP), a BFF restarted
 * on the same SQLite file finds every basket intact, and each user only ever sees their own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, inProcessBff, loginAs } from '../testing/real-stack.ts';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;

describe('basket persistence with real tokens', () => {
  let dir: string;
  let databaseUrl: string;
  let bff: Bff | undefined;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bff-basket-int-'));
    databaseUrl = `sqlite:${path.join(dir, 'portal.db')}`;
  });
  afterAll(async () => {
    await bff?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the basket across a BFF restart, per user', async () => {
    const alice = bearer(await loginAs('scientist'));
    const paul = bearer(await loginAs('pi'));

    bff = await inProcessBff({ databaseUrl });
    const files = await bff.app.inject({
      method: 'GET',
      url: '/bff/v1/datasets/files?projectId=CTA-LST1-2026-0042&dataLevel=DL3&perPage=5&sort=name&dir=asc',
      headers: alice,
    });
    expect(files.statusCode).toBe(200);
    const page = files.json();
    expect(page.total).toBeGreaterThan(100);
    const fileIds: string[] = page.items.map((f: { id: string }) => f.id);

    const added = await bff.app.inject({ method: 'POST', url: '/bff/v1/basket/items', headers: alice, payload: { fileIds } });
    expect(added.statusCode).toBe(200);
    expect(added.json().added).toBe(5);
    const dids = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/basket/rucio',
      headers: alice,
      payload: { dids: 'ESCAPE_CTA_LAPP:gamma_run100.simtel.zst\nnot-a-did' },
    });
    expect(dids.json()).toMatchObject({ added: 1, invalid: [{ line: 2, text: 'not-a-did' }] });
    const esap = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/basket/esap',
      headers: alice,
      payload: {
        user_name: 'alice',
        shopping_cart: [
          { item_data: JSON.stringify({ archive: 'zooniverse', catalog: 'project', project_id: 5483, category: 'subjects' }) },
        ],
      },
    });
    expect(esap.json()).toMatchObject({ added: 1, skipped: [] });
    const before = (await bff.app.inject({ method: 'GET', url: '/bff/v1/basket', headers: alice })).json();
    expect(before.count).toBe(7);
    const grouped = await bff.app.inject({
      method: 'PATCH',
      url: '/bff/v1/basket/items',
      headers: alice,
      payload: { itemIds: [before.items[0].id], group: 'Crab ON' },
    });
    expect(grouped.statusCode).toBe(200);
    const expected = grouped.json().basket;
    expect((await bff.app.inject({ method: 'GET', url: '/bff/v1/basket', headers: paul })).json().count).toBe(0);

    // restart: close the BFF (and its database) and start a new one on the same file
    await bff.close();
    bff = await inProcessBff({ databaseUrl });
    const after = await bff.app.inject({
      method: 'GET',
      url: '/bff/v1/basket',
      headers: bearer(await loginAs('scientist', { fresh: true })),
    });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toEqual(expected);
    expect(after.json().items.find((i: { group: string | null }) => i.group === 'Crab ON')).toBeTruthy();
    expect((await bff.app.inject({ method: 'GET', url: '/bff/v1/basket', headers: paul })).json().count).toBe(0);
    // the demo catalogue was seeded once, not again on restart
    const again = await bff.app.inject({ method: 'GET', url: '/bff/v1/datasets/projects', headers: alice });
    expect(again.json().items.reduce((s: number, p: { files: number }) => s + p.files, 0)).toBe(20_000);

    // paul cannot remove alice's items, even with a real token
    const del = await bff.app.inject({ method: 'DELETE', url: `/bff/v1/basket/items/${before.items[0].id}`, headers: paul });
    expect(del.statusCode).toBe(404);
    const emptied = await bff.app.inject({ method: 'DELETE', url: '/bff/v1/basket', headers: alice });
    expect(emptied.json()).toMatchObject({ removed: 7, basket: { count: 0 } });
  });

  it('refuses forged tokens before reading the body', async () => {
    bff ??= await inProcessBff({ databaseUrl });
    const res = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/basket/rucio',
      headers: { authorization: 'Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln' },
      payload: { dids: 'a:b' },
    });
    expect(res.statusCode).toBe(401);
  });
});
