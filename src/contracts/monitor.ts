import { z } from 'zod';
import { JobStatusSchema, JobSummarySchema } from './jobs.ts';
import { noControlChars } from './text.ts';

/**
 * The job monitor's filter, sort and page state: the querystring of
 * GET /bff/v1/jobs (and of its summary and export) and the SPA's `/jobs?…` URL.
 * One schema for both, so a link reproduces the view.
 */

/** Attributes of DiracX's Jobs table the monitor shows, sorts and searches on. */
export const JOB_ATTRIBUTES = [
  'JobID',
  'JobName',
  'JobType',
  'JobGroup',
  'Status',
  'MinorStatus',
  'ApplicationStatus',
  'Site',
  'Owner',
  'OwnerGroup',
  'VO',
  'SubmissionTime',
  'LastUpdateTime',
  'StartExecTime',
  'EndExecTime',
  'HeartBeatTime',
  'RescheduleTime',
  'UserPriority',
  'RescheduleCounter',
] as const;
export const JobAttributeSchema = z.enum(JOB_ATTRIBUTES);
export type JobAttribute = z.infer<typeof JobAttributeSchema>;
/** Columns the monitor may sort on: every attribute it shows. */
export const JOB_SORT_FIELDS = JOB_ATTRIBUTES;
export const JobSortFieldSchema = z.enum(JOB_SORT_FIELDS);
export type JobSortField = z.infer<typeof JobSortFieldSchema>;
export const SortOrderSchema = z.enum(['asc', 'desc']);

const FilterTextSchema = z.string().trim().min(1).max(128).check(noControlChars());

/** "Running,Done" or ?status=Running&status=Done. */
export const StatusListSchema = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : v,
  z.array(JobStatusSchema).min(1).max(15),
);

/** A UTC instant: ISO date-time with Z or an offset, or a bare date (midnight UTC). */
export const InstantSchema = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** The operators of DiracX's job search (its `regex` is left out: not every database has one). */
export const SEARCH_OPERATORS = ['eq', 'neq', 'lt', 'gt', 'like', 'not like', 'in', 'not in'] as const;
export const SearchOperatorSchema = z.enum(SEARCH_OPERATORS);
export type SearchOperator = z.infer<typeof SearchOperatorSchema>;
export const LIST_OPERATORS: readonly SearchOperator[] = ['in', 'not in'];
const NUMERIC_ATTRIBUTES: readonly JobAttribute[] = ['JobID', 'UserPriority', 'RescheduleCounter'];
const TIME_ATTRIBUTES: readonly JobAttribute[] = JOB_ATTRIBUTES.filter((a) => a.endsWith('Time'));
export type AttributeKind = 'number' | 'time' | 'text';
export const attributeKind = (a: JobAttribute): AttributeKind =>
  NUMERIC_ATTRIBUTES.includes(a) ? 'number' : TIME_ATTRIBUTES.includes(a) ? 'time' : 'text';
/** Which operators make sense for an attribute: no patterns on numbers and times, no lists of times. */
export function operatorsFor(a: JobAttribute): readonly SearchOperator[] {
  const kind = attributeKind(a);
  if (kind === 'time') return ['eq', 'neq', 'lt', 'gt'];
  if (kind === 'number') return ['eq', 'neq', 'lt', 'gt', 'in', 'not in'];
  return SEARCH_OPERATORS;
}
export const MAX_CONDITION_VALUES = 100;
export const MAX_CONDITIONS = 20;
/** A UTC date, or date and time, as DiracX reads them ("2026-12-05", "2026-12-05 08:30[:00]"). */
const DIRAC_TIME = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$/;

