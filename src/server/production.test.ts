/**
 * Production mode: start-up refusals that name the field, the demo data left out, HSTS, trustProxy,
 * pre-compressed immutable assets negotiated by Accept-Encoding, no public source maps, probes, and a
 * shutdown that lets in-flight launches finish.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig, parseConfig, type ConfigInput } from './config.ts';
import type { DiracxClient } from './diracx/client.ts';
import { problems } from './errors.ts';
import { createLaunchRepo } from './launches/repo.ts';
import { helloWorldLaunch } from './testing/hello-world.ts';
import { testPrincipal } from './testing/principal.ts';
import { unitApp } from './testing/unit-app.ts';
import { sandboxStoreDouble } from './testing/sandbox-double.ts';

const instance = { id: 'cta', label: 'CTA', url: 'http://diracx.cluster.local:8000', publicUrl: 'https://diracx.example.org' };

let dir: string;
let dist: string;
let keyFile: string;
const BUNDLE = `export const answer = ${JSON.stringify('x'.repeat(4000))};\n`;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bff-prod-'));
  dist = path.join(dir, 'dist');
  fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dist, 'index.html'), '<html><head><meta name="csp-nonce" content="__CSP_NONCE__"></head></html>');
  // What the build writes (vite.config.ts): the bundle and its .br/.gz siblings; a stray map must not be served.
  const js = path.join(dist, 'assets', 'main-4f2a9c1b.js');
  fs.writeFileSync(js, BUNDLE);
  fs.writeFileSync(`${js}.br`, zlib.brotliCompressSync(BUNDLE));
  fs.writeFileSync(`${js}.gz`, zlib.gzipSync(BUNDLE));
  fs.writeFileSync(`${js}.map`, '{"version":3,"sources":["src/secret.ts"]}');
  keyFile = path.join(dir, 'schedule.key');
  fs.writeFileSync(keyFile, crypto.randomBytes(32).toString('base64'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A complete production configuration but the database; each test breaks one thing. */
const settings = (): Partial<ConfigInput> => ({
  mode: 'production',
  publicUrl: 'https://portal.example.org',
  staticDir: dist,
  scheduleKeyFile: keyFile,
});
const production = (over: Partial<ConfigInput> = {}): ConfigInput => ({
  ...settings(),
  databaseUrl: 'postgres://portal@db.example.org/portal',
  instances: [instance],
  ...over,
});

