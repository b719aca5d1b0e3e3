/**
 * Faults on the real stack: a component stops in the middle of an operation, and the BFF loses nothing,
 * duplicates nothing, answers readably while it is down and recovers when it is back.
 *
 * DiracX is "stopped" by a fault proxy the BFF talks to (testing/fault-proxy.ts): it refuses connections and
 * resets the open ones as a stopped process would, while the shared DiracX keeps serving the other suites.
 * S3 (moto, the sandbox store DiracX's presigned URLs point at) is cut the same way, by a proxy the uploads go through.
 * PostgreSQL is the BFF's own throw-away server, really stopped and started again on the same port. The IdP and
 * Redis are the stack's own processes, stopped with SIGSTOP and continued (files of this project run one at a time).
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Launch } from '../contracts/launches.ts';
import { parseConfig } from './config.ts';
import { collectUntilIdle, FINAL_STATUSES } from './accounting/collector.ts';
import { serviceTokenSource } from './accounting/service-token.ts';
import { createDiracxClient, DiracxUnreachableError, type DiracxClient } from './diracx/client.ts';
import { loadPgHelper, type PgHelper } from './testing/db-targets.ts';
import { faultProxy, type FaultProxy } from './testing/fault-proxy.ts';
import { helloSweep } from './testing/launch.ts';
import { bearer, inProcessBff, instanceConfig, loginAs, stackInfo, stateDir, until } from './testing/real-stack.ts';
import { authorize, bffConfig, createSchedule } from './testing/schedules.ts';
import type { Scheduler } from './schedules/scheduler.ts';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;

/** Every launch a fault meets has the size (#13): 200 jobs, four batches and more. */
const N = 200;
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

/**
 * `what` comes back under a waiting launch (the last GET resumed it: it waits again first); the owner's visits
 * resume it until it ends, with each of its `n` jobs exactly once at DiracX.
 */
async function recovers(bff: Bff, l: { id: string; auth: Record<string, string>; n: number }, cut: FaultProxy, what: string) {
  await bff.app.launchRunner.idle();
  await cut.start();
  const ended = await until(
    async () => {
      const got = (await bff.app.inject({ method: 'GET', url: `/bff/v1/launches/${l.id}`, headers: l.auth })).json<Launch>();
      return got.status === 'submitting' || got.status === 'pending' ? undefined : got;
    },
    { timeoutMs: 120_000, intervalMs: 1_000, what: `the launch to finish after ${what} is back` },
  );
  await expectEachJobOnce(ended, l.n);
}

/** The collector's service identity on the stack (accounting.int.test.ts). */
const accounting = () => ({
  vo: 'escape',
  group: 'accounting',
  user: 'portal-accounting',
  apiKeyFile: path.join(stateDir(), 'accounting-api-key'),
});

const directDiracx = () => createDiracxClient(parseConfig({ instances: [instanceConfig()] }).instances[0]!);

/**
 * The collector's dependencies for passes over `bff`'s database against `instance`, in batches of a fifth of
 * DiracX's finished jobs; `fault` runs once, before the collector's `n`-th search.
 */
async function faultyPass(bff: Bff, instance: Bff['config']['instances'][number], n: number, fault: () => Promise<unknown>) {
  const client = createDiracxClient(instance);
  const { total: finished } = await directDiracx().searchJobs(
    (await loginAs('admin')).access_token,
    { parameters: ['JobID'], search: [{ parameter: 'Status', operator: 'in', values: [...FINAL_STATUSES] }] },
    { page: 1, perPage: 1 },
  );
  expect(finished, 'finished jobs at DiracX (left by the launches of this file)').toBeGreaterThanOrEqual(10);
  const batchSize = Math.ceil(finished / 5);
  let searches = 0;
  const deps = {
    db: bff.db,
    instance,
    diracx: {
      searchJobs: async (...args: Parameters<DiracxClient['searchJobs']>) => {
        if (++searches === n) await fault();
        return client.searchJobs(...args);
      },
    },
    token: serviceTokenSource(instance, client),
    batchSize,
    settleSeconds: 0,
  };
  return { deps, batchSize };
}

/**
 * The next passes (the collector loop's next intervals) until one completes: the first may still meet a connection
 * the fault left broken, which fails that pass the same readable way.
 */
