import { FINAL_STATUSES, type JobStatus } from '../../contracts/jobs.ts';

export type StatusTone = 'default' | 'info' | 'primary' | 'success' | 'warning' | 'error';

/** Colour family for each DIRAC job status (always shown with its text too). */
export const STATUS_TONE: Record<JobStatus, StatusTone> = {
  Submitting: 'default',
  Received: 'info',
  Checking: 'info',
  Staging: 'info',
  Waiting: 'info',
  Matched: 'primary',
  Running: 'primary',
  Completing: 'primary',
  Stalled: 'warning',
  Rescheduled: 'warning',
  Done: 'success',
  Completed: 'success',
  Failed: 'error',
  Killed: 'error',
  Deleted: 'default',
};

export function isFinalStatus(status: string): boolean {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

export function statusTone(status: string): StatusTone {
  return (STATUS_TONE as Record<string, StatusTone>)[status] ?? 'default';
}