export const SearchConditionSchema = z
  .object({
    parameter: JobAttributeSchema,
    operator: SearchOperatorSchema,
    values: z.array(FilterTextSchema).min(1).max(MAX_CONDITION_VALUES),
  })
  .superRefine((c, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: 'custom', path: ['values'], message });
    if (!operatorsFor(c.parameter).includes(c.operator)) {
      ctx.addIssue({ code: 'custom', path: ['operator'], message: `"${c.operator}" cannot be used on ${c.parameter}` });
      return;
    }
    if (!LIST_OPERATORS.includes(c.operator) && c.values.length > 1) fail(`"${c.operator}" takes one value`);
    const kind = attributeKind(c.parameter);
    if (kind === 'number' && !c.values.every((v) => /^-?\d{1,15}$/.test(v))) fail(`${c.parameter} is a whole number`);
    if (
      kind === 'time' &&
      !c.values.every((v) => DIRAC_TIME.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T') + (v.length > 10 ? 'Z' : ''))))
    )
      fail('a date (2026-12-05) or a UTC date and time (2026-12-05 08:30)');
  });
export type SearchCondition = z.infer<typeof SearchConditionSchema>;

/**
 * A condition in the URL and the querystring: `Site:eq:LCG.CERN.cern`, `Status:not in:Done,Failed`
 * (list values are comma-separated, so a value of `in` cannot hold a comma).
 */
export function formatCondition(c: SearchCondition): string {
  return `${c.parameter}:${c.operator}:${c.values.join(',')}`;
}
export function splitCondition(text: string): { parameter: string; operator: string; values: string[] } | null {
  const m = /^([A-Za-z]+):([a-z ]+):(.*)$/s.exec(text);
  if (!m) return null;
  const operator = m[2]!;
  const raw = m[3]!;
  const values = (LIST_OPERATORS as readonly string[]).includes(operator) ? raw.split(',').map((v) => v.trim()) : [raw.trim()];
  return { parameter: m[1]!, operator, values };
}
/** A condition's text, checked (the server reads it with `parseCondition`). */
export const ConditionTextSchema = z
  .string()
  .max(4096)
  .superRefine((text, ctx) => {
    const parts = splitCondition(text);
    if (!parts) {
      ctx.addIssue({ code: 'custom', message: 'a condition is attribute:operator:value' });
      return;
    }
    const parsed = SearchConditionSchema.safeParse(parts);
    if (!parsed.success) ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]!.message });
  });
/** The condition a checked text holds. */
export const parseCondition = (text: string): SearchCondition => SearchConditionSchema.parse(splitCondition(text));

export const JobFiltersSchema = z.object({
  status: StatusListSchema.optional(),
  minorStatus: FilterTextSchema.optional(),
  site: FilterTextSchema.optional(),
  jobGroup: FilterTextSchema.optional(),
  /** Only for PIs and admins (a scientist sees their own jobs only). */
  owner: FilterTextSchema.optional(),
  submittedAfter: InstantSchema.optional(),
  submittedBefore: InstantSchema.optional(),
  /** Free text: a job id, or part of the job name. */
  q: FilterTextSchema.optional(),
  /** The search bar: any attribute, any operator, all conditions ANDed (`?where=…&where=…`). */
  where: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(ConditionTextSchema).min(1).max(MAX_CONDITIONS)).optional(),
});
export type JobFilters = z.infer<typeof JobFiltersSchema>;
export const JOB_FILTER_KEYS = Object.keys(JobFiltersSchema.shape) as (keyof JobFilters)[];

/** The monitor's largest page (diracx-web offers 1,000; DiracX itself allows 10,000). */
export const MONITOR_MAX_PER_PAGE = 1000;

export const JobSearchQuerySchema = JobFiltersSchema.extend({
  page: z.coerce.number().int().positive().max(100_000).default(1),
  perPage: z.coerce.number().int().min(1).max(MONITOR_MAX_PER_PAGE).default(25),
  sort: JobSortFieldSchema.default('JobID'),
  order: SortOrderSchema.default('desc'),
});
export type JobSearchQuery = z.infer<typeof JobSearchQuerySchema>;

/** Counts per status for the current filter (the status filter itself left out, so it works as a quick filter). */
export const JobStatusSummarySchema = z.object({
  counts: z.array(z.object({ status: z.string(), count: z.number().int().nonnegative() })),
  total: z.number().int().nonnegative(),
});
export type JobStatusSummary = z.infer<typeof JobStatusSummarySchema>;

