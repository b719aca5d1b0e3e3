/**
 * Accounting against the real DiracX: the service identity's legacy exchange, the collector storing
 * finished jobs exactly as DiracX reports them, and the admin-only report per demo user.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiracxClient, DiracxError, type DiracxClient } from '../diracx/client.ts';
import { launchHelloWorld } from '../testing/hello-world.ts';
import { bearer, inProcessBff, instanceConfig, loginAs, stateDir, until } from '../testing/real-stack.ts';
import { collectUntilIdle, FINAL_STATUSES } from './collector.ts';
import { serviceTokenSource } from './service-token.ts';
import { parseConfig } from '../config.ts';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;
const ACCOUNTING = () => ({
  vo: 'escape',
  group: 'accounting',
  user: 'portal-accounting',
  apiKeyFile: path.join(stateDir(), 'accounting-api-key'),
});

describe('accounting with the real DiracX', () => {
  let bff: Bff;
  let client: DiracxClient;
  const jobIds: number[] = [];
  const started = new Date(Date.now() - 60_000).toISOString();

  beforeAll(async () => {
    bff = await inProcessBff({ instance: { accounting: ACCOUNTING() } });
    client = createDiracxClient(bff.config.instances[0]!);
    // Two jobs of alice's to Done.
    for (const message of ['accounting one', 'accounting two']) {
      const { res, launch } = await launchHelloWorld(bff.app, bearer(await loginAs('scientist')), `acct-${crypto.randomUUID()}`, {
        message,
      });
      expect(res.statusCode).toBe(202);
      expect(launch?.jobIds).toHaveLength(1);
      jobIds.push(...launch!.jobIds);
    }
    const admin = (await loginAs('admin')).access_token;
    await until(
      async () => {
        const { rows } = await client.searchJobs(
          admin,
          { parameters: ['JobID', 'Status'], search: [{ parameter: 'JobID', operator: 'in', values: jobIds }] },
          { page: 1, perPage: 10 },
        );
        return rows.length === jobIds.length && rows.every((r) => r.Status === 'Done') ? true : undefined;
      },
      { timeoutMs: 120_000, what: 'the jobs to reach Done' },
    );
  });
  afterAll(() => bff?.close());

  it('mints a read-only token for the service user through the legacy exchange; a wrong key is refused', async () => {
    const instance = parseConfig({ instances: [instanceConfig({ accounting: ACCOUNTING() })] }).instances[0]!;
    const token = serviceTokenSource(instance, client);
    const t = await token();
    expect(await token()).toBe(t); // cached
    const who = await client.userinfo(t);
    expect(who.preferred_username).toBe('portal-accounting');
    // Least privilege: JobMonitor, not JobAdministrator, and not a NormalUser either.
    expect(who.properties).toEqual(['JobMonitor']);
    const err = await client.legacyExchange('AAAA', 'portal-accounting', 'vo:escape group:accounting').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiracxError);
    expect((err as DiracxError).status).toBe(401);
  });

  it("the collector's token reads every user's jobs at DiracX but can change, submit and force nothing", async () => {
    const instance = parseConfig({ instances: [instanceConfig({ accounting: ACCOUNTING() })] }).instances[0]!;
    const t = await serviceTokenSource(instance, client)();
    const { rows } = await client.searchJobs(
      t,
      { parameters: ['JobID', 'Owner'], search: [{ parameter: 'JobID', operator: 'in', values: jobIds }] },
      { page: 1, perPage: 10 },
    );
    expect(rows.map((r) => r.Owner)).toEqual(jobIds.map(() => 'alice'));
    expect((await client.jobSandboxes(t, jobIds[0]!)).Output.length).toBeGreaterThan(0); // READ of alice's job
    const refusals = [
      () => client.reschedule(t, [jobIds[0]!]),
      () => client.setStatus(t, { [jobIds[0]!]: { Status: 'Killed', MinorStatus: 'by the collector', Source: 'test' } }, { force: true }),
      () => client.submitJdl(t, ['[ Executable = "echo"; ]']),
    ];
    for (const attempt of refusals) {
      const e = await attempt().catch((err: unknown) => err);
      expect(e, JSON.stringify(e)).toBeInstanceOf(DiracxError);
      expect((e as DiracxError).status).toBe(403);
    }
    // Nothing changed: both jobs are still Done.
    const after = await client.searchJobs(
      (await loginAs('admin')).access_token,
      { parameters: ['JobID', 'Status'], search: [{ parameter: 'JobID', operator: 'in', values: jobIds }] },
      { page: 1, perPage: 10 },
    );
    expect(after.rows.map((r) => r.Status)).toEqual(['Done', 'Done']);
  });

  it('collects every finished job once, with what DiracX says about it', async () => {
    const instance = bff.config.instances[0]!;
    const deps = { db: bff.db, instance, diracx: client, token: serviceTokenSource(instance, client), batchSize: 3, settleSeconds: 0 };
    // Let one second pass so the jobs' LastUpdateTime second is complete.
    await new Promise((r) => setTimeout(r, 1100));
    const first = await collectUntilIdle(deps);
    expect(first).toBeGreaterThanOrEqual(jobIds.length);
    const admin = (await loginAs('admin')).access_token;
    const { rows: dx } = await client.searchJobs(
      admin,
      {
        parameters: ['JobID', 'Owner', 'OwnerGroup', 'Site', 'Status', 'StartExecTime', 'EndExecTime'],
        search: [{ parameter: 'JobID', operator: 'in', values: jobIds }],
      },
      { page: 1, perPage: 10 },
    );
    const stored = await bff.db.query<Record<string, unknown>>(
      `SELECT job_id, owner, owner_group, site, final_status, wall_seconds, cores FROM accounting_jobs WHERE job_id IN (${jobIds.join(',')}) ORDER BY job_id`,
    );
    expect(stored).toHaveLength(jobIds.length);
    for (const s of stored) {
      const d = dx.find((r) => Number(r.JobID) === s.job_id)!;
      expect(s).toMatchObject({ owner: d.Owner, owner_group: d.OwnerGroup, site: d.Site, final_status: 'Done', cores: 1 });
      const wall = Math.round(
        (Date.parse(`${String(d.EndExecTime).replace(/Z?$/, 'Z')}`) - Date.parse(`${String(d.StartExecTime).replace(/Z?$/, 'Z')}`)) / 1000,
      );
      expect(Number(s.wall_seconds)).toBe(wall);
    }
    // The table holds exactly DiracX's finished jobs (nothing twice, nothing missing) up to the watermark.
    const total = await bff.db.one<{ n: number }>('SELECT count(*) AS n FROM accounting_jobs');
    const wm = await bff.db.one<{ second: string }>('SELECT second FROM accounting_watermarks');
    const { total: dxTotal } = await client.searchJobs(
      admin,
      {
        parameters: ['JobID'],
        search: [
          { parameter: 'Status', operator: 'in', values: [...FINAL_STATUSES] },
          { parameter: 'LastUpdateTime', operator: 'lt', value: wm!.second },
        ],
      },
      { page: 1, perPage: 1 },
    );
    const upTo = await bff.db.one<{ n: number }>('SELECT count(*) AS n FROM accounting_jobs WHERE last_update_time < $1', [
      `${wm!.second}.000Z`,
    ]);
    expect(upTo!.n).toBe(dxTotal);
    expect(total!.n).toBeGreaterThanOrEqual(dxTotal);
    // A second pass stores nothing new.
    const again = await collectUntilIdle(deps);
    expect(again).toBe(0);
    expect((await bff.db.one<{ n: number }>('SELECT count(*) AS n FROM accounting_jobs'))!.n).toBe(total!.n);
  });

  it('serves the report to admins only (alice and paul get 403)', async () => {
    const q = `groupBy=user&bucket=hour&from=${encodeURIComponent(started)}&to=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`;
    for (const role of ['scientist', 'pi'] as const) {
      const res = await bff.app.inject({ method: 'GET', url: `/bff/v1/accounting/usage?${q}`, headers: bearer(await loginAs(role)) });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN' });
      const csv = await bff.app.inject({ method: 'GET', url: `/bff/v1/accounting/usage.csv?${q}`, headers: bearer(await loginAs(role)) });
      expect(csv.statusCode).toBe(403);
    }
    const res = await bff.app.inject({ method: 'GET', url: `/bff/v1/accounting/usage?${q}`, headers: bearer(await loginAs('admin')) });
    expect(res.statusCode).toBe(200);
    const alice = res.json().totals.find((t: { key: string }) => t.key === 'alice');
    expect(alice.jobs).toBeGreaterThanOrEqual(jobIds.length);
    const csv = await bff.app.inject({ method: 'GET', url: `/bff/v1/accounting/usage.csv?${q}`, headers: bearer(await loginAs('admin')) });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="accounting-user-hour-/);
    expect(csv.body.split('\r\n')[0]).toBe('bucket_start,user,jobs,cpu_hours,wall_hours');
  });
});
