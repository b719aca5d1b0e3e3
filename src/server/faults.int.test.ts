/**
 * Faults on the real stack: a component stops in the middle of an operation, and the BFF loses nothing,
 * duplicates nothing, answers readably while it is down and recovers when it is back.
 *
 * DiracX is "stopped" by a fault proxy the BFF talks to (testing/fault-proxy.ts): it refuses connections and
 * resets the open ones as a stopped process would, while the shared DiracX keeps serving the other suites.
 * PostgreSQL is the BFF's own throw-away server, really stopped and started again on the same port.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Launch } from '../contracts/launches.ts';
import { parseConfig } from './config.ts';
import { createDiracxClient, type DiracxClient } from './diracx/client.ts';
import { loadPgHelper, type PgHelper } from './testing/db-targets.ts';
import { faultProxy, type FaultProxy } from './testing/fault-proxy.ts';
import { helloSweep } from './testing/launch.ts';
import { bearer, inProcessBff, instanceConfig, loginAs, stackInfo, until } from './testing/real-stack.ts';
import { bffConfig } from './testing/schedules.ts';
import type { Scheduler } from './schedules/scheduler.ts';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;
type Submit = DiracxClient['submitJdl'];

const sweep = (n: number, tag: string) => helloSweep(n, `faults-${tag}`);

/** The fault a test injects: runs before the BFF's `call`-th submitJdl (counted per suite). */
let beforeSubmit: (call: number) => Promise<void> = async () => {};
let submits = 0;
const onSubmit = (hook: (call: number) => Promise<void>) => {
  submits = 0;
  beforeSubmit = hook;
};
const hooked = (c: DiracxClient): DiracxClient => {
  const submitJdl: Submit = async (t, jdls) => {
    await beforeSubmit(++submits);
    return c.submitJdl(t, jdls);
  };
  return { ...c, submitJdl };
};

/** alice launches `n` Hello world jobs; `fault` runs before each of the BFF's submitJdl calls. */
async function launchWith(bff: Bff, n: number, tag: string, fault: (call: number) => Promise<void>) {
  const auth = bearer(await loginAs('scientist'));
  onSubmit(fault);
  const req = sweep(n, tag);
  const res = await bff.app.inject({ method: 'POST', url: '/bff/v1/launches', headers: auth, payload: req });
  expect(res.statusCode, res.body).toBe(202);
  return { auth, req, id: res.json<Launch>().id };
}

const directDiracx = () => createDiracxClient(parseConfig({ instances: [instanceConfig()] }).instances[0]!);

/** The jobs of a JobGroup as DiracX itself has them (alice's token, at the shared DiracX). */
async function jobsOfGroup(jobGroup: string) {
  const { rows, total } = await directDiracx().searchJobs(
    (await loginAs('scientist')).access_token,
    { parameters: ['JobID', 'JobName'], search: [{ parameter: 'JobGroup', operator: 'eq', value: jobGroup }] },
    { page: 1, perPage: 1000 },
  );
  return { total, ids: rows.map((r) => Number(r.JobID)), names: new Set(rows.map((r) => String(r.JobName))) };
}

/** DiracX has each of the launch's `n` jobs exactly once, and they are the launch's; then they are killed (the sites need not run them). */
async function expectEachJobOnce(launch: Launch, n: number) {
  const inDirac = await jobsOfGroup(launch.jobGroup);
  expect(inDirac.total).toBe(n);
  expect(inDirac.names.size).toBe(n);
  expect(new Set(launch.jobIds)).toEqual(new Set(inDirac.ids));
  await directDiracx().setStatus(
    (await loginAs('scientist')).access_token,
    Object.fromEntries(inDirac.ids.map((j) => [j, { Status: 'Killed' as const, MinorStatus: 'faults test', Source: 'test' }])),
  );
}

