import { z } from 'zod';
import { JobSummarySchema } from '../../../contracts/jobs.ts';

/**
 * The monitor's columns: which are shown lives in the URL (`?columns=jobId,status,…`, so a link
 * reproduces the view) and, as the user's default for links without it, in localStorage.
 * Both are read with `ColumnListSchema`: a stored or linked value is never trusted as is.
 */
/** Every attribute of a job summary can be a column (the grid's column list sets their order on screen). */
const ColumnSchema = JobSummarySchema.keyof();
export const MONITOR_COLUMNS = ColumnSchema.options;
export type MonitorColumn = (typeof MONITOR_COLUMNS)[number];

export const DEFAULT_COLUMNS: readonly MonitorColumn[] = [
  'jobId',
  'jobName',
  'status',
  'minorStatus',
  'site',
  'jobGroup',
  'owner',
  'submissionTime',
  'startExecTime',
];

export const ColumnListSchema = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v),
  z
    .array(ColumnSchema)
    .min(1)
    .max(MONITOR_COLUMNS.length)
    .transform((cols) => MONITOR_COLUMNS.filter((c) => cols.includes(c))),
);

const storageKey = (instanceId: string, username: string) => `escape-portal:monitor-columns:${instanceId}:${username}`;

function stored(instanceId: string, username: string): MonitorColumn[] | null {
  try {
    const raw = localStorage.getItem(storageKey(instanceId, username));
    if (raw === null) return null;
    const parsed = ColumnListSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // not JSON, or storage unavailable: the built-in default
  }
}

/** The columns to show: the URL's, else the user's saved default, else the built-in one. */
export function readColumns(
  params: URLSearchParams,
  user: { instanceId: string; username: string },
): { columns: readonly MonitorColumn[]; invalid: boolean } {
  const raw = params.get('columns');
  if (raw !== null) {
    const parsed = ColumnListSchema.safeParse(raw);
    if (parsed.success) return { columns: parsed.data, invalid: false };
  }
  return { columns: stored(user.instanceId, user.username) ?? DEFAULT_COLUMNS, invalid: raw !== null };
}

/**
 * The pinned columns (`?pin=jobId,jobName`, kept at the left edge while the table scrolls sideways):
 * in the URL only, so saved views keep them. Only shown columns can be pinned.
 */
export function readPinned(params: URLSearchParams, shown: readonly MonitorColumn[]): { pinned: MonitorColumn[]; invalid: boolean } {
  const raw = params.get('pin');
  if (raw === null) return { pinned: [], invalid: false };
  const parsed = ColumnListSchema.safeParse(raw);
  return parsed.success ? { pinned: parsed.data.filter((c) => shown.includes(c)), invalid: false } : { pinned: [], invalid: true };
}

/** Remember the user's choice as their default (best effort: private modes may refuse storage). */
export function saveColumns(columns: readonly MonitorColumn[], user: { instanceId: string; username: string }) {
  try {
    localStorage.setItem(storageKey(user.instanceId, user.username), JSON.stringify(columns));
  } catch {
    // the URL still holds the choice
  }
}

export const sameColumns = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((c, i) => c === b[i]);
