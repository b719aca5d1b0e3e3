import type { JobSummary, StatusHistoryEntry } from '../../contracts/jobs.ts';
import type { JobRow } from '../diracx/client.ts';

/** Job attributes (columns of DiracX's Jobs table) the portal reads. */
export const JOB_COLUMNS = [
  'JobID',
  'JobType',
  'JobGroup',
  'Site',
  'JobName',
  'Owner',
  'OwnerGroup',
  'VO',
  'SubmissionTime',
  'RescheduleTime',
  'LastUpdateTime',
  'StartExecTime',
  'HeartBeatTime',
  'EndExecTime',
  'Status',
  'MinorStatus',
  'ApplicationStatus',
  'UserPriority',
  'RescheduleCounter',
  'VerifiedFlag',
  'AccountedFlag',
] as const;

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const int = (v: unknown): number | null => (v === null || v === undefined || !Number.isInteger(Number(v)) ? null : Number(v));

export function toJobSummary(row: JobRow): JobSummary {
  return {
    jobId: Number(row.JobID),
    jobName: str(row.JobName),
    status: String(row.Status ?? 'Unknown'),
    minorStatus: str(row.MinorStatus),
    applicationStatus: str(row.ApplicationStatus),
    site: str(row.Site),
    jobGroup: str(row.JobGroup),
    owner: str(row.Owner),
    ownerGroup: str(row.OwnerGroup),
    vo: str(row.VO),
    submissionTime: str(row.SubmissionTime),
    lastUpdateTime: str(row.LastUpdateTime),
    startExecTime: str(row.StartExecTime),
    endExecTime: str(row.EndExecTime),
    jobType: str(row.JobType),
    heartBeatTime: str(row.HeartBeatTime),
    rescheduleTime: str(row.RescheduleTime),
    userPriority: int(row.UserPriority),
    rescheduleCounter: int(row.RescheduleCounter),
  };
}

export function toAttributes(row: JobRow): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const col of JOB_COLUMNS) {
    const v = row[col];
    out[col] =
      v === undefined
        ? null
        : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null
          ? v
          : JSON.stringify(v);
  }
  return out;
}

export function toHistory(row: JobRow): StatusHistoryEntry[] {
  const raw = Array.isArray(row.LoggingInfo) ? (row.LoggingInfo as Record<string, unknown>[]) : [];
  return raw
    .map((r) => ({
      status: String(r.Status ?? ''),
      minorStatus: str(r.MinorStatus),
      applicationStatus: str(r.ApplicationStatus),
      source: str(r.Source),
      time: String(r.StatusTime ?? ''),
    }))
    .sort((a, b) => a.time.localeCompare(b.time));
}
