import { z } from 'zod';
import { IdempotencyKeySchema } from './common.ts';
import { DATA_LEVELS, DataLevelSchema } from './datasets.ts';
import { QueueRequirementSchema, upgradeStoredRequirement } from './resources.ts';

/**
 * A launch: one workflow, its parameter values (some of them swept), the
 * basket items it reads, and the resources it needs. The BFF expands it into
 * jobs (one per combination of swept values × one per input file, or one job
 * for all files), renders one JDL per job, uploads input sandboxes and submits
 * in batches, all tagged with one JobGroup: the production.
 */

export const ParameterValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]);
export type ParameterValue = z.infer<typeof ParameterValueSchema>;

/** A sweep over one numeric or text parameter: an explicit list, or start/step/end (inclusive). */
export const SweepSchema = z.union([
  z.object({
    kind: z.literal('list'),
    values: z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .max(1000),
  }),
  z
    .object({ kind: z.literal('range'), start: z.number(), step: z.number().positive(), end: z.number() })
    .refine((r) => r.end >= r.start, 'end must not be before start'),
]);
export type Sweep = z.infer<typeof SweepSchema>;

export const InputModeSchema = z.enum(['per-file', 'all-in-one', 'none']);
export type InputMode = z.infer<typeof InputModeSchema>;

/**
 * A launch on every item of the user's basket (of these data levels, when given), instead of `inputItemIds`: the
 * BFF reads the items itself, so a 10,000-item basket is launched without the browser holding every item.
 */
export const InputBasketSchema = z.object({ levels: z.array(DataLevelSchema).min(1).max(DATA_LEVELS.length).optional() });
export type InputBasket = z.infer<typeof InputBasketSchema>;

/** The files a launch reads, as the launch page holds them: chosen basket items, or the whole basket (of some levels). */
export type LaunchInputs = { itemIds: readonly string[] } | { basket: InputBasket };
/** The fit request's fields for `inputs` (none when no items are chosen). */
export const inputFields = (inputs: LaunchInputs): { inputItemIds?: string[]; inputBasket?: InputBasket } =>
  'basket' in inputs ? { inputBasket: inputs.basket } : inputs.itemIds.length > 0 ? { inputItemIds: [...inputs.itemIds] } : {};
/** `inputs` in a query key: the same choice in another order is the same answer. */
export const inputsKey = (inputs: LaunchInputs) =>
  'basket' in inputs ? { basket: inputs.basket } : { itemIds: [...inputs.itemIds].sort() };

/** Most File inputs after the first one launch binds to chosen files. */
export const MAX_FILE_BINDINGS = 32;

export const LaunchRequestSchema = z.object({
  idempotencyKey: IdempotencyKeySchema,
  /** Human name of the production (becomes part of the JobGroup). */
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'letters, digits, spaces, ".", "_" and "-" only'),
  workflowId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  /** The catalogue version to launch; the newest published one when omitted. */
  workflowVersion: z.int().min(1).max(1_000_000).optional(),
  /** The exact descriptor (a relaunch, a schedule): its sha-256, found even when its version was disabled or removed since. */
  descriptorSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  values: z.record(z.string(), ParameterValueSchema),
  sweeps: z.record(z.string(), SweepSchema).default({}),
  /** Basket item ids bound to the workflow's input-file parameter. */
  inputItemIds: z.array(z.string().min(1)).max(10_000).default([]),
  /** Every basket item (of some levels) instead of `inputItemIds`; at most as many as a launch's jobs (10,000). */
  inputBasket: InputBasketSchema.optional(),
  inputMode: InputModeSchema.default('none'),
  /**
   * One chosen basket item for each File input after the first (the first is bound to the basket items by
   * `inputMode`): input id → basket item id. The file is the same in every job.
   */
  fileBindings: z
    .record(z.string().regex(/^[A-Za-z0-9_]{1,100}$/, 'an input id (letters, digits and "_")'), z.string().min(1).max(200))
    .refine((b) => Object.keys(b).length <= MAX_FILE_BINDINGS, `at most ${MAX_FILE_BINDINGS} bound File inputs`)
    .default({}),
  resources: QueueRequirementSchema.default({}),
  /**
   * "Stage first" near this DIRAC site (issue #16): inputs with no disk replica at its storage are brought to its
   * disk SE by a Rucio rule first; each job is submitted when its inputs are there (pins the jobs to the site).
   */
  stageAt: z.string().min(1).max(128).optional(),
});
export type LaunchRequest = z.input<typeof LaunchRequestSchema>;

/** A launch request as stored (a launch's `request`, a schedule's launch), with today's names (see upgradeStoredRequirement). */
export function upgradeStoredLaunchRequest(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('resources' in raw)) return raw;
  return { ...raw, resources: upgradeStoredRequirement(raw.resources) };
}

export const LaunchStatusSchema = z.enum(['pending', 'staging', 'submitting', 'submitted', 'partial', 'failed']);
export type LaunchStatus = z.infer<typeof LaunchStatusSchema>;
/** Still being driven by a runner (resumable after a restart). */
export const isLaunchActive = (status: LaunchStatus) => status === 'pending' || status === 'staging' || status === 'submitting';

/** Most files one stage-first launch may stage (one Rucio rule each). */
export const MAX_STAGING_FILES = 1000;

/** One input file of a stage-first launch: `ready` (on disk there already), or its rule's progress. */
export const StagingFileSchema = z.object({
  /** Rucio DID `scope:name`. */
  did: z.string(),
  /** Destination RSE (the site's disk SE). */
  rse: z.string(),
  state: z.enum(['ready', 'requested', 'replicating', 'ok', 'failed']),
  ruleId: z.string().nullable(),
  error: z.string().nullable(),
  updatedAt: z.string(),
});
export type StagingFile = z.infer<typeof StagingFileSchema>;

export const LaunchSchema = z.object({
  id: z.string(),
  name: z.string(),
  jobGroup: z.string(),
  workflowId: z.string(),
  /** The catalogue version and the sha-256 of the canonical descriptor the launch used (null for launches made before versions). */
  workflowVersion: z.number().int().nullable().default(null),
  descriptorSha256: z.string().nullable().default(null),
  status: LaunchStatusSchema,
  /** Why a launch still `submitting` waits (e.g. DiracX unreachable: it resumes when DiracX is back); null otherwise. */
  error: z.string().nullable().default(null),
  totalJobs: z.number().int().nonnegative(),
  submittedJobs: z.number().int().nonnegative(),
  failedJobs: z.number().int().nonnegative(),
  jobIds: z.array(z.number().int()),
  errors: z.array(z.object({ jobIndex: z.number().int(), message: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  owner: z.string(),
  request: z.unknown(),
  /** Stage-first launches: per input file, its Rucio rule and state (at most MAX_STAGING_FILES). */
  staging: z.array(StagingFileSchema).default([]),
});
export type Launch = z.infer<typeof LaunchSchema>;

export const LaunchPreviewSchema = z.object({
  totalJobs: z.number().int().nonnegative(),
  inputFiles: z.number().int().nonnegative(),
  inputBytes: z.number().nonnegative(),
  jobGroup: z.string(),
  /** The JDL of the first job, exactly as it will be sent. */
  sampleJdl: z.string(),
  /** The command line the first job runs (carried in the launch's wrapper script, not in the JDL). */
  sampleCommandLine: z.string(),
  sweptParameters: z.array(z.string()),
});
export type LaunchPreview = z.infer<typeof LaunchPreviewSchema>;
