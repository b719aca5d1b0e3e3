/**
 * Facts about the DiracX we run that the launch engine's design rests on. If DiracX changes, these fail
 * and the batching choice must be revisited (docs/launches.md).
 */
import { describe, expect, it } from 'vitest';
import { bearer, loginAs, stackInfo } from '../testing/real-stack.ts';

describe('DiracX submission behaviour', () => {
  it('refuses more than 20 JDLs in one call, and leaves parametric jobs in Submitting (the demo executor skips them)', async () => {
    const s = stackInfo();
    const h = { ...bearer(await loginAs('scientist')), 'content-type': 'application/json' };
    const tooMany = await fetch(`${s.urls.diracx}/api/jobs/jdl`, {
      method: 'POST',
      headers: h,
      body: JSON.stringify(Array(21).fill('[Executable = "echo";]')),
    });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.text()).toMatch(/more than 20/);
    const param = await fetch(`${s.urls.diracx}/api/jobs/jdl`, {
      method: 'POST',
      headers: h,
      body: JSON.stringify([
        '[\n    JobName = "param-%n";\n    Executable = "echo";\n    Arguments = "%s";\n    Parameters = {"a", "b"};\n]',
      ]),
    });
    expect(param.status).toBe(201);
    const jobs = (await param.json()) as { JobID: number; Status: string }[];
    expect(jobs.map((j) => j.Status)).toEqual(['Submitting', 'Submitting']);
    // Several executor intervals later they have not moved.
    await new Promise((r) => setTimeout(r, 8000));
    const res = await fetch(`${s.urls.diracx}/api/jobs/search`, {
      method: 'POST',
      headers: h,
      body: JSON.stringify({
        parameters: ['JobID', 'Status'],
        search: [{ parameter: 'JobID', operator: 'in', values: jobs.map((j) => j.JobID) }],
      }),
    });
    const rows = (await res.json()) as { Status: string }[];
    expect(rows.map((r) => r.Status)).toEqual(['Submitting', 'Submitting']);
  });
});
