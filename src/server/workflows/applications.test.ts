/**
 * The application catalogue through its routes (app.inject): upload, validation by field, preview,
 * publish/disable/remove, versions side by side, launches pinned to a descriptor by hash, and the same
 * catalogue seen by two BFF replicas sharing one database (SQLite file, PostgreSQL) with no restart.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problems } from '../errors.ts';
import { postgresTarget, sqliteTarget, type DbTarget } from '../testing/db-targets.ts';
import { accessControlDiracx, unitApp } from '../testing/unit-app.ts';
import { demoPrincipal, TEST_INSTANCE, type DemoRole } from '../testing/principal.ts';
import { canonicalJson } from '../../contracts/workflows/descriptor.ts';

const HELLO = JSON.parse(fs.readFileSync(path.resolve('workflows/hello-world.json'), 'utf8')) as Record<string, unknown>;
const descriptorV = (toolVersion: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ...HELLO, name: 'Greeter', 'tool-version': toolVersion, ...extra }, null, 2);
const as = (role: DemoRole) => ({ authorization: `Bearer role-${role}` });

async function replica(databaseUrl?: string) {
  return unitApp({
    instances: [TEST_INSTANCE],
    diracx: accessControlDiracx,
    config: databaseUrl ? { databaseUrl } : {},
    verifyToken: async (token) => {
      const role = token.replace(/^role-/, '') as DemoRole;
      if (!['scientist', 'pi', 'admin'].includes(role)) throw problems.unauthenticated('The access token is invalid');
      return demoPrincipal(role);
    },
  });
}

describe('application catalogue (one BFF)', () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ app, close } = await replica());
  });
  afterAll(() => close());

  const upload = (body: object, role: DemoRole = 'admin') =>
    app.inject({ method: 'POST', url: '/bff/v1/admin/applications', headers: as(role), payload: body });
  const act = (id: string, v: number, action: string) =>
    app.inject({ method: 'POST', url: `/bff/v1/admin/applications/${id}/versions/${v}/${action}`, headers: as('admin') });
  const userList = async () =>
    (await app.inject({ method: 'GET', url: '/bff/v1/workflows', headers: as('scientist') })).json().items as {
      id: string;
      catalogueVersion: number;
      sha256: string;
      versions: { version: number }[];
    }[];

  it('refuses non-administrators before reading the body', async () => {
    for (const role of ['scientist', 'pi'] as const) {
      const res = await upload({ nonsense: true }, role);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
  });

  it('reports an invalid descriptor by field, and text that is not JSON, without storing anything', async () => {
    const bad = JSON.parse(descriptorV('1')) as { inputs: Record<string, unknown>[] };
    bad.inputs[0] = { ...bad.inputs[0], type: 'Flag' };
    const res = await app.inject({
      method: 'POST',
      url: '/bff/v1/admin/applications/check',
      headers: as('admin'),
      payload: { descriptor: JSON.stringify(bad) },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().issues).toContainEqual({
      path: 'inputs[0] (GREETING).command-line-flag',
      message: 'a Flag input needs a command-line flag',
    });
    const notJson = await upload({ id: 'broken', as: 'new', descriptor: '{"name": ' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json()).toMatchObject({ message: 'The descriptor is not valid JSON', issues: [{ path: '(root)' }] });
    const tooBig = await upload({ id: 'broken', as: 'new', descriptor: `{"x":"${'a'.repeat(300 * 1024)}"}` });
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json().issues[0].path).toBe('body.descriptor');
    const admin = (await app.inject({ method: 'GET', url: '/bff/v1/admin/applications', headers: as('admin') })).json();
    expect(admin.items.map((a: { id: string }) => a.id)).not.toContain('broken');
  });

  it('refuses each kind of bad descriptor with a 400 problem+json naming the field (the issue\'s "Bad input")', async () => {
    const hello = JSON.parse(descriptorV('1')) as { inputs: Record<string, unknown>[] } & Record<string, unknown>;
    const [greeting, message] = hello.inputs as [Record<string, unknown>, Record<string, unknown>];
    const cases: [string, Record<string, unknown>, { path: string; message: RegExp }][] = [
      ['schema: a wrong type', { ...hello, 'tool-version': 3 }, { path: 'tool-version', message: /string/i }],
      ['schema: an unknown field', { ...hello, 'command-lines': 'x' }, { path: '(root)', message: /command-lines/ }],
      [
        'an id used twice',
        { ...hello, inputs: [greeting, { ...message, id: greeting.id }] },
        { path: 'inputs[1] (GREETING).id', message: /duplicate id "GREETING"/ },
      ],
      [
        'value-keys that collide',
        { ...hello, inputs: [greeting, { ...message, 'value-key': greeting['value-key'] }] },
        { path: 'inputs[1] (MESSAGE).value-key', message: /also used by "GREETING"/ },
      ],
      [
        'a value-key inside another',
        { ...hello, 'command-line': 'echo [GREETING] [GREETING]X', inputs: [greeting, { ...message, 'value-key': '[GREETING]X' }] },
        { path: 'inputs[1] (MESSAGE).value-key', message: /contains the value-key \[GREETING\]/ },
      ],
      [
        'an image type the sites cannot run',
        { ...hello, 'container-image': { type: 'podman', image: 'docker.io/library/alpine:3' } },
        { path: 'container-image.type', message: /Expected 'docker' \| 'singularity' \| 'rootfs'/ },
      ],
      [
        'a control character in a default value',
        { ...hello, inputs: [greeting, { ...message, 'default-value': 'a\u0007b' }] },
        { path: 'inputs[1] (MESSAGE).default-value', message: /control character U\+0007/ },
      ],
    ];
    for (const [what, descriptor, issue] of cases) {
      const res = await upload({ id: 'bad-input', as: 'new', descriptor: JSON.stringify(descriptor) });
      expect(res.statusCode, what).toBe(400);
      expect(res.headers['content-type'], what).toContain('application/problem+json');
      expect(res.json().issues, `${what}: ${res.body}`).toContainEqual({ path: issue.path, message: expect.stringMatching(issue.message) });
    }
    // Size limits: the descriptor text (256 KiB), and texts inside it.
    const longText = await upload({
      id: 'bad-input',
      as: 'new',
      descriptor: JSON.stringify({ ...hello, 'command-line': `echo ${'x'.repeat(20_000)} [GREETING] [MESSAGE]` }),
    });
    expect(longText.statusCode).toBe(400);
    expect(longText.json().issues).toContainEqual({ path: 'command-line', message: 'longer than 16384 characters' });
    const admin = (await app.inject({ method: 'GET', url: '/bff/v1/admin/applications', headers: as('admin') })).json();
    expect(admin.items.map((a: { id: string }) => a.id)).not.toContain('bad-input');
    // At most 100 versions of one application (removed ones count): the 101st is a 409 that says so.
    expect((await upload({ id: 'many', as: 'new', descriptor: descriptorV('v1') })).statusCode).toBe(201);
    for (let v = 2; v <= 100; v++)
      expect((await upload({ id: 'many', as: 'version', descriptor: descriptorV(`v${v}`) })).statusCode).toBe(201);
    const tooMany = await upload({ id: 'many', as: 'version', descriptor: descriptorV('v101') });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.headers['content-type']).toContain('application/problem+json');
    expect(tooMany.json().message).toBe('"many" already has 100 versions (removed ones count too); use a new id');
  });

  it('previews a valid descriptor (summary + parsed descriptor) without storing it', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/bff/v1/admin/applications/check',
      headers: as('admin'),
      payload: { descriptor: descriptorV('1') },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ summary: { name: 'Greeter', version: '1' }, descriptor: { name: 'Greeter' } });
    expect(res.json().sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lets an administrator read a stored draft (descriptor + summary) before publishing it, read-only', async () => {
    const draft = await upload({ id: 'peek', as: 'new', descriptor: descriptorV('1.0'), fileName: 'peek.json' });
    expect(draft.statusCode).toBe(201);
    const view = (role: DemoRole, v = 1) =>
      app.inject({ method: 'GET', url: `/bff/v1/admin/applications/peek/versions/${v}`, headers: as(role) });
    const res = await view('admin');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      sha256: draft.json().sha256,
      version: { appId: 'peek', version: 1, status: 'draft', provenance: { source: 'upload', fileName: 'peek.json' } },
      summary: { id: 'peek', version: '1.0' },
      descriptor: { 'tool-version': '1.0' },
    });
    // Reading changes nothing: still a draft, hidden from users.
    expect((await view('admin')).json().version.status).toBe('draft');
    expect((await userList()).map((w) => w.id)).not.toContain('peek');
    expect((await view('scientist')).statusCode).toBe(403);
    const missing = await view('admin', 9);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
  });

  it('versions side by side: draft → published, newest by default, older ones still pickable, disable and remove', async () => {
    const v1 = await upload({ id: 'greeter', as: 'new', descriptor: descriptorV('1.0'), fileName: 'greeter.json' });
    expect(v1.statusCode).toBe(201);
    expect(v1.json()).toMatchObject({ appId: 'greeter', version: 1, status: 'draft', createdBy: 'ada', provenance: { source: 'upload' } });
    expect((await userList()).map((w) => w.id)).not.toContain('greeter'); // drafts are for administrators
    expect((await act('greeter', 1, 'publish')).json().status).toBe('published');
    // id collisions, unknown ids, the same descriptor twice
    expect((await upload({ id: 'greeter', as: 'new', descriptor: descriptorV('2.0') })).statusCode).toBe(409);
    expect((await upload({ id: 'hello-world', as: 'new', descriptor: descriptorV('2.0') })).json().message).toContain(
      'is already the application "Hello world"',
    );
    expect((await upload({ id: 'nobody', as: 'version', descriptor: descriptorV('2.0') })).statusCode).toBe(404);
    const same = await upload({ id: 'greeter', as: 'version', descriptor: descriptorV('1.0').replace(/\n\s*/g, '') });
    expect(same.statusCode).toBe(409);
    expect(same.json().message).toBe('This descriptor is identical to version 1 of "greeter"');

    expect((await upload({ id: 'greeter', as: 'version', descriptor: descriptorV('2.0') })).json()).toMatchObject({ version: 2 });
    await act('greeter', 2, 'publish');
    const listed = (await userList()).find((w) => w.id === 'greeter')!;
    expect(listed.catalogueVersion).toBe(2);
    expect(listed.versions.map((v) => v.version)).toEqual([2, 1]);
    const old = await app.inject({ method: 'GET', url: '/bff/v1/workflows/greeter?version=1', headers: as('scientist') });
    expect(old.json()).toMatchObject({ catalogueVersion: 1, version: '1.0' });

    await act('greeter', 2, 'disable');
    expect((await userList()).find((w) => w.id === 'greeter')?.catalogueVersion).toBe(1);
    const disabled = await app.inject({ method: 'GET', url: '/bff/v1/workflows/greeter?version=2', headers: as('scientist') });
    expect(disabled.statusCode).toBe(409);
    expect(disabled.json().message).toContain('Version 2 of "greeter" is disabled');

    const removed = await app.inject({ method: 'DELETE', url: '/bff/v1/admin/applications/greeter/versions/1', headers: as('admin') });
    expect(removed.json()).toMatchObject({ removed: { status: 'removed' }, usedBy: { launches: 0, schedules: 0 } });
    expect((await userList()).map((w) => w.id)).not.toContain('greeter');
    expect((await act('greeter', 1, 'publish')).statusCode).toBe(404); // removed stays removed
    // the number is not reused
    expect((await upload({ id: 'greeter', as: 'version', descriptor: descriptorV('3.0') })).json().version).toBe(3);
  });

  it('a launch records version and hash; a relaunch pinned by hash works after its version is removed', async () => {
    await upload({ id: 'pinned', as: 'new', descriptor: descriptorV('1') });
    await act('pinned', 1, 'publish');
    const body = {
      idempotencyKey: 'pin-00000001',
      name: 'pinned',
      workflowId: 'pinned',
      values: { GREETING: 'Hello', MESSAGE: 'pinned' },
    };
    const launch = await app.inject({ method: 'POST', url: '/bff/v1/launches', headers: as('scientist'), payload: body });
    expect(launch.statusCode).toBe(202);
    const sha = (await userList()).find((w) => w.id === 'pinned')!.sha256;
    expect(launch.json()).toMatchObject({ workflowVersion: 1, descriptorSha256: sha });
    expect(sha).toBe(
      (await import('node:crypto'))
        .createHash('sha256')
        .update(canonicalJson(JSON.parse(descriptorV('1'))))
        .digest('hex'),
    );
    // a newer version is published, then version 1 removed: the relaunch still uses version 1's descriptor
    await upload({ id: 'pinned', as: 'version', descriptor: descriptorV('2', { 'command-line': 'printf [GREETING] [MESSAGE]' }) });
    await act('pinned', 2, 'publish');
    const del = await app.inject({ method: 'DELETE', url: '/bff/v1/admin/applications/pinned/versions/1', headers: as('admin') });
    expect(del.json().usedBy).toEqual({ launches: 1, schedules: 0 });
    const relaunch = await app.inject({
      method: 'POST',
      url: '/bff/v1/launches/preview',
      headers: as('scientist'),
      payload: { ...body, idempotencyKey: 'pin-00000002', descriptorSha256: sha },
    });
    expect(relaunch.statusCode).toBe(200);
    expect(relaunch.json().sampleCommandLine).toMatch(/^echo /);
    const fresh = await app.inject({
      method: 'POST',
      url: '/bff/v1/launches/preview',
      headers: as('scientist'),
      payload: { ...body, idempotencyKey: 'pin-00000003' },
    });
    expect(fresh.json().sampleCommandLine).toMatch(/^printf /);
    const gone = await app.inject({
      method: 'POST',
      url: '/bff/v1/launches/preview',
      headers: as('scientist'),
      payload: { ...body, idempotencyKey: 'pin-00000004', workflowVersion: 1 },
    });
    expect(gone.statusCode).toBe(400);
    expect(gone.json()).toMatchObject({ issues: [{ path: 'workflowVersion' }] });
    expect(gone.json().message).toContain('Version 1 of "pinned" is removed');
    // launches made before versions existed are still read (no version, no hash)
    const old = await app.inject({ method: 'GET', url: '/bff/v1/launches', headers: as('scientist') });
    expect(old.statusCode).toBe(200);
  });
});

