import { describe, expect, it } from 'vitest';
import { paths } from '../../../shared/lib/paths.ts';
import { backoffInterval } from './job-queries.ts';
import { MONITOR_DEFAULTS, monitorSearchParams, parseMonitorSearch } from './monitor-search.ts';

describe('monitor URL state', () => {
  it('takes pages of up to 1,000 rows and refuses larger ones, keeping the rest of the view', () => {
    const { query, invalid } = parseMonitorSearch(new URLSearchParams('perPage=1001&site=LCG.CERN.cern'));
    expect(invalid).toEqual(['perPage']);
    expect(query.perPage).toBe(MONITOR_DEFAULTS.perPage);
    expect(query.site).toBe('LCG.CERN.cern');
    expect(parseMonitorSearch(new URLSearchParams('perPage=1000')).query.perPage).toBe(1000);
  });

  it('round-trips a view through the URL, leaving defaults out', () => {
    const url = new URLSearchParams(
      'status=Running,Failed&site=LCG.CERN.cern&q=corsika&sort=SubmissionTime&order=asc&page=3&perPage=50&submittedAfter=2026-11-01T00:00:00.000Z',
    );
    const { query, invalid } = parseMonitorSearch(url);
    expect(invalid).toEqual([]);
    expect(query).toMatchObject({
      status: ['Running', 'Failed'],
      site: 'LCG.CERN.cern',
      q: 'corsika',
      sort: 'SubmissionTime',
      order: 'asc',
      page: 3,
      perPage: 50,
    });
    expect(parseMonitorSearch(monitorSearchParams(query)).query).toEqual(query);
    expect(monitorSearchParams(MONITOR_DEFAULTS).toString()).toBe('');
  });

  it('keeps search-bar conditions one parameter each (their values may hold commas)', () => {
    const url = new URLSearchParams();
    url.append('where', 'Status:in:Done,Failed');
    url.append('where', 'JobName:eq:a,b');
    const { query, invalid } = parseMonitorSearch(url);
    expect(invalid).toEqual([]);
    expect(query.where).toEqual(['Status:in:Done,Failed', 'JobName:eq:a,b']);
    expect(monitorSearchParams(query).getAll('where')).toEqual(['Status:in:Done,Failed', 'JobName:eq:a,b']);
    expect(parseMonitorSearch(new URLSearchParams('where=Bogus:eq:1&site=S'))).toMatchObject({ invalid: ['where'], query: { site: 'S' } });
  });

  it('drops bad values (named) and keeps the rest; an inverted time range drops both ends', () => {
    const { query, invalid } = parseMonitorSearch(
      new URLSearchParams('status=Bogus&page=-2&sort=Secret&jobGroup=prod-1&submittedAfter=2026-02-01&submittedBefore=2026-01-01'),
    );
    expect(invalid.sort()).toEqual(['page', 'sort', 'status', 'submittedAfter', 'submittedBefore']);
    expect(query).toEqual({ ...MONITOR_DEFAULTS, jobGroup: 'prod-1' });
  });

  it('keeps the links other features make (jobGroup, status) working', () => {
    expect(paths.jobs.getHref({ jobGroup: 'prod 7' })).toBe('/jobs?jobGroup=prod+7');
    expect(paths.jobs.getHref()).toBe('/jobs');
    const href = paths.jobs.getHref({ jobGroup: 'p1', status: ['Failed', 'Stalled'] });
    expect(parseMonitorSearch(new URL(href, 'http://x').searchParams).query).toMatchObject({
      jobGroup: 'p1',
      status: ['Failed', 'Stalled'],
    });
  });
});

describe('refresh back-off', () => {
  it('doubles the period while refetches bring the same data, up to the maximum, and resets on a change', () => {
    const next = backoffInterval(5_000, 60_000);
    const query = { state: { data: { a: 1 } as unknown, dataUpdatedAt: 1, status: 'success' } };
    expect(next(query)).toBe(5_000);
    expect(next(query)).toBe(5_000); // asked again without a new fetch: unchanged
    const periods = [2, 3, 4, 5, 6].map((at) => {
      query.state.dataUpdatedAt = at; // same data reference: nothing changed
      return next(query);
    });
    expect(periods).toEqual([10_000, 20_000, 40_000, 60_000, 60_000]);
    query.state = { ...query.state, data: { a: 2 }, dataUpdatedAt: 7 };
    expect(next(query)).toBe(5_000);
  });
});
