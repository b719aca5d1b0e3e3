/**
 * Job actions as DiracX 0.7 understands them, shared by the job monitor (one job or a selection) and by
 * productions (bulk actions on a JobGroup). Kill and delete are status updates; reschedule has its own
 * endpoint but needs help (see rescheduleJobs).
 */
import type { Principal } from '../auth/verify.ts';
import type { DiracxClient, JobStatusUpdate } from '../diracx/client.ts';

export type JobActionOutcome = { success: Record<string, unknown>; failed: Record<string, unknown> };

/** The Source recorded in DiracX's status history for what a user did through the portal. */
export const actionSource = (p: Principal) => `ESCAPE portal: ${p.username}`;

/** Kill = Killed / "Marked for termination", delete = Deleted / "Marked for deletion" (what diracx-web sends too). */
export function statusUpdateFor(action: 'kill' | 'delete', p: Principal): JobStatusUpdate {
  return action === 'kill'
    ? { Status: 'Killed', MinorStatus: 'Marked for termination', Source: actionSource(p) }
    : { Status: 'Deleted', MinorStatus: 'Marked for deletion', Source: actionSource(p) };
}

/** DiracX's reason for one failed job, whatever shape it came in. */
export function failureReason(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && 'detail' in v) return String((v as { detail: unknown }).detail);
  return JSON.stringify(v);
}

/** Statuses from which DiracX's state machine lets a job go straight to Received (what its reschedule sets). */
const RESCHEDULABLE_AS_IS = new Set(['Received', 'Running', 'Rescheduled']);

/**
 * DiracX 0.7's reschedule sets Received without force, and its state machine refuses e.g. Failed -> Received:
 * the job stays Failed ("Job Rescheduled") while DiracX reports success. As DIRAC does, such jobs first go to
 * Rescheduled (an allowed transition), then through DiracX's reschedule (Rescheduled -> Received); a job
 * DiracX leaves in another status than Received is reported as failed, with the status it kept.
 * `statusOf` gives the job's current status when known (unknown = marked first, which is harmless).
 * DiracX errors are thrown as they are (callers turn them into problems or per-job failures).
 */
export async function rescheduleJobs(
  dx: DiracxClient,
  p: Principal,
  ids: number[],
  statusOf: (id: number) => string | undefined = () => undefined,
): Promise<JobActionOutcome> {
  const failed: Record<string, unknown> = {};
  const toMark = ids.filter((id) => !RESCHEDULABLE_AS_IS.has(statusOf(id) ?? ''));
  if (toMark.length > 0) {
    const marked = await dx.setStatus(
      p.token,
      Object.fromEntries(
        toMark.map((id) => [id, { Status: 'Rescheduled' as const, MinorStatus: 'Reschedule requested', Source: actionSource(p) }]),
      ),
    );
    Object.assign(failed, marked.failed);
  }
  const next = ids.filter((id) => !(String(id) in failed));
  if (next.length === 0) return { success: {}, failed };
  const answer = await dx.reschedule(p.token, next);
  Object.assign(failed, answer.failed);
  const success: Record<string, unknown> = {};
  for (const [id, v] of Object.entries(answer.success ?? {})) {
    const status = v && typeof v === 'object' && 'Status' in v ? String((v as { Status: unknown }).Status) : 'Received';
    if (status === 'Received') success[id] = v;
    else failed[id] = `DiracX kept the job ${status}: a ${statusOf(Number(id)) ?? status} job cannot be rescheduled`;
  }
  return { success, failed };
}
