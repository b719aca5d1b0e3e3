import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiracxClient, type DiracxClient } from '../diracx/client.ts';
import { renderJdl } from '../jdl/render.ts';
import { sandboxArchive, tar, untar } from '../sandbox/tar.ts';
import { forceStatuses } from '../testing/job-states.ts';
import { bearer, inProcessBff, loginAs, type Role } from '../testing/real-stack.ts';
import crypto from 'node:crypto';
import zlib from 'node:zlib';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;

/**
 * The monitor's BFF routes against the real DiracX, with each demo user:
 * filters, sort, paging, time ranges, free text, summary, actions with partial
 * success, exports and sandboxes, always limited to what the user may see.
 */
describe('job monitor through the BFF (real DiracX)', () => {
  let bff: Bff;
  let diracx: DiracxClient;
  const group = `mon-${Date.now().toString(36)}`;
  const ids: Record<string, number> = {};

  const get = async (role: Role, url: string) => bff.app.inject({ method: 'GET', url, headers: bearer(await loginAs(role)) });
  const list = async (role: Role, qs: string) => {
    const res = await get(role, `/bff/v1/jobs?jobGroup=${group}&${qs}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: { jobId: number; jobName: string; owner: string; status: string }[]; total: number };
  };
  const act = async (role: Role, action: string, jobIds: number[]) =>
    bff.app.inject({ method: 'POST', url: '/bff/v1/jobs/actions', headers: bearer(await loginAs(role)), payload: { action, jobIds } });

  async function submit(role: Role, names: string[]) {
    const token = (await loginAs(role)).access_token;
    const jdls = names.map((JobName) => renderJdl({ JobName, JobGroup: group, Executable: 'echo', Arguments: 'monitor', CPUTime: 300 }));
    const inserted = await diracx.submitJdl(token, jdls);
    inserted.forEach((j, i) => (ids[names[i]!] = j.JobID));
  }

  beforeAll(async () => {
    bff = await inProcessBff();
    diracx = createDiracxClient(bff.config.instances[0]!);
    await submit('scientist', ['alpha-1', 'alpha-2', 'beta-3']);
    await submit('pi', ['pi-job']);
    await submit('admin', ['admin-job']);
    // deterministic statuses (the demo executor would move them on its own): all Running
    await forceStatuses(
      diracx,
      (await loginAs('admin')).access_token,
      Object.fromEntries(Object.values(ids).map((id) => [id, 'Running' as const])),
    );
  });
  afterAll(() => bff.close());

  it("adds the visibility conditions to every filtered search: own jobs, the PI's groups, or everything", async () => {
    expect((await list('scientist', '')).items.map((j) => j.owner).sort()).toEqual(['alice', 'alice', 'alice']);
    expect(new Set((await list('pi', '')).items.map((j) => j.owner))).toEqual(new Set(['alice', 'paul']));
    expect((await list('admin', '')).total).toBe(5);
    // the owner filter is for PIs and admins; a scientist asking for someone else gets a clear message
    const bad = await get('scientist', `/bff/v1/jobs?jobGroup=${group}&owner=paul`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/only see your own jobs/);
    expect((await list('pi', 'owner=alice')).total).toBe(3);
    // an admin's job never reaches a PI, even when asked by owner
    expect((await list('pi', 'owner=ada')).total).toBe(0);
  });

  it('sorts, pages, searches free text (name or id) and filters by time range on the server', async () => {
    const asc = await list('scientist', 'sort=JobName&order=asc');
    expect(asc.items.map((j) => j.jobName)).toEqual(['alpha-1', 'alpha-2', 'beta-3']);
    const desc = await list('scientist', 'sort=JobName&order=desc&perPage=2');
    expect(desc.total).toBe(3);
    expect(desc.items.map((j) => j.jobName)).toEqual(['beta-3', 'alpha-2']);
    const page2 = await list('scientist', 'sort=JobName&order=desc&perPage=2&page=2');
    expect(page2.items.map((j) => j.jobName)).toEqual(['alpha-1']);
    expect((await list('scientist', 'q=alpha')).items.map((j) => j.jobName).sort()).toEqual(['alpha-1', 'alpha-2']);
    expect((await list('scientist', `q=${ids['beta-3']}`)).items.map((j) => j.jobId)).toEqual([ids['beta-3']]);
    // another user's job id as free text finds nothing
    expect((await list('scientist', `q=${ids['admin-job']}`)).total).toBe(0);
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    const inAnHour = new Date(Date.now() + 3600_000).toISOString();
    expect((await list('scientist', `submittedAfter=${hourAgo}&submittedBefore=${inAnHour}`)).total).toBe(3);
    expect((await list('scientist', `submittedAfter=${inAnHour}`)).total).toBe(0);
    expect((await list('scientist', `submittedBefore=${hourAgo}`)).total).toBe(0);
  });

  it('refuses bad filter values with a readable problem', async () => {
    for (const qs of [
      'status=Bogus',
      'sort=Password',
      'submittedAfter=yesterday',
      'perPage=100000',
      `submittedAfter=2026-02-01&submittedBefore=2026-01-01`,
    ]) {
      const res = await get('scientist', `/bff/v1/jobs?${qs}`);
      expect(res.statusCode, qs).toBe(400);
      expect(res.json().code).toBe('VALIDATION');
      expect(res.json().message.length).toBeGreaterThan(5);
    }
  });

  it('kills, deletes and reschedules with partial success: ids the user may not touch fail with a reason', async () => {
    const kill = await act('scientist', 'kill', [ids['alpha-1']!, ids['admin-job']!, 999_999_999]);
    expect(kill.statusCode, kill.body).toBe(200);
    const k = kill.json();
    expect(k.succeeded).toEqual([ids['alpha-1']]);
    expect(k.failed.map((f: { jobId: number }) => f.jobId).sort()).toEqual([ids['admin-job'], 999_999_999].sort());
    expect(k.failed[0].reason).toMatch(/not visible/);
    expect((await list('admin', `q=${ids['admin-job']}`)).items[0]!.status).not.toBe('Killed');
    expect((await list('scientist', 'status=Killed')).items.map((j) => j.jobId)).toEqual([ids['alpha-1']]);

    // the status summary counts the current filter (status left out) and includes the killed job
    const sum = (await get('scientist', `/bff/v1/jobs/summary?jobGroup=${group}&status=Killed`)).json();
    expect(sum.total).toBe(3);
    expect(sum.counts.find((c: { status: string }) => c.status === 'Killed')?.count).toBe(1);

    // a PI kills a job of their group through the BFF
    const piKill = await act('pi', 'kill', [ids['alpha-2']!]);
    expect(piKill.json().succeeded).toEqual([ids['alpha-2']]);

    // a Killed job cannot be rescheduled (DiracX's state machine): reported as failed with the reason;
    // another user's job fails as not visible
    const resched = (await act('scientist', 'reschedule', [ids['alpha-1']!, ids['pi-job']!])).json();
    expect(resched.succeeded).toEqual([]);
    const reasons = Object.fromEntries(resched.failed.map((f: { jobId: number; reason: string }) => [f.jobId, f.reason]));
    expect(reasons[ids['pi-job']!]).toMatch(/not visible/);
    expect(reasons[ids['alpha-1']!]).toMatch(/Killed/);
    // a Failed job is rescheduled for real: back to Received (DiracX alone would keep it Failed and say "success")
    await forceStatuses(diracx, (await loginAs('admin')).access_token, { [ids['beta-3']!]: 'Failed' });
    const ok = (await act('scientist', 'reschedule', [ids['beta-3']!])).json();
    expect(ok).toMatchObject({ succeeded: [ids['beta-3']], failed: [] });
    const after = (await list('scientist', `q=${ids['beta-3']}`)).items[0]!;
    expect(['Received', 'Waiting', 'Matched', 'Running', 'Done']).toContain(after.status);

    const del = (await act('scientist', 'delete', [ids['alpha-2']!])).json();
    expect(del.succeeded).toEqual([ids['alpha-2']]);
    expect((await list('scientist', 'status=Deleted')).items.map((j) => j.jobId)).toEqual([ids['alpha-2']]);
    expect((await act('scientist', 'explode', [1])).statusCode).toBe(400);
  });

  it('counts jobs submitted per day by status (the small chart), only visible ones', async () => {
    const res = await get('scientist', `/bff/v1/jobs/timeline?jobGroup=${group}&days=7`);
    expect(res.statusCode, res.body).toBe(200);
    const days = res.json().days as { day: string; counts: Record<string, number> }[];
    expect(days).toHaveLength(7);
    expect(days.at(-1)!.day).toBe(new Date().toISOString().slice(0, 10));
    const sum = (d: { counts: Record<string, number> }) => Object.values(d.counts).reduce((a, b) => a + b, 0);
    expect(days.reduce((n, d) => n + sum(d), 0)).toBe(3);
    const admin = (await get('admin', `/bff/v1/jobs/timeline?jobGroup=${group}&days=7`)).json().days;
    expect(admin.reduce((n: number, d: { counts: Record<string, number> }) => n + sum(d), 0)).toBe(5);
    expect((await get('scientist', '/bff/v1/jobs/timeline?days=1000')).statusCode).toBe(400);
  });

  it('exports the view or a selection as CSV and JSON, only visible jobs', async () => {
    const csv = await get('scientist', `/bff/v1/jobs/export?format=csv&jobGroup=${group}&sort=JobName&order=asc`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="jobs-.*\.csv"/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^jobId,jobName,status/);
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['alpha-1', 'alpha-2', 'beta-3']);
    const json = await get('scientist', `/bff/v1/jobs/export?format=json&ids=${ids['beta-3']},${ids['admin-job']}`);
    const body = json.json();
    expect(body.items.map((j: { jobId: number }) => j.jobId)).toEqual([ids['beta-3']]);
    expect(body.truncated).toBe(false);
  });

  it("lists, lists the files of, and downloads an output sandbox; std.out shown inline; nobody else's", async () => {
    const alice = (await loginAs('scientist')).access_token;
    const archive = sandboxArchive([
      { name: 'std.out', content: 'Hello from the monitor test\n' },
      { name: 'std.err', content: '' },
    ]);
    const up = await diracx.initiateSandbox(alice, { checksum: archive.sha256, size: archive.size, format: 'tar.zst' });
    if (up.url) await diracx.uploadSandbox(up.url, up.fields ?? {}, archive.bytes);
    const jobId = ids['beta-3']!;
    await diracx.assignOutputSandbox(alice, jobId, up.pfn);

    const listed = await get('scientist', `/bff/v1/jobs/${jobId}/sandboxes`);
    expect(listed.statusCode, listed.body).toBe(200);
    const short = up.pfn.split('|').pop()!;
    expect(listed.json().sandboxes).toContainEqual({ kind: 'output', pfn: short, source: 'diracx' });

    const contents = await get('scientist', `/bff/v1/jobs/${jobId}/sandboxes/contents?pfn=${encodeURIComponent(short)}`);
    expect(contents.statusCode, contents.body).toBe(200);
    const stdout = contents.json().members.find((m: { name: string }) => m.name === 'std.out');
    expect(stdout).toMatchObject({ text: 'Hello from the monitor test\n', truncated: false });
    // Read again (its listing is now kept by the BFF): the same answer, and still only for who may see the job.
    const again = await get('scientist', `/bff/v1/jobs/${jobId}/sandboxes/contents?pfn=${encodeURIComponent(short)}`);
    expect(again.json()).toEqual(contents.json());
    expect((await get('admin', `/bff/v1/jobs/${jobId}/sandboxes/contents?pfn=${encodeURIComponent(short)}`)).json()).toEqual(
      contents.json(),
    );
    const viaOtherJob = await get('scientist', `/bff/v1/jobs/${ids['admin-job']}/sandboxes/contents?pfn=${encodeURIComponent(short)}`);
    expect(viaOtherJob.statusCode).toBe(404);
    const notOfThisJob = await get('scientist', `/bff/v1/jobs/${ids['alpha-1']}/sandboxes/contents?pfn=${encodeURIComponent(short)}`);
    expect(notOfThisJob.statusCode).toBe(404);

    const dl = await get('scientist', `/bff/v1/jobs/${jobId}/sandboxes/download?pfn=${encodeURIComponent(short)}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-disposition']).toContain(`job-${jobId}-output-sandbox.tar.zst`);
    expect(
      untar(zlib.zstdDecompressSync(dl.rawPayload))
        .map((m) => m.name)
        .sort(),
    ).toEqual(['std.err', 'std.out']);

    // the admin may read it; the sandbox of a job nobody listed is refused; another user's job is 404
    expect((await get('admin', `/bff/v1/jobs/${jobId}/sandboxes`)).statusCode).toBe(200);
    expect((await get('scientist', `/bff/v1/jobs/${ids['alpha-1']}/sandboxes/download?pfn=${encodeURIComponent(up.pfn)}`)).statusCode).toBe(
      404,
    );
    expect((await get('scientist', `/bff/v1/jobs/${ids['admin-job']}/sandboxes`)).statusCode).toBe(404);
    expect(
      (await get('scientist', `/bff/v1/jobs/${ids['admin-job']}/sandboxes/download?pfn=${encodeURIComponent(up.pfn)}`)).statusCode,
    ).toBe(404);
  });

  it("refuses to list a decompression bomb attached to one's own job (422 problem+json), the download still works", async () => {
    const alice = (await loginAs('scientist')).access_token;
    // a tar header, then 256 MiB of zeros: ~8 KB that would inflate to 256 MiB
    const header = tar([{ name: 'zeros.bin', content: '' }]).subarray(0, 512);
    const bytes = zlib.zstdCompressSync(Buffer.concat([header, Buffer.alloc(256 * 1024 * 1024)]));
    expect(bytes.length).toBeLessThan(16 * 1024);
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    const up = await diracx.initiateSandbox(alice, { checksum: sha256, size: bytes.length, format: 'tar.zst' });
    if (up.url) await diracx.uploadSandbox(up.url, up.fields ?? {}, bytes);
    const jobId = ids['alpha-2']!;
    await diracx.assignOutputSandbox(alice, jobId, up.pfn);
    const short = encodeURIComponent(up.pfn.split('|').pop()!);
    const res = await get('scientist', `/bff/v1/jobs/${jobId}/sandboxes/contents?pfn=${short}`);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({
      code: 'UNPROCESSABLE',
      message: expect.stringMatching(/expands more than 200 times.*download it instead/),
    });
    // Asked again, it is refused the same way (the refusal is kept: the BFF does not unpack it twice).
    const again = await get('scientist', `/bff/v1/jobs/${jobId}/sandboxes/contents?pfn=${short}`);
    expect([again.statusCode, again.json().message]).toEqual([422, res.json().message]);
    const dl = await get('scientist', `/bff/v1/jobs/${jobId}/sandboxes/download?pfn=${short}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.length).toBe(bytes.length);
  });
});
