/**
 * Workflow routes with app.inject: the shipped catalogue, auth, problem+json validation
 * errors with field paths, and a bad descriptor file skipped (and logged) at start-up.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { testPrincipal } from '../testing/principal.ts';
import type { Principal } from '../auth/verify.ts';
import { parseConfig } from '../config.ts';
import { openDatabase, type Database } from '../db/database.ts';
import type { DiracxClient } from '../diracx/client.ts';
import { problems } from '../errors.ts';

const CATALOGUE_DIR = fileURLToPath(new URL('../../../workflows/', import.meta.url));
const instance = { id: 'local', label: 'Local', url: 'http://diracx.test', clientId: 'portal' };

const principal: Principal = testPrincipal(instance);

describe('workflow routes', () => {
  let dir: string;
  let db: Database | undefined;
  let app: FastifyInstance | undefined;
  const diracxCalls: string[] = [];

  async function start(workflowsDir = CATALOGUE_DIR, logger: false | Record<string, unknown> = false) {
    const config = parseConfig({
      databaseUrl: `sqlite:${path.join(dir, 'p.db')}`,
      instances: [instance],
      staticDir: path.join(dir, 'none'),
      logLevel: 'silent',
      workflowsDir,
      demoDatasets: 0,
    });
    db = await openDatabase(config.databaseUrl);
    const diracx = new Proxy({} as DiracxClient, {
      get: (_t, prop) => () => {
        diracxCalls.push(String(prop));
        throw new Error('DiracX is not used by the workflow routes');
      },
    });
    app = await buildApp({
      config,
      db,
      logger,
      catalogue: null,
      diracx: () => diracx,
      verifyToken: async (token) => {
        if (token !== 'good') throw problems.unauthenticated('The access token is invalid');
        return principal;
      },
    });
    return app;
  }
  const auth = { authorization: 'Bearer good' };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bff-workflows-'));
    diracxCalls.length = 0;
  });
  afterEach(async () => {
    await app?.close();
    await db?.close();
    app = undefined;
    db = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('requires a signed-in user', async () => {
    const a = await start();
    for (const [method, url] of [
      ['GET', '/bff/v1/workflows'],
      ['GET', '/bff/v1/workflows/corsika'],
      ['POST', '/bff/v1/workflows/corsika/validate'],
    ] as const) {
      const res = await a.inject({ method, url, payload: method === 'POST' ? {} : undefined });
      expect(res.statusCode, url).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const forged = await a.inject({ method: 'GET', url: '/bff/v1/workflows', headers: { authorization: 'Bearer forged' } });
    expect(forged.statusCode).toBe(401);
  });

  it('lists the catalogue as summaries', async () => {
    const a = await start();
    const res = await a.inject({ method: 'GET', url: '/bff/v1/workflows', headers: auth });
    expect(res.statusCode).toBe(200);
    const { items } = res.json();
    expect(items.map((w: { id: string }) => w.id)).toEqual(['corsika', 'cta-dl0-dl3', 'hello-world', 'irf-generation']);
    expect(items[0]).toEqual({
      id: 'corsika',
      name: 'CORSIKA air-shower simulation',
      version: '7.7550',
      description: expect.any(String),
      tags: ['astroparticle', 'air showers', 'simulation'],
      resources: { cores: 1, ramMB: 2048, wallTimeMinutes: 1440, tags: [] },
      hasFileInput: false,
      inputMode: 'none',
      container: { type: 'docker', image: 'harbor.cta-observatory.org/corsika:7.7550' },
      sweepable: ['RUNNR', 'PRMPAR', 'NSHOW', 'ESLOPE', 'OBSLEV'],
      // Seeded from workflows/ as version 1 of the application.
      catalogueVersion: 1,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      versions: [{ version: 1, toolVersion: '7.7550', createdAt: expect.any(String) }],
    });
    expect(res.body).not.toContain('command-line'); // summaries only
    expect(diracxCalls).toEqual([]);
  });

  it('serves one workflow with its descriptor, and 404 for an unknown one', async () => {
    const a = await start();
    const res = await a.inject({ method: 'GET', url: '/bff/v1/workflows/cta-dl0-dl3', headers: auth });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      id: 'cta-dl0-dl3',
      hasFileInput: true,
      inputMode: 'per-file',
      resources: { cores: 4, ramMB: 8192, wallTimeMinutes: 720 },
    });
    expect(body.descriptor['command-line']).toMatch(/^cta-dl0-to-dl3 /);
    expect(body.descriptor.groups.find((g: { id: string }) => g.id === 'telescopes')).toMatchObject({
      'mutually-exclusive': true,
      'one-is-required': true,
    });
    const missing = await a.inject({ method: 'GET', url: '/bff/v1/workflows/nope', headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'NOT_FOUND', message: 'There is no workflow "nope" in the catalogue' });
  });

  it('validates values and sweeps with the descriptor: the number of jobs', async () => {
    const a = await start();
    const res = await a.inject({
      method: 'POST',
      url: '/bff/v1/workflows/corsika/validate',
      headers: auth,
      payload: {
        values: { NSHOW: 500, ERANGE_MIN: 30, ERANGE_MAX: 3000 },
        sweeps: { RUNNR: { kind: 'range', start: 1, step: 1, end: 50 }, PRMPAR: { kind: 'list', values: [1, 14] } },
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, jobs: 100 });
    const defaults = await a.inject({ method: 'POST', url: '/bff/v1/workflows/hello-world/validate', headers: auth, payload: {} });
    expect(defaults.json()).toEqual({ ok: true, jobs: 1 });
  });

  it('answers 400 problem+json with field-level issues, paths like values.ERANGE_MIN', async () => {
    const a = await start();
    const res = await a.inject({
      method: 'POST',
      url: '/bff/v1/workflows/corsika/validate',
      headers: auth,
      payload: {
        values: { ERANGE_MIN: 5000, ERANGE_MAX: 100, THETAP_MIN: 80, CERENKOV: false, CERSIZ: 9, NOPE: 1 },
        sweeps: { NSHOW: { kind: 'range', start: 100, step: 0, end: 1000 }, THETAP_MAX: { kind: 'list', values: [10] } },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body).toMatchObject({
      status: 400,
      code: 'VALIDATION',
      title: 'Invalid request',
      message: 'sweeps.NSHOW.step: The step must be greater than 0',
    });
    expect(body.requestId).toBe(res.headers['x-request-id']);
    expect(body.issues).toEqual([
      { path: 'sweeps.NSHOW.step', message: 'The step must be greater than 0' },
      { path: 'sweeps.THETAP_MAX', message: expect.stringContaining('cannot be swept in CORSIKA air-shower simulation') },
      { path: 'values.THETAP_MIN', message: 'Must be at most 70' },
      { path: 'values.NOPE', message: expect.stringContaining('Unknown parameter') },
      { path: 'values.CERSIZ', message: expect.stringContaining('is only used when “Cherenkov light” (CERENKOV) is on') },
      {
        path: 'values.ERANGE_MAX',
        message: '“Energy minimum (GeV)” (ERANGE_MIN) must not be greater than “Energy maximum (GeV)” (ERANGE_MAX) (5000 > 100)',
      },
    ]);
  });

  it('takes any printable text, refuses control characters and malformed bodies', async () => {
    const a = await start();
    const validate = (values: Record<string, unknown>, sweeps: Record<string, unknown> = {}) =>
      a.inject({ method: 'POST', url: '/bff/v1/workflows/hello-world/validate', headers: auth, payload: { values, sweeps } });
    // The command line travels shell-quoted in the launch's wrapper script, not in the JDL: JDL characters are plain text.
    for (const text of ['x"; Executable = "rm', 'a;b', 'x[0] > 1; y', "it's", 'C:\\dir'])
      expect((await validate({ MESSAGE: text })).statusCode, text).toBe(200);
    const control = await validate({ MESSAGE: 'x\ny' });
    expect(control.statusCode).toBe(400);
    expect(control.headers['content-type']).toContain('application/problem+json');
    expect(control.json().issues).toEqual([{ path: 'values.MESSAGE', message: expect.stringMatching(/^the control character U\+000A/) }]);
    const swept = await validate({}, { MESSAGE: { kind: 'list', values: ['fine', 'a;b', 'tab\there'] } });
    expect(swept.statusCode).toBe(400);
    expect(swept.json().issues[0]).toMatchObject({
      path: 'sweeps.MESSAGE',
      message: expect.stringContaining('the control character U+0009 (tab) is not allowed'),
    });
    // Other printable text passes, shell characters included (the command line quotes it).
    expect((await validate({ MESSAGE: 'a & b | $HOME (é) `x` *' })).statusCode).toBe(200);
    const notObject = await a.inject({
      method: 'POST',
      url: '/bff/v1/workflows/hello-world/validate',
      headers: auth,
      payload: { values: [1, 2] },
    });
    expect(notObject.statusCode).toBe(400);
    expect(notObject.json().issues[0].path).toBe('body.values');
    const unknown = await a.inject({ method: 'POST', url: '/bff/v1/workflows/nope/validate', headers: auth, payload: {} });
    expect(unknown.statusCode).toBe(404);
  });

  it('publishes the routes in the OpenAPI document', async () => {
    const a = await start();
    const res = await a.inject({ method: 'GET', url: '/bff/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toEqual(
      expect.arrayContaining(['/bff/v1/workflows', '/bff/v1/workflows/{id}', '/bff/v1/workflows/{id}/validate']),
    );
  });

  it('starts despite a bad descriptor file: it is skipped with a log line naming the file and field, the others are served', async () => {
    fs.mkdirSync(path.join(dir, 'wf'));
    fs.copyFileSync(path.join(CATALOGUE_DIR, 'hello-world.json'), path.join(dir, 'wf', 'hello-world.json'));
    fs.writeFileSync(path.join(dir, 'wf', 'broken.json'), '{ "name": ');
    fs.writeFileSync(
      path.join(dir, 'wf', 'bad.json'),
      JSON.stringify({
        name: 'Bad',
        'tool-version': '1',
        description: 'd',
        'schema-version': '0.5',
        'command-line': 'tool [A]',
        inputs: [{ id: 'A', name: 'A', type: 'Flag', 'value-key': '[A]' }],
      }),
    );
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const a = await start(path.join(dir, 'wf'), { level: 'info', stream });
    const res = await a.inject({ method: 'GET', url: '/bff/v1/workflows', headers: auth });
    expect(res.json().items.map((w: { id: string }) => w.id)).toEqual(['hello-world']);
    expect((await a.inject({ method: 'GET', url: '/bff/v1/workflows/bad', headers: auth })).statusCode).toBe(404);
    const skipped = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'workflow descriptor skipped');
    expect(skipped.map((l) => [l.level, l.file, l.problem])).toEqual([
      [
        50,
        path.join(dir, 'wf', 'bad.json'),
        expect.stringContaining('inputs[0] (A).command-line-flag: a Flag input needs a command-line flag'),
      ],
      [50, path.join(dir, 'wf', 'broken.json'), expect.stringContaining('not valid JSON')],
    ]);
  });
});
