import { z } from 'zod';
import { InputBasketSchema, LaunchRequestSchema, type Launch } from '../../../contracts/launches.ts';
import { QueueRequirementSchema, upgradeStoredRequirement, type QueueRequirement } from '../../../contracts/resources.ts';
import type { WorkflowSummary } from '../../../contracts/workflows/catalogue.ts';
import { NAME_MAX, normalizeIssuePath, relaunchName } from './launch-text.ts';

/**
 * The launch page's own state, next to the workflow's parameter form: the basket items and how
 * they bind to jobs, the resources (as typed), and the production name. Kept in sessionStorage
 * per workflow, like the form's draft, so that a reload or a detour to the basket loses nothing.
 */

// ───────────────────────────── resources ─────────────────────────────

/** Sane bounds of what one job may ask for (the workflow's suggestion raises the minimum). */
export const RESOURCE_LIMITS = {
  cores: { min: 1, max: 128 },
  gpus: { min: 0, max: 8 },
  ramGB: { min: 0.5, max: 1024 },
  wallTimeHours: { min: 0.1, max: 720 },
} as const;

/** Drafts and sessionStorage saved before the rename hold the wall time as `wallHours`. */
function upgradeStoredResources(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || !('wallHours' in raw) || 'wallTimeHours' in raw) return raw;
  const { wallHours, ...rest } = raw as Record<string, unknown>;
  return { ...rest, wallTimeHours: wallHours };
}

/** The fields as typed: RAM in GB and the wall time in hours (the requirement has MB and minutes). */
export const ResourcesDraftSchema = z.object({
  cores: z.string(),
  gpus: z.string(),
  ramGB: z.string(),
  wallTimeHours: z.string(),
  /** Extra job tags, separated by commas (the workflow's own tags are always added). */
  extraTags: z.string(),
  /** One DIRAC site, or '' for any site. */
  site: z.string(),
});
export type ResourcesDraft = z.infer<typeof ResourcesDraftSchema>;
export type ResourceField = keyof ResourcesDraft;

type WorkflowResources = WorkflowSummary['resources'];

const TAG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
/** MB → GB and minutes → hours, as the fields show them. */
export const gbOf = (mb: number) => round(mb / 1024);
export const hoursOf = (minutes: number) => round(minutes / 60);

/**
 * The workflow's suggested resources, as the fields show them, raised to the fields' lower bounds
 * (Hello world suggests 5 minutes of wall time; the field's minimum is 0.1 h, and a default must be submittable).
 */
export function defaultResources(base: WorkflowResources): ResourcesDraft {
  const min = resourceMinimums(base);
  return {
    cores: String(min.cores),
    gpus: base.tags.includes('GPU') ? '1' : '0',
    ramGB: base.ramMB === null ? '' : String(min.ramGB),
    wallTimeHours: base.wallTimeMinutes === null ? '' : String(min.wallTimeHours),
    extraTags: '',
    site: '',
  };
}

/** The lowest value each field accepts: the bound, or the workflow's suggestion when higher (the BFF never asks for less). */
export function resourceMinimums(base: WorkflowResources) {
  return {
    cores: Math.max(RESOURCE_LIMITS.cores.min, base.cores),
    gpus: base.tags.includes('GPU') ? 1 : RESOURCE_LIMITS.gpus.min,
    ramGB: Math.max(RESOURCE_LIMITS.ramGB.min, gbOf(base.ramMB ?? 0)),
    wallTimeHours: Math.max(RESOURCE_LIMITS.wallTimeHours.min, hoursOf(base.wallTimeMinutes ?? 0)),
  };
}

export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\s]+/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}

export type ResourcesCheck = { requirement: QueueRequirement; errors: Partial<Record<ResourceField, string>> };

/**
 * The resources as typed → the launch's `QueueRequirement` (what the fit panel and the BFF get),
 * with a message per field that is out of bounds. Blank RAM or time = the workflow's suggestion.
 */
