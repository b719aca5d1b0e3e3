import { afterEach, describe, expect, it } from 'vitest';
import type { DiracxClient, SearchSpec } from '../diracx/client.ts';
import { problems } from '../errors.ts';
import { demoPrincipal, TEST_INSTANCE, type DemoRole } from '../testing/principal.ts';
import { unitApp } from '../testing/unit-app.ts';
import { bucketByDay, loadTimeline, TIMELINE_DAY_CONCURRENCY, TIMELINE_ROW_LIMIT, timelineDays, windowCondition } from './timeline.ts';

type Summary = { grouping: string[]; search: SearchSpec[] };

/** DiracX with a summary only: it records each call and answers two rows for today. */
function summaryDiracx(calls: Summary[]) {
  const today = new Date().toISOString().slice(0, 10);
  const client = {
    summary: async (_token: string, grouping: string[], search: SearchSpec[] = []) => {
      calls.push({ grouping, search });
      if (grouping.length === 1)
        return [
          { Status: 'Done', count: 3 },
          { Status: 'Failed', count: 4 },
        ];
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
  it('asks DiracX twice for 90 days (a count, then one summary by submission time), once per user and view within the cache time', async () => {
    const calls: Summary[] = [];
    const get = await timelineApp(calls);
    const res = await get('scientist', 'days=90');
    expect(res.statusCode, res.body).toBe(200);
    const days = res.json().days as { day: string; counts: Record<string, number> }[];
    expect(days).toHaveLength(90);
    expect(days.at(-1)).toEqual({ day: new Date().toISOString().slice(0, 10), counts: { Done: 3, Failed: 4 } });
    expect(days[0]!.counts).toEqual({});
    expect(calls.map((c) => c.grouping)).toEqual([['Status'], ['Status', 'SubmissionTime']]);
    // visibility first, then the window
    expect(calls[1]!.search).toContainEqual({ parameter: 'Owner', operator: 'eq', value: 'alice' });
    expect(calls[1]!.search.at(-1)).toEqual(windowCondition(timelineDays(90)));

    expect((await get('scientist', 'days=90')).json().days).toEqual(days);
    expect(calls).toHaveLength(2);
    await get('pi', 'days=90');
    await get('scientist', 'days=7');
    expect(calls).toHaveLength(6);
  });
});

describe('timeline helpers', () => {
  it('falls back to one summary per day, a few at a time, when the window holds too many jobs', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const asked: SearchSpec[][] = [];
    const summary = async (grouping: string[], search: SearchSpec[]) => {
      asked.push(search);
      if (asked.length === 1) return [{ Status: 'Done', count: TIMELINE_ROW_LIMIT + 1 }];
      expect(grouping).toEqual(['Status']);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return [{ Status: 'Done', count: 1 }];
    };
    const dayList = timelineDays(10);
    const days = await loadTimeline(summary, [], dayList);
    expect(asked).toHaveLength(11);
    expect(maxInFlight).toBe(TIMELINE_DAY_CONCURRENCY);
    expect(asked[1]).toEqual([{ parameter: 'SubmissionTime', operator: 'eq', value: dayList[0] }]);
    expect(days.map((d) => d.counts)).toEqual(dayList.map(() => ({ Done: 1 })));
  });

  it('asks nothing more for an empty window', async () => {
    const asked: string[][] = [];
    const days = await loadTimeline(async (g) => (asked.push(g), []), [], timelineDays(3));
    expect(asked).toEqual([['Status']]);
    expect(days.every((d) => Object.keys(d.counts).length === 0)).toBe(true);
  });

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
