/**
 * Saved-query schedules in buildApp (SQLite, app.inject) with the narrow DiracX double of the scheduler
 * tests and, for the Rucio source, a small local HTTP server speaking the few Rucio routes the BFF uses
 * (so Rucio can be "down" during a run). The catalogue is the real one in the BFF database. Covers: only
 * new files per run over a growing catalogue, "nothing new" runs without submitting, the per-run limit,
 * an edited query, a DID that does not exist, Rucio down (failed, nothing marked processed, retried).
 */
import type { FastifyInstance } from 'fastify';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatasetFile } from '../../contracts/datasets.ts';
import { insertDatasetFiles } from '../datasets/demo-seed.ts';
import type { Database } from '../db/database.ts';
import { scheduleApp, type ScheduleDiracx } from '../testing/schedule-diracx.ts';
import { createScheduleRepo } from './repo.ts';
import type { Scheduler } from './scheduler.ts';
import { createSecretBox, parseKey } from './secret-box.ts';

const KEY = Buffer.alloc(32, 5).toString('base64');
const inst = { id: 'local', label: 'Local', url: 'http://diracx.test', clientId: 'portal' };
const as = (user: string) => ({ authorization: `Bearer ${user}` });

const file = (i: number, project = 'P1'): DatasetFile => ({
  id: `${project}.DL0.run_${String(i).padStart(5, '0')}`,
  lfn: `/cta/prod/2026/${project}/DL0/run_${String(i).padStart(5, '0')}.fits.fz`,
  name: `run_${String(i).padStart(5, '0')}.fits.fz`,
  projectId: project,
  dataLevel: 'DL0',
  sizeBytes: 1000 + i,
  checksum: 'adler32:0000abcd',
  storageElement: 'CTA-TAPE',
  observationDate: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`,
});

/** A Rucio server as far as the schedule source needs it: userpass auth, one DID, its files, their replicas. */
function rucioDouble(files: () => string[]) {
  const server = http.createServer((req, res) => {
    const u = new URL(req.url!, 'http://x');
    if (u.pathname === '/auth/userpass') {
      res.writeHead(200, { 'x-rucio-auth-token': 'tok', 'x-rucio-auth-token-expires': new Date(Date.now() + 3_600_000).toUTCString() });
      return res.end();
    }
    const m = /^\/dids\/([^/]+)\/([^/]+)(\/files|\/meta)?$/.exec(u.pathname);
    if (m && decodeURIComponent(m[2]!) === 'ds1') {
      if (m[3] === '/files') {
        res.writeHead(200, { 'content-type': 'application/x-json-stream' });
        return res.end(
          files()
            .map((n) => JSON.stringify({ scope: 'cta', name: n, bytes: 10 }))
            .join('\n'),
        );
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(m[3] ? {} : { scope: 'cta', name: 'ds1', type: 'DATASET', length: files().length }));
    }
    if (u.pathname === '/replicas/list') {
      res.writeHead(200, { 'content-type': 'application/x-json-stream' });
      return res.end('');
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ExceptionClass: 'DataIdentifierNotFound', ExceptionMessage: 'Data identifier not found.' }));
  });
  return server;
}

describe('saved-query schedules (catalogue in the database, Rucio and DiracX doubles)', () => {
  let close: () => Promise<void>;
  let db: Database;
  let app: FastifyInstance;
  let ref: { current?: Scheduler };
  let live: Set<string>;
  let submitted: string[][];
  let jobBranchOf: ScheduleDiracx['jobBranchOf'];
  let rucio: http.Server;
  let rucioUrl: string;
  let rucioFiles: string[];
  let dir: string;

  beforeEach(async () => {
    rucioFiles = ['f1.fits', 'f2.fits'];
    rucio = rucioDouble(() => rucioFiles);
    await new Promise<void>((r) => rucio.listen(0, '127.0.0.1', r));
    rucioUrl = `http://127.0.0.1:${(rucio.address() as AddressInfo).port}`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sched-q-'));
    fs.writeFileSync(path.join(dir, 'pw'), 'secret\n');
    let dx: ScheduleDiracx;
    ({ app, db, close, dx, ref } = await scheduleApp({
      instance: inst,
      users: { alice: { sub: 'escape:alice', username: 'alice' } },
      config: {
        scheduleKey: KEY,
        scheduleMinIntervalMinutes: 5,
        scheduleMaxFailures: 5,
        schedulerTickMs: 1000,
        scheduleMaxFilesPerRun: 50,
        datasetSources: [
          { type: 'catalogue' },
          {
            type: 'rucio',
            url: rucioUrl,
            account: 'portal',
            auth: { method: 'userpass', username: 'portal', passwordFile: path.join(dir, 'pw') },
          },
        ],
      },
    }));
    ({ live, submitted, jobBranchOf } = dx);
  });
  afterEach(async () => {
    await close();
    rucio.closeAllConnections();
    await new Promise((r) => rucio.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const spec = { recurrence: { kind: 'interval', every: 5, unit: 'minutes' }, timezone: 'UTC', startAt: '2030-01-01T00:00:00Z' };
  const dl0 = { name: 'dl0 nightly', workflowId: 'cta-dl0-dl3', values: {}, sweeps: {}, inputItemIds: [], inputMode: 'per-file' };

  async function create(source: object, launch: object = dl0) {
    const res = await app.inject({
      method: 'POST',
      url: '/bff/v1/schedules',
      headers: as('alice'),
      payload: { name: 'nightly', launch, spec, source },
    });
    return res;
  }
  async function authorized(source: object) {
    const res = await create(source);
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<{ id: string }>().id;
    live.add('rt-initial');
    await createScheduleRepo(db).putCredential(id, 'escape:alice', 'local', createSecretBox(parseKey(KEY)).seal('rt-initial', id));
    return id;
  }
  type RunView = {
    id: string;
    status: string;
    filesTaken: number | null;
    filesLeft: number | null;
    note: string | null;
    error: string | null;
    jobIds: number[];
  };
  async function runNow(id: string): Promise<RunView> {
    const res = await app.inject({ method: 'POST', url: `/bff/v1/schedules/${id}/run-now`, headers: as('alice') });
    expect(res.statusCode, res.body).toBe(202);
    await ref.current!.idle();
    // run-now claims the current second: wait for the next one so the next call gets its own slot
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    const detail = (await app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: as('alice') })).json<{ runs: RunView[] }>();
    return detail.runs[0]!;
  }
  const filesOf = async (id: string, runId?: string) =>
    (
      await app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}/files${runId ? `?runId=${runId}` : ''}`, headers: as('alice') })
    ).json<{ items: { ref: string }[]; total: number }>();
  const inputDataOf = (jdls: string[]) => jdls.map((j) => /InputData = \{"([^"]+)"\}/.exec(j)?.[1]);

  it('a catalogue query on a growing catalogue: each run takes only new files; nothing new is recorded without submitting', async () => {
    await insertDatasetFiles(
      db,
      [1, 2, 3].map((i) => file(i)),
    );
    await insertDatasetFiles(db, [file(1, 'OTHER')]);
    const id = await authorized({ kind: 'catalogue', filters: { projectId: 'P1', dataLevel: 'DL0' } });

    const r1 = await runNow(id);
    expect(r1).toMatchObject({ status: 'submitted', filesTaken: 3, filesLeft: 0, note: 'Took 3 new files.' });
    expect(inputDataOf(submitted[0]!).sort()).toEqual([1, 2, 3].map((i) => file(i).lfn));

    await insertDatasetFiles(
      db,
      [4, 5].map((i) => file(i)),
    );
    const r2 = await runNow(id);
    expect(r2).toMatchObject({ status: 'submitted', filesTaken: 2 });
    expect(inputDataOf(submitted[1]!).sort()).toEqual([4, 5].map((i) => file(i).lfn));
    expect((await filesOf(id, r2.id)).items.map((f) => f.ref).sort()).toEqual([4, 5].map((i) => file(i).lfn));

    const r3 = await runNow(id);
    expect(r3).toMatchObject({ status: 'skipped', filesTaken: 0, jobIds: [] });
    expect(r3.note).toMatch(/^Nothing new/);
    expect(submitted).toHaveLength(2);
    expect((await filesOf(id)).total).toBe(5);
  });

  it('a query matching more than the per-run limit takes the limit and says how many wait for the next run', async () => {
    await insertDatasetFiles(
      db,
      Array.from({ length: 120 }, (_, i) => file(i)),
    );
    const id = await authorized({ kind: 'catalogue', filters: { projectId: 'P1' }, maxFilesPerRun: 500 }); // capped by the portal's 50
    const r1 = await runNow(id);
    expect(r1).toMatchObject({ status: 'submitted', filesTaken: 50, filesLeft: 70 });
    expect(r1.note).toContain('70 more new files left for the next runs');
    const r2 = await runNow(id);
    const r3 = await runNow(id);
    expect([r2.filesTaken, r3.filesTaken, r3.filesLeft]).toEqual([50, 20, 0]);
    const all = submitted.flatMap(inputDataOf);
    expect(all).toHaveLength(120);
    expect(new Set(all).size).toBe(120);
  });

  it('an edited query does not redo files already processed, and says so', async () => {
    await insertDatasetFiles(
      db,
      [1, 2, 3, 4].map((i) => file(i)),
    );
    const id = await authorized({ kind: 'catalogue', filters: { projectId: 'P1', q: 'run_0000' } }); // runs 1-4
    expect((await runNow(id)).filesTaken).toBe(4);
    await insertDatasetFiles(db, [file(10), file(11)]);
    const edited = await app.inject({
      method: 'PATCH',
      url: `/bff/v1/schedules/${id}`,
      headers: as('alice'),
      payload: { source: { kind: 'catalogue', filters: { projectId: 'P1' } } },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json<{ sourceEditedAt: string | null }>().sourceEditedAt).not.toBeNull();
    const r = await runNow(id);
    expect(r.filesTaken).toBe(2);
    expect(inputDataOf(submitted[1]!).sort()).toEqual([file(10).lfn, file(11).lfn]);
    const none = await runNow(id);
    expect(none.note).toContain('Files taken before the query was edited are not taken again.');
    // a snapshot schedule cannot turn into a query
    const snap = await create({ kind: 'snapshot' }, { ...dl0, inputItemIds: [] });
    expect(snap.statusCode).toBe(201);
    const refused = await app.inject({
      method: 'PATCH',
      url: `/bff/v1/schedules/${snap.json<{ id: string }>().id}`,
      headers: as('alice'),
      payload: { source: { kind: 'catalogue', filters: {} } },
    });
    expect(refused.statusCode).toBe(400);
  });

  it('Rucio: a DID that does not exist is refused at creation; Rucio down fails the run with nothing marked, and the next run takes the files', async () => {
    const missing = await create({ kind: 'rucio', scope: 'cta', name: 'no-such-dataset' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ message: string }>().message).toContain('does not know cta:no-such-dataset');
    expect((await create({ kind: 'rucio', scope: 'cta', name: '../x' })).statusCode).toBe(400);

    const id = await authorized({ kind: 'rucio', scope: 'cta', name: 'ds1' });
    rucio.closeAllConnections();
    await new Promise((r) => rucio.close(r));
    const down = await runNow(id);
    expect(down.status).toBe('failed');
    expect(down.error).toMatch(/not reachable.*Nothing was marked processed: the next run tries these files again/);
    expect((await filesOf(id)).total).toBe(0);
    expect(submitted).toHaveLength(0);

    const port = Number(new URL(rucioUrl).port);
    rucio = rucioDouble(() => rucioFiles);
    await new Promise<void>((r) => rucio.listen(port, '127.0.0.1', r));
    const up = await runNow(id);
    expect(up).toMatchObject({ status: 'submitted', filesTaken: 2 });
    expect(submitted[0]!.map((j) => /cta:f\d\.fits/.exec(jobBranchOf(j))?.[0]).sort()).toEqual(['cta:f1.fits', 'cta:f2.fits']);
    rucioFiles = [...rucioFiles, 'f3.fits'];
    const next = await runNow(id);
    expect(next.filesTaken).toBe(1);
    expect((await filesOf(id, next.id)).items.map((f) => f.ref)).toEqual(['cta:f3.fits']);
  });

  it('refuses a query on a workflow without input files, a stage-first launch, and Zooniverse when it is not configured', async () => {
    const none = await create(
      { kind: 'catalogue', filters: {} },
      { name: 'x', workflowId: 'hello-world', values: { GREETING: 'Hi', MESSAGE: 'm' }, inputMode: 'none' },
    );
    expect(none.statusCode).toBe(400);
    // A scheduled launch is not staged: "stage first" is refused, not silently ignored.
    const staged = await create({ kind: 'catalogue', filters: {} }, { ...dl0, stageAt: 'HPC.MareNostrum.es' });
    expect(staged.statusCode).toBe(400);
    expect(staged.json<{ message: string }>().message).toMatch(/^Stage first is not available for schedules yet/);
    const zoo = await create({ kind: 'zooniverse', projectId: '1234' });
    expect(zoo.statusCode).toBe(400);
    expect(zoo.json<{ message: string }>().message).toContain('Zooniverse is not configured');
  });
});
