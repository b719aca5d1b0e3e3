import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import { migrations } from '../migrations.ts';
import { createDiracxClient, DiracxError, DiracxUnreachableError, type DiracxClient } from '../diracx/client.ts';
import { testLaunch } from '../testing/launch.ts';
import { instanceConfig, loginAs, stackInfo } from '../testing/real-stack.ts';
import { runLaunch } from './engine.ts';
import { createLaunchRepo, type JobSpec, type NewLaunch } from './repo.ts';

/** Read the file names and contents of a tar.zst archive (what DiracX's S3 store holds). */
function untar(bytes: Buffer): Record<string, string> {
  const raw = zlib.zstdDecompressSync(bytes);
  const out: Record<string, string> = {};
  for (let off = 0; off + 512 <= raw.length;) {
    const name = raw
      .subarray(off, off + 100)
      .toString('utf8')
      .replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(
      raw
        .subarray(off + 124, off + 136)
        .toString('ascii')
        .replace(/\0.*$/s, '')
        .trim(),
      8,
    );
    out[name] = raw.subarray(off + 512, off + 512 + size).toString('utf8');
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

describe('launch engine against the real DiracX', () => {
  let dir: string;
  let db: Database;
  let repo: ReturnType<typeof createLaunchRepo>;
  let diracx: DiracxClient;
  let token: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-int-'));
    db = await openDatabase(`sqlite:${path.join(dir, 'p.db')}`);
    await migrate(db, migrations);
    repo = createLaunchRepo(db);
    const config = parseConfig({ instances: [instanceConfig()] });
    diracx = createDiracxClient(config.instances[0]!);
    token = (await loginAs('scientist')).access_token;
  });
  afterAll(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function launchOf(n: number, tag: string): NewLaunch {
    const jobGroup = `it-${tag}-${Date.now().toString(36)}`;
    const jobs: JobSpec[] = Array.from({ length: n }, (_, i) => ({
      index: i,
      jobName: `corsika-${i}`,
      attributes: {
        JobName: `corsika-${i}`,
        JobGroup: jobGroup,
        Executable: 'corsika',
        Arguments: 'runcard.txt',
        OutputSandbox: ['std.out', 'std.err'],
        CPUTime: 3600,
      },
      sandboxFiles: [{ name: 'runcard.txt', content: `RUNNR ${i % 3}\nSEED ${i % 3} 0 0\nEXIT\n` }],
    }));
    return testLaunch(`k-${tag}-${Date.now()}`, { name: tag, jobGroup, workflowId: 'corsika', jobs });
  }

  async function jobsInGroup(jobGroup: string) {
    const { rows, total } = await diracx.searchJobs(
      token,
      { parameters: ['JobID', 'JobName'], search: [{ parameter: 'JobGroup', operator: 'eq', value: jobGroup }] },
      { page: 1, perPage: 500 },
    );
    return { rows, total };
  }

  it('submits 45 jobs in batches of at most 20, each referencing its uploaded input sandbox', async () => {
    const input = launchOf(45, 'bulk');
    const calls: number[] = [];
    const spy: DiracxClient = { ...diracx, submitJdl: (t, jdls) => (calls.push(jdls.length), diracx.submitJdl(t, jdls)) };
    const { launch, created } = await repo.claim(input);
    expect(created).toBe(true);
    await runLaunch(launch.id, input.jobGroup, token, repo, spy);
    const after = await repo.get(launch.id);
    expect(after).toMatchObject({ status: 'submitted', totalJobs: 45, submittedJobs: 45, failedJobs: 0 });
    expect(Math.max(...calls)).toBeLessThanOrEqual(20);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(45);
    const inDirac = await jobsInGroup(input.jobGroup);
    expect(inDirac.total).toBe(45);
    expect(new Set(after!.jobIds).size).toBe(45);
    // The JDL the portal sent names a sandbox whose bytes are exactly the runcard for that job.
    const jdl = await repo.jdlOf(launch.id, 4);
    const pfn = /InputSandbox = \{"([^"]+)"\}/.exec(jdl ?? '')?.[1];
    expect(pfn).toMatch(/^SB:SandboxSE\|\/S3\/sandboxes\/escape\/scientists\/alice\/sha256:[0-9a-f]{64}\.tar\.zst$/);
    const res = await fetch(`${stackInfo().urls.diracx}/api/jobs/sandbox?pfn=${encodeURIComponent(pfn!)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const { url } = (await res.json()) as { url: string };
    const files = untar(Buffer.from(await (await fetch(url)).arrayBuffer()));
    expect(files).toEqual({ 'runcard.txt': 'RUNNR 1\nSEED 1 0 0\nEXIT\n' });
  });

  it('is idempotent: claiming the same key again creates nothing', async () => {
    const input = launchOf(3, 'idem');
    const first = await repo.claim(input);
    await runLaunch(first.launch.id, input.jobGroup, token, repo, diracx);
    const again = await repo.claim(input);
    expect(again.created).toBe(false);
    expect(again.launch.id).toBe(first.launch.id);
    await runLaunch(again.launch.id, input.jobGroup, token, repo, diracx); // nothing pending: sends nothing
    expect((await jobsInGroup(input.jobGroup)).total).toBe(3);
  });

  it('never duplicates when a batch reached DiracX but the answer was lost', async () => {
    const input = launchOf(25, 'lost');
    let lost = false;
    const flaky: DiracxClient = {
      ...diracx,
      submitJdl: async (t, jdls) => {
        const out = await diracx.submitJdl(t, jdls);
        if (!lost) {
          lost = true;
          throw new DiracxUnreachableError('submit', new Error('socket hang up'));
        }
        return out;
      },
    };
    const { launch } = await repo.claim(input);
    await runLaunch(launch.id, input.jobGroup, token, repo, flaky, { backoffMs: 10 });
    const after = await repo.get(launch.id);
    expect(after).toMatchObject({ status: 'submitted', submittedJobs: 25 });
    expect((await jobsInGroup(input.jobGroup)).total).toBe(25);
  });

  it('reports a batch DiracX refuses as failed jobs with the reason, and keeps the others', async () => {
    const input = launchOf(22, 'refused');
    let n = 0;
    const refusing: DiracxClient = {
      ...diracx,
      submitJdl: async (t, jdls) => {
        n += 1;
        if (n === 2) throw new DiracxError(400, 'JDL syntax error', 'submit');
        return diracx.submitJdl(t, jdls);
      },
    };
    const { launch } = await repo.claim(input);
    await runLaunch(launch.id, input.jobGroup, token, repo, refusing, { concurrency: 1 });
    const after = await repo.get(launch.id);
    expect(after).toMatchObject({ status: 'partial', submittedJobs: 20, failedJobs: 2 });
    expect(after!.errors[0]!.message).toBe('DiracX: JDL syntax error');
  });

  it('retries a sandbox that DiracX failed with a 5xx (its owner-row race on a first upload) and completes', async () => {
    const input = launchOf(6, 'race');
    let failed = 0;
    const racy: DiracxClient = {
      ...diracx,
      initiateSandbox: async (t, info) => {
        if (failed < 2) {
          failed += 1;
          throw new DiracxError(500, 'Internal Server Error', 'sandbox');
        }
        return diracx.initiateSandbox(t, info);
      },
    };
    const { launch } = await repo.claim(input);
    await runLaunch(launch.id, input.jobGroup, token, repo, racy, { backoffMs: 10 });
    expect(await repo.get(launch.id)).toMatchObject({ status: 'submitted', submittedJobs: 6, failedJobs: 0 });
    expect((await jobsInGroup(input.jobGroup)).total).toBe(6);
  });

  it('stops without losing anything when the token expires mid-launch, and resumes later', async () => {
    const input = launchOf(30, 'expired');
    let n = 0;
    const expiring: DiracxClient = {
      ...diracx,
      submitJdl: async (t, jdls) => {
        n += 1;
        if (n >= 2) throw new DiracxError(401, 'Invalid JWT', 'submit');
        return diracx.submitJdl(t, jdls);
      },
    };
    const { launch } = await repo.claim(input);
    await runLaunch(launch.id, input.jobGroup, token, repo, expiring, { concurrency: 1 });
    const mid = await repo.get(launch.id);
    expect(mid).toMatchObject({ status: 'submitting', submittedJobs: 20, failedJobs: 0 });
    await runLaunch(launch.id, input.jobGroup, token, repo, diracx);
    expect(await repo.get(launch.id)).toMatchObject({ status: 'submitted', submittedJobs: 30 });
    expect((await jobsInGroup(input.jobGroup)).total).toBe(30);
  });

  it('stays resumable when DiracX is down, then completes without duplicates', async () => {
    const input = launchOf(5, 'down');
    const down: DiracxClient = {
      ...diracx,
      initiateSandbox: async () => {
        throw new DiracxUnreachableError('sandbox', new Error('ECONNREFUSED'));
      },
    };
    const { launch } = await repo.claim(input);
    await runLaunch(launch.id, input.jobGroup, token, repo, down, { maxAttempts: 1 });
    expect((await repo.get(launch.id))!.status).toBe('submitting');
    await runLaunch(launch.id, input.jobGroup, token, repo, diracx);
    expect((await repo.get(launch.id))!.submittedJobs).toBe(5);
    expect((await jobsInGroup(input.jobGroup)).total).toBe(5);
  });
});