export const JOB_ACTIONS = ['kill', 'delete', 'reschedule'] as const;
export const JobActionSchema = z.enum(JOB_ACTIONS);
export type JobAction = z.infer<typeof JobActionSchema>;
export const MAX_ACTION_JOBS = 1000;

export const JobActionRequestSchema = z.object({
  action: JobActionSchema,
  jobIds: z.array(z.number().int().positive()).min(1).max(MAX_ACTION_JOBS),
});
export type JobActionRequest = z.infer<typeof JobActionRequestSchema>;

export const JobActionResultSchema = z.object({
  action: JobActionSchema,
  succeeded: z.array(z.number().int()),
  failed: z.array(z.object({ jobId: z.number().int(), reason: z.string() })),
});
export type JobActionResult = z.infer<typeof JobActionResultSchema>;

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export const MAX_EXPORT_ROWS = 10_000;
export const JobExportQuerySchema = JobFiltersSchema.extend({
  format: z.enum(EXPORT_FORMATS).default('csv'),
  sort: JobSortFieldSchema.default('JobID'),
  order: SortOrderSchema.default('desc'),
  /** Export only these jobs (the selection), still limited to what the user may see. */
  ids: z
    .preprocess(
      (v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v),
      z.array(z.coerce.number().int().positive()).max(MAX_EXPORT_ROWS),
    )
    .optional(),
});
export type JobExportQuery = z.infer<typeof JobExportQuerySchema>;
export const JobExportJsonSchema = z.object({ items: z.array(JobSummarySchema), total: z.number().int(), truncated: z.boolean() });

export const SandboxKindSchema = z.enum(['input', 'output']);
export const JobSandboxSchema = z.object({
  kind: SandboxKindSchema,
  pfn: z.string(),
  /** Where the portal learnt about it: DiracX's job record, or the JDL the portal kept (input sandboxes). */
  source: z.enum(['diracx', 'jdl']),
});
export const JobSandboxesSchema = z.object({ sandboxes: z.array(JobSandboxSchema) });
export type JobSandboxes = z.infer<typeof JobSandboxesSchema>;

export const SANDBOX_INLINE_LIMIT = 64 * 1024;
export const SandboxMemberSchema = z.object({
  name: z.string(),
  size: z.number().int().nonnegative(),
  /** The text of small text members (std.out, std.err, logs) up to SANDBOX_INLINE_LIMIT bytes. */
  text: z.string().nullable(),
  truncated: z.boolean(),
});
export const SandboxContentsSchema = z.object({ pfn: z.string(), members: z.array(SandboxMemberSchema), note: z.string().nullable() });
export type SandboxContents = z.infer<typeof SandboxContentsSchema>;
export const SandboxQuerySchema = z.object({ pfn: z.string().min(1).max(1024) });

/** Jobs submitted per day, by an attribute, for the current filters: the monitor's small chart. */
/** Attributes the chart may group by (the BFF folds all but the largest CHART_MAX_GROUPS of a day into "Other"). */
export const CHART_GROUPS = ['Status', 'MinorStatus', 'ApplicationStatus', 'Site', 'Owner', 'OwnerGroup', 'JobGroup', 'JobType'] as const;
export const ChartGroupSchema = z.enum(CHART_GROUPS);
export type ChartGroup = z.infer<typeof ChartGroupSchema>;
export const CHART_MAX_GROUPS = 12;
export const CHART_OTHER = 'Other';
export const JobTimelineQuerySchema = JobFiltersSchema.extend({
  days: z.coerce.number().int().min(1).max(90).default(14),
  /** Status leaves the view's status filter out (as the summary does); any other grouping keeps it. */
  groupBy: ChartGroupSchema.default('Status'),
});
export const JobTimelineSchema = z.object({
  days: z.array(z.object({ day: z.iso.date(), counts: z.record(z.string(), z.number().int().nonnegative()) })),
});
export type JobTimeline = z.infer<typeof JobTimelineSchema>;
