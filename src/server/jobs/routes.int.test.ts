import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, inProcessBff, loginAs, stackInfo, until } from '../testing/real-stack.ts';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;
const key = () => `it-${crypto.randomUUID()}`;

describe('Hello world through the BFF into the real DiracX', () => {
  let bff: Bff;
  beforeAll(async () => {
    bff = await inProcessBff();
  });
  afterAll(() => bff.close());

  async function submit(role: 'scientist' | 'pi' | 'admin', idempotencyKey = key(), message = 'world') {
    return bff.app.inject({
      method: 'POST',
      url: '/bff/v1/jobs/hello-world',
      headers: bearer(await loginAs(role)),
      payload: { idempotencyKey, greeting: 'Hello', message },
    });
  }

  it('submits a job that DiracX runs to Done, with its status history and the JDL kept', async () => {
    const res = await submit('scientist', key(), 'integration test');
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.created).toBe(true);
    expect(body.jobIds).toHaveLength(1);
    expect(body.jdl).toContain('Arguments = "Hello, integration test!";');
    const jobId = body.jobIds[0];
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
    expect(detail.history.map((h: { status: string }) => h.status)).toEqual(['Received', 'Waiting', 'Matched', 'Running', 'Done']);
    expect(detail.jdl).toBe(body.jdl);
  });

  it('is idempotent: the same key twice (even concurrently) creates one job', async () => {
    const k = key();
    const [a, b] = await Promise.all([submit('scientist', k), submit('scientist', k)]);
    const codes = [a.statusCode, b.statusCode];
    // one creates (201); the other either replays (200) or is told it is in progress (409)
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect([200, 409]).toContain(codes.find((c) => c !== 201));
    const again = await submit('scientist', k);
    expect(again.statusCode).toBe(200);
    expect(again.json().created).toBe(false);
    const created = [a, b].find((r) => r.statusCode === 201)!.json();
    expect(again.json().jobIds).toEqual(created.jobIds);
    // DiracX has exactly one job for this submission
    const list = await bff.app.inject({ method: 'GET', url: '/bff/v1/jobs?perPage=100', headers: bearer(await loginAs('scientist')) });
    const ids = list.json().items.map((j: { jobId: number }) => j.jobId);
    expect(ids.filter((id: number) => created.jobIds.includes(id))).toHaveLength(1);
  });

  it('rejects input that could inject JDL with a field-level problem, sending nothing', async () => {
    for (const message of ['a"; Site = "X', 'semi;colon', 'line\nbreak', 'brack[et']) {
      const res = await submit('scientist', key(), message);
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.code).toBe('VALIDATION');
      expect(body.issues?.[0]?.path).toContain('message');
    }
  });

  it('shows each user only what they may see; the PI sees their group, never the admins', async () => {
    const alice = (await submit('scientist')).json().jobIds[0];
    const ada = (await submit('admin')).json().jobIds[0];
    const paul = (await submit('pi')).json().jobIds[0];
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
    const alice = (await submit('scientist')).json().jobIds[0];
    const ada = (await submit('admin')).json().jobIds[0];
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
    const paul = (await submit('pi')).json().jobIds[0];
    const asAlice = await fetch(`${s.urls.diracx}/api/jobs/status`, {
      method: 'PATCH',
      headers: { ...bearer(await loginAs('scientist')), 'content-type': 'application/json' },
      body: JSON.stringify({ [paul]: { [new Date().toISOString()]: { Status: 'Killed', Source: 'integration test' } } }),
    });
    expect(asAlice.status).toBe(403);
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
