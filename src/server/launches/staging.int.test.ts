/**
 * Stage-first launches (issue #16) on a real Rucio (its own server, seeded topology, the conveyor with Rucio's
 * mock transfertool) and the real DiracX: a tape-only file gets a rule to the chosen site's disk SE and its job
 * is submitted once Rucio has it there; a file already on disk there goes at once; refused rules fail their
 * file and job; a runner that dies mid-staging is resumed by another without a second rule or job.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, inProcessBff, loginAs, until } from '../testing/real-stack.ts';
import { rucioAsRoot, rucioSourceOf, startTestRucio, type RucioServer } from '../testing/rucio-server.ts';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;
const dl0 = (i: number) => `cta:LST-1.1.Run02967.${String(i).padStart(4, '0')}.dl0.fits.fz`;
const PIC = 'HPC.MareNostrum.es';
/** The child processes of `pid` (Linux /proc). */
const childrenOf = (pid: number): number[] =>
  fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);

describe('stage-first launches (real Rucio + conveyor, real DiracX)', () => {
  let dir: string;
  let rucio: RucioServer;
  let databaseUrl: string;
  let auth: Record<string, string>;
  const bffs: Bff[] = [];

  const start = async () => {
    const bff = await inProcessBff({
      databaseUrl,
      config: {
        demoDatasets: 0,
        launchLeaseSeconds: 2,
        stagingPollSeconds: 1,
        datasetSources: [{ type: 'catalogue' }, rucioSourceOf(rucio, { timeoutMs: 10_000 })],
      },
    });
    bffs.push(bff);
    return bff;
  };

  /** Put these Rucio files in the basket; their basket item ids, in order. */
  async function basket(bff: Bff, dids: string[]): Promise<string[]> {
    const res = await bff.app.inject({ method: 'POST', url: '/bff/v1/basket/rucio-search', headers: auth, payload: { dids } });
    expect(res.statusCode).toBe(200);
    return itemIds(bff, dids);
  }
  async function itemIds(bff: Bff, refs: string[]): Promise<string[]> {
    const items = (await bff.app.inject({ method: 'GET', url: '/bff/v1/basket', headers: auth })).json().items as {
      id: string;
      ref: string;
    }[];
    return refs.map((d) => items.find((i) => i.ref === d)!.id);
  }

  const launchBody = (itemIds: string[], stageAt: string) => ({
    idempotencyKey: `stage-${crypto.randomUUID()}`,
    name: 'stage first',
    workflowId: 'cta-dl0-dl3',
    values: {},
    sweeps: {},
    inputItemIds: itemIds,
    inputMode: 'per-file',
    stageAt,
  });

  /** POST a stage-first launch of these items at `stageAt` (or any launch request as stored, e.g. a relaunch). */
  const launchAt = (bff: Bff, itemIds: string[], stageAt: string) => post(bff, launchBody(itemIds, stageAt));
  const post = (bff: Bff, payload: object) => bff.app.inject({ method: 'POST', url: '/bff/v1/launches', headers: auth, payload });

  const get = async (bff: Bff, id: string) =>
    (await bff.app.inject({ method: 'GET', url: `/bff/v1/launches/${id}`, headers: auth })).json();
  const finished = (bff: Bff, id: string) =>
    until(
      async () => {
        const l = await get(bff, id);
        return ['submitted', 'partial', 'failed'].includes(l.status) ? l : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 1000, what: 'stage-first launch finished' },
    );

  async function rulesOf(did: string) {
    const [scope, name] = did.split(':') as [string, string];
    const res = await (await rucioAsRoot(rucio))(`/dids/${scope}/${encodeURIComponent(name)}/rules`);
    return (await res.text())
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { id: string; rse_expression: string; state: string });
  }
  async function jobsInDiracx(bff: Bff, jobGroup: string) {
    return (await bff.app.inject({ method: 'GET', url: `/bff/v1/jobs?jobGroup=${jobGroup}&perPage=100`, headers: auth })).json().items as {
      JobID: number;
    }[];
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bff-staging-int-'));
    databaseUrl = `sqlite:${path.join(dir, 'portal.db')}`;
    rucio = await startTestRucio(dir);
    auth = bearer(await loginAs('scientist'));
  }, 300_000);
  afterAll(async () => {
    for (const b of bffs) await b.close().catch(() => {});
    rucio?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stages a tape-only file with a rule, submits its job once it is on disk, and the disk file job at once', async () => {
    const bff = await start();
    const [tape, disk] = await basket(bff, [dl0(1), dl0(6)]);
    const res = await launchAt(bff, [tape!, disk!], PIC);
    expect(res.statusCode).toBe(202);
    expect(res.json().staging).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ did: dl0(1), rse: 'CTA-PIC-DISK', state: 'requested' }),
        expect.objectContaining({ did: dl0(6), rse: 'CTA-PIC-DISK', state: 'ready' }),
      ]),
    );
    const launch = await finished(bff, res.json().id);
    expect(launch).toMatchObject({ status: 'submitted', totalJobs: 2, submittedJobs: 2 });
    const staged = launch.staging.find((f: { did: string }) => f.did === dl0(1));
    expect(staged).toMatchObject({ state: 'ok', error: null, ruleId: expect.any(String) });
    // The rule is Rucio's own, OK, to the PIC disk; and exactly one.
    const rules = (await rulesOf(dl0(1))).filter((r) => r.rse_expression === 'CTA-PIC-DISK');
    expect(rules).toEqual([expect.objectContaining({ id: staged.ruleId, state: 'OK' })]);
    // The disk file's job went first: submitted before Rucio had the tape file on disk.
    const rows = await bff.db.query<{ job_index: number; updated_at: string }>(
      'SELECT job_index, updated_at FROM launch_jobs WHERE launch_id = $1 ORDER BY job_index',
      [launch.id],
    );
    const okAt = (await bff.db.one<{ updated_at: string }>('SELECT updated_at FROM launch_staging WHERE launch_id = $1 AND did = $2', [
      launch.id,
      dl0(1),
    ]))!.updated_at;
    expect(rows[1]!.updated_at < okAt).toBe(true);
    expect(rows[0]!.updated_at >= okAt).toBe(true);
    // Both jobs are pinned to the site the data was staged to.
    const jdls = await bff.db.query<{ jdl: string }>('SELECT jdl FROM launch_jobs WHERE launch_id = $1', [launch.id]);
    for (const { jdl } of jdls) expect(jdl).toMatch(new RegExp(`Site = .*${PIC}`));
    expect(await jobsInDiracx(bff, launch.jobGroup)).toHaveLength(2);

    // Relaunch (the stored request, as "Relaunch" sends it again): it stages again, and finds the tape file on
    // disk at PIC now (the first launch's replica), so it needs no second rule and both jobs go at once.
    expect(launch.request).toMatchObject({ stageAt: PIC });
    const again = await post(bff, { ...launch.request, idempotencyKey: `relaunch-${crypto.randomUUID()}` });
    expect(again.statusCode).toBe(202);
    expect(
      again
        .json()
        .staging.map((f: { did: string; state: string }) => [f.did, f.state])
        .sort(),
    ).toEqual([
      [dl0(1), 'ready'],
      [dl0(6), 'ready'],
    ]);
    expect(await finished(bff, again.json().id)).toMatchObject({ status: 'submitted', submittedJobs: 2 });
    expect((await rulesOf(dl0(1))).filter((r) => r.rse_expression === 'CTA-PIC-DISK')).toHaveLength(1);
  });

  it('a DID Rucio does not know fails its file and only its job (pasted DIDs are not looked up)', async () => {
    const bff = await start();
    const unknown = 'cta:LST-1.1.Run02967.9999.dl0.fits.fz';
    const pasted = await bff.app.inject({ method: 'POST', url: '/bff/v1/basket/rucio', headers: auth, payload: { dids: unknown } });
    expect(pasted.statusCode).toBe(200);
    const [ghost] = await itemIds(bff, [unknown]);
    const [disk] = await basket(bff, [dl0(8)]);
    const res = await launchAt(bff, [ghost!, disk!], PIC);
    expect(res.statusCode).toBe(202);
    // No replica anywhere: it must be brought to PIC, and the rule is what finds out that the DID does not exist.
    expect(res.json().staging).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ did: unknown, state: 'requested' }),
        expect.objectContaining({ did: dl0(8), state: 'ready' }),
      ]),
    );
    const launch = await finished(bff, res.json().id);
    expect(launch).toMatchObject({ status: 'partial', totalJobs: 2, submittedJobs: 1, failedJobs: 1 });
    const failed = launch.staging.find((f: { did: string }) => f.did === unknown);
    expect(failed).toMatchObject({ state: 'failed', ruleId: null });
    expect(failed.error).toMatch(/Rule refused: .*DataIdentifierNotFound/);
    expect(launch.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(`Input ${unknown} could not be staged`) })]);
    expect(await jobsInDiracx(bff, launch.jobGroup)).toHaveLength(1);
  });

  it('reports refused rules per file (no such RSE, quota) and fails only their jobs', async () => {
    const bff = await start();
    // LCG.CERN-HTC.ch's disk SE CTA-CERN-DISK is not an RSE of this Rucio.
    const [a] = await basket(bff, [dl0(3)]);
    const cern = await launchAt(bff, [a!], 'LCG.CERN-HTC.ch');
    expect(cern.statusCode).toBe(202);
    const failed = await finished(bff, cern.json().id);
    expect(failed).toMatchObject({ status: 'failed', submittedJobs: 0, failedJobs: 1 });
    expect(failed.staging[0]).toMatchObject({ did: dl0(3), rse: 'CTA-CERN-DISK', state: 'failed', ruleId: null });
    expect(failed.staging[0].error).toMatch(/Rule refused: .*InvalidRSEExpression/);
    expect(failed.errors[0].message).toMatch(new RegExp(`Input ${dl0(3)} could not be staged`));

    // The portal's account has no quota left on CTA-DESY-DISK.
    const limit = await (
      await rucioAsRoot(rucio)
    )('/accountlimits/local/root/CTA-DESY-DISK', {
      method: 'POST',
      body: JSON.stringify({ bytes: 1 }),
    });
    expect(limit.status).toBe(201);
    const [b, c] = await basket(bff, [dl0(4), 'cta:LST-1.1.Run02967.0001.dl1.h5']);
    const desy = await launchAt(bff, [b!, c!], 'LCG.DESY-GPU.de');
    const partial = await finished(bff, desy.json().id);
    expect(partial).toMatchObject({ status: 'partial', submittedJobs: 1, failedJobs: 1 });
    expect(partial.staging.find((f: { did: string }) => f.did === dl0(4)).error).toMatch(/InsufficientAccountLimit/);
    expect(await jobsInDiracx(bff, partial.jobGroup)).toHaveLength(1);
  });

  it('a runner that dies mid-staging is resumed by another: one rule, each job submitted once', async () => {
    const a = await start();
    const [tape, disk] = await basket(a, [dl0(2), dl0(7)]);
    const res = await launchAt(a, [tape!, disk!], PIC);
    const id = res.json().id as string;
    // Wait until the rule is made, then the replica "crashes".
    await until(
      async () => {
        const l = await get(a, id);
        return l.staging.find((f: { did: string }) => f.did === dl0(2))?.ruleId ? l : undefined;
      },
      { what: 'rule recorded' },
    );
    a.app.launchRunner.abandon();
    const b = await start();
    const launch = await until(
      async () => {
        const l = await get(b, id);
        return l.status === 'submitted' ? l : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 1000, what: 'resumed launch submitted' },
    );
    expect(launch).toMatchObject({ totalJobs: 2, submittedJobs: 2, failedJobs: 0 });
    expect((await rulesOf(dl0(2))).filter((r) => r.rse_expression === 'CTA-PIC-DISK')).toHaveLength(1);
    expect(await jobsInDiracx(b, launch.jobGroup)).toHaveLength(2);
  });

  it('Rucio stopped during staging (issue #13 faults): the launch waits, saying why, then stages once and submits once', async () => {
    const bff = await start();
    const [tape] = await basket(bff, [dl0(5)]);
    // The real server stops answering: its gunicorn master and worker are stopped (SIGSTOP), so connections are
    // accepted by the kernel and never answered, as with a hung server.
    const stopped = [rucio.pid!, ...childrenOf(rucio.pid!)];
    const signal = (s: NodeJS.Signals) => stopped.forEach((pid) => process.kill(pid, s));
    const res = await launchAt(bff, [tape!], PIC);
    expect(res.statusCode).toBe(202);
    const id = res.json().id as string;
    signal('SIGSTOP');
    try {
      const waiting = await until(
        async () => {
          const l = await get(bff, id);
          return l.status === 'staging' && /Rucio/.test(l.error ?? '') ? l : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 1000, what: 'the launch to wait for Rucio, saying so' },
      );
      expect(waiting.error).toMatch(/staging resumes when Rucio answers/);
      expect(waiting).toMatchObject({ submittedJobs: 0, failedJobs: 0 });
    } finally {
      signal('SIGCONT');
    }
    const launch = await finished(bff, id);
    expect(launch).toMatchObject({ status: 'submitted', totalJobs: 1, submittedJobs: 1, failedJobs: 0, error: null });
    expect(launch.staging[0]).toMatchObject({ did: dl0(5), state: 'ok' });
    expect((await rulesOf(dl0(5))).filter((r) => r.rse_expression === 'CTA-PIC-DISK')).toHaveLength(1);
    expect(await jobsInDiracx(bff, launch.jobGroup)).toHaveLength(1);
  }, 300_000);

  it('refuses stage first to a site that is not in the catalogue, as a validation problem', async () => {
    const bff = await start();
    const [x] = await basket(bff, [dl0(3)]);
    const res = await launchAt(bff, [x!], 'LCG.Nowhere.xx');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/LCG.Nowhere.xx is not a site of the catalogue/);
  });
});
