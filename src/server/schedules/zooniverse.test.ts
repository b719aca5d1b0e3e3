/**
 * The Panoptes client against a narrow double: a local HTTP server answering the two documented routes
 * the client uses (OAuth client credentials, `GET /api/classifications/project`) the way Panoptes'
 * documentation describes them. No Zooniverse server is reachable from here, so this is the only test
 * of the client; the double also checks what the client sends (bearer token, JSON-API Accept header,
 * last_id), since Panoptes answers 404 without that Accept header.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import type { HttpProblem } from '../errors.ts';
import { migrations } from '../migrations.ts';
import { testSchedule } from '../testing/schedule.ts';
import { createScheduleRepo } from './repo.ts';
import { resolveSource } from './sources.ts';
import { createZooniverseClient, PANOPTES_PAGE_SIZE, ZooniverseConfigSchema } from './zooniverse.ts';

describe('Zooniverse (Panoptes) client, against a local double', () => {
  let server: http.Server;
  let base: string;
  let dir: string;
  let tokensIssued = 0;
  let revokeNext = false;
  const seen: { path: string; auth: string | undefined; accept: string | undefined }[] = [];
  /** Classifications of project 77 (ids 1..250, workflow 5 for even ids). */
  const all = Array.from({ length: 250 }, (_, i) => ({ id: String(i + 1), workflow: (i + 1) % 2 ? '6' : '5', subject: String(1000 + i) }));

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoo-'));
    fs.writeFileSync(path.join(dir, 'secret'), 's3cret\n');
    server = http.createServer((req, res) => {
      const u = new URL(req.url!, 'http://x');
      seen.push({ path: `${u.pathname}${u.search}`, auth: req.headers.authorization, accept: req.headers.accept });
      if (u.pathname === '/oauth/token' && req.method === 'POST') {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          const b = JSON.parse(body) as Record<string, string>;
          if (b.grant_type !== 'client_credentials' || b.client_id !== 'portal' || b.client_secret !== 's3cret') {
            res.writeHead(401, { 'content-type': 'application/json' });
            return res.end(JSON.stringify({ error: 'invalid_client' }));
          }
          tokensIssued++;
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ access_token: `tok-${tokensIssued}`, token_type: 'Bearer', expires_in: 7200 }));
        });
        return;
      }
      if (req.headers.accept !== 'application/vnd.api+json; version=1') {
        res.writeHead(404);
        return res.end();
      }
      if (revokeNext || req.headers.authorization !== `Bearer tok-${tokensIssued}`) {
        revokeNext = false;
        res.writeHead(401, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ errors: [{ message: 'not authorized' }] }));
      }
      if (u.pathname === '/api/classifications/project') {
        const project = u.searchParams.get('project_id');
        if (project !== '77') {
          res.writeHead(404, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ errors: [{ message: 'Could not find project' }] }));
        }
        const lastId = Number(u.searchParams.get('last_id') ?? 0);
        const wf = u.searchParams.get('workflow_id');
        const size = Number(u.searchParams.get('page_size') ?? 20);
        const page = Number(u.searchParams.get('page') ?? 1);
        const match = all.filter((c) => Number(c.id) > lastId && (!wf || c.workflow === wf));
        const slice = match.slice((page - 1) * size, page * size);
        res.writeHead(200, { 'content-type': 'application/vnd.api+json; version=1' });
        return res.end(
          JSON.stringify({
            classifications: slice.map((c) => ({
              id: c.id,
              created_at: '2026-12-01T00:00:00Z',
              annotations: [],
              links: { project: '77', workflow: c.workflow, subjects: [c.subject], user: '1' },
            })),
            meta: { classifications: { page, page_size: size, next_page: page * size < match.length ? page + 1 : null } },
          }),
        );
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const client = (secretFile = 'secret') =>
    createZooniverseClient(ZooniverseConfigSchema.parse({ url: base, clientId: 'portal', clientSecretFile: path.join(dir, secretFile) }));

  it('reads new classifications after last_id, page by page, with a bearer token and the JSON-API Accept header', async () => {
    const zoo = client();
    const first = await zoo.newClassifications({ projectId: '77', lastId: 0, limit: 120 });
    expect(first.items.map((c) => c.id)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(first.more).toBe(true);
    expect(first.items[0]).toMatchObject({ workflowId: '6', subjectIds: ['1000'] });
    const calls = seen.filter((s) => s.path.startsWith('/api/'));
    expect(calls[0]!.path).toContain(`last_id=0`);
    expect(calls[0]!.path).toContain(`page_size=${PANOPTES_PAGE_SIZE}`);
    expect(calls.every((c) => c.auth === 'Bearer tok-1' && c.accept === 'application/vnd.api+json; version=1')).toBe(true);
    // since the last one taken: only the rest, and no more after it
    const rest = await zoo.newClassifications({ projectId: '77', lastId: 120, limit: 1000 });
    expect(rest.items.map((c) => c.id)).toEqual(Array.from({ length: 130 }, (_, i) => i + 121));
    expect(rest.more).toBe(false);
    expect(await zoo.newClassifications({ projectId: '77', lastId: 250, limit: 10 })).toEqual({ items: [], more: false });
    // one workflow only
    const wf = await zoo.newClassifications({ projectId: '77', workflowId: '5', lastId: 240, limit: 10 });
    expect(wf.items.map((c) => c.id)).toEqual([242, 244, 246, 248, 250]);
    expect(tokensIssued).toBe(1);
  });

  it('gets a new token once when Panoptes refuses the current one', async () => {
    const zoo = client();
    await zoo.newClassifications({ projectId: '77', lastId: 249, limit: 1 });
    const before = tokensIssued;
    revokeNext = true;
    expect((await zoo.newClassifications({ projectId: '77', lastId: 249, limit: 1 })).items.map((c) => c.id)).toEqual([250]);
    expect(tokensIssued).toBe(before + 1);
  });

  it('turns faults into problems: unknown project 404, a refused client 502, an unreachable server 503', async () => {
    const err = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => e as HttpProblem,
      );
    const unknown = await err(client().newClassifications({ projectId: '1', lastId: 0, limit: 1 }));
    expect(unknown).toMatchObject({ status: 404 });
    fs.writeFileSync(path.join(dir, 'wrong'), 'nope\n');
    expect(await err(client('wrong').newClassifications({ projectId: '77', lastId: 0, limit: 1 }))).toMatchObject({ status: 502 });
    const down = createZooniverseClient(
      ZooniverseConfigSchema.parse({
        url: 'http://127.0.0.1:9',
        clientId: 'portal',
        clientSecretFile: path.join(dir, 'secret'),
        timeoutMs: 2000,
      }),
    );
    expect(await err(down.newClassifications({ projectId: '77', lastId: 0, limit: 1 }))).toMatchObject({ status: 503 });
  });

  it('as a schedule source: each resolution starts after the highest classification the ledger holds', async () => {
    const db = await openDatabase('sqlite::memory:');
    try {
      await migrate(db, migrations);
      const repo = createScheduleRepo(db);
      const source = { kind: 'zooniverse' as const, projectId: '77', workflowId: '5' };
      const s = await repo.create(
        testSchedule({
          name: 'zoo',
          launch: {
            name: 'zoo',
            workflowId: 'cta-dl0-dl3',
            values: {},
            sweeps: {},
            inputItemIds: [],
            inputMode: 'per-file',
            fileBindings: {},
            resources: {},
          },
          inputs: [],
          source,
        }),
        null,
      );
      const deps = { db, rucio: null, zooniverse: client() };
      const first = await resolveSource(deps, s.id, source, 100);
      expect(first.files).toHaveLength(100);
      expect(first.files[0]).toMatchObject({ ref: 'zooniverse:classification-2', kind: 'esap', seq: 2 });
      expect(first.left).toBeNull(); // Panoptes does not count: "more may be waiting"
      const run = (await repo.claimSlot({ scheduleId: s.id, slot: '2026-02-01T00:00:00.000Z', manual: true, leaseMs: 60_000 }))!;
      await repo.takeFiles(s.id, run.id, first.files);
      const next = await resolveSource(deps, s.id, source, 100);
      expect(next.files.map((f) => f.seq)).toEqual(Array.from({ length: 25 }, (_, i) => 202 + 2 * i));
      expect(next.left).toBe(0);
    } finally {
      await db.close();
    }
  });
});
