/**
 * DIRAC's StalledJobAgent at the local sites (docs/execution-site.md): a Running job nobody heartbeats (its
 * pilot is gone) ends Stalled → Failed "Job stalled: pilot not running"; a job that ran normally never shows
 * Running after its final status. A site process with a 3 s threshold stands in for the 300 s default.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiracxClient, type DiracxClient, type JobRow } from '../server/diracx/client.ts';
import { instanceConfig, loginAs, stateDir, until } from '../server/testing/real-stack.ts';

let dx: DiracxClient;
let alice: string;
let ada: string;
const extra: ChildProcess[] = [];

const row = async (id: number, parameters = ['JobID', 'Status', 'MinorStatus']): Promise<JobRow> =>
  (await dx.searchJobs(ada, { parameters, search: [{ parameter: 'JobID', operator: 'eq', value: String(id) }] }, { page: 1, perPage: 1 }))
    .rows[0]!;
const history = async (id: number) =>
  ((await row(id, ['JobID', 'LoggingInfo'])).LoggingInfo as { Status: string; MinorStatus: string; Source: string }[]).map(
    (h) => `${h.Status}/${h.MinorStatus}`,
  );
const final = (id: number) =>
  until(
    async () => {
      const r = await row(id);
      return ['Done', 'Failed', 'Killed'].includes(String(r.Status)) ? r : undefined;
    },
    { timeoutMs: 90_000, what: `job ${id} final` },
  );

beforeAll(async () => {
  dx = createDiracxClient(instanceConfig() as Parameters<typeof createDiracxClient>[0], { timeoutMs: 20_000 });
  alice = (await loginAs('scientist')).access_token;
  ada = (await loginAs('admin')).access_token;
  const base = JSON.parse(fs.readFileSync(path.join(stateDir(), 'site-HPC.MareNostrum.es.json'), 'utf8'));
  const file = path.join(stateDir(), 'site-stalled-check.json');
  fs.writeFileSync(file, JSON.stringify({ ...base, stalledAfterSeconds: 3, pollMs: 500 }), { mode: 0o600 });
  extra.push(spawn(process.execPath, ['src/site/main.ts', file], { stdio: 'ignore' }));
});
afterAll(() => {
  for (const p of extra) p.kill('SIGTERM');
});

describe('stalled jobs (DIRAC StalledJobAgent)', () => {
  it('fail a Running job that nobody heartbeats, through Stalled', async () => {
    // No local queue fits 500 cores: no site runs it. Forced to Running, as if a pilot had started it and died.
    const [id] = (
      await dx.submitJdl(alice, [
        '[ Executable = "echo"; NumberOfProcessors = 500; CPUTime = 3000; StdOutput = "std.out"; StdError = "std.err"; ]',
      ])
    ).map((j) => j.JobID) as [number];
    await until(async () => ((await row(id)).Status === 'Waiting' ? true : undefined), { what: 'the job Waiting' });
    await dx.setStatus(ada, { [id]: { Status: 'Running', MinorStatus: 'Application', Source: 'JobWrapper' } }, { force: true });
    const done = await final(id);
    expect(done).toMatchObject({ Status: 'Failed', MinorStatus: 'Job stalled: pilot not running' });
    const steps = await history(id);
    expect(steps.slice(-2)).toEqual(['Stalled/Job stalled: pilot not running', 'Failed/Job stalled: pilot not running']);
  }, 120_000);

  it('never show Running after the final status of a job that ran', async () => {
    const [id] = (
      await dx.submitJdl(alice, [
        '[ Executable = "sleep"; Arguments = "4"; CPUTime = 3000; StdOutput = "std.out"; StdError = "std.err"; OutputSandbox = {"std.out", "std.err"}; ]',
      ])
    ).map((j) => j.JobID) as [number];
    expect(await final(id)).toMatchObject({ Status: 'Done', MinorStatus: 'Execution Complete' });
    // Heartbeats stopped: a few heartbeat periods later, still Done, and nothing Running after it.
    await new Promise((r) => setTimeout(r, 7_000));
    expect(await row(id)).toMatchObject({ Status: 'Done' });
    const steps = await history(id);
    const lastRunning = steps.map((s) => s.startsWith('Running/')).lastIndexOf(true);
    expect(lastRunning).toBeLessThan(steps.indexOf('Done/Execution Complete'));
    expect(steps.at(-1)).toBe('Done/Execution Complete');
  }, 120_000);
});
