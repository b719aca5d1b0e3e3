/**
 * Scheduled submissions against the real stack (DiracX + IdP):
 * - the BFF-initiated authorization (code + PKCE) through the real IdP, bound to the signed-in user;
 * - a run minted from the stored refresh token creates a launch whose job DiracX has;
 * - a credential revoked at DiracX pauses the schedule with "sign in again"; "revoke all" revokes at DiracX;
 * - the BFF killed mid-run (a child process, SIGKILL) and restarted: exactly one launch for the slot; and killed in
 *   a saved-query run once its files and launch are recorded: each of the 30 new files in exactly one job;
 * - two BFF replicas on one throw-away PostgreSQL ticking together: exactly one launch per slot;
 * - saved-query schedules (#16): a catalogue query on a growing catalogue, each run submitting only the new
 *   files to DiracX; two replicas on PostgreSQL running the same due query schedule (a slot and a "run now"
 *   at once): every file in exactly one job; a Rucio dataset that grows and a Rucio name pattern (real Rucio).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database.ts';
import { createDiracxClient } from '../diracx/client.ts';
import { loadPgHelper, postgresTarget } from '../testing/db-targets.ts';
import { bearer, inProcessBff, instanceConfig, loginAs, stackInfo, until, type Role } from '../testing/real-stack.ts';
import type { DatasetFile } from '../../contracts/datasets.ts';
import type { ScheduleQuerySource } from '../../contracts/schedules.ts';
import { insertDatasetFiles } from '../datasets/demo-seed.ts';
import { faultProxy } from '../testing/fault-proxy.ts';
import { rucioAsRoot, rucioSourceOf, startTestRucio } from '../testing/rucio-server.ts';
import { authorize, bffConfig, createSchedule, everyMinute, KEY } from '../testing/schedules.ts';
import { createScheduleRepo } from './repo.ts';
import type { Scheduler } from './scheduler.ts';
import { createSecretBox, parseKey } from './secret-box.ts';

const box = createSecretBox(parseKey(KEY));
const diracx = () => createDiracxClient(instanceConfig() as Parameters<typeof createDiracxClient>[0], { timeoutMs: 10_000 });

type Bff = Awaited<ReturnType<typeof inProcessBff>>;

const jobsOfGroup = async (role: Role, jobGroup: string) =>
  (
    await diracx().searchJobs(
      (await loginAs(role)).access_token,
      { parameters: ['JobID', 'JobGroup'], search: [{ parameter: 'JobGroup', operator: 'eq', value: jobGroup }] },
      { page: 1, perPage: 50 },
    )
  ).rows;

/** Make the schedule's next slot due now (as if its time had come). */
async function makeDue(db: Database, id: string): Promise<string> {
  const slot = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000).toISOString();
  await db.exec('UPDATE schedules SET next_run_at = $2 WHERE id = $1', [id, slot]);
  return slot;
}

/* Saved-query schedules: a CTA DL0→DL3 launch per run, over catalogue files added by the test. */
const dl0 = (tag: string) => ({
  name: `q ${tag}`,
  workflowId: 'cta-dl0-dl3',
  values: {},
  sweeps: {},
  inputItemIds: [],
  inputMode: 'per-file',
});
const files = (project: string, from: number, n: number): DatasetFile[] =>
  Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      id: `${project}.DL0.run_${i}`,
      lfn: `/cta/prod/2026/${project}/DL0/run_${i}.fits.fz`,
      name: `run_${i}.fits.fz`,
      projectId: project,
      dataLevel: 'DL0',
      sizeBytes: 1_000_000 + i,
      checksum: 'adler32:0badcafe',
      storageElement: 'CTA-TAPE',
      observationDate: '2026-11-30',
    };
  });
