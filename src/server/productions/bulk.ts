import type { BulkAction, BulkResult } from '../../contracts/productions.ts';
import type { Principal } from '../auth/verify.ts';
import type { DiracxClient, SearchSpec } from '../diracx/client.ts';
import { failureReason, rescheduleJobs, statusUpdateFor } from '../jobs/actions.ts';
import { visibilityConditions } from '../jobs/visibility.ts';
import { upstream, upstreamProblem } from '../upstream.ts';
import { HttpProblem } from '../errors.ts';
import { REMAINING_STATUSES } from './progress.ts';

/** Jobs per DiracX call for bulk actions (DiracX checks access and writes each job in one transaction). */
export const BULK_CHUNK = 100;
const SEARCH_PAGE = 10_000;

/** Every visible job id of a JobGroup in the given statuses (paged through DiracX search). */
export async function jobIdsOf(dx: DiracxClient, p: Principal, jobGroup: string, statuses: string[]): Promise<number[]> {
  const search: SearchSpec[] = [
    ...visibilityConditions(p),
    { parameter: 'JobGroup', operator: 'eq', value: jobGroup },
    { parameter: 'Status', operator: 'in', values: statuses },
  ];
  const ids: number[] = [];
  for (let page = 1; ; page++) {
    const { rows, total } = await upstream(() =>
      dx.searchJobs(
        p.token,
        { parameters: ['JobID'], search, sort: [{ parameter: 'JobID', direction: 'asc' }] },
        { page, perPage: SEARCH_PAGE },
      ),
    );
    ids.push(...rows.map((r) => Number(r.JobID)));
    if (rows.length < SEARCH_PAGE || ids.length >= total) return ids;
  }
}

/**
 * "Reschedule all failed" / "kill all remaining" for one production: the ids come from a search
 * limited to what the user may see, the action goes to DiracX in chunks, and every job ends up in
 * `succeeded` or in `failed` with DiracX's reason (a chunk DiracX could not take fails as a whole).
 */
export async function runBulk(dx: DiracxClient, p: Principal, jobGroup: string, action: BulkAction): Promise<BulkResult> {
  const ids = await jobIdsOf(dx, p, jobGroup, action === 'reschedule-failed' ? ['Failed'] : REMAINING_STATUSES);
  const result: BulkResult = { action, requested: ids.length, succeeded: [], failed: [] };
  for (let i = 0; i < ids.length; i += BULK_CHUNK) {
    const chunk = ids.slice(i, i + BULK_CHUNK);
    try {
      const answer =
        action === 'reschedule-failed'
          ? await rescheduleJobs(dx, p, chunk, () => 'Failed')
          : await dx.setStatus(p.token, Object.fromEntries(chunk.map((id) => [id, statusUpdateFor('kill', p)])));
      for (const id of Object.keys(answer.success)) result.succeeded.push(Number(id));
      for (const [id, why] of Object.entries(answer.failed)) result.failed.push({ jobId: Number(id), detail: failureReason(why) });
      // Ids DiracX did not mention at all are failures too (never reported as done).
      const seen = new Set([...Object.keys(answer.success), ...Object.keys(answer.failed)].map(Number));
      for (const id of chunk) if (!seen.has(id)) result.failed.push({ jobId: id, detail: 'DiracX did not report this job' });
    } catch (err) {
      const problem = upstreamProblem(err);
      const message = problem instanceof HttpProblem ? problem.message : (err as Error).message;
      for (const id of chunk) result.failed.push({ jobId: id, detail: message });
    }
  }
  result.succeeded.sort((a, b) => a - b);
  result.failed.sort((a, b) => a.jobId - b.jobId);
  return result;
}
