import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchHelloWorld } from '../testing/hello-world.ts';
import { bearer, inProcessBff, loginAs, stackInfo, until } from '../testing/real-stack.ts';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;
const key = () => `it-${crypto.randomUUID()}`;
const byNumber = (a: number, b: number) => a - b;

describe('Hello world through the BFF into the real DiracX', () => {
  let bff: Bff;
  beforeAll(async () => {
    bff = await inProcessBff();
  });
  afterAll(() => bff.close());

  /** Hello world as the one-click card sends it: an ordinary launch, waited for until its job is in DiracX. */
  async function submit(role: 'scientist' | 'pi' | 'admin', idempotencyKey = key(), message = 'world') {
    return launchHelloWorld(bff.app, bearer(await loginAs(role)), idempotencyKey, { message });
  }
  const jobOf = async (role: 'scientist' | 'pi' | 'admin') => (await submit(role)).launch!.jobIds[0]!;

  it('submits a job that DiracX runs to Done, with its status history and the JDL kept', async () => {
    const { res, launch } = await submit('scientist', key(), 'integration test');
    expect(res.statusCode).toBe(202);
    expect(launch).toMatchObject({ status: 'submitted', workflowId: 'hello-world', totalJobs: 1 });
    expect(launch!.jobIds).toHaveLength(1);
    const jobId = launch!.jobIds[0];
    const detail = await until(
      async () => {
        const r = await bff.app.inject({ method: 'GET', url: `/bff/v1/jobs/${jobId}`, headers: bearer(await loginAs('scientist')) });
        const d = r.json();
        return d.job?.status === 'Done' ? d : undefined;
      },
      { timeoutMs: 90_000, what: `job ${jobId} to reach Done` },
    );
    expect(detail.job.owner).toBe('alice');
    expect(detail.job.ownerGroup).toBe('scientists');
    // The local site reports each step of its job wrapper: Running and Completing come with several minor statuses.
    const statuses = detail.history.map((h: { status: string }) => h.status);
    expect(statuses.filter((s: string, i: number) => s !== statuses[i - 1])).toEqual([
      'Received',
      'Waiting',
      'Matched',
      'Running',
      'Completing',
      'Done',
    ]);
    // The JDL names the launch's wrapper script and the job's index (the command line travels in the script).
    expect(detail.jdl).toContain('Executable = "./escape-job.sh";');
    expect(detail.jdl).toContain('Arguments = "0";');
    expect(detail.jdl).toContain(`JobGroup = "${launch!.jobGroup}";`);
  });

  it('is idempotent: the same key twice (even concurrently) creates one job', async () => {
    const k = key();
    const [a, b] = await Promise.all([submit('scientist', k), submit('scientist', k)]);
    const codes = [a.res.statusCode, b.res.statusCode];
    // one creates (202); the other replays the same launch (200)
    expect(codes.filter((c) => c === 202)).toHaveLength(1);
    expect(codes.find((c) => c !== 202)).toBe(200);
    expect(a.launch!.id).toBe(b.launch!.id);
    const again = await submit('scientist', k);
    expect(again.res.statusCode).toBe(200);
    const created = [a, b].find((r) => r.res.statusCode === 202)!.launch!;
    expect(created.jobIds).toHaveLength(1);
    expect(again.launch!.jobIds).toEqual(created.jobIds);
    // DiracX has exactly one job for this submission
    const list = await bff.app.inject({ method: 'GET', url: '/bff/v1/jobs?perPage=100', headers: bearer(await loginAs('scientist')) });
    const ids = list.json().items.map((j: { jobId: number }) => j.jobId);
    expect(ids.filter((id: number) => created.jobIds.includes(id))).toHaveLength(1);
  });

  it('cannot inject JDL: a JDL attribute in a value stays text in the wrapper script; a control character is refused, nothing sent', async () => {
    const { res, launch } = await submit('scientist', key(), 'line\nbreak');
    expect(res.statusCode).toBe(400);
    expect(launch).toBeNull();
    expect(res.json()).toMatchObject({ code: 'VALIDATION', issues: [{ path: expect.stringContaining('MESSAGE') }] });
    const sent = await submit('scientist', key(), 'a"; Site = "X');
    expect(sent.res.statusCode).toBe(202);
    const d = (
      await bff.app.inject({ method: 'GET', url: `/bff/v1/jobs/${sent.launch!.jobIds[0]}`, headers: bearer(await loginAs('scientist')) })
    ).json();
    expect(d.jdl).not.toContain('Site');
    expect(d.jdl).toContain('Arguments = "0";');
  });

  it('shows each user only what they may see; the PI sees their group, never the admins', async () => {
    const alice = await jobOf('scientist');
    const ada = await jobOf('admin');
    const paul = await jobOf('pi');
    const get = async (role: 'scientist' | 'pi' | 'admin', id: number) =>
      (await bff.app.inject({ method: 'GET', url: `/bff/v1/jobs/${id}`, headers: bearer(await loginAs(role)) })).statusCode;
    expect(await get('scientist', alice)).toBe(200);
    expect(await get('scientist', ada)).toBe(404);
    expect(await get('scientist', paul)).toBe(404);
    expect(await get('pi', alice)).toBe(200);
    expect(await get('pi', paul)).toBe(200);
    expect(await get('pi', ada)).toBe(404);
    expect(await get('admin', alice)).toBe(200);
    expect(await get('admin', ada)).toBe(200);
    const owners = async (role: 'scientist' | 'pi' | 'admin') => {
      const r = await bff.app.inject({ method: 'GET', url: '/bff/v1/jobs?perPage=200', headers: bearer(await loginAs(role)) });
      return new Set(r.json().items.map((j: { ownerGroup: string }) => j.ownerGroup));
    };
    expect([...(await owners('scientist'))]).toEqual(['scientists']);
    expect([...(await owners('pi'))].sort()).toEqual(['pis', 'scientists']);
    expect([...(await owners('admin'))].sort()).toEqual(['admins', 'pis', 'scientists']);
  });

  it("group sharing is enforced by DiracX itself (extension): a PI may manage their group's jobs, not the admins'", async () => {
    const s = stackInfo();
    const alice = await jobOf('scientist');
    const ada = await jobOf('admin');
    const pi = await loginAs('pi');
    const patch = (id: number) =>
      fetch(`${s.urls.diracx}/api/jobs/status`, {
        method: 'PATCH',
        headers: { ...bearer(pi), 'content-type': 'application/json' },
        body: JSON.stringify({
          [id]: { [new Date().toISOString()]: { Status: 'Killed', MinorStatus: 'Marked for termination', Source: 'integration test' } },
        }),
      });
    expect((await patch(ada)).status).toBe(403);
    const ok = await patch(alice);
    expect(ok.status).toBe(200);
    // a scientist cannot manage the PI's jobs either
    const paul = await jobOf('pi');
    const asAlice = await fetch(`${s.urls.diracx}/api/jobs/status`, {
      method: 'PATCH',
      headers: { ...bearer(await loginAs('scientist')), 'content-type': 'application/json' },
      body: JSON.stringify({ [paul]: { [new Date().toISOString()]: { Status: 'Killed', Source: 'integration test' } } }),
    });
    expect(asAlice.status).toBe(403);
  });

  it('visibility is enforced by DiracX itself (GlobalJobsInfo = false + extension): direct search and summary per user', async () => {
    const s = stackInfo();
    const mine = { scientist: await jobOf('scientist'), pi: await jobOf('pi'), admin: await jobOf('admin') };
    const direct = async (role: 'scientist' | 'pi' | 'admin', route: 'search' | 'summary', body: object) => {
      const res = await fetch(`${s.urls.diracx}/api/jobs/${route}?per_page=1000`, {
        method: 'POST',
        headers: { ...bearer(await loginAs(role)), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect([200, 206]).toContain(res.status);
      return (await res.json()) as Array<{ JobID?: number; Owner: string; OwnerGroup: string; count?: number }>;
    };
    const seen = async (role: 'scientist' | 'pi' | 'admin') => {
      const jobs = await direct(role, 'search', {
        parameters: ['JobID', 'Owner', 'OwnerGroup'],
        search: [{ parameter: 'JobID', operator: 'in', values: Object.values(mine) }],
      });
      const summary = await direct(role, 'summary', { grouping: ['Owner', 'OwnerGroup'] });
      return {
        ids: jobs.map((j) => j.JobID!).sort(byNumber),
        owners: new Set(summary.map((r) => r.Owner)),
        all: await direct(role, 'search', { parameters: ['Owner', 'OwnerGroup'] }),
      };
    };
    const alice = await seen('scientist');
    expect(alice.ids).toEqual([mine.scientist]);
    expect([...alice.owners]).toEqual(['alice']);
    expect(new Set(alice.all.map((j) => j.Owner))).toEqual(new Set(['alice']));
    const paul = await seen('pi');
    expect(paul.ids).toEqual([mine.scientist, mine.pi].sort(byNumber));
    expect(paul.owners.has('ada')).toBe(false);
    expect(paul.owners).toContain('alice');
    expect(new Set(paul.all.map((j) => j.OwnerGroup))).toEqual(new Set(['scientists', 'pis']));
    const ada = await seen('admin');
    expect(ada.ids).toEqual(Object.values(mine).sort(byNumber));
    expect([...ada.owners]).toEqual(expect.arrayContaining(['alice', 'paul', 'ada']));
  });

  it('returns a readable problem for a job id that does not exist, and validates ids', async () => {
    const res = await bff.app.inject({ method: 'GET', url: '/bff/v1/jobs/999999999', headers: bearer(await loginAs('scientist')) });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toMatch(/does not exist or is not visible/);
    const bad = await bff.app.inject({ method: 'GET', url: '/bff/v1/jobs/abc', headers: bearer(await loginAs('scientist')) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION');
  });
});