/** The catalogue query over a project's DL0 files (the files `files()` adds). */
const catalogueDl0 = (project: string): ScheduleQuerySource => ({ kind: 'catalogue', filters: { projectId: project, dataLevel: 'DL0' } });
/** alice's saved-query schedule (every minute, a DL0→DL3 launch per run) over `source`, authorized for unattended runs. */
const createQuery = async (app: FastifyInstance, tag: string, source: ScheduleQuerySource) => {
  const res = await app.inject({
    method: 'POST',
    url: '/bff/v1/schedules',
    headers: bearer(await loginAs('scientist')),
    payload: { name: tag, launch: dl0(tag), spec: everyMinute(), source },
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json<{ id: string }>().id;
  expect((await authorize(app, id, 'scientist')).get('authorized')).toBe(id);
  return id;
};
/** The refs of the files a run took, as its owner reads them. */
const filesOfRun = async (app: FastifyInstance, id: string, runId: string) =>
  (await app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}/files?runId=${runId}`, headers: bearer(await loginAs('scientist')) }))
    .json<{ items: { ref: string }[] }>()
    .items.map((f) => f.ref);
/** The LFNs of every job of the schedule's launches (their JDL's InputData), from the BFF database. */
const lfnsOfLaunches = async (db: Database) =>
  (await db.query<{ spec_json: string }>('SELECT spec_json FROM launch_jobs ORDER BY launch_id, job_index')).flatMap(
    (r) => (JSON.parse(r.spec_json) as { attributes: { InputData?: string[] } }).attributes.InputData ?? [],
  );

describe('schedules on the real stack', () => {
  let bff: Bff;
  const ref: { current?: Scheduler } = {};
  beforeAll(async () => {
    bff = await inProcessBff({ config: bffConfig(), build: { schedulerRef: ref } });
  });
  afterAll(() => bff?.close());

  it('authorizes unattended runs through DiracX and the IdP, then a run creates a job in DiracX', async () => {
    const id = await createSchedule(bff.app, 'scientist', 'auth-flow');
    const params = await authorize(bff.app, id, 'scientist');
    expect(params.get('authorized')).toBe(id);
    const s = (await bff.app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: bearer(await loginAs('scientist')) })).json<{
      status: string;
      credential: string;
      nextRunAt: string;
    }>();
    expect(s).toMatchObject({ status: 'active', credential: 'ok' });
    // only ciphertext is stored
    const row = await bff.db.one<{ ciphertext: string }>('SELECT ciphertext FROM schedule_credentials WHERE schedule_id = $1', [id]);
    expect(row!.ciphertext).toMatch(/^v2\.[0-9a-f]{12}\./); // v2.<key id>.…: the key can be rotated
    const first = box.open(row!.ciphertext, id);
    expect(first.split('.')).toHaveLength(3); // a DiracX JWT refresh token

    expect(
      (await bff.app.inject({ method: 'POST', url: `/bff/v1/schedules/${id}/run-now`, headers: bearer(await loginAs('scientist')) }))
        .statusCode,
    ).toBe(202);
    await ref.current!.idle();
    const detail = (
      await bff.app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: bearer(await loginAs('scientist')) })
    ).json<{ runs: { status: string; jobIds: number[]; jobGroup: string; error: string | null }[] }>();
    expect(detail.runs[0], JSON.stringify(detail.runs[0])).toMatchObject({ status: 'submitted' });
    expect(detail.runs[0]!.jobIds).toHaveLength(1);
    const jobs = await jobsOfGroup('scientist', detail.runs[0]!.jobGroup);
    expect(jobs.map((j) => Number(j.JobID))).toEqual(detail.runs[0]!.jobIds);
    // rotated: the stored refresh token changed, and the spent one is refused by DiracX's own rules
    const rotated = box.open(
      (await bff.db.one<{ ciphertext: string }>('SELECT ciphertext FROM schedule_credentials WHERE schedule_id = $1', [id]))!.ciphertext,
      id,
    );
    expect(rotated).not.toBe(first);
  });

  it('refuses a flow completed by another user than the schedule owner', async () => {
    const id = await createSchedule(bff.app, 'scientist', 'foreign');
    const params = await authorize(bff.app, id, 'scientist', 'pi');
    // DiracX refuses paul for alice's group already; the BFF would also refuse a token whose sub is not the owner's
    expect(params.get('authorizeError')).toMatch(/You signed in as paul|not a member of the requested group \(paul, scientists\)/);
    const s = (await bff.app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: bearer(await loginAs('scientist')) })).json<{
      credential: string;
      status: string;
    }>();
    expect(s).toMatchObject({ credential: 'none', status: 'paused' });
  });

  it('pauses with "sign in again" once DiracX no longer accepts the credential, and revokes all at DiracX', async () => {
    // ada's sessions: DiracX revokes every refresh token of a user whose revoked token is presented again
    const id = await createSchedule(bff.app, 'admin', 'revoked');
    expect((await authorize(bff.app, id, 'admin')).get('authorized')).toBe(id);
    const stored = box.open(
      (await bff.db.one<{ ciphertext: string }>('SELECT ciphertext FROM schedule_credentials WHERE schedule_id = $1', [id]))!.ciphertext,
      id,
    );
    const revoked = await diracx().relayRevoke(new URLSearchParams({ token: stored, client_id: stackInfo().portalClientId }));
    expect(revoked.status).toBe(200);
    await makeDue(bff.db, id);
    await ref.current!.tick();
    await ref.current!.idle();
    const s = (await bff.app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: bearer(await loginAs('admin')) })).json<{
      status: string;
      pausedReason: string;
      credential: string;
      lastRun: { status: string };
    }>();
    expect(s).toMatchObject({ status: 'paused', credential: 'invalid', lastRun: { status: 'failed' } });
    expect(s.pausedReason).toMatch(/^Sign in again to resume/);
    const notes = (await bff.app.inject({ method: 'GET', url: '/bff/v1/notifications', headers: bearer(await loginAs('admin')) })).json<{
      items: { message: string }[];
    }>();
    expect(notes.items[0]!.message).toMatch(/Sign in again/);

    // authorize again, then "sign out everywhere": the stored token no longer works at DiracX
    expect((await authorize(bff.app, id, 'admin')).get('authorized')).toBe(id);
    const again = box.open(
      (await bff.db.one<{ ciphertext: string }>('SELECT ciphertext FROM schedule_credentials WHERE schedule_id = $1', [id]))!.ciphertext,
      id,
    );
    const all = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/schedules/revoke-all',
      headers: bearer(await loginAs('admin', { fresh: true })),
    });
    expect(all.json()).toEqual({ revoked: 1 });
    const refresh = await diracx().relayToken(
      new URLSearchParams({ grant_type: 'refresh_token', refresh_token: again, client_id: stackInfo().portalClientId }),
    );
    expect(refresh.status).toBeGreaterThanOrEqual(400);
    expect(
      (await bff.app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: bearer(await loginAs('admin')) })).json<{
        credential: string;
        status: string;
      }>(),
    ).toMatchObject({ credential: 'none', status: 'paused' });
  });
});

interface StackLib {
  startBff(args: {
    stack: object;
    databaseUrl: string;
    log?: (m: string) => void;
    extraEnv?: Record<string, string>;
  }): Promise<{ svc: { pid: number }; stop(): Promise<void> }>;
  scheduleKeyFile(stateDir: string): string;
}
const loadStackLib = () => import(new URL('../../../scripts/lib/stack.mjs', import.meta.url).href) as Promise<StackLib>;

/**
 * A BFF that tests kill: its own state dir and SQLite database, a stack description for `startBff` (a child process
 * on a free port), and an in-process BFF on the same database for the set-up (no scheduler loop).
 */
async function killableBff(tag: string) {
  const { startBff, scheduleKeyFile } = await loadStackLib();
  const { findFreePort } = await loadPgHelper();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `${tag}-`));
  const databaseUrl = `sqlite:${path.join(stateDir, 'portal.db')}`;
  const s = stackInfo();
  const port = await findFreePort();
  const stack = { ...s, stateDir, ports: { ...s.ports, bff: port }, urls: { ...s.urls, bff: `http://127.0.0.1:${port}` } };
  const setup = await inProcessBff({
    databaseUrl,
    config: { ...bffConfig(), scheduleKey: undefined, scheduleKeyFile: scheduleKeyFile(stateDir) },
  });
  const start = (extraEnv: Record<string, string>) => startBff({ stack, databaseUrl, log: () => {}, extraEnv });
  return { stateDir, databaseUrl, setup, start };
}

describe('one submission per slot', () => {
  it('survives the BFF being killed mid-run: the restarted BFF takes the run over and creates exactly one launch', async () => {
    const { stateDir, databaseUrl, setup, start } = await killableBff('sched-kill');
    const id = await createSchedule(setup.app, 'scientist', 'kill');
    expect((await authorize(setup.app, id, 'scientist')).get('authorized')).toBe(id);
    await setup.app.close();
    const db = await openDatabase(databaseUrl);
    try {
      const slot = await makeDue(db, id);
      const env = { PORTAL_LOG_LEVEL: 'warn', PORTAL_SCHEDULE_LEASE_MS: '3000' };
      const first = await start({ ...env, PORTAL_SCHEDULE_HOLD_MS: '8000' });
      await until(
        async () => ((await db.one("SELECT id FROM schedule_runs WHERE schedule_id = $1 AND status = 'claimed'", [id])) ? true : undefined),
        { timeoutMs: 30_000, intervalMs: 100, what: 'the slot claim' },
      );
      process.kill(-first.svc.pid, 'SIGKILL');
      await first.stop();
      expect(await db.query('SELECT id FROM launches')).toEqual([]); // killed before submitting anything
      const second = await start(env);
      try {
        const run = await until(
          async () =>
            db.one<{ status: string; attempts: number; launch_id: string }>(
              "SELECT status, attempts, launch_id FROM schedule_runs WHERE schedule_id = $1 AND slot_time = $2 AND status <> 'claimed'",
              [id, slot],
            ),
          { timeoutMs: 60_000, what: 'the run taken over' },
        );
        expect(run).toMatchObject({ status: 'submitted', attempts: 2 });
        const launches = await db.query<{ id: string; job_group: string }>('SELECT id, job_group FROM launches');
        expect(launches).toHaveLength(1);
        expect((await jobsOfGroup('scientist', launches[0]!.job_group)).length).toBe(1);
        expect(await db.query('SELECT id FROM schedule_runs WHERE schedule_id = $1 AND slot_time = $2', [id, slot])).toHaveLength(1);
      } finally {
        await second.stop();
      }
    } finally {
      await db.close();
      await setup.db.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('survives the BFF being killed in a saved-query run once its files and launch are recorded: the restart submits each new file once', async () => {
    const { stateDir, databaseUrl, setup, start } = await killableBff('sched-kill-q');
    const project = `KILLQ-${Date.now()}`;
    await insertDatasetFiles(setup.db, files(project, 1, 30));
    const id = await createQuery(setup.app, 'kill-q', catalogueDl0(project));
    await setup.app.close();
    const db = await openDatabase(databaseUrl);
    try {
      const slot = await makeDue(db, id);
      const env = { PORTAL_LOG_LEVEL: 'warn', PORTAL_SCHEDULE_LEASE_MS: '3000' };
      const first = await start(env);
      // Killed as soon as the run's ledger rows and its launch have committed (one transaction), while it submits.
      await until(async () => ((await db.one('SELECT id FROM launches')) ? true : undefined), {
        timeoutMs: 60_000,
        intervalMs: 20,
        what: 'the launch of the run',
      });
      process.kill(-first.svc.pid, 'SIGKILL');
      await first.stop();
      const second = await start(env);
      try {
        const run = await until(
          async () =>
            db.one<{ status: string; files_taken: number }>(
              "SELECT status, files_taken FROM schedule_runs WHERE schedule_id = $1 AND slot_time = $2 AND status <> 'claimed'",
              [id, slot],
            ),
          { timeoutMs: 120_000, what: 'the run taken over and finished' },
        );
        expect(run).toMatchObject({ status: 'submitted', files_taken: 30 });
        const launches = await db.query<{ job_group: string }>('SELECT job_group FROM launches');
        expect(launches).toHaveLength(1);
        const lfns = await lfnsOfLaunches(db);
        expect(new Set(lfns).size).toBe(30);
        expect(lfns).toHaveLength(30);
        expect(await jobsOfGroup('scientist', launches[0]!.job_group)).toHaveLength(30);
        const ledger = await db.query<{ file_ref: string }>('SELECT file_ref FROM schedule_files WHERE schedule_id = $1', [id]);
        expect(new Set(ledger.map((r) => r.file_ref)).size).toBe(30);
        expect(ledger).toHaveLength(30);
      } finally {
        await second.stop();
      }
    } finally {
      await db.close();
      await setup.db.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  }, 240_000);

  it('two BFF replicas on one PostgreSQL, ticking together, create exactly one launch per slot', async () => {
    const pg = await postgresTarget('sched-replicas');
    const url = await pg.freshUrl();
    const refs = [{} as { current?: Scheduler }, {} as { current?: Scheduler }];
    const [a, b] = await Promise.all(
      refs.map((ref) => inProcessBff({ databaseUrl: url, config: bffConfig(), build: { schedulerRef: ref } })),
    );
    try {
      const id = await createSchedule(a!.app, 'scientist', 'replicas');
      expect((await authorize(a!.app, id, 'scientist')).get('authorized')).toBe(id);
      const repo = createScheduleRepo(a!.db);
      const slots: string[] = [];
      for (let round = 0; round < 2; round++) {
        slots.push(await makeDue(a!.db, id));
        await Promise.all([refs[0]!.current!.tick(), refs[1]!.current!.tick(), refs[0]!.current!.tick(), refs[1]!.current!.tick()]);
        await Promise.all(refs.map((r) => r.current!.idle()));
        await new Promise((r) => setTimeout(r, 1100)); // the next slot is another second
      }
      const runs = await repo.runs(id);
      expect(runs.map((r) => r.slotTime).sort()).toEqual(slots.sort());
      expect(runs.map((r) => r.status)).toEqual(['submitted', 'submitted']);
      const launches = await a!.db.query<{ job_group: string }>('SELECT job_group FROM launches');
      expect(launches).toHaveLength(2);
      for (const l of launches) expect((await jobsOfGroup('scientist', l.job_group)).length).toBe(1);
    } finally {
      await a?.close();
      await b?.close();
      await pg.teardown();
    }
  }, 180_000);
});

describe('saved-query schedules on the real stack', () => {
  type Run = {
    id: string;
    status: string;
    jobGroup: string | null;
    jobIds: number[];
    filesTaken: number | null;
    note: string;
    error: string | null;
  };
  /** "Run now", wait for the run, and read it back (run-now slots are per second: the next one is a second later). */
  const runNowOf = async (bff: Bff, ref: { current?: Scheduler }, id: string): Promise<Run> => {
    const res = await bff.app.inject({
      method: 'POST',
      url: `/bff/v1/schedules/${id}/run-now`,
      headers: bearer(await loginAs('scientist')),
    });
    expect(res.statusCode, res.body).toBe(202);
    await ref.current!.idle();
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    const detail = await bff.app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: bearer(await loginAs('scientist')) });
    return detail.json<{ runs: Run[] }>().runs[0]!;
  };

  it('a catalogue query on a growing catalogue: three runs submit only the new files to DiracX, a fourth finds nothing new', async () => {
    const ref: { current?: Scheduler } = {};
    const bff = await inProcessBff({ config: bffConfig(), build: { schedulerRef: ref } });
    try {
      const project = `INC-${Date.now()}`;
      await insertDatasetFiles(bff.db, files(project, 1, 3));
      const id = await createQuery(bff.app, 'growing', catalogueDl0(project));
      const runNow = () => runNowOf(bff, ref, id);
      const taken: number[] = [];
      for (const added of [0, 2, 1]) {
        if (added) await insertDatasetFiles(bff.db, files(project, 100 + taken.length * 10, added));
        const run = await runNow();
        expect(run.status, run.error ?? '').toBe('submitted');
        // DiracX has exactly one job per new file in the run's job group
        expect((await jobsOfGroup('scientist', run.jobGroup!)).length).toBe(run.filesTaken);
        taken.push(run.filesTaken ?? 0);
      }
      expect(taken).toEqual([3, 2, 1]);
      const lfns = await lfnsOfLaunches(bff.db);
      expect(lfns).toHaveLength(6);
      expect(new Set(lfns).size).toBe(6);
      const last = await runNow();
      expect(last).toMatchObject({ status: 'skipped', filesTaken: 0, jobIds: [] });
      expect(last.note).toMatch(/^Nothing new/);
      expect(await bff.db.query('SELECT id FROM launches')).toHaveLength(3);
    } finally {
      await bff.close();
    }
  }, 180_000);

  it('a Rucio dataset that grows, and a name pattern (real Rucio): each run takes its new files; Rucio down fails a run and loses nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bff-sched-rucio-'));
    const rucio = await startTestRucio(dir);
    const proxy = await faultProxy(rucio.url);
    const ref: { current?: Scheduler } = {};
    const bff = await inProcessBff({
      config: bffConfig({ datasetSources: [{ type: 'catalogue' }, rucioSourceOf(rucio, { url: proxy.url })] }),
      build: { schedulerRef: ref },
    });
    try {
      const root = await rucioAsRoot(rucio);
      const dataset = `sched.grow.${Date.now()}`;
      const ok = async (pending: Promise<Response>) => {
        const res = await pending;
        expect([201, 409], await res.text()).toContain(res.status);
      };
      await ok(root(`/dids/cta/${dataset}`, { method: 'POST', body: JSON.stringify({ type: 'DATASET' }) }));
      /** New files of the dataset (replicas on CTA-DESY-DISK, metadata only). */
      const grow = async (from: number, n: number) => {
        const files = Array.from({ length: n }, (_, k) => ({
          scope: 'cta',
          name: `${dataset}.${from + k}.dl0.fits.fz`,
          bytes: 1000,
          adler32: '0badcafe',
        }));
        await ok(root('/replicas', { method: 'POST', body: JSON.stringify({ rse: 'CTA-DESY-DISK', files }) }));
        const dids = files.map(({ scope, name }) => ({ scope, name }));
        await ok(root(`/dids/cta/${dataset}/dids`, { method: 'POST', body: JSON.stringify({ dids }) }));
      };
      await grow(1, 2);
      const id = await createQuery(bff.app, 'rucio-grows', { kind: 'rucio', scope: 'cta', name: dataset });

      let run = await runNowOf(bff, ref, id);
      expect(run, run.error ?? '').toMatchObject({ status: 'submitted', filesTaken: 2 });
      expect(await jobsOfGroup('scientist', run.jobGroup!)).toHaveLength(2);
      // Rucio unreachable during a run: the run fails, nothing is marked processed.
      await grow(3, 1);
      await proxy.stop();
      run = await runNowOf(bff, ref, id);
      expect(run.status).toBe('failed');
      expect(run.filesTaken ?? 0).toBe(0);
      expect(run.error).toMatch(/Nothing was marked processed/);
      await proxy.start();
      run = await runNowOf(bff, ref, id);
      expect(run, run.error ?? '').toMatchObject({ status: 'submitted', filesTaken: 1 });
      expect(await filesOfRun(bff.app, id, run.id)).toEqual([`cta:${dataset}.3.dl0.fits.fz`]);
      run = await runNowOf(bff, ref, id);
      expect(run).toMatchObject({ status: 'skipped', filesTaken: 0, jobIds: [] });
      expect(run.note).toMatch(/^Nothing new/);

      // The same files through a name pattern (Rucio's DID search, type file): a schedule of its own, its own ledger.
      const pid = await createQuery(bff.app, 'rucio-pattern', { kind: 'rucio', scope: 'cta', name: `${dataset}.*.dl0.fits.fz` });
      run = await runNowOf(bff, ref, pid);
      expect(run, run.error ?? '').toMatchObject({ status: 'submitted', filesTaken: 3 });
      expect(await jobsOfGroup('scientist', run.jobGroup!)).toHaveLength(3);
      await grow(4, 1);
      run = await runNowOf(bff, ref, pid);
      expect(run, run.error ?? '').toMatchObject({ status: 'submitted', filesTaken: 1 });
      expect(await filesOfRun(bff.app, pid, run.id)).toEqual([`cta:${dataset}.4.dl0.fits.fz`]);
      run = await runNowOf(bff, ref, pid);
      expect(run).toMatchObject({ status: 'skipped', filesTaken: 0, jobIds: [] });
    } finally {
      await bff.close();
      await proxy.close();
      rucio.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('two BFF replicas on one PostgreSQL run the same due query schedule at once: each file in exactly one job', async () => {
    const pg = await postgresTarget('sched-q-replicas');
    const url = await pg.freshUrl();
    const refs = [{} as { current?: Scheduler }, {} as { current?: Scheduler }];
    const [a, b] = await Promise.all(
      refs.map((ref) => inProcessBff({ databaseUrl: url, config: bffConfig({ scheduleRunLeaseMs: 2000 }), build: { schedulerRef: ref } })),
    );
    try {
      const project = `INC2-${Date.now()}`;
      await insertDatasetFiles(a!.db, files(project, 1, 8));
      const id = await createQuery(a!.app, 'replicas-q', catalogueDl0(project));
      await makeDue(a!.db, id);
      // the due slot on both replicas, and "run now" on the second: two runs of one schedule race for the same files
      const runNow = b!.app.inject({ method: 'POST', url: `/bff/v1/schedules/${id}/run-now`, headers: bearer(await loginAs('scientist')) });
      await Promise.all([refs[0]!.current!.tick(), refs[1]!.current!.tick(), runNow]);
      const repo = createScheduleRepo(a!.db);
      // a run that found the credential busy is taken over once its lease (2 s) runs out
      await until(
        async () => {
          await Promise.all(refs.map((r) => r.current!.tick()));
          await Promise.all(refs.map((r) => r.current!.idle()));
          const runs = await repo.runs(id);
          return runs.length === 2 && runs.every((r) => r.status !== 'claimed') ? runs : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 500, what: 'both runs finished' },
      );
      const runs = await repo.runs(id);
      expect(runs.map((r) => r.filesTaken ?? 0).reduce((x, y) => x + y, 0)).toBe(8);
      const lfns = await lfnsOfLaunches(a!.db);
      expect(lfns.sort()).toEqual(
        files(project, 1, 8)
          .map((f) => f.lfn)
          .sort(),
      );
      for (const r of runs.filter((x) => x.status === 'submitted'))
        expect((await jobsOfGroup('scientist', r.jobGroup!)).length).toBe(r.filesTaken);
      expect((await a!.db.one<{ n: number }>('SELECT count(*) AS n FROM schedule_files WHERE schedule_id = $1', [id]))!.n).toBe(8);
    } finally {
      await a?.close();
      await b?.close();
      await pg.teardown();
    }
  }, 180_000);
});
