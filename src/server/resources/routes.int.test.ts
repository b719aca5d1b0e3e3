import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, inProcessBff, loginAs } from '../testing/real-stack.ts';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;

describe('resource catalogue joined with the live RSS status of the real DiracX', () => {
  let bff: Bff;
  beforeAll(async () => {
    bff = await inProcessBff();
  });
  afterAll(() => bff.close());

  it('returns every site, CE and queue with the statuses seeded into DiracX', async () => {
    const res = await bff.app.inject({ method: 'GET', url: '/bff/v1/resources', headers: bearer(await loginAs('scientist')) });
    expect(res.statusCode).toBe(200);
    const cat = res.json();
    expect(cat.rss).toEqual({ site: true, compute: true });
    const sites = new Map(cat.sites.map((s: { name: string }) => [s.name, s]));
    expect([...sites.keys()].sort()).toEqual(['HPC.MareNostrum.es', 'LCG.CERN-HTC.ch', 'LCG.DESY-GPU.de']);
    const ces = cat.sites.flatMap((s: { ces: { name: string; status: { state: string } | null }[] }) => s.ces);
    for (const ce of ces) expect(ce.status, `status of ${ce.name}`).not.toBeNull();
    const byName = new Map(ces.map((c: { name: string; status: unknown }) => [c.name, c.status]));
    expect(byName.get('ce-htc02.cern.ch')).toMatchObject({ state: 'degraded', allowed: true });
    expect(byName.get('grid-arcgpu02.desy.de')).toMatchObject({ state: 'banned', allowed: false });
    const queues = ces.flatMap((c: { queues: { gpus: number; kind: string; cores: number }[] }) => c.queues);
    expect(queues.some((q: { gpus: number }) => q.gpus >= 1)).toBe(true);
    expect(queues.some((q: { kind: string; cores: number }) => q.kind === 'HPC' && q.cores >= 48)).toBe(true);
    // Site load comes from DiracX's job summary: known (not null) for every site.
    for (const site of cat.sites) expect(site.load, site.name).toMatchObject({ waiting: expect.any(Number), running: expect.any(Number) });
  });

  it('explains which queues fit "an HPC-sized GPU job" and why the others do not', async () => {
    const res = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/resources/fit',
      headers: bearer(await loginAs('scientist')),
      payload: { gpus: 1, cores: 8 },
    });
    expect(res.statusCode).toBe(200);
    const { fitting, queues } = res.json();
    const fits = queues.filter((q: { fits: boolean }) => q.fits).map((q: { queueId: string }) => q.queueId);
    expect(fitting).toBe(fits.length);
    expect(fits).toEqual([expect.stringContaining('gpu1')]);
    const gpu4 = queues.find((q: { queueId: string }) => q.queueId.includes('gpu4'));
    expect(gpu4.fits).toBe(false);
    expect(gpu4.reasons.join(' ')).toMatch(/banned/i);
    const cern = queues.find((q: { site: string }) => q.site === 'LCG.CERN-HTC.ch');
    expect(cern.reasons.join(' ')).toMatch(/GPU/);
    const bad = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/resources/fit',
      headers: bearer(await loginAs('scientist')),
      payload: { cores: -2 },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('requires a valid token', async () => {
    const res = await bff.app.inject({ method: 'GET', url: '/bff/v1/resources' });
    expect(res.statusCode).toBe(401);
  });
});