const passUntilComplete = (deps: Parameters<typeof collectUntilIdle>[0], what: string) =>
  until(
    () =>
      collectUntilIdle(deps).then(
        () => true,
        () => undefined,
      ),
    { timeoutMs: 30_000, intervalMs: 500, what: `an accounting pass to complete once ${what} is back` },
  );

/** The jobs an accounting pass stored, and how many distinct (equal when nothing was stored twice). */
const storedJobs = async (bff: Bff) => {
  const r = (await bff.db.one<{ n: number; ids: number }>('SELECT count(*) AS n, count(DISTINCT job_id) AS ids FROM accounting_jobs'))!;
  return { n: Number(r.n), ids: Number(r.ids) };
};

/**
 * After a completed pass: nothing stored twice, nothing missing (exactly DiracX's finished jobs before the
 * watermark, as accounting.int.test.ts checks); returns how many that is.
 */
async function accountingComplete(bff: Bff): Promise<number> {
  const after = await storedJobs(bff);
  expect(after.n).toBe(after.ids);
  const wm = (await bff.db.one<{ second: string }>('SELECT second FROM accounting_watermarks'))!;
  const { total } = await directDiracx().searchJobs(
    (await loginAs('admin')).access_token,
    {
      parameters: ['JobID'],
      search: [
        { parameter: 'Status', operator: 'in', values: [...FINAL_STATUSES] },
        { parameter: 'LastUpdateTime', operator: 'lt', value: wm.second },
      ],
    },
    { page: 1, perPage: 1 },
  );
  const upTo = await bff.db.one<{ n: number }>('SELECT count(*) AS n FROM accounting_jobs WHERE last_update_time < $1', [
    `${wm.second}.000Z`,
  ]);
  expect(Number(upTo!.n)).toBe(total);
  return total;
}

/** The jobs of a JobGroup as DiracX itself has them (alice's token, at the shared DiracX). */
async function jobsOfGroup(jobGroup: string) {
  const { rows, total } = await directDiracx().searchJobs(
    (await loginAs('scientist')).access_token,
    { parameters: ['JobID', 'JobName'], search: [{ parameter: 'JobGroup', operator: 'eq', value: jobGroup }] },
    { page: 1, perPage: 1000 },
  );
  return { total, ids: rows.map((r) => Number(r.JobID)), names: new Set(rows.map((r) => String(r.JobName))) };
}

/** The launch sent its `n` jobs, none failed, no error left; DiracX has each exactly once, and they are the launch's; then they are killed (the sites need not run them). */
async function expectEachJobOnce(launch: Launch, n: number) {
  expect(launch).toMatchObject({ status: 'submitted', totalJobs: n, submittedJobs: n, failedJobs: 0, error: null });
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
      // A short run lease: a waiting schedule run is taken over seconds after DiracX is back.
      config: bffConfig({ scheduleRunLeaseMs: 3_000 }),
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
    // Back: the owner's next visit resumes it; DiracX ends with every job once (killed, they are finished jobs
    // for the accounting pass below).
    await recovers(bff, { id, auth, n: N }, proxy, 'DiracX');
  }, 180_000);
  it('a schedule run while DiracX is down waits with the reason; once back it is taken over and each run submits once', async () => {
    const auth = bearer(await loginAs('scientist'));
    const id = await createSchedule(bff.app, 'scientist', 'faults-down');
    expect((await authorize(bff.app, id, 'scientist', 'scientist', proxy.url)).get('authorized')).toBe(id);
    onSubmit(async () => {});
    type Run = { status: string; manual: boolean; jobIds: number[]; jobGroup: string | null; error: string | null };
    const runs = async () =>
      (await bff.app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: auth })).json<{ runs: Run[] }>().runs;

    await proxy.stop();
    expect((await bff.app.inject({ method: 'POST', url: `/bff/v1/schedules/${id}/run-now`, headers: auth })).statusCode).toBe(202);
    await ref.current!.idle();
    const manual = (await runs()).find((r) => r.manual)!;
    expect(manual).toMatchObject({ status: 'claimed', jobIds: [], error: expect.stringMatching(/^Waiting: DiracX is not reachable/) });

    await proxy.start();
    // The scheduler's ticks (driven here; server.ts runs them every schedulerTickMs) take the waiting run over once its
    // lease has run out; every run (the manual one, and any minute slot due by then) ends submitted with its one job.
    const back = await until(
      async () => {
        await ref.current!.tick(new Date(Date.now() + 4_000));
        await ref.current!.idle();
        const all = await runs();
        return all.some((r) => r.manual) && all.every((r) => r.status === 'submitted') ? all : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1_000, what: 'the waiting schedule runs to be taken over and submitted' },
    );
    // No more minute slots for the rest of the suite.
    expect((await bff.app.inject({ method: 'POST', url: `/bff/v1/schedules/${id}/pause`, headers: auth })).statusCode).toBe(200);
    for (const r of back) {
      expect(r.jobIds).toHaveLength(1);
      const inDirac = await jobsOfGroup(r.jobGroup!);
      expect(inDirac.ids).toEqual(r.jobIds); // exactly once
    }
  }, 180_000);
});