const refusal = (input: ConfigInput) => {
  try {
    parseConfig(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('the configuration was accepted');
};

describe('production configuration', () => {
  it('accepts a complete configuration, without demo data or the demo catalogue, listening on every interface', () => {
    const c = parseConfig(production());
    expect(c).toMatchObject({ mode: 'production', demoDatasets: 0, resourceCatalogue: null, host: '0.0.0.0' });
    // development keeps the laptop defaults
    const dev = parseConfig({ instances: [instance] });
    expect(dev).toMatchObject({
      mode: 'development',
      demoDatasets: 20_000,
      resourceCatalogue: 'config/resources.cfg',
      host: '127.0.0.1',
      databaseUrl: 'sqlite:./data/portal.db',
    });
    // demo data only when asked for
    expect(parseConfig(production({ demoDatasets: 500, resourceCatalogue: 'config/resources.cfg' }))).toMatchObject({
      demoDatasets: 500,
      resourceCatalogue: 'config/resources.cfg',
    });
  });

  it('refuses every missing setting at once, naming each field', () => {
    const msg = refusal({ mode: 'production', instances: [{ id: 'cta', label: 'CTA', url: 'http://diracx:8000' }], staticDir: dir });
    expect(msg).toMatch(/publicUrl: required in production/);
    expect(msg).toMatch(/databaseUrl: required in production/);
    expect(msg).toMatch(/instances\.0\.publicUrl: .*must be https/);
    expect(msg).toMatch(/scheduleKeyFile: required in production/);
    expect(msg).toMatch(/staticDir: no built SPA/);
  });

  it('refuses unsafe values, naming the field', () => {
    expect(refusal(production({ publicUrl: 'http://portal.example.org' }))).toMatch(/publicUrl: must be https/);
    expect(refusal(production({ databaseUrl: 'sqlite:./data/portal.db' }))).toMatch(/databaseUrl: SQLite in production needs allowSqlite/);
    expect(parseConfig(production({ databaseUrl: 'sqlite:/data/portal.db', allowSqlite: true })).databaseUrl).toBe(
      'sqlite:/data/portal.db',
    );
    fs.writeFileSync(keyFile, 'too-short');
    expect(refusal(production())).toMatch(/scheduleKeyFile: the schedule credential key must be 32 bytes/);
    expect(refusal(production({ scheduleKeyFile: path.join(dir, 'missing.key') }))).toMatch(/scheduleKeyFile: .*ENOENT/);
    expect(refusal(production({ scheduleHoldMs: 100 }))).toMatch(/scheduleHoldMs: a test setting/);
    const accounting = { vo: 'cta', group: 'admins', user: 'collector', apiKeyFile: path.join(dir, 'nope') };
    expect(refusal(production({ instances: [{ ...instance, accounting }] }))).toMatch(
      /instances\.0\.accounting\.apiKeyFile: cannot be read/,
    );
  });

  it('takes the mode and trustProxy from the environment', () => {
    const file = path.join(dir, 'portal.json');
    fs.writeFileSync(file, JSON.stringify(production({ mode: undefined })));
    expect(loadConfig({ PORTAL_CONFIG: file }).mode).toBe('development');
    const c = loadConfig({ PORTAL_CONFIG: file, PORTAL_MODE: 'production', PORTAL_TRUST_PROXY: '10.0.0.0/8, 192.168.0.1' });
    expect(c).toMatchObject({ mode: 'production', trustProxy: ['10.0.0.0/8', '192.168.0.1'] });
    expect(loadConfig({ PORTAL_CONFIG: file, PORTAL_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(() => loadConfig({ PORTAL_CONFIG: file, PORTAL_MODE: 'production', PORTAL_PUBLIC_URL: 'http://x.org' })).toThrow(
      /publicUrl: must be https/,
    );
  });
});

describe('production BFF', () => {
  const verifyToken = async (token: string) => {
    if (token !== 'alice') throw problems.unauthenticated('The access token is invalid');
    return testPrincipal({ ...instance, clientId: 'portal', groupSharing: {} } as never, { sub: 'cta:alice', username: 'alice' });
  };
  const prodApp = (config: Partial<ConfigInput> = {}, diracx?: () => DiracxClient) =>
    unitApp({
      instances: [instance],
      verifyToken,
      ...(diracx ? { diracx } : {}),
      // unitApp's throw-away SQLite file: allowed explicitly, as production requires
      config: { ...settings(), allowSqlite: true, ...config },
    });

  it('sends HSTS on every answer in production only, and believes X-Forwarded-* only from trusted proxies', async () => {
    const prod = await prodApp({ trustProxy: ['127.0.0.1'] });
    try {
      prod.app.get('/bff/test-proto', async (request) => ({ protocol: request.protocol, ip: request.ip }));
      for (const url of ['/', '/assets/main-4f2a9c1b.js', '/bff/livez', '/bff/v1/unknown']) {
        const res = await prod.app.inject({ method: 'GET', url });
        expect(res.headers['strict-transport-security'], url).toBe('max-age=31536000; includeSubDomains');
      }
      const res = await prod.app.inject({
        method: 'GET',
        url: '/bff/test-proto',
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' },
      });
      expect(res.json()).toEqual({ protocol: 'https', ip: '203.0.113.7' });
    } finally {
      await prod.close();
    }
    const dev = await unitApp({ instances: [instance], verifyToken, config: { staticDir: dist } });
    try {
      dev.app.get('/bff/test-proto', async (request) => ({ protocol: request.protocol }));
      const res = await dev.app.inject({ method: 'GET', url: '/' });
      expect(res.headers['strict-transport-security']).toBeUndefined();
      const fwd = await dev.app.inject({ method: 'GET', url: '/bff/test-proto', headers: { 'x-forwarded-proto': 'https' } });
      expect(fwd.json()).toEqual({ protocol: 'http' }); // trustProxy defaults to false
    } finally {
      await dev.close();
    }
  });

  it('sends hashed assets pre-compressed as Accept-Encoding asks, immutable for a year; index.html never cached', async () => {
    const { app, close } = await prodApp();
    try {
      const url = '/assets/main-4f2a9c1b.js';
      const br = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(br.statusCode).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['content-type']).toMatch(/javascript/);
      expect(br.headers.vary).toMatch(/accept-encoding/i);
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(BUNDLE);

      const gz = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(BUNDLE);

      const plain = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body).toBe(BUNDLE);

      const index = await app.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'br' } });
      expect(index.headers['cache-control']).toBe('no-store');
      expect(index.body).not.toContain('__CSP_NONCE__');
      // the template itself is never sent as a static file
      const direct = await app.inject({ method: 'GET', url: '/index.html' });
      expect(direct.body).not.toContain('__CSP_NONCE__');
      expect(direct.headers['content-security-policy']).toMatch(/'nonce-/);
    } finally {
      await close();
    }
  });

  it('never serves source maps', async () => {
    const { app, close } = await prodApp();
    try {
      const res = await app.inject({ method: 'GET', url: '/assets/main-4f2a9c1b.js.map' });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('problem+json');
      expect(res.body).not.toContain('secret.ts');
    } finally {
      await close();
    }
  });

  it('on shutdown reports draining, lets an in-flight launch finish and starts no new one', async () => {
    let release!: () => void;
    const submitted = new Promise<void>((resolve) => {
      release = resolve;
    });
    let submits = 0;
    const diracx = {
      instance,
      ...sandboxStoreDouble().client,
      submitJdl: async () => {
        submits += 1;
        await submitted;
        return [{ JobID: 7, Status: 'Received', MinorStatus: 'Job accepted', TimeStamp: '2026-01-01T00:00:00Z' }];
      },
      searchJobs: async () => ({ rows: [], total: 0 }),
    } as unknown as DiracxClient;
    const { app, db, close } = await prodApp({ shutdownGraceMs: 600_000 }, () => diracx);
    const headers = { authorization: 'Bearer alice' };
    try {
      expect((await app.inject({ method: 'GET', url: '/bff/readyz' })).statusCode).toBe(200);
      const res = await app.inject({ method: 'POST', url: '/bff/v1/launches', headers, payload: helloWorldLaunch('drain-0001') });
      expect(res.statusCode).toBe(202);
      const id = res.json<{ id: string }>().id;
      expect(app.launchRunner.isRunning(id)).toBe(true);

      app.lifecycle.draining = true; // what server.ts does on SIGTERM
      const ready = await app.inject({ method: 'GET', url: '/bff/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: 'draining' });
      expect((await app.inject({ method: 'GET', url: '/bff/livez' })).statusCode).toBe(200);

      const closing = app.close();
      await vi.waitFor(() => expect(app.launchRunner.stopping).toBe(true));
      // a launch asked for while draining is not started here (it stays resumable)
      await app.launchRunner.start('late', 'g', 't', diracx);
      expect(app.launchRunner.isRunning('late')).toBe(false);
      expect(app.launchRunner.isRunning(id)).toBe(true);
      release();
      await closing;
      expect(submits).toBe(1);
      const launch = await createLaunchRepo(db).get(id);
      expect(launch).toMatchObject({ status: 'submitted', jobIds: [7] });
    } finally {
      release();
      await close();
    }
  });

  it('abandons a launch that outlasts the grace period: it stays resumable for another replica', async () => {
    const never = new Promise<never>(() => {});
    const diracx = {
      instance,
      ...sandboxStoreDouble().client,
      submitJdl: async () => never,
      searchJobs: async () => ({ rows: [], total: 0 }),
    } as unknown as DiracxClient;
    const { app, db, close } = await prodApp({ shutdownGraceMs: 50 }, () => diracx);
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/bff/v1/launches',
        headers: { authorization: 'Bearer alice' },
        payload: helloWorldLaunch('drain-0002'),
      });
      expect(res.statusCode).toBe(202);
      await app.close();
      expect(app.launchRunner.stopping).toBe(true);
      const launch = await createLaunchRepo(db).get(res.json<{ id: string }>().id);
      expect(launch?.status).toMatch(/^(pending|submitting)$/);
    } finally {
      await close();
    }
  });
});
