import { afterEach, describe, expect, it } from 'vitest';
import type { DiracxClient, SearchSpec } from '../diracx/client.ts';
import { problems } from '../errors.ts';
import { demoPrincipal, TEST_INSTANCE, type DemoRole } from '../testing/principal.ts';
import { unitApp } from '../testing/unit-app.ts';
import { bucketByDay, timelineDays, windowCondition } from './timeline.ts';

type Summary = { grouping: string[]; search: SearchSpec[] };

/** DiracX with a summary only: it records each call and answers two rows for today. */
function summaryDiracx(calls: Summary[]) {
  const today = new Date().toISOString().slice(0, 10);
  const client = {
    summary: async (_token: string, grouping: string[], search: SearchSpec[] = []) => {
      calls.push({ grouping, search });
      return [
        { Status: 'Done', SubmissionTime: `${today}T08:00:00`, count: 2 },
        { Status: 'Done', SubmissionTime: `${today}T09:30:00`, count: 1 },
        { Status: 'Failed', SubmissionTime: `${today}T09:30:00`, count: 4 },
      ];
    },
  } as unknown as DiracxClient;
  return () => client;
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function timelineApp(calls: Summary[]) {
  const u = await unitApp({
    instances: [TEST_INSTANCE],
    diracx: summaryDiracx(calls),
    verifyToken: async (token) => {
      if (!['scientist', 'pi'].includes(token)) throw problems.unauthenticated('The access token is invalid');
      return demoPrincipal(token as DemoRole);
    },
  });
  close = u.close;
  return (role: string, q: string) => u.app.inject({ url: `/bff/v1/jobs/timeline?${q}`, headers: { authorization: `Bearer ${role}` } });
}

describe('jobs timeline', () => {
  it('asks DiracX once for 90 days, and once per user and view within the cache time', async () => {
    const calls: Summary[] = [];
    const get = await timelineApp(calls);
    const res = await get('scientist', 'days=90');
    expect(res.statusCode, res.body).toBe(200);
    const days = res.json().days as { day: string; counts: Record<string, number> }[];
    expect(days).toHaveLength(90);
    expect(days.at(-1)).toEqual({ day: new Date().toISOString().slice(0, 10), counts: { Done: 3, Failed: 4 } });
    expect(days[0]!.counts).toEqual({});
    expect(calls).toHaveLength(1);
    expect(calls[0]!.grouping).toEqual(['Status', 'SubmissionTime']);
    // visibility first, then the window
    expect(calls[0]!.search).toContainEqual({ parameter: 'Owner', operator: 'eq', value: 'alice' });
    expect(calls[0]!.search.at(-1)).toEqual(windowCondition(timelineDays(90)));

    expect((await get('scientist', 'days=90')).json().days).toEqual(days);
    expect(calls).toHaveLength(1);
    await get('pi', 'days=90');
    await get('scientist', 'days=7');
    expect(calls).toHaveLength(3);
  });
});

describe('timeline helpers', () => {
  it('starts the window at the first day and adds rows up per UTC day', () => {
    const dayList = timelineDays(3, new Date('2026-03-01T23:59:00Z'));
    expect(dayList).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(windowCondition(dayList)).toEqual({ parameter: 'SubmissionTime', operator: 'gt', value: '2026-02-26' });
    expect(
      bucketByDay(dayList, [
        { Status: 'Done', SubmissionTime: '2026-02-28T23:59:59', count: 1 },
        { Status: 'Done', SubmissionTime: '2026-02-28T00:00:00', count: 2 },
        { Status: 'Running', SubmissionTime: '2026-03-01T00:00:00', count: 1 },
        { Status: 'Done', SubmissionTime: '2026-02-20T00:00:00', count: 9 },
      ]),
    ).toEqual([
      { day: '2026-02-27', counts: {} },
      { day: '2026-02-28', counts: { Done: 3 } },
      { day: '2026-03-01', counts: { Running: 1 } },
    ]);
  });
});