describe("S3 (DiracX's sandbox store) stopped mid-launch", () => {
  let diracx: FaultProxy;
  let s3: FaultProxy;
  let bff: Bff;
  beforeAll(async () => {
    const s = stackInfo();
    diracx = await faultProxy(s.urls.diracx);
    s3 = await faultProxy(s.urls.s3);
    // The presigned upload URLs DiracX hands out point at the stack's S3 (moto); the BFF posts them through
    // the S3 proxy instead (a presigned POST's signature does not cover the host).
    const viaS3Proxy = (c: DiracxClient): DiracxClient => {
      const h = hooked(c);
      return {
        ...h,
        initiateSandbox: async (t, info) => {
          const up = await c.initiateSandbox(t, info);
          return up.url ? { ...up, url: up.url.replace(new URL(s.urls.s3).origin, s3.url) } : up;
        },
      };
    };
    bff = await inProcessBff({
      instance: { url: diracx.url, issuer: s.urls.diracx, jwksUrl: `${diracx.url}/.well-known/jwks.json` },
      config: bffConfig(),
      wrapDiracx: viaS3Proxy,
    });
  }, 60_000);
  afterAll(async () => {
    await diracx?.start();
    await s3?.start();
    await bff?.app.launchRunner.idle();
    await bff?.close();
    await diracx?.close();
    await s3?.close();
  });

  it('the jobs left of a 200-job launch wait with the sandbox store named while it is down, then each is submitted exactly once', async () => {
    // DiracX stops as the third batch goes (the first two took one uploaded wrapper script); S3 stops with it,
    // so the jobs left need a new upload (their own wrapper script) that the stopped S3 refuses.
    const { auth, id } = await launchWith(bff, N, 's3', async (call) => {
      if (call === 3) await Promise.all([diracx.stop(), s3.stop()]);
    });
    await bff.app.launchRunner.idle();
    await diracx.start();
    const launch = async () => (await bff.app.inject({ method: 'GET', url: `/bff/v1/launches/${id}`, headers: auth })).json<Launch>();
    await launch(); // the owner's visit resumes it: DiracX answers, the upload does not
    await bff.app.launchRunner.idle();
    const waiting = await launch();
    expect(waiting, JSON.stringify({ ...waiting, jobIds: waiting.jobIds.length })).toMatchObject({ status: 'submitting', failedJobs: 0 });
    expect(waiting.submittedJobs).toBeGreaterThan(0);
    expect(waiting.submittedJobs).toBeLessThan(N);
    expect(waiting.error).toMatch(/sandbox upload: DiracX's sandbox store \(S3\) is unreachable/);
    await recovers(bff, { id, auth, n: N }, s3, 'S3');
  }, 180_000);
});

describe('DiracX stopped during an accounting pass', () => {
  let proxy: FaultProxy;
  let bff: Bff;
  beforeAll(async () => {
    proxy = await faultProxy(stackInfo().urls.diracx);
    // A fresh portal database: the pass reads every finished job of the shared DiracX from the start.
    bff = await inProcessBff({
      instance: {
        accounting: accounting(),
      },
    });
  }, 60_000);
  afterAll(async () => {
    await bff?.close();
    await proxy?.close();
  });

  it('stops with a readable error where it was, and the next pass stores each finished job exactly once', async () => {
    const instance = { ...bff.config.instances[0]!, url: proxy.url };
    // The jobs the suites before this one finished (the launches above end killed); five batches' worth.
    await new Promise((r) => setTimeout(r, 1100)); // their last second is over, so the pass reads them all
    // DiracX stops as the collector asks for its third batch.
    const { deps, batchSize } = await faultyPass(bff, instance, 3, () => proxy.stop());
    const err = await collectUntilIdle(deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiracxUnreachableError);
    expect((err as Error).message).toMatch(/^search: DiracX is unreachable/);
    // At most the two batches before it were stored, each with its watermark: nothing half-written.
    const before = (await storedJobs(bff)).n;
    expect(before).toBeLessThanOrEqual(2 * batchSize);

    await proxy.start();
    await passUntilComplete(deps, 'DiracX');
    expect(await accountingComplete(bff)).toBeGreaterThanOrEqual(before);
  }, 180_000);
});

// Redis serves only DiracX's task workers (DIRACX_TASKS_REDIS_URL), none of the routes these use.
describe('the IdP and Redis stopped (SIGSTOP) during a launch, a schedule run and an accounting pass', () => {
  let bff: Bff;
  let stopped: number[] = [];
  const signal = (sig: NodeJS.Signals) => stopped.forEach((pid) => process.kill(pid, sig));
  const ref: { current?: Scheduler } = {};
  beforeAll(async () => {
    const pids = JSON.parse(await readFile(path.join(stateDir(), 'pids.json'), 'utf8')) as { name: string; pid: number }[];
    stopped = pids.filter((p) => p.name === 'idp' || p.name === 'redis').map((p) => p.pid);
    expect(stopped).toHaveLength(2);
    bff = await inProcessBff({
      config: bffConfig(),
      build: { schedulerRef: ref },
      instance: { accounting: accounting() },
      wrapDiracx: hooked,
    });
  }, 60_000);
  afterAll(async () => {
    signal('SIGCONT'); // never leave the shared IdP and Redis stopped
    await bff?.close();
  });

  it('none of them needs either: a 200-job launch, a schedule run and a pass go through, each job once (only signing in needs the IdP)', async () => {
    // What needs the IdP happens first: the users' sign-in, and the schedule's authorization.
    const auth = bearer(await loginAs('scientist'));
    const scheduleId = await createSchedule(bff.app, 'scientist', 'faults-idp');
    expect((await authorize(bff.app, scheduleId, 'scientist')).get('authorized')).toBe(scheduleId);
    try {
      // The IdP and Redis processes stop as the launch's second batch goes.
      const { id } = await launchWith(bff, N, 'idp', async (call) => {
        if (call === 2) signal('SIGSTOP');
      });
      await bff.app.launchRunner.idle();
      expect(submits).toBeGreaterThanOrEqual(2);
      await expectEachJobOnce((await bff.app.inject({ method: 'GET', url: `/bff/v1/launches/${id}`, headers: auth })).json<Launch>(), N);

      // A schedule run: its token comes from DiracX (the stored refresh token), not from the IdP.
      const run = await bff.app.inject({ method: 'POST', url: `/bff/v1/schedules/${scheduleId}/run-now`, headers: auth });
      expect(run.statusCode).toBe(202);
      await ref.current!.idle();
      const detail = (await bff.app.inject({ method: 'GET', url: `/bff/v1/schedules/${scheduleId}`, headers: auth })).json<{
        runs: { status: string; error: string | null; jobIds: number[] }[];
      }>();
      expect(detail.runs[0], JSON.stringify(detail.runs[0])).toMatchObject({ status: 'submitted', error: null });
      expect(detail.runs[0]!.jobIds).toHaveLength(1);

      // An accounting pass: the service token is DiracX's legacy exchange. (The launch's jobs, killed above, are
      // finished once their last second is over.)
      await new Promise((r) => setTimeout(r, 1100));
      const instance = bff.config.instances[0]!;
      const client = createDiracxClient(instance);
      const deps = { db: bff.db, instance, diracx: client, token: serviceTokenSource(instance, client), batchSize: 500, settleSeconds: 0 };
      expect(await collectUntilIdle(deps)).toBeGreaterThanOrEqual(N);
    } finally {
      signal('SIGCONT');
    }
    // Back, signing in works again.
    expect((await loginAs('scientist', { fresh: true })).access_token).toBeTruthy();
  }, 240_000);
});

describe('PostgreSQL stopped during a launch, a schedule run and an accounting pass', () => {
  let server: Awaited<ReturnType<PgHelper['startPostgres']>>;
  let bff: Bff;
  const ref: { current?: Scheduler } = {};
  beforeAll(async () => {
    const { startPostgres, findFreePort } = await loadPgHelper();
    server = await startPostgres({ dir: await mkdtemp(path.join(tmpdir(), 'faults-pg-')), port: await findFreePort() });
    bff = await inProcessBff({
      databaseUrl: server.url,
      config: bffConfig({ scheduleRunLeaseMs: 3_000 }),
      build: { schedulerRef: ref },
      instance: { accounting: accounting() },
      wrapDiracx: hooked,
    });
  }, 120_000);
  afterAll(async () => {
    await bff?.close();
    await server?.stop();
  });

  it('answers 503 problems while it is down, and the 200-job launch completes exactly once after the restart', async () => {
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
    // The same request again is the same launch, not a second one.
    const replay = await bff.app.inject({ method: 'POST', url: '/bff/v1/launches', headers: auth, payload: req });
    expect(replay.statusCode).toBe(200);
    expect(replay.json<Launch>().id).toBe(id);
    await bff.app.launchRunner.idle();
    await expectEachJobOnce(done, N);
  }, 180_000);

  it('a schedule run whose database stops as it submits: once PostgreSQL is back the run is taken over, its job sent once', async () => {
    const auth = bearer(await loginAs('scientist'));
    const id = await createSchedule(bff.app, 'scientist', 'faults-pg');
    expect((await authorize(bff.app, id, 'scientist')).get('authorized')).toBe(id);
    // PostgreSQL stops as the run's launch sends its job: DiracX takes it, the BFF cannot record it.
    onSubmit(async (call) => {
      if (call === 1) await server.halt();
    });
    expect((await bff.app.inject({ method: 'POST', url: `/bff/v1/schedules/${id}/run-now`, headers: auth })).statusCode).toBe(202);
    await ref.current!.idle();
    await bff.app.launchRunner.idle();
    expect(submits).toBe(1);
    const down = await bff.app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: auth });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ code: 'DATABASE_UNREACHABLE' });

    await server.restart();
    type Run = { status: string; manual: boolean; jobIds: number[]; jobGroup: string | null };
    const runs = async () =>
      (await bff.app.inject({ method: 'GET', url: `/bff/v1/schedules/${id}`, headers: auth })).json<{ runs: Run[] }>().runs;
    // The scheduler's ticks (driven here) take the claimed run over once its lease has run out.
    const back = await until(
      async () => {
        await ref.current!.tick(new Date(Date.now() + 4_000));
        await ref.current!.idle();
        await bff.app.launchRunner.idle();
        const all = await runs();
        return all.some((r) => r.manual) && all.every((r) => r.status === 'submitted') ? all : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1_000, what: 'the schedule run to be taken over once PostgreSQL is back' },
    );
    expect((await bff.app.inject({ method: 'POST', url: `/bff/v1/schedules/${id}/pause`, headers: auth })).statusCode).toBe(200);
    expect(submits).toBe(1); // the job DiracX took is found again (JobGroup + JobName), not sent twice
    for (const r of back) {
      expect(r.jobIds).toHaveLength(1);
      expect((await jobsOfGroup(r.jobGroup!)).ids).toEqual(r.jobIds);
    }
  }, 180_000);

  it('an accounting pass whose database stops: a readable error, nothing half-written; the next pass stores each job once', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // the jobs finished above are in the past second
    // PostgreSQL stops as the collector asks DiracX for its second batch: the first is stored, the second cannot be.
    const { deps, batchSize } = await faultyPass(bff, bff.config.instances[0]!, 2, () => server.halt());
    const err = await collectUntilIdle(deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    await server.restart();
    const before = await storedJobs(bff);
    expect(before.n).toBe(before.ids);
    expect(before.n).toBeLessThanOrEqual(batchSize);
    await passUntilComplete(deps, 'PostgreSQL');
    expect(await accountingComplete(bff)).toBeGreaterThanOrEqual(before.n);
  }, 180_000);
});