export function checkResources(draft: ResourcesDraft, base: WorkflowResources): ResourcesCheck {
  const errors: ResourcesCheck['errors'] = {};
  const mins = resourceMinimums(base);
  const num = (field: 'cores' | 'gpus' | 'ramGB' | 'wallTimeHours', integer: boolean, unit: string): number | undefined => {
    const text = draft[field].trim();
    const { max } = RESOURCE_LIMITS[field];
    const min = mins[field];
    if (text === '') {
      if (field === 'cores' || field === 'gpus') errors[field] = 'Required';
      return undefined;
    }
    const n = Number(text);
    if (!Number.isFinite(n)) errors[field] = 'Enter a number';
    else if (integer && !Number.isInteger(n)) errors[field] = 'Enter a whole number';
    else if (n < min || n > max) errors[field] = `From ${min} to ${max}${unit}`;
    else return n;
    return undefined;
  };
  const cores = num('cores', true, '');
  const gpus = num('gpus', true, '');
  const ramGB = num('ramGB', false, ' GB');
  const wallTimeHours = num('wallTimeHours', false, ' h');
  const extra = parseTags(draft.extraTags);
  const bad = extra.find((t) => !TAG.test(t));
  if (bad) errors.extraTags = `“${bad}” is not a tag: letters, digits, “.”, “_” and “-” only`;
  const tags = [...new Set([...base.tags, ...(bad ? [] : extra)])];
  const requirement: QueueRequirement = {
    cores: cores ?? base.cores,
    ...((gpus ?? 0) > 0 ? { gpus } : {}),
    ...(ramGB !== undefined ? { ramMB: Math.round(ramGB * 1024) } : base.ramMB ? { ramMB: base.ramMB } : {}),
    ...(wallTimeHours !== undefined
      ? { wallTimeMinutes: Math.round(wallTimeHours * 60) }
      : base.wallTimeMinutes
        ? { wallTimeMinutes: base.wallTimeMinutes }
        : {}),
    ...(tags.length > 0 ? { tags } : {}),
    ...(draft.site ? { sites: [draft.site] } : {}),
  };
  return { requirement, errors };
}

/** A requirement sent earlier (a relaunch) → the fields. */
export function resourcesFromRequirement(req: QueueRequirement, base: WorkflowResources): ResourcesDraft {
  const d = defaultResources(base);
  const implied = new Set([...base.tags, 'GPU', 'MultiProcessor', 'WholeNode']);
  return {
    cores: req.cores !== undefined ? String(req.cores) : d.cores,
    gpus: req.gpus !== undefined ? String(req.gpus) : d.gpus,
    ramGB: req.ramMB !== undefined ? String(gbOf(req.ramMB)) : d.ramGB,
    wallTimeHours: req.wallTimeMinutes !== undefined ? String(hoursOf(req.wallTimeMinutes)) : d.wallTimeHours,
    extraTags: (req.tags ?? []).filter((t) => !implied.has(t)).join(', '),
    site: req.sites?.[0] ?? '',
  };
}

// ───────────────────────────── name ─────────────────────────────

const NameSchema = LaunchRequestSchema.shape.name;

/** Why a production name is refused, or null. */
export function nameError(name: string): string | null {
  if (name.trim() === '') return 'Required: give this production a name';
  const parsed = NameSchema.safeParse(name);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'too_big') return `At most ${NAME_MAX} characters`;
  return 'Start with a letter or digit; then letters, digits, spaces, “.”, “_” and “-” only';
}

// ───────────────────────────── the settings in sessionStorage ─────────────────────────────

export const FileInputModeSchema = z.enum(['per-file', 'all-in-one']);
export type FileInputMode = z.infer<typeof FileInputModeSchema>;

export const LaunchSettingsSchema = z.object({
  inputItemIds: z.array(z.string()),
  /** Every basket item (of some levels) instead of the chosen ones; null: the chosen ones. */
  inputBasket: InputBasketSchema.nullable(),
  inputMode: FileInputModeSchema,
  resources: ResourcesDraftSchema,
  name: z.string(),
  /** "Stage first" at the one site pinned in `resources.site` (issue #16); ignored while no single site is pinned. */
  stageFirst: z.boolean(),
  /** The basket item chosen for each File input after the first (input id → item id); absent: its default, or nothing. */
  fileBindings: z.record(z.string(), z.string()),
});
export type LaunchSettings = z.infer<typeof LaunchSettingsSchema>;

