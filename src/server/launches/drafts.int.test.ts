/** Launch drafts through the BFF with real DiracX tokens: only the owner lists, opens, changes or deletes a draft. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, inProcessBff, loginAs } from '../testing/real-stack.ts';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;

describe('launch drafts (real tokens)', () => {
  let bff: Bff;
  beforeAll(async () => {
    bff = await inProcessBff({ config: { demoDatasets: 0 } });
  });
  afterAll(async () => {
    await bff?.close();
  });
  const content = {
    form: { values: { GREETING: 'Hola', MESSAGE: '' }, sweeps: {} },
    settings: { inputItemIds: [], inputMode: 'per-file', resources: { cores: 'x' }, name: '' },
  };

  it('saves, lists, opens, renames and deletes a draft for its owner; others get 404', async () => {
    const alice = bearer(await loginAs('scientist'));
    const paul = bearer(await loginAs('pi'));
    const ada = bearer(await loginAs('admin'));
    const created = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/launch-drafts',
      headers: alice,
      payload: { name: 'greeting, unfinished', workflowId: 'hello-world', content },
    });
    expect(created.statusCode, created.body).toBe(201);
    const draft = created.json();
    expect(draft).toMatchObject({ name: 'greeting, unfinished', workflowId: 'hello-world', content });

    const list = await bff.app.inject({ method: 'GET', url: '/bff/v1/launch-drafts?workflowId=hello-world', headers: alice });
    expect(list.json().items.map((d: { id: string }) => d.id)).toEqual([draft.id]);
    expect((await bff.app.inject({ method: 'GET', url: '/bff/v1/launch-drafts?workflowId=corsika', headers: alice })).json().items).toEqual(
      [],
    );
    expect((await bff.app.inject({ method: 'GET', url: `/bff/v1/launch-drafts/${draft.id}`, headers: alice })).json()).toEqual(draft);

    // A PI and an administrator see nothing of it, and cannot change or delete it.
    for (const other of [paul, ada]) {
      expect((await bff.app.inject({ method: 'GET', url: '/bff/v1/launch-drafts', headers: other })).json().items).toEqual([]);
      expect((await bff.app.inject({ method: 'GET', url: `/bff/v1/launch-drafts/${draft.id}`, headers: other })).statusCode).toBe(404);
      expect(
        (await bff.app.inject({ method: 'PATCH', url: `/bff/v1/launch-drafts/${draft.id}`, headers: other, payload: { name: 'taken' } }))
          .statusCode,
      ).toBe(404);
      expect((await bff.app.inject({ method: 'DELETE', url: `/bff/v1/launch-drafts/${draft.id}`, headers: other })).statusCode).toBe(404);
    }

    const renamed = await bff.app.inject({
      method: 'PATCH',
      url: `/bff/v1/launch-drafts/${draft.id}`,
      headers: alice,
      payload: { name: 'greeting' },
    });
    expect(renamed.json()).toMatchObject({ name: 'greeting', content });
    const deleted = await bff.app.inject({ method: 'DELETE', url: `/bff/v1/launch-drafts/${draft.id}`, headers: alice });
    expect(deleted.statusCode).toBe(204);
    expect((await bff.app.inject({ method: 'GET', url: `/bff/v1/launch-drafts/${draft.id}`, headers: alice })).statusCode).toBe(404);
  });

  it('refuses malformed drafts with field-level problems, and anonymous requests', async () => {
    const alice = bearer(await loginAs('scientist'));
    const tooBig = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/launch-drafts',
      headers: alice,
      payload: { name: 'big', workflowId: 'hello-world', content: { form: { x: 'y'.repeat(300 * 1024) }, settings: {} } },
    });
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json()).toMatchObject({ code: 'VALIDATION' });
    expect(JSON.stringify(tooBig.json().issues)).toContain('at most 256 KiB');
    const noName = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/launch-drafts',
      headers: alice,
      payload: { name: '  ', workflowId: 'hello-world', content },
    });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().issues[0].path).toContain('name');
    const notJson = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/launch-drafts',
      headers: { ...alice, 'content-type': 'application/json' },
      payload: '{"name": "x", ',
    });
    expect(notJson.statusCode).toBe(400);
    expect((await bff.app.inject({ method: 'GET', url: '/bff/v1/launch-drafts' })).statusCode).toBe(401);
    expect((await bff.app.inject({ method: 'GET', url: '/bff/v1/launch-drafts/not-a-uuid', headers: alice })).statusCode).toBe(400);
  });
});
