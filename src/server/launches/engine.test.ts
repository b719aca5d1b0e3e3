/**
 * The launch engine and repository with a narrow DiracX double: what an ambiguous failure looks up, and what a
 * reused idempotency key answers.
 */
import { describe, expect, it } from 'vitest';
import { DiracxUnreachableError, type DiracxClient, type SearchSpec } from '../diracx/client.ts';
import { bothDialects, suiteDatabase } from '../testing/db-targets.ts';
import { runLaunch } from './engine.ts';
import { testLaunch } from '../testing/launch.ts';
import { createLaunchRepo } from './repo.ts';

const launch = (key: string, request: unknown = { message: 'world' }) => testLaunch(key, { request, jobGroup: 'hello-world-shared-group' });

const [sqlite] = bothDialects('engine');

describe('launch engine (SQLite, DiracX double)', () => {
  const database = suiteDatabase(sqlite[1]);
  const accepted = (jdls: string[], from = 1) =>
    jdls.map((_, i) => ({ JobID: from + i, Status: 'Received', MinorStatus: '', TimeStamp: '' }));

  it("after an ambiguous failure, looks jobs up by JobGroup + JobName of the launch's owner only", async () => {
    const repo = createLaunchRepo(database());
    const { launch: l } = await repo.claim(launch('ambiguous'));
    const searches: SearchSpec[][] = [];
    let submits = 0;
    const diracx = {
      submitJdl: async () => {
        submits++;
        if (submits === 1) throw new DiracxUnreachableError('submit', new Error('socket hang up'));
        return [{ JobID: 7, Status: 'Received', MinorStatus: '', TimeStamp: '' }];
      },
      // DiracX as a PI's token sees it: paul's job with the same JobGroup and JobName, and nothing of alice's
      searchJobs: async (_t: string, body: { search: SearchSpec[] }) => {
        searches.push(body.search);
        const forAlice = body.search.some((s) => s.parameter === 'Owner' && 'value' in s && s.value === 'alice');
        return { rows: forAlice ? [] : [{ JobID: 666, JobName: 'hello-world-0' }], total: forAlice ? 0 : 1 };
      },
    } as unknown as DiracxClient;
    await runLaunch(l.id, l.jobGroup, 'token', repo, diracx, { backoffMs: 0 });
    expect(searches.length).toBeGreaterThan(0);
    for (const s of searches) expect(s).toContainEqual({ parameter: 'Owner', operator: 'eq', value: 'alice' });
    // the other user's job was not taken for alice's; hers was sent again and recorded
    expect(await repo.get(l.id)).toMatchObject({ status: 'submitted', jobIds: [7] });
  });

  it('a reused idempotency key with another request is a conflict, the same request a replay', async () => {
    const repo = createLaunchRepo(database());
    const first = await repo.claim(launch('reused', { message: 'world' }));
    expect(first.created).toBe(true);
    const same = await repo.claim(launch('reused', { message: 'world' }));
    expect(same).toMatchObject({ created: false, mismatch: false, launch: { id: first.launch.id } });
    const other = await repo.claim(launch('reused', { message: 'someone else' }));
    expect(other).toMatchObject({ created: false, mismatch: true });
  });

  it('DiracX unreachable: the jobs wait (none failed), the launch stays submitting with the reason, then completes', async () => {
    const repo = createLaunchRepo(database());
    const { launch: l } = await repo.claim(testLaunch('down', { jobCount: 3, jobGroup: 'g-down' }));
    let up = false;
    const diracx = {
      submitJdl: async (_t: string, jdls: string[]) => {
        if (!up) throw new DiracxUnreachableError('submit', new Error('connect ECONNREFUSED'));
        return accepted(jdls);
      },
      searchJobs: async () => {
        if (!up) throw new DiracxUnreachableError('search', new Error('connect ECONNREFUSED'));
        return { rows: [], total: 0 };
      },
    } as unknown as DiracxClient;
    await runLaunch(l.id, l.jobGroup, 'token', repo, diracx, { backoffMs: 0 });
    const paused = await repo.get(l.id);
    expect(paused).toMatchObject({ status: 'submitting', submittedJobs: 0, failedJobs: 0 });
    expect(paused!.error).toMatch(/DiracX is unreachable/);
    up = true;
    await runLaunch(l.id, l.jobGroup, 'token', repo, diracx, { backoffMs: 0 });
    expect(await repo.get(l.id)).toMatchObject({ status: 'submitted', submittedJobs: 3, failedJobs: 0, error: null });
  });

  it('a batch DiracX accepted but the database could not record is not marked failed, and no batch is sent after it', async () => {
    const repo = createLaunchRepo(database());
    const { launch: l } = await repo.claim(testLaunch('db-down', { jobCount: 5, jobGroup: 'g-db-down' }));
    const sent: string[][] = [];
    const failing = {
      ...repo,
      markSubmitted: async () => {
        throw new Error('Connection terminated unexpectedly');
      },
    };
    const diracx = {
      submitJdl: async (_t: string, jdls: string[]) => {
        sent.push(jdls);
        return accepted(jdls, 100 * sent.length);
      },
      searchJobs: async () => ({ rows: [], total: 0 }),
    } as unknown as DiracxClient;
    await runLaunch(l.id, l.jobGroup, 'token', failing, diracx, { batchSize: 1, concurrency: 2 });
    // Two workers had a batch in flight; after the failure none took another.
    expect(sent.length).toBeLessThanOrEqual(2);
    expect(await repo.get(l.id)).toMatchObject({ status: 'submitting', failedJobs: 0 });
    expect((await repo.pendingJobs(l.id)).length).toBe(5);
  });
});
