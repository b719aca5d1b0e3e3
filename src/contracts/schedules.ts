import { z } from 'zod';
import { DatasetFiltersSchema, RUCIO_SCOPE_PATTERN } from './datasets.ts';
import { LaunchRequestSchema } from './launches.ts';

/**
 * Scheduled submissions: a saved launch (workflow + values + resources + a snapshot of its input
 * files) run by the BFF at regular intervals, with the user's consent for unattended runs.
 * Cron syntax and the minimum interval are checked by the BFF (`POST /bff/v1/schedules/preview`),
 * which answers with the next run times or field-level messages.
 */

const TimeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM, 00:00 to 23:59');

export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

export const RecurrenceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('interval'),
    every: z.number().int('a whole number').min(1, 'at least 1').max(10_000),
    unit: z.enum(['minutes', 'hours']),
  }),
  z.object({ kind: z.literal('daily'), time: TimeOfDaySchema }),
  z.object({
    kind: z.literal('weekly'),
    /** 0 = Sunday … 6 = Saturday. */
    days: z.array(z.number().int().min(0).max(6)).min(1, 'choose at least one day').max(7),
    time: TimeOfDaySchema,
  }),
  z.object({ kind: z.literal('cron'), expression: z.string().trim().min(1, 'enter a cron expression').max(120) }),
]);
export type Recurrence = z.infer<typeof RecurrenceSchema>;

export const MissedPolicySchema = z.enum(['skip', 'run-once']);

export const TimeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'unknown time zone (use an IANA name such as Europe/Zurich or UTC)');

export const ScheduleSpecSchema = z
  .object({
    recurrence: RecurrenceSchema,
    timezone: TimeZoneSchema,
    startAt: z.iso.datetime({ offset: true, message: 'a start date and time is required' }),
    endAt: z.iso.datetime({ offset: true }).nullable().default(null),
    /** After the portal was down: skip the slots it missed, or run once for the latest of them. */
    missedPolicy: MissedPolicySchema.default('skip'),
  })
  .refine((s) => !s.endAt || Date.parse(s.endAt) > Date.parse(s.startAt), { message: 'the end must be after the start', path: ['endAt'] });
export type ScheduleSpec = z.output<typeof ScheduleSpecSchema>;
export type ScheduleSpecInput = z.input<typeof ScheduleSpecSchema>;

/** The launch a schedule runs: a launch request without its idempotency key (each run gets its own). */
export const ScheduledLaunchSchema = LaunchRequestSchema.omit({ idempotencyKey: true });

const ScheduleNameSchema = z
  .string()
  .trim()
  .min(1, 'give the schedule a name')
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'letters, digits, spaces, ".", "_" and "-" only');

/** Hard bound of files one run may take (the portal's `scheduleMaxFilesPerRun` may lower it). */
export const SCHEDULE_FILES_PER_RUN_MAX = 10_000;

const maxFilesPerRun = z
  .number()
  .int('a whole number')
  .min(1, 'at least 1')
  .max(SCHEDULE_FILES_PER_RUN_MAX, `at most ${SCHEDULE_FILES_PER_RUN_MAX}`)
  .optional();

/** A Rucio name, or a name pattern with `*` wildcards (then: the files whose names match). */
export const RUCIO_NAME_OR_PATTERN = /^(?!(?:.*\/)?\.{1,2}(?:\/|$))[A-Za-z0-9._\-/*]{1,250}$/;

/**
 * What a schedule's runs read. `snapshot`: the basket items chosen when it was created, every run.
 * The others are saved queries, resolved at each run; a run takes only the files no earlier successful
 * run of the schedule took (at most `maxFilesPerRun`; the rest go to the next run).
 * - `catalogue`: the portal catalogue with the filters of Find data;
 * - `rucio`: a dataset or container (its files), a file, or a name pattern with `*` (matching files);
 * - `zooniverse`: new classifications of a Zooniverse project (optionally one workflow), e.g. from an
 *   item imported from ESAP.
 */
export const ScheduleSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('snapshot') }),
  z.object({ kind: z.literal('catalogue'), filters: DatasetFiltersSchema, maxFilesPerRun }),
  z.object({
    kind: z.literal('rucio'),
    scope: z.string().trim().regex(RUCIO_SCOPE_PATTERN, 'the scope must be 1 to 25 letters, digits, ".", "_" or "-"'),
    name: z.string().trim().regex(RUCIO_NAME_OR_PATTERN, 'letters, digits, ".", "_", "-", "/" and the wildcard "*" only'),
    maxFilesPerRun,
  }),
  z.object({
    kind: z.literal('zooniverse'),
    projectId: z
      .string()
      .trim()
      .regex(/^\d{1,12}$/, 'a Zooniverse project id (digits)'),
    workflowId: z
      .string()
      .trim()
      .regex(/^\d{1,12}$/, 'a Zooniverse workflow id (digits)')
      .optional(),
    maxFilesPerRun,
  }),
]);
export type ScheduleSource = z.infer<typeof ScheduleSourceSchema>;
export type ScheduleQuerySource = Exclude<ScheduleSource, { kind: 'snapshot' }>;
export const SNAPSHOT: ScheduleSource = { kind: 'snapshot' };

