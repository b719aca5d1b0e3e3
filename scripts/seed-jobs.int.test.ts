import { describe, expect, it } from 'vitest';
import { bearer, inProcessBff, loginAs, stackInfo } from '../src/server/testing/real-stack.ts';
import { SEED_SITES, seedJobs } from './seed-jobs.mjs';

describe('seed-jobs (small N of the 100k bench seeding) against the real DiracX', () => {
  it('creates jobs spread over owners, JobGroups, sites and statuses, which the demo executor leaves alone', async () => {
    const s = stackInfo();
    const tokens = {
      scientist: (await loginAs('scientist')).access_token,
      pi: (await loginAs('pi')).access_token,
      admin: (await loginAs('admin')).access_token,
    };
    const r = await seedJobs({ diracxUrl: s.urls.diracx, tokens, count: 200, groups: 5 });
    expect(r.jobs).toBe(200);
    expect(r.ids).toHaveLength(200);
    expect(Object.keys(r.byOwner).sort()).toEqual(['admin', 'pi', 'scientist']);
    expect(Object.keys(r.byStatus).length).toBeGreaterThanOrEqual(6);

    // what DiracX holds, counted by its summary endpoint over the seeded JobGroups
    const search = [{ parameter: 'JobGroup', operator: 'in' as const, values: r.jobGroups }];
    const summary = async (grouping: string[]) => {
      const res = await fetch(`${s.urls.diracx}/api/jobs/summary`, {
        method: 'POST',
        headers: { ...bearer(await loginAs('admin')), 'content-type': 'application/json' },
        body: JSON.stringify({ grouping, search }),
      });
      return (await res.json()) as Record<string, string | number>[];
    };
    // the executor runs every 3 s: wait past a few of its rounds, then nothing seeded may have moved
    await new Promise((res) => setTimeout(res, 8_000));
    const byStatus = Object.fromEntries((await summary(['Status'])).map((x) => [x.Status, x.count]));
    expect(byStatus).toEqual(r.byStatus);
    const sites = (await summary(['Site'])).map((x) => x.Site).sort();
    expect(sites).toEqual([...SEED_SITES].sort());
    expect((await summary(['JobGroup'])).length).toBe(5);

    // and the monitor sees them per user: alice only hers
    const bff = await inProcessBff();
    try {
      const res = await bff.app.inject({
        method: 'GET',
        url: `/bff/v1/jobs/summary?jobGroup=${r.jobGroups[0]}`,
        headers: bearer(await loginAs('scientist')),
      });
      const adminRes = await bff.app.inject({
        method: 'GET',
        url: `/bff/v1/jobs/summary?jobGroup=${r.jobGroups[0]}`,
        headers: bearer(await loginAs('admin')),
      });
      expect(res.json().total).toBeGreaterThan(0);
      expect(adminRes.json().total).toBeGreaterThan(res.json().total);
    } finally {
      await bff.close();
    }
  });
});
