/**
 * Accounting routes with app.inject: admin-only (403 problem for scientists and PIs), query validation,
 * the report built from stored rows of the caller's instance only, CSV, and the bucket helpers.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountingReportSchema, AccountingQuerySchema } from '../../contracts/accounting.ts';
import type { Database } from '../db/database.ts';
import { unitApp, untouchableDiracx } from '../testing/unit-app.ts';
import { upsertUsage, type UsageRecord } from '../accounting/repo.ts';
import { bucketStart, nextBucket, rangeOf, reportCsv, buildReport } from '../accounting/report.ts';
import { testPrincipal } from '../testing/principal.ts';

const cta = { id: 'cta', label: 'CTA', url: 'http://diracx-cta.test' };
const egi = { id: 'egi', label: 'EGI', url: 'http://diracx-egi.test' };
const ROLES = {
  alice: { role: 'scientist', group: 'scientists', properties: ['NormalUser'] },
  paul: { role: 'pi', group: 'pis', properties: ['NormalUser'], managedGroups: ['scientists', 'pis'] },
  ada: { role: 'admin', group: 'admins', properties: ['NormalUser', 'JobAdministrator'] },
} as const;

const rec = (jobId: number, over: Partial<UsageRecord>): UsageRecord => ({
  instanceId: 'cta',
  jobId,
  owner: 'alice',
  ownerGroup: 'scientists',
  vo: 'escape',
  site: 'LCG.CERN.ch',
  finalStatus: 'Done',
  jobGroup: null,
  submissionTime: null,
  startExecTime: null,
  endExecTime: null,
  endEpoch: Date.parse('2026-05-04T10:00:00Z') / 1000,
  wallSeconds: 3600,
  cpuSeconds: null,
  normCpuSeconds: null,
  cores: 1,
  lastUpdateTime: '2026-05-04T10:00:01.000Z',
  ...over,
});

describe('accounting routes', () => {
  let db: Database;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ app, db, close } = await unitApp({
      instances: [cta, egi],
      diracx: () => untouchableDiracx('accounting reports never call DiracX'),
      verifyToken: async (token) => {
        const [user, inst] = token.split('.') as [keyof typeof ROLES, string | undefined];
        const r = ROLES[user];
        return testPrincipal(inst === 'egi' ? egi : cta, {
          username: user,
          sub: `escape:${user}`,
          role: r.role,
          group: r.group,
          properties: [...r.properties],
          managedGroups: 'managedGroups' in r ? [...r.managedGroups] : [],
        });
      },
    }));
    await upsertUsage(db, [
      rec(1, {}),
      rec(2, { site: 'LCG.PIC.es', cores: 4, wallSeconds: 1800 }),
      rec(3, { endEpoch: Date.parse('2026-05-05T23:59:59Z') / 1000, cpuSeconds: 900, site: '=cmd()' }),
      rec(4, { instanceId: 'egi' }),
      rec(5, { endEpoch: Date.parse('2026-05-07T00:00:00Z') / 1000 }), // outside [from, to)
    ]);
  });
  afterAll(() => close?.());

  const url = (q: Record<string, string>, csv = false) =>
    `/bff/v1/accounting/usage${csv ? '.csv' : ''}?${new URLSearchParams({ groupBy: 'site', bucket: 'day', from: '2026-05-04T00:00:00Z', to: '2026-05-07T00:00:00Z', ...q })}`;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  it('refuses scientists and PIs with a 403 problem, on both endpoints', async () => {
    for (const user of ['alice', 'paul']) {
      for (const csv of [false, true]) {
        const res = await app.inject({ url: url({}, csv), headers: as(user) });
        expect(res.statusCode).toBe(403);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.json()).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/administrators/) });
      }
    }
    expect((await app.inject({ url: url({}) })).statusCode).toBe(401);
  });

  it('gives admins the report of their own instance, by day and site', async () => {
    const res = await app.inject({ url: url({}), headers: as('ada') });
    expect(res.statusCode).toBe(200);
    const r = AccountingReportSchema.parse(res.json());
    expect(r.buckets).toEqual(['2026-05-04T00:00:00.000Z', '2026-05-05T00:00:00.000Z', '2026-05-06T00:00:00.000Z']);
    expect(r.total).toEqual({ jobs: 3, wallHours: 2.5, cpuHours: 1 + 2 + 0.25 });
    expect(r.series.find((s) => s.key === 'LCG.CERN.ch')).toEqual({
      key: 'LCG.CERN.ch',
      jobs: [1, 0, 0],
      cpuHours: [1, 0, 0],
      wallHours: [1, 0, 0],
    });
    expect(r.series.find((s) => s.key === 'LCG.PIC.es')?.cpuHours).toEqual([2, 0, 0]); // 4 cores × 0.5 h
    expect(r.collectedUntil).toBeNull();
    const egiRes = await app.inject({ url: url({}), headers: as('ada.egi') });
    expect(egiRes.json().total.jobs).toBe(1);
  });

  it('exports CSV with a file name, formula-safe cells', async () => {
    const res = await app.inject({ url: url({ groupBy: 'user' }, true), headers: as('ada') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="accounting-user-day-2026-05-04-2026-05-07.csv"');
    expect(res.body).toBe(
      'bucket_start,user,jobs,cpu_hours,wall_hours\r\n2026-05-04T00:00:00.000Z,alice,2,3,1.5\r\n2026-05-05T00:00:00.000Z,alice,1,0.25,1\r\n',
    );
    const bySite = await app.inject({ url: url({}, true), headers: as('ada') });
    expect(bySite.body).toContain(`2026-05-05T00:00:00.000Z,'=cmd(),1,0.25,1`);
  });

  it('validates the query: unknown dimension, reversed range, too many buckets', async () => {
    const bad = await app.inject({ url: url({ groupBy: 'colour' }), headers: as('ada') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION');
    expect(
      (await app.inject({ url: url({ from: '2026-05-07T00:00:00Z', to: '2026-05-04T00:00:00Z' }), headers: as('ada') })).statusCode,
    ).toBe(400);
    const many = await app.inject({
      url: url({ bucket: 'hour', from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }),
      headers: as('ada'),
    });
    expect(many.statusCode).toBe(400);
    expect(many.json().message).toMatch(/Too many hour buckets/);
  });
});

describe('accounting buckets', () => {
  it('weeks start on Monday, months on the 1st (UTC)', () => {
    const e = Date.parse('2026-05-07T15:00:00Z') / 1000; // a Thursday
    expect(new Date(bucketStart('week', e) * 1000).toISOString()).toBe('2026-05-04T00:00:00.000Z');
    expect(new Date(bucketStart('month', e) * 1000).toISOString()).toBe('2026-05-01T00:00:00.000Z');
    expect(new Date(nextBucket('month', Date.parse('2026-12-01T00:00:00Z') / 1000) * 1000).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    const q = AccountingQuerySchema.parse({ bucket: 'month', from: '2026-01-15T00:00:00Z', to: '2026-03-01T00:00:00Z' });
    expect(rangeOf(q).starts.map((s) => new Date(s * 1000).toISOString().slice(0, 10))).toEqual(['2026-01-01', '2026-02-01']);
  });

  it('CSV quotes commas and quotes', () => {
    const q = AccountingQuerySchema.parse({ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' });
    const r = buildReport(
      q,
      [Date.parse('2026-01-01T00:00:00Z') / 1000],
      [{ bucket: Date.parse('2026-01-01T00:00:00Z') / 1000, key: 'a "b", c', jobs: 2, wall_seconds: 7200, cpu_seconds: 3600 }],
      null,
    );
    expect(reportCsv(r).split('\r\n')[1]).toBe('2026-01-01T00:00:00.000Z,"a ""b"", c",2,1,2');
  });
});
