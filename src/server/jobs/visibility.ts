import type { Principal } from '../auth/verify.ts';
import type { SearchSpec } from '../diracx/client.ts';

/**
 * Search conditions that limit a search to what the user may see. DiracX's
 * default (GlobalJobsInfo = true) lets any user search everyone's jobs and
 * applies no VO filter, so the BFF adds these to every search it sends:
 * a scientist sees their own jobs, a PI the jobs of the groups they lead (same
 * VO), an admin (JobAdministrator) everything.
 */
export function visibilityConditions(p: Principal): SearchSpec[] {
  if (p.role === 'admin') return [];
  const vo: SearchSpec = { parameter: 'VO', operator: 'eq', value: p.vo };
  if (p.role === 'pi') return [vo, { parameter: 'OwnerGroup', operator: 'in', values: [...p.managedGroups] }];
  return [vo, { parameter: 'Owner', operator: 'eq', value: p.username }];
}
