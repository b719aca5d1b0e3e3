import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchHelloWorld } from './testing/hello-world.ts';
import { bearer, inProcessBff, loginAs, until } from './testing/real-stack.ts';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;

describe('the BFF on PostgreSQL (DATABASE_URL) with two DiracX instances configured', () => {
  let pg: { url: string; stop: () => Promise<void> };
  let bff: Bff;
  beforeAll(async () => {
    const { startPostgres } = (await import(path.resolve('scripts/lib/postgres.mjs'))) as {
      startPostgres: (o: { dir: string }) => Promise<{ url: string; stop: () => Promise<void> }>;
    };
    pg = await startPostgres({ dir: fs.mkdtempSync(path.join(os.tmpdir(), 'pg-int-')) });
    bff = await inProcessBff({
      databaseUrl: pg.url,
      extraInstances: [{ id: 'egi', label: 'EGI DiracX (offline)', url: 'http://127.0.0.1:9', clientId: 'escape-batch-portal' }],
    });
  });
  afterAll(async () => {
    await bff?.close();
    await pg?.stop();
  });

  it('lists both instances for the sign-in picker, each with its reachability', async () => {
    const res = await bff.app.inject({ method: 'GET', url: '/bff/v1/instances' });
    const list = res.json().instances;
    expect(list.map((i: { id: string; reachable: boolean }) => [i.id, i.reachable])).toEqual([
      ['local', true],
      ['egi', false],
    ]);
  });

  it('selects the instance by the token issuer and records the submission in PostgreSQL', async () => {
    const token = bearer(await loginAs('scientist'));
    const me = (await bff.app.inject({ method: 'GET', url: '/bff/v1/me', headers: token })).json();
    expect(me.instance.id).toBe('local');
    expect(bff.db.dialect).toBe('postgres');
    const { res, launch } = await launchHelloWorld(bff.app, token, `pg-${crypto.randomUUID()}`, { message: 'on postgres' });
    expect(res.statusCode).toBe(202);
    const jobId = launch!.jobIds[0];
    const row = await bff.db.one<{ jdl: string; spec_json: string; instance_id: string }>(
      'SELECT lj.jdl, lj.spec_json, l.instance_id FROM launch_jobs lj JOIN launches l ON l.id = lj.launch_id WHERE lj.job_id = $1',
      [jobId],
    );
    expect(row).toMatchObject({ instance_id: 'local' });
    // The command line travels in the launch's wrapper script: the recorded job spec holds it, the JDL runs the script.
    expect(JSON.parse(row!.spec_json).payload.command).toContain('on postgres');
    expect(row?.jdl).toContain('Executable = "./escape-job.sh";');
    const detail = await until(
      async () => {
        const d = (await bff.app.inject({ method: 'GET', url: `/bff/v1/jobs/${jobId}`, headers: token })).json();
        return d.job?.status === 'Done' ? d : undefined;
      },
      { timeoutMs: 90_000, what: 'Done' },
    );
    expect(detail.jdl).toContain('Executable = "./escape-job.sh";');
  });
});
