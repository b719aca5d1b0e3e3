/**
 * Two BFF replicas (in-process) on one throw-away PostgreSQL, against the real DiracX: a launch is driven
 * by exactly one replica at a time, and a launch left by a replica that died mid-launch is finished by the
 * other once the lease has expired, without duplicates (checked in DiracX by JobGroup).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config.ts';
import { createDiracxClient, type DiracxClient } from '../diracx/client.ts';
import { postgresTarget, type DbTarget } from '../testing/db-targets.ts';
import { helloSweep } from '../testing/launch.ts';
import { bearer, inProcessBff, instanceConfig, loginAs, until } from '../testing/real-stack.ts';
import { createLaunchRepo } from './repo.ts';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;
type Submit = DiracxClient['submitJdl'];

/** A replica whose DiracX client lets the test decide what each submitJdl call does. */
interface Replica {
  bff: Bff;
  /** JDLs this replica sent to DiracX. */
  sent: number;
  calls: number;
}

const LEASE_SECONDS = 3;

describe('launch lease across two BFF replicas on PostgreSQL (real DiracX)', () => {
  let pg: DbTarget;
  let databaseUrl: string;
  let diracx: DiracxClient;
  let token: string;
  const replicas: Replica[] = [];

  async function replica(onSubmit?: (call: number, real: Submit, ...args: Parameters<Submit>) => ReturnType<Submit>): Promise<Replica> {
    const r: Replica = { bff: undefined as unknown as Bff, sent: 0, calls: 0 };
    r.bff = await inProcessBff({
      databaseUrl,
      config: { demoDatasets: 0, launchLeaseSeconds: LEASE_SECONDS },
      wrapDiracx: (c) => {
        const real: Submit = async (t, jdls) => {
          r.sent += jdls.length;
          return c.submitJdl(t, jdls);
        };
        return { ...c, submitJdl: (t, jdls) => (onSubmit ? onSubmit(++r.calls, real, t, jdls) : (++r.calls, real(t, jdls))) };
      },
    });
    replicas.push(r);
    return r;
  }

  const body = (n: number, tag: string) => helloSweep(n, `lease-${tag}`);

  async function jobsInDiracx(jobGroup: string) {
    const { rows, total } = await diracx.searchJobs(
      token,
      { parameters: ['JobID', 'JobName'], search: [{ parameter: 'JobGroup', operator: 'eq', value: jobGroup }] },
      { page: 1, perPage: 500 },
    );
    return { total, names: new Set(rows.map((r) => String(r.JobName))), ids: rows.map((r) => Number(r.JobID)) };
  }

  beforeAll(async () => {
    pg = await postgresTarget('lease-int');
    databaseUrl = await pg.freshUrl();
    diracx = createDiracxClient(parseConfig({ instances: [instanceConfig()] }).instances[0]!);
    token = (await loginAs('scientist')).access_token;
  }, 120_000);
  afterAll(async () => {
    for (const r of replicas) await r.bff.close().catch(() => {});
    await pg?.teardown();
  });

  it('one launch, two replicas: only the lease holder submits, every job exactly once', async () => {
    const auth = bearer(await loginAs('scientist'));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // A holds its first batch until the test has let B try to run the launch too.
    const a = await replica(async (call, real, t, jdls) => {
      if (call === 1) await gate;
      return real(t, jdls);
    });
    const b = await replica();
    const req = body(45, 'one');
    const res = await a.bff.app.inject({ method: 'POST', url: '/bff/v1/launches', headers: auth, payload: req });
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().id as string;
    await until(async () => (a.calls >= 1 ? true : undefined), { what: 'A sends its first batch' });

    // B sees the launch mid-way (progress page, and a retry of the same request): both try to drive it.
    expect((await b.bff.app.inject({ method: 'GET', url: `/bff/v1/launches/${id}`, headers: auth })).statusCode).toBe(200);
    const replay = await b.bff.app.inject({ method: 'POST', url: '/bff/v1/launches', headers: auth, payload: req });
    expect(replay.statusCode).toBe(200);
    expect(replay.json().id).toBe(id);
    await b.bff.app.launchRunner.idle();
    expect(b.calls).toBe(0);
    const repo = createLaunchRepo(b.bff.db);
    expect((await repo.leaseOf(id)).owner).toBe(a.bff.app.launchRunner.replicaId);

    open();
    const done = await until(
      async () => {
        const l = (await a.bff.app.inject({ method: 'GET', url: `/bff/v1/launches/${id}`, headers: auth })).json();
        return l.status === 'submitted' ? l : undefined;
      },
      { timeoutMs: 120_000, what: 'launch submitted' },
    );
    expect(done).toMatchObject({ totalJobs: 45, submittedJobs: 45, failedJobs: 0 });
    expect(a.sent).toBe(45);
    expect(b.sent).toBe(0);
    const inDirac = await jobsInDiracx(done.jobGroup);
    expect(inDirac.total).toBe(45);
    expect(inDirac.names.size).toBe(45);
    expect(new Set(done.jobIds)).toEqual(new Set(inDirac.ids));
    expect(await repo.leaseOf(id)).toEqual({ owner: null, expiresAt: null });
  }, 180_000);

  it('a replica dies mid-launch: the other takes over after the lease expires, with no duplicates', async () => {
    const auth = bearer(await loginAs('scientist'));
    let kill!: (err: Error) => void;
    const dead = new Promise<never>((_resolve, reject) => (kill = reject));
    dead.catch(() => {});
    // A: batch 1 normal; batch 2 reaches DiracX but its answer never comes back; batch 3 never leaves.
    const a = await replica(async (call, real, t, jdls) => {
      if (call === 1) return real(t, jdls);
      if (call === 2) await real(t, jdls);
      return dead;
    });
    const b = await replica();
    const res = await a.bff.app.inject({ method: 'POST', url: '/bff/v1/launches', headers: auth, payload: body(60, 'crash') });
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().id as string;
    const repo = createLaunchRepo(b.bff.db);
    await until(async () => (a.calls >= 3 && (await repo.get(id))?.submittedJobs === 20 ? true : undefined), {
      timeoutMs: 60_000,
      what: 'A mid-launch',
    });
    expect(a.sent).toBe(40);

    // A dies: nothing more is sent or recorded, its lease is left to expire.
    a.bff.app.launchRunner.abandon();
    kill(new Error('replica A died'));
    await a.bff.app.launchRunner.idle();
    expect((await repo.leaseOf(id)).owner).toBe(a.bff.app.launchRunner.replicaId);

    // The user's next visit reaches B; B takes over once A's lease has expired.
    const done = await until(
      async () => {
        const l = (await b.bff.app.inject({ method: 'GET', url: `/bff/v1/launches/${id}`, headers: auth })).json();
        return l.status === 'submitted' ? l : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000, what: 'B finishes the launch' },
    );
    expect(done).toMatchObject({ totalJobs: 60, submittedJobs: 60, failedJobs: 0 });
    // B found batch 2 in DiracX (sent by A, answer lost) and sent only batch 3.
    expect(b.sent).toBe(20);
    const inDirac = await jobsInDiracx(done.jobGroup);
    expect(inDirac.total).toBe(60);
    expect(inDirac.names.size).toBe(60);
    expect(new Set(done.jobIds)).toEqual(new Set(inDirac.ids));
  }, 240_000);
});
