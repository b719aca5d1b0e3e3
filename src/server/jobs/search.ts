import { attributeKind, LIST_OPERATORS, parseCondition, type JobFilters, type JobSortField } from '../../contracts/monitor.ts';
import type { Principal } from '../auth/verify.ts';
import type { SearchSpec, SortSpec } from '../diracx/client.ts';
import { problems } from '../errors.ts';
import { visibilityConditions } from './visibility.ts';

/**
 * DiracX reads a date-time value at second resolution ("YYYY-MM-DD HH:MM:SS")
 * and, for gt, compares with the end of that second: `gt` of (t − 1 s) is "≥ t".
 */
function diracSecond(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** `%` and `_` are LIKE wildcards and DiracX offers no ESCAPE: match them as "any character". */
function likeContains(text: string): string {
  return `%${text.replace(/[%_]/g, '_')}%`;
}

/** One search-bar condition (checked by the contract) as DiracX's search spec. */
export function conditionSpec(text: string): SearchSpec {
  const { parameter, operator, values } = parseCondition(text);
  const kind = attributeKind(parameter);
  const value = (v: string) => (kind === 'number' ? Number(v) : kind === 'time' ? v.replace('T', ' ') : v);
  if (LIST_OPERATORS.includes(operator))
    return {
      parameter,
      operator: operator as 'in' | 'not in',
      values: kind === 'number' ? values.map(Number) : values.map((v) => v.replace('T', ' ')),
    };
  const v = values[0]!;
  // "like" without a wildcard means "contains", as the free-text search does.
  if ((operator === 'like' || operator === 'not like') && !/[%_]/.test(v)) return { parameter, operator, value: `%${v}%` };
  return { parameter, operator: operator as 'eq' | 'neq' | 'gt' | 'lt' | 'like' | 'not like', value: value(v) };
}

/**
 * The DiracX search for a monitor view: the user's filters AND the visibility
 * conditions (always; see visibility.ts). `omit` leaves a filter out (the status
 * summary counts every status of the current view).
 */
export function filterConditions(p: Principal, f: JobFilters, omit: (keyof JobFilters)[] = []): SearchSpec[] {
  const use = <K extends keyof JobFilters>(k: K) => (omit.includes(k) ? undefined : f[k]);
  const search: SearchSpec[] = [...visibilityConditions(p)];
  const status = use('status');
  if (status?.length === 1) search.push({ parameter: 'Status', operator: 'eq', value: status[0]! });
  else if (status?.length) search.push({ parameter: 'Status', operator: 'in', values: [...status] });
  const eq = (parameter: string, value: string | undefined) => {
    if (value !== undefined) search.push({ parameter, operator: 'eq', value });
  };
  eq('MinorStatus', use('minorStatus'));
  eq('Site', use('site'));
  eq('JobGroup', use('jobGroup'));
  eq('Owner', use('owner'));
  const after = use('submittedAfter');
  if (after) search.push({ parameter: 'SubmissionTime', operator: 'gt', value: diracSecond(new Date(Date.parse(after) - 1000)) });
  const before = use('submittedBefore');
  if (before) search.push({ parameter: 'SubmissionTime', operator: 'lt', value: diracSecond(new Date(before)) });
  const q = use('q');
  if (q) {
    if (/^\d{1,15}$/.test(q)) search.push({ parameter: 'JobID', operator: 'eq', value: Number(q) });
    else search.push({ parameter: 'JobName', operator: 'like', value: likeContains(q) });
  }
  for (const c of use('where') ?? []) search.push(conditionSpec(c));
  return search;
}

/** Sort on the chosen column, then by job id so paging is stable. */
export function sortSpec(sort: JobSortField, order: 'asc' | 'desc'): SortSpec[] {
  const out: SortSpec[] = [{ parameter: sort, direction: order }];
  if (sort !== 'JobID') out.push({ parameter: 'JobID', direction: 'desc' });
  return out;
}

/** A filter a user may not use gives a clear message rather than a silently empty view. */
export function forbiddenFilter(p: Principal, f: JobFilters): string | null {
  if (f.owner !== undefined && p.role === 'scientist' && f.owner !== p.username)
    return 'You can only see your own jobs: the owner filter is for PIs and administrators';
  if (f.submittedAfter && f.submittedBefore && Date.parse(f.submittedAfter) >= Date.parse(f.submittedBefore))
    return '"Submitted after" must be earlier than "submitted before"';
  return null;
}

/** Refuse a filter the user may not use, with a message the SPA shows. */
export function checkFilters(p: Principal, f: JobFilters) {
  const why = forbiddenFilter(p, f);
  if (why) throw problems.validation(why, [{ path: 'querystring', message: why }]);
}