export const ScheduleCreateSchema = z.object({
  name: ScheduleNameSchema,
  launch: ScheduledLaunchSchema,
  spec: ScheduleSpecSchema,
  source: ScheduleSourceSchema.default(SNAPSHOT),
});
export type ScheduleCreate = z.input<typeof ScheduleCreateSchema>;

/** `source`: a query schedule's query may be edited (not turned into a snapshot or back). */
export const ScheduleUpdateSchema = z.object({
  name: ScheduleNameSchema.optional(),
  spec: ScheduleSpecSchema.optional(),
  source: ScheduleSourceSchema.optional(),
});
export type ScheduleUpdate = z.input<typeof ScheduleUpdateSchema>;

export const SchedulePreviewRequestSchema = z.object({ spec: ScheduleSpecSchema });
export const SchedulePreviewSchema = z.object({ nextRuns: z.array(z.string()), description: z.string() });
export type SchedulePreview = z.infer<typeof SchedulePreviewSchema>;

export const ScheduleRunStatusSchema = z.enum(['claimed', 'submitted', 'failed', 'skipped']);
export type ScheduleRunStatus = z.infer<typeof ScheduleRunStatusSchema>;

export const ScheduleRunSchema = z.object({
  id: z.string(),
  slotTime: z.string(),
  manual: z.boolean(),
  status: ScheduleRunStatusSchema,
  launchId: z.string().nullable(),
  jobGroup: z.string().nullable(),
  jobIds: z.array(z.number().int()),
  error: z.string().nullable(),
  /** Query schedules: files this run took, and new files left for later runs (over the per-run limit). */
  filesTaken: z.number().int().nonnegative().nullable(),
  filesLeft: z.number().int().nonnegative().nullable(),
  /** What the run did in words ("Nothing new …", "took 1,000 of 2,500 new files …"). */
  note: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ScheduleRun = z.infer<typeof ScheduleRunSchema>;

export const ScheduleStatusSchema = z.enum(['active', 'paused', 'ended']);
export type ScheduleStatus = z.infer<typeof ScheduleStatusSchema>;

/** none: never authorized; ok: usable; invalid: refused by DiracX or lost, "sign in again to resume". */
export const CredentialStateSchema = z.enum(['none', 'ok', 'invalid']);

export const ScheduleSchema = z.object({
  id: z.string(),
  name: z.string(),
  owner: z.string(),
  mine: z.boolean(),
  workflowId: z.string(),
  launch: ScheduledLaunchSchema,
  spec: ScheduleSpecSchema,
  source: ScheduleSourceSchema,
  /** The query was edited after files were taken: those stay processed and are not taken again. */
  sourceEditedAt: z.string().nullable(),
  description: z.string(),
  status: ScheduleStatusSchema,
  pausedReason: z.string().nullable(),
  credential: CredentialStateSchema,
  consecutiveFailures: z.number().int().nonnegative(),
  nextRunAt: z.string().nullable(),
  lastRun: ScheduleRunSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Schedule = z.infer<typeof ScheduleSchema>;

export const ScheduleDetailSchema = ScheduleSchema.extend({ runs: z.array(ScheduleRunSchema) });
export type ScheduleDetail = z.infer<typeof ScheduleDetailSchema>;

/** One file a saved-query schedule processed (`GET /bff/v1/schedules/:id/files?runId=…`). */
export const RunFileSchema = z.object({
  ref: z.string(),
  name: z.string(),
  kind: z.enum(['lfn', 'rucio', 'esap']),
  sizeBytes: z.number().nullable(),
});
export type RunFile = z.infer<typeof RunFileSchema>;
export const RUN_FILES_MAX = 1_000;
export const RunFileListSchema = z.object({ items: z.array(RunFileSchema), total: z.number().int().nonnegative() });
export type RunFileList = z.infer<typeof RunFileListSchema>;

export const AuthorizeStartSchema = z.object({ authorizeUrl: z.string() });

export const NotificationSchema = z.object({
  id: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  message: z.string(),
  scheduleId: z.string().nullable(),
  createdAt: z.string(),
  read: z.boolean(),
});
export type PortalNotification = z.infer<typeof NotificationSchema>;
export const NotificationListSchema = z.object({ unread: z.number().int().nonnegative(), items: z.array(NotificationSchema) });
export type NotificationList = z.infer<typeof NotificationListSchema>;

/** Reason shown when a schedule's stored credential no longer works. */
export const SIGN_IN_AGAIN = 'Sign in again to resume: DiracX no longer accepts the authorization for unattended runs.';
