import type { DiracxClient, JobStatusName } from '../diracx/client.ts';

/**
 * Put test jobs in the statuses a scenario needs (admin token, force=true).
 * DiracX keeps the status with the latest timestamp: wait until whatever runs jobs (the local site, or
 * the demo executor with its updates dated up to ~6 s ahead) is done with them, then set the statuses.
 */
/** Statuses the local site or the demo executor still moves a job out of. */
const EXECUTOR_STATES = ['Submitting', 'Received', 'Checking', 'Waiting', 'Matched'];
/** Running or Completing as the local site's job wrapper reports it (not as a test forced it): not finished yet. */
const WRAPPER_STATES = ['Running', 'Completing'];

function inExecutorHands(row: Record<string, unknown>): boolean {
  const status = String(row.Status);
  if (EXECUTOR_STATES.includes(status)) return true;
  if (!WRAPPER_STATES.includes(status)) return false;
  const history = Array.isArray(row.LoggingInfo) ? (row.LoggingInfo as { Source?: string; StatusTime?: string }[]) : [];
  const last = [...history].sort((a, b) => String(a.StatusTime).localeCompare(String(b.StatusTime))).at(-1);
  return last?.Source === 'JobWrapper';
}

/** A status, or a status as some other source would report it (minor status, source). */
export type ForcedStatus = JobStatusName | { Status: JobStatusName; MinorStatus?: string; Source?: string };

export async function forceStatuses(diracx: DiracxClient, adminToken: string, statuses: Record<number, ForcedStatus>) {
  const ids = Object.keys(statuses).map(Number);
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const { rows } = await diracx.searchJobs(
      adminToken,
      { parameters: ['JobID', 'Status', 'LoggingInfo'], search: [{ parameter: 'JobID', operator: 'in', values: ids }] },
      { page: 1, perPage: ids.length },
    );
    if (rows.length === ids.length && !rows.some(inExecutorHands)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await new Promise((r) => setTimeout(r, 7_000));
  const updates = Object.fromEntries(
    Object.entries(statuses).map(([id, s]) => [
      id,
      { MinorStatus: 'set by a test', Source: 'test', ...(typeof s === 'string' ? { Status: s } : s) },
    ]),
  );
  const result = await diracx.setStatus(adminToken, updates, { force: true });
  if (Object.keys(result.failed ?? {}).length) throw new Error(`could not set test statuses: ${JSON.stringify(result.failed)}`);
  return result;
}
