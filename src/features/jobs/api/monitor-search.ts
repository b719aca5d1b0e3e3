import { JobSearchQuerySchema, type JobFilters, type JobSearchQuery } from '../../../contracts/monitor.ts';

/**
 * The monitor's state in the URL (`/jobs?status=Running,Failed&site=…&sort=…&page=2`),
 * read with the same zod schema the BFF validates with. A bad value is dropped
 * (named in `invalid`, which the page shows) and the rest of the view is kept.
 */
export const MONITOR_DEFAULTS = JobSearchQuerySchema.parse({});

const SHAPE = JobSearchQuerySchema.shape;
type Key = keyof typeof SHAPE;

export function parseMonitorSearch(params: URLSearchParams): { query: JobSearchQuery; invalid: string[] } {
  const query: Record<string, unknown> = { ...MONITOR_DEFAULTS };
  const invalid: string[] = [];
  for (const key of Object.keys(SHAPE) as Key[]) {
    const all = params.getAll(key);
    if (all.length === 0) continue;
    const parsed = SHAPE[key].safeParse(all.length > 1 ? all : all[0]);
    if (parsed.success) query[key] = parsed.data;
    else invalid.push(key);
  }
  const q = query as JobSearchQuery;
  if (q.submittedAfter && q.submittedBefore && Date.parse(q.submittedAfter) >= Date.parse(q.submittedBefore)) {
    delete q.submittedAfter;
    delete q.submittedBefore;
    invalid.push('submittedAfter', 'submittedBefore');
  }
  return { query: q, invalid };
}

/** The URL (and BFF querystring) of a view; defaults are left out so links stay short. */
export function monitorSearchParams(query: Partial<JobSearchQuery>): URLSearchParams {
  const out = new URLSearchParams();
  for (const key of Object.keys(SHAPE) as Key[]) {
    const v = query[key];
    if (v === undefined || v === null || v === '') continue;
    if (key === 'where' && Array.isArray(v)) {
      // conditions may hold commas: one parameter each
      for (const c of v) out.append(key, String(c));
      continue;
    }
    if (Array.isArray(v)) {
      if (v.length) out.set(key, v.join(','));
      continue;
    }
    if ((MONITOR_DEFAULTS as Record<string, unknown>)[key] === v) continue;
    out.set(key, String(v));
  }
  return out;
}

/** The filters of a view (no sort or page): what the summary and the export use. */
export function filtersOf(query: JobSearchQuery): JobFilters {
  const { page: _p, perPage: _pp, sort: _s, order: _o, ...filters } = query;
  return filters;
}

export function hasFilters(query: JobSearchQuery): boolean {
  return Object.values(filtersOf(query)).some((v) => v !== undefined);
}

const NAMES: Record<string, string> = {
  status: 'status',
  minorStatus: 'minor status',
  site: 'site',
  jobGroup: 'JobGroup',
  owner: 'owner',
  submittedAfter: 'submitted after',
  submittedBefore: 'submitted before',
  q: 'search text',
  where: 'search conditions',
  columns: 'columns',
  pin: 'pinned columns',
  chartBy: 'chart grouping',
  page: 'page',
  perPage: 'rows per page',
  sort: 'sort column',
  order: 'sort order',
};
export const filterLabel = (key: string) => NAMES[key] ?? key;