for (const [name, target] of [
  ['SQLite', () => sqliteTarget('replicas')],
  ['PostgreSQL', () => postgresTarget('replicas')],
] as const) {
  describe(`two BFF replicas on one ${name} database`, () => {
    let db: DbTarget;
    let a: Awaited<ReturnType<typeof replica>>;
    let b: Awaited<ReturnType<typeof replica>>;
    beforeAll(async () => {
      db = await target();
      const url = await db.freshUrl();
      a = await replica(url);
      b = await replica(url); // seeds nothing twice
    }, 120_000);
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await db?.teardown();
    });

    it('an upload and publish on one replica is served by the other at once, and so is a disable', async () => {
      const list = async (r: typeof a) =>
        ((await r.app.inject({ method: 'GET', url: '/bff/v1/workflows', headers: as('scientist') })).json().items as { id: string }[]).map(
          (w) => w.id,
        );
      expect(await list(b)).toEqual(['corsika', 'cta-dl0-dl3', 'hello-world', 'irf-generation']);
      const admin = await a.app.inject({ method: 'GET', url: '/bff/v1/admin/applications', headers: as('admin') });
      expect(admin.json().items.map((x: { versions: unknown[] }) => x.versions.length)).toEqual([1, 1, 1, 1]);

      const up = await a.app.inject({
        method: 'POST',
        url: '/bff/v1/admin/applications',
        headers: as('admin'),
        payload: { id: 'greeter', as: 'new', descriptor: descriptorV('1') },
      });
      expect(up.statusCode).toBe(201);
      await a.app.inject({ method: 'POST', url: '/bff/v1/admin/applications/greeter/versions/1/publish', headers: as('admin') });
      expect(await list(b)).toContain('greeter');
      await b.app.inject({ method: 'POST', url: '/bff/v1/admin/applications/greeter/versions/1/disable', headers: as('admin') });
      expect(await list(a)).not.toContain('greeter');
      // concurrent uploads on both replicas get distinct version numbers
      const [x, y] = await Promise.all(
        [a, b].map((r, i) =>
          r.app.inject({
            method: 'POST',
            url: '/bff/v1/admin/applications',
            headers: as('admin'),
            payload: { id: 'greeter', as: 'version', descriptor: descriptorV(`2.${i}`) },
          }),
        ),
      );
      expect([x!.json().version, y!.json().version].sort()).toEqual([2, 3]);
    });
  });
}