/** Settings read back from a draft or sessionStorage, which may predate the wall-time rename or stage first. */
export const StoredLaunchSettingsSchema = LaunchSettingsSchema.extend({
  // Settings kept before the whole-basket choice chose items.
  inputBasket: InputBasketSchema.nullable().default(null),
  resources: z.preprocess(upgradeStoredResources, ResourcesDraftSchema),
  stageFirst: z.boolean().default(false),
  fileBindings: z.record(z.string(), z.string()).catch({}).default({}),
});

const STORAGE_PREFIX = 'escape-portal:launch-settings:';

export function loadLaunchSettings(workflowId: string): LaunchSettings | null {
  try {
    const text = sessionStorage.getItem(`${STORAGE_PREFIX}${workflowId}`);
    if (!text) return null;
    const parsed = StoredLaunchSettingsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveLaunchSettings(workflowId: string, settings: LaunchSettings) {
  try {
    sessionStorage.setItem(`${STORAGE_PREFIX}${workflowId}`, JSON.stringify(settings));
  } catch {
    /* storage full or disabled: the settings just do not survive a reload */
  }
}

export function clearLaunchSettings(workflowId: string) {
  try {
    sessionStorage.removeItem(`${STORAGE_PREFIX}${workflowId}`);
  } catch {
    /* ignore */
  }
}

// ───────────────────────────── relaunch (router state) ─────────────────────────────

/** What "Relaunch with these inputs" carries to the launch page: an earlier request, renamed. */
export const RelaunchSchema = z.object({
  workflowId: z.string(),
  /** The exact descriptor the earlier launch used (its recorded hash): the relaunch uses it again. */
  descriptorSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional()
    .catch(undefined),
  name: z.string(),
  values: z.record(z.string(), z.unknown()).default({}),
  sweeps: z.record(z.string(), z.unknown()).default({}),
  inputItemIds: z.array(z.string()).default([]),
  inputBasket: InputBasketSchema.optional().catch(undefined),
  inputMode: z.enum(['per-file', 'all-in-one', 'none']).default('none'),
  // A launch saved before the rename (see upgradeStoredRequirement) keeps its wall time.
  resources: z.preprocess(upgradeStoredRequirement, QueueRequirementSchema).catch({}).default({}),
  /** A stage-first launch is relaunched stage-first at the same site (files on disk there by now are not staged again). */
  stageAt: LaunchRequestSchema.shape.stageAt.catch(undefined),
  /** The files chosen for the File inputs after the first: relaunched with the same ones (refused if no longer in the basket). */
  fileBindings: z.record(z.string(), z.string()).catch({}).default({}),
});
export type Relaunch = z.infer<typeof RelaunchSchema>;

/** Router state for the launch page, made from a launch's `request`; null if it cannot be read. */
export function relaunchStateFor(
  launch: Pick<Launch, 'name' | 'workflowId' | 'request' | 'descriptorSha256'>,
): { relaunch: Relaunch } | null {
  const request = typeof launch.request === 'object' && launch.request !== null ? launch.request : {};
  const parsed = RelaunchSchema.safeParse({
    ...request,
    workflowId: launch.workflowId,
    descriptorSha256: launch.descriptorSha256 ?? undefined,
    name: relaunchName(launch.name),
  });
  return parsed.success ? { relaunch: parsed.data } : null;
}

/** The relaunch carried in router state, if it is for this workflow. */
export function readRelaunchState(state: unknown, workflowId: string): Relaunch | null {
  if (typeof state !== 'object' || state === null || !('relaunch' in state)) return null;
  const parsed = RelaunchSchema.safeParse((state as { relaunch: unknown }).relaunch);
  return parsed.success && parsed.data.workflowId === workflowId ? parsed.data : null;
}

// ───────────────────────────── where a BFF issue belongs ─────────────────────────────

export type IssueSection = 'parameters' | 'inputs' | 'resources' | 'name' | 'other';

/** `values.ERANGE_MIN` → parameters, `inputItemIds` → inputs … (request validation paths start with `body.`). */
export function issueSection(path: string): IssueSection {
  const head = normalizeIssuePath(path).split('.')[0];
  if (head === 'values' || head === 'sweeps') return 'parameters';
  if (head === 'inputItemIds' || head === 'inputBasket' || head === 'inputMode' || head === 'fileBindings') return 'inputs';
  if (head === 'resources') return 'resources';
  if (head === 'name') return 'name';
  return 'other';
}