describe('DiracX stopped mid-operation', () => {
  let proxy: FaultProxy;
  let bff: Bff;
  const ref: { current?: Scheduler } = {};

  beforeAll(async () => {
    const s = stackInfo();
    proxy = await faultProxy(s.urls.diracx);
    bff = await inProcessBff({
      // Tokens are DiracX's (issuer), but every call, keys included, goes through the proxy.
      instance: { url: proxy.url, issuer: s.urls.diracx, jwksUrl: `${proxy.url}/.well-known/jwks.json` },
      config: bffConfig(),
      build: { schedulerRef: ref },
      wrapDiracx: hooked,
    });
  }, 60_000);
  afterAll(async () => {
    await proxy?.start(); // let anything still running finish against DiracX, not hang
    await bff?.app.launchRunner.idle();
    await bff?.close();
    await proxy?.close();
  });

  it('a 200-job launch pauses readably while DiracX is down and ends with each job exactly once', async () => {
    const N = 200;
    // DiracX stops as the BFF sends its third batch (another may be in flight: its answer is lost).
    const { auth, id } = await launchWith(bff, N, 'launch', async (call) => {
      if (call === 3) await proxy.stop();
    });
    await bff.app.launchRunner.idle();

    // Down: the launch waits with the reason, nothing failed; other calls are readable 503 problems.
    const paused = (await bff.app.inject({ method: 'GET', url: `/bff/v1/launches/${id}`, headers: auth })).json<Launch>();
    expect(paused).toMatchObject({ status: 'submitting', failedJobs: 0 });
    expect(paused.submittedJobs).toBeLessThan(N);
    expect(paused.error).toMatch(/DiracX is unreachable/);
    const jobs = await bff.app.inject({ method: 'GET', url: '/bff/v1/jobs', headers: auth });
    expect(jobs.statusCode).toBe(503);
    expect(jobs.json()).toMatchObject({ code: 'UPSTREAM_UNREACHABLE', message: expect.stringMatching(/DiracX is not reachable/) });
    await bff.app.launchRunner.idle(); // the GET above resumed the launch; it waits again

    // Back: the owner's next visit resumes it; DiracX ends with every job once.
    await proxy.start();
    const done = await until(
      async () => {
        const l = (await bff.app.inject({ method: 'GET', url: `/bff/v1/launches/${id}`, headers: auth })).json<Launch>();
        return l.status === 'submitting' || l.status === 'pending' ? undefined : l;
      },
      { timeoutMs: 120_000, intervalMs: 1_000, what: 'the launch to finish after DiracX is back' },
    );
    expect(done).toMatchObject({ status: 'submitted', totalJobs: N, submittedJobs: N, failedJobs: 0, error: null });
    // Killed, they are finished jobs for the accounting test below.
    await expectEachJobOnce(done, N);
  }, 180_000);
});

describe('PostgreSQL stopped during a launch', () => {
  let server: Awaited<ReturnType<PgHelper['startPostgres']>>;
  let bff: Bff;
  beforeAll(async () => {
    const { startPostgres, findFreePort } = await loadPgHelper();
    server = await startPostgres({ dir: await mkdtemp(path.join(tmpdir(), 'faults-pg-')), port: await findFreePort() });
    bff = await inProcessBff({
      databaseUrl: server.url,
      config: { demoDatasets: 0 },
      wrapDiracx: hooked,
    });
  }, 120_000);
  afterAll(async () => {
    await bff?.close();
    await server?.stop();
  });

  it('answers 503 problems while it is down, and the launch completes exactly once after the restart', async () => {
    const N = 60;
    // PostgreSQL stops as the second batch goes to DiracX: DiracX takes it, the BFF cannot record it.
    const { auth, id, req } = await launchWith(bff, N, 'pg', async (call) => {
      if (call === 2) await server.halt();
    });
    await bff.app.launchRunner.idle();
    expect(submits).toBe(2); // it stopped sending once it could not record

    for (const [method, url, payload] of [
      ['GET', `/bff/v1/launches/${id}`, undefined],
      ['GET', '/bff/v1/launches', undefined],
      ['POST', '/bff/v1/launches', sweep(1, 'pg-down')],
    ] as const) {
      const down = await bff.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
      expect(down.statusCode, `${method} ${url}`).toBe(503);
      expect(down.headers['content-type']).toContain('application/problem+json');
      expect(down.headers['retry-after']).toBe('5');
      expect(down.json()).toMatchObject({ code: 'DATABASE_UNREACHABLE', message: expect.stringMatching(/database is not reachable/) });
    }

    await server.restart();
    const done = await until(
      async () => {
        const r = await bff.app.inject({ method: 'GET', url: `/bff/v1/launches/${id}`, headers: auth });
        const l = r.statusCode === 200 ? r.json<Launch>() : undefined;
        return l && l.status !== 'submitting' && l.status !== 'pending' ? l : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1_000, what: 'the launch to finish after PostgreSQL is back' },
    );
    expect(done).toMatchObject({ status: 'submitted', totalJobs: N, submittedJobs: N, failedJobs: 0 });
    // The same request again is the same launch, not a second one.
    const replay = await bff.app.inject({ method: 'POST', url: '/bff/v1/launches', headers: auth, payload: req });
    expect(replay.statusCode).toBe(200);
    expect(replay.json<Launch>().id).toBe(id);
    await bff.app.launchRunner.idle();
    await expectEachJobOnce(done, N);
  }, 180_000);
});
