/**
 * BFF unit tests: buildApp with a narrow DiracX double and a stub verifier,
 * exercised with app.inject (no port). The real DiracX is covered by *.int.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { parseConfig, ConfigError, type InstanceConfig } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { DiracxError, DiracxUnreachableError, type DiracxClient } from './diracx/client.ts';
import type { Principal } from './auth/verify.ts';
import { helloWorldLaunch, launchHelloWorld } from './testing/hello-world.ts';
import { demoPrincipal, testPrincipal, TEST_INSTANCE, type DemoRole } from './testing/principal.ts';
import { problems } from './errors.ts';
import type { FastifyInstance } from 'fastify';
import { sandboxStoreDouble } from './testing/sandbox-double.ts';

const instance = TEST_INSTANCE;

function fakeDiracx(overrides: Partial<DiracxClient> = {}) {
  const calls: string[] = [];
  const client = {
    instance: instance as unknown as InstanceConfig,
    discovery: async () => ({
      issuer: 'http://diracx.test',
      authorization_endpoint: 'http://diracx.test/api/auth/authorize',
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['vo:escape'],
    }),
    metadata: async () =>
      ({
        virtual_organizations: {
          escape: {
            groups: {
              scientists: { properties: ['NormalUser'], secret: 'x' },
              dirac_admin: { properties: ['JobAdministrator', 'Operator'] },
              accounting: { properties: ['JobMonitor'] },
            },
            support: {},
            default_group: 'scientists',
          },
        },
      }) as never,
    relayToken: async () => ({
      status: 200,
      body: { access_token: 'a', token_type: 'Bearer', expires_in: 1200, refresh_token: 'r', extra: 'dropped?' },
    }),
    relayRevoke: async () => ({ status: 200, body: null }),
    userinfo: async () => {
      throw new Error('unused');
    },
    ...sandboxStoreDouble().client,
    submitJdl: async (_t: string, jdls: string[]) => {
      calls.push(`submit:${jdls.length}`);
      return [{ JobID: 42, Status: 'Received', MinorStatus: 'Job accepted', TimeStamp: '2026-01-01T00:00:00Z' }];
    },
    searchJobs: async (_t: string, params: unknown) => {
      calls.push(`search:${JSON.stringify(params)}`);
      return {
        rows: [{ JobID: 42, Status: 'Done', Owner: 'alice', OwnerGroup: 'scientists', VO: 'escape', SecretUpstreamField: 'must not leak' }],
        total: 1,
      };
    },
    rss: async () => ({}),
    ready: async () => ({ ok: true, latencyMs: 1 }),
    ...overrides,
  } as DiracxClient;
  return { client, calls };
}

const principal = (role: DemoRole): Principal => demoPrincipal(role, instance);

describe('BFF app (DiracX double)', () => {
  let dir: string;
  let db: Database;
  let app: FastifyInstance;
  let fake: ReturnType<typeof fakeDiracx>;

  async function start(overrides: Partial<DiracxClient> = {}, staticDir?: string) {
    fake = fakeDiracx(overrides);
    const config = parseConfig({
      databaseUrl: `sqlite:${path.join(dir, 'p.db')}`,
      instances: [instance],
      staticDir: staticDir ?? path.join(dir, 'none'),
      logLevel: 'silent',
      demoDatasets: 0,
    });
    db = await openDatabase(config.databaseUrl);
    app = await buildApp({
      config,
      db,
      logger: false,
      catalogue: null,
      diracx: () => fake.client,
      verifyToken: async (token) => {
        if (token === 'no-normal-user') return testPrincipal(instance, { properties: [] });
        if (!token.startsWith('role-')) throw problems.unauthenticated('The access token is invalid');
        return principal(token.slice(5) as 'scientist');
      },
    });
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bff-unit-'));
  });
  afterEach(async () => {
    await app?.close();
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers validation errors as problem+json with field paths, without calling DiracX', async () => {
    await start();
    const res = await app.inject({
      method: 'POST',
      url: '/bff/v1/launches',
      headers: { authorization: 'Bearer role-scientist' },
      payload: helloWorldLaunch('short'),
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body).toMatchObject({ status: 400, code: 'VALIDATION', title: 'Invalid request' });
    expect(body.requestId).toBe(res.headers['x-request-id']);
    expect(body.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['body.idempotencyKey']));
    // a workflow parameter is checked against its descriptor: the field is named too
    const { res: bad } = await launchHelloWorld(app, { authorization: 'Bearer role-scientist' }, 'key-00000000', { message: 'a\u0007b' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION' });
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual(['values.MESSAGE']);
    expect(fake.calls).toEqual([]);
  });

  it('drops upstream fields the contract does not declare', async () => {
    await start();
    const res = await app.inject({ method: 'GET', url: '/bff/v1/jobs', headers: { authorization: 'Bearer role-scientist' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('SecretUpstreamField');
    expect(res.json().items[0]).toMatchObject({ jobId: 42, status: 'Done', owner: 'alice' });
    const inst = await app.inject({ method: 'GET', url: '/bff/v1/instances' });
    expect(inst.body).not.toContain('secret');
    // Groups a person signs in for (NormalUser, or an administrator's group without it, as DIRAC's
    // dirac_admin) are offered; service groups are not.
    expect(inst.json().instances[0].vos[0].groups).toEqual([
      { name: 'scientists', properties: ['NormalUser'] },
      { name: 'dirac_admin', properties: ['JobAdministrator', 'Operator'] },
    ]);
  });

  it('adds the visibility conditions of each role to every search', async () => {
    await start();
    const searchOf = async (role: string) => {
      fake.calls.length = 0;
      await app.inject({ method: 'GET', url: '/bff/v1/jobs', headers: { authorization: `Bearer role-${role}` } });
      return JSON.parse(fake.calls[0]!.slice('search:'.length)).search;
    };
    expect(await searchOf('scientist')).toEqual([
      { parameter: 'VO', operator: 'eq', value: 'escape' },
      { parameter: 'Owner', operator: 'eq', value: 'alice' },
    ]);
    expect(await searchOf('pi')).toEqual([
      { parameter: 'VO', operator: 'eq', value: 'escape' },
      { parameter: 'OwnerGroup', operator: 'in', values: ['scientists', 'pis'] },
    ]);
    expect(await searchOf('admin')).toEqual([]);
  });

  it('turns DiracX errors into readable problems that keep the upstream status', async () => {
    await start({
      searchJobs: async () => {
        throw new DiracxError(400, 'Invalid search', 'search');
      },
      submitJdl: async () => {
        throw new DiracxError(400, 'JDL syntax error', 'submit');
      },
    });
    const auth = { authorization: 'Bearer role-scientist' };
    const res = await app.inject({ method: 'GET', url: '/bff/v1/jobs', headers: auth });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'UPSTREAM', message: 'DiracX: Invalid search', upstreamStatus: 400 });
    // a launch runs in the background: DiracX's refusal is kept on the launch, readable
    const { res: sent, launch } = await launchHelloWorld(app, auth, 'key-00000001');
    expect(sent.statusCode).toBe(202);
    expect(launch).toMatchObject({ status: 'failed', submittedJobs: 0, errors: [{ jobIndex: 0, message: 'DiracX: JDL syntax error' }] });
    // once DiracX accepts it, Hello world goes through
    await app.close();
    await db.close();
    await start();
    const retry = await launchHelloWorld(app, auth, 'key-00000011');
    expect(retry.res.statusCode).toBe(202);
    expect(retry.launch?.jobIds).toEqual([42]);
  });

  it('maps an unreachable DiracX to 503 UPSTREAM_UNREACHABLE', async () => {
    await start({
      searchJobs: async () => {
        throw new DiracxUnreachableError('search', new Error('ECONNREFUSED'));
      },
    });
    const res = await app.inject({ method: 'GET', url: '/bff/v1/jobs', headers: { authorization: 'Bearer role-scientist' } });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('UPSTREAM_UNREACHABLE');
  });

  it('replays a submission for the same key instead of sending it twice', async () => {
    await start();
    const send = () => launchHelloWorld(app, { authorization: 'Bearer role-scientist' }, 'key-00000002');
    const first = await send();
    expect(first.res.statusCode).toBe(202);
    const second = await send();
    expect(second.res.statusCode).toBe(200);
    expect(second.res.json().id).toBe(first.res.json().id);
    expect(second.launch).toMatchObject({ status: 'submitted', jobIds: [42] });
    expect(fake.calls.filter((c) => c.startsWith('submit'))).toHaveLength(1);
    // the same key with another body is refused, not answered with the old launch
    const other = await app.inject({
      method: 'POST',
      url: '/bff/v1/launches',
      headers: { authorization: 'Bearer role-scientist' },
      payload: helloWorldLaunch('key-00000002', { message: 'another body' }),
    });
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already used for another launch/) });
    expect(fake.calls.filter((c) => c.startsWith('submit'))).toHaveLength(1);
  });

  it('refuses a launch from a group without NormalUser, sending nothing', async () => {
    await start();
    const { res } = await launchHelloWorld(app, { authorization: 'Bearer no-normal-user' }, 'key-00000003');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
    expect(fake.calls).toEqual([]);
  });

  it('refuses protected routes without a valid token (401 + WWW-Authenticate) and unknown routes with 404 problems', async () => {
    await start();
    const res = await app.inject({ method: 'GET', url: '/bff/v1/me', headers: { authorization: 'Bearer nope' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    const missing = await app.inject({ method: 'GET', url: '/bff/v1/nothing' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('NOT_FOUND');
  });

  it('authenticates before anything else: every bearer route of the OpenAPI document answers 401 to a bad body or an oversized one', async () => {
    await start();
    const doc = (await app.inject({ method: 'GET', url: '/bff/openapi.json' })).json();
    const cells: string[] = [];
    for (const [route, ops] of Object.entries(doc.paths as Record<string, Record<string, { security?: unknown[] }>>)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!op.security?.length) continue;
        const url = route.replace(/\{[^}]+\}/g, '1');
        for (const [what, payload, headers] of [
          ['bad JSON', '{"x":', { 'content-type': 'application/json' }],
          ['oversized', 'x'.repeat(9 * 1024 * 1024), { 'content-type': 'application/json' }],
          ['bad query', undefined, {}],
        ] as const) {
          const target = what === 'bad query' ? `${url}?page=-1&perPage=abc&days=9999&format=nope` : url;
          const res = await app.inject({
            method: method.toUpperCase() as 'GET',
            url: target,
            payload: method === 'get' ? undefined : payload,
            headers,
          });
          if (res.statusCode !== 401 || !res.headers['content-type']?.toString().includes('problem+json')) {
            cells.push(`${method.toUpperCase()} ${route} (${what}): ${res.statusCode} ${res.body.slice(0, 80)}`);
          }
        }
      }
    }
    expect(cells).toEqual([]);
  });

  it('answers framework errors (414, bad URL) as problem+json with the security headers, never echoing the URL', async () => {
    await start();
    const long = '9'.repeat(300);
    const bad = '%E0%A4%A';
    for (const [url, status] of [
      [`/bff/v1/jobs/${long}`, 414],
      [`/bff/v1/jobs/${bad}`, 400],
    ] as const) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers['x-request-id']).toBeTruthy();
      expect(res.body).not.toContain(long.slice(0, 50));
      expect(res.body).not.toContain(bad);
      expect(res.json()).toMatchObject({ status, requestId: res.headers['x-request-id'] });
    }
  });

  it('refuses JSON bodies nested deeper than any contract needs with 400, before any handler (drafts 5,000 deep)', async () => {
    await start();
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const res = await app.inject({
      method: 'POST',
      url: '/bff/v1/launch-drafts',
      headers: { authorization: 'Bearer role-scientist', 'content-type': 'application/json' },
      payload: `{"name":"d","workflowId":"hello-world","content":{"form":${deep},"settings":{}}}`,
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/nested more than 64 levels/) });
    // brackets inside strings do not count
    const ok = await app.inject({
      method: 'POST',
      url: '/bff/v1/launch-drafts',
      headers: { authorization: 'Bearer role-scientist', 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'd', workflowId: 'hello-world', content: { form: { note: '['.repeat(5000) }, settings: {} } }),
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('healthz shows anonymous callers no internal error text; client request ids are used only when well-formed', async () => {
    await start({
      ready: async () => ({ ok: false, latencyMs: 3, error: 'connect ECONNREFUSED 10.1.2.3:8000 (internal-diracx.svc)' }),
    });
    const res = await app.inject({ method: 'GET', url: '/bff/healthz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'degraded', instances: [{ id: 'local', reachable: false }] });
    expect(res.body).not.toMatch(/ECONNREFUSED|10\.1\.2\.3|internal-diracx/);

    const good = await app.inject({ method: 'GET', url: '/bff/healthz', headers: { 'x-request-id': 'client-req-0001' } });
    expect(good.headers['x-request-id']).toBe('client-req-0001');
    for (const given of ['short', 'x'.repeat(65), 'has space in it', 'new\nline-0000000', '<script>alert(1)</script>']) {
      const r = await app.inject({ method: 'GET', url: '/bff/healthz', headers: { 'x-request-id': given } });
      expect(r.headers['x-request-id']).not.toBe(given);
      expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('serves the SPA with a fresh CSP nonce per response, and never for /bff paths', async () => {
    const dist = path.join(dir, 'dist');
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
    fs.writeFileSync(
      path.join(dist, 'index.html'),
      '<html><head><meta name="csp-nonce" content="__CSP_NONCE__"></head><body></body></html>',
    );
    fs.writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
    await start({}, dist);
    const a = await app.inject({ method: 'GET', url: '/jobs/42' });
    const b = await app.inject({ method: 'GET', url: '/' });
    expect(a.statusCode).toBe(200);
    const nonceA = /'nonce-([^']+)'/.exec(a.headers['content-security-policy'] as string)?.[1];
    const nonceB = /'nonce-([^']+)'/.exec(b.headers['content-security-policy'] as string)?.[1];
    expect(nonceA).toBeTruthy();
    expect(nonceA).not.toBe(nonceB);
    expect(a.body).toContain(`content="${nonceA}"`);
    expect(a.headers['content-security-policy']).toContain("script-src 'self'");
    expect(a.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(a.headers['x-frame-options']).toBe('DENY');
    const asset = await app.inject({ method: 'GET', url: '/assets/app.js' });
    expect(asset.headers['cache-control']).toContain('immutable');
    const api = await app.inject({ method: 'GET', url: '/bff/v1/unknown' });
    expect(api.headers['content-type']).toContain('problem+json');
  });

  it('publishes its OpenAPI document generated from the zod schemas', async () => {
    await start();
    const res = await app.inject({ method: 'GET', url: '/bff/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/bff/v1/launches', '/bff/v1/jobs/{jobId}', '/bff/v1/me', '/bff/healthz']),
    );
    expect(Object.keys(doc.paths)).not.toContain('/bff/v1/jobs/hello-world');
    expect(doc.paths['/bff/v1/launches'].post.requestBody.content['application/json'].schema.properties.idempotencyKey).toBeTruthy();
  });
});

describe('configuration', () => {
  it('names each bad field', () => {
    expect(() => parseConfig({ instances: [{ id: 'Bad Id', label: '', url: 'ftp://x' }], port: 'abc' })).toThrow(ConfigError);
    try {
      parseConfig({ instances: [{ id: 'Bad Id', label: '', url: 'ftp://x' }], databaseUrl: 'mysql://x' });
    } catch (err) {
      const msg = (err as Error).message;
      expect(msg).toContain('instances.0.id');
      expect(msg).toContain('instances.0.label');
      expect(msg).toContain('instances.0.url');
      expect(msg).toContain('databaseUrl');
    }
    expect(() => parseConfig({ instances: [] })).toThrow(/at least one DiracX instance/);
    expect(() => parseConfig({ instances: [instance, instance] })).toThrow(/duplicate id/);
  });
});
