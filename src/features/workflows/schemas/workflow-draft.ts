import { z } from 'zod';
import { ParameterValueSchema, SweepSchema, type Sweep } from '../../../contracts/launches.ts';
import { hintsOf, isSweepable, type BoutiquesDescriptor, type BoutiquesInput } from '../../../contracts/workflows/descriptor.ts';
import { unmetRequirement, type WorkflowRequestBody } from '../../../contracts/workflows/rules.ts';
import { defaultOf } from '../../../contracts/workflows/input-value.ts';
import { sweepValues, validateSweep } from '../../../contracts/workflows/sweeps.ts';

/**
 * The form's own state for one workflow (a draft): what the fields hold, including values that
 * do not validate yet (an unparsable number stays a string so the schema can say so), and one
 * sweep editor per sweepable parameter. `draftToBody` turns it into the `{values, sweeps}` that
 * `workflowRequestSchema` (contracts) validates, in the form and in the BFF alike.
 */

const DraftScalar = z.union([z.string(), z.number(), z.boolean()]);
// A cleared field is null, not undefined: react-hook-form puts the default back for undefined.
const nullable = <T extends z.ZodType>(t: T) => t.nullable().optional();

export const SweepDraftSchema = z.object({
  on: z.boolean(),
  kind: z.enum(['list', 'range']),
  /** List sweeps: the parsed items (numbers, or text that is not a number yet). */
  values: nullable(z.array(z.union([z.string(), z.number()]))),
  start: nullable(DraftScalar),
  step: nullable(DraftScalar),
  end: nullable(DraftScalar),
});
export type SweepDraft = z.infer<typeof SweepDraftSchema>;

export const WorkflowDraftSchema = z.object({
  values: z.record(z.string(), nullable(ParameterValueSchema)),
  sweeps: z.record(z.string(), SweepDraftSchema),
});
export type WorkflowDraft = z.infer<typeof WorkflowDraftSchema>;

/** The descriptor's defaults: every field at its `default-value` (Flags off), no sweep on. */
export function defaultDraft(d: BoutiquesDescriptor): WorkflowDraft {
  const values: WorkflowDraft['values'] = {};
  const sweeps: WorkflowDraft['sweeps'] = {};
  for (const input of d.inputs) {
    if (input.type === 'File') continue;
    const v = defaultOf(input);
    values[input.id] = v === undefined ? (input.type === 'Flag' ? false : null) : Array.isArray(v) ? [...v] : v;
    // Ranges for free numbers; a list for text and for drop-downs (e.g. particle codes).
    const kind = input.type === 'Number' && !input['value-choices'] ? 'range' : 'list';
    if (isSweepable(d, input.id)) sweeps[input.id] = { on: false, kind, values: [], start: null, step: null, end: null };
  }
  return { values, sweeps };
}

const isBlank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

export function sweptIds(d: BoutiquesDescriptor, draft: WorkflowDraft): string[] {
  return Object.entries(draft.sweeps ?? {})
    .filter(([id, s]) => s?.on && isSweepable(d, id))
    .map(([id]) => id);
}

function sweepFromDraft(s: SweepDraft): unknown {
  const part = (v: unknown) => (v === null || v === '' ? undefined : v);
  return s.kind === 'list'
    ? { kind: 'list', values: s.values ?? [] }
    : { kind: 'range', start: part(s.start), step: part(s.step), end: part(s.end) };
}

/**
 * The request body for `workflowRequestSchema`: swept parameters leave `values` for `sweeps`,
 * blank fields are left out (defaults apply), and fields whose `requires-inputs` are off are
 * dropped (they are disabled in the form; their draft value comes back when re-enabled).
 */
export function draftToBody(d: BoutiquesDescriptor, draft: WorkflowDraft): Required<WorkflowRequestBody> {
  const swept = sweptIds(d, draft);
  const values: Record<string, unknown> = {};
  for (const input of d.inputs) {
    if (input.type === 'File' || swept.includes(input.id)) continue;
    const v = draft.values?.[input.id];
    if (isBlank(v) || unmetRequirement(d, draft.values ?? {}, swept, input.id)) continue;
    values[input.id] = v;
  }
  const sweeps: Record<string, unknown> = {};
  for (const id of swept) sweeps[id] = sweepFromDraft(draft.sweeps[id] as SweepDraft);
  return { values, sweeps };
}

/** A sweep editor's live state: its values, or why it cannot be used yet. */
export function sweepStatus(
  d: BoutiquesDescriptor,
  id: string,
  s: SweepDraft,
): { ok: true; count: number } | { ok: false; message: string } {
  const sweep = sweepFromDraft(s);
  const messages = validateSweep(d, id, sweep);
  if (messages.length > 0) return { ok: false, message: messages[0] as string };
  return { ok: true, count: sweepValues(sweep as Sweep).length };
}

/** Combinations of the draft's sweeps (jobs per input-file set), or null while a sweep is incomplete or invalid. */
export function draftJobCount(d: BoutiquesDescriptor, draft: WorkflowDraft): number | null {
  let n = 1;
  for (const id of sweptIds(d, draft)) {
    const status = sweepStatus(d, id, draft.sweeps[id] as SweepDraft);
    if (!status.ok) return null;
    n *= status.count;
  }
  return n;
}

/** Form sections: the descriptor's groups in order (an input shows in its first group), then the rest. */
export function formSections(d: BoutiquesDescriptor): { id: string; name: string; description?: string; inputs: BoutiquesInput[] }[] {
  const placed = new Set<string>();
  const byId = new Map(d.inputs.map((i) => [i.id, i]));
  const sections: { id: string; name: string; description?: string; inputs: BoutiquesInput[] }[] = [];
  for (const g of d.groups ?? []) {
    const inputs = g.members
      .filter((m) => !placed.has(m))
      .map((m) => byId.get(m))
      .filter((i): i is BoutiquesInput => i !== undefined);
    inputs.forEach((i) => placed.add(i.id));
    if (inputs.length > 0) sections.push({ id: g.id, name: g.name, description: g.description, inputs });
  }
  const rest = d.inputs.filter((i) => !placed.has(i.id));
  if (rest.length > 0) sections.push({ id: '_other', name: sections.length ? 'Other parameters' : 'Parameters', inputs: rest });
  return sections;
}

/** Fields to re-validate when an input changes: group partners, ordered partners, dependants, inputs it disables or requires. */
export function dependentFields(d: BoutiquesDescriptor, id: string): `values.${string}`[] {
  const deps = new Set<string>();
  const self = d.inputs.find((i) => i.id === id);
  for (const m of self?.['disables-inputs'] ?? []) deps.add(m);
  for (const map of [self?.['value-disables'], self?.['value-requires']])
    for (const ids of Object.values(map ?? {})) if (Array.isArray(ids)) ids.forEach((m) => typeof m === 'string' && deps.add(m));
  for (const g of d.groups ?? [])
    if (g.members.includes(id) && (g['mutually-exclusive'] || g['all-or-none'] || g['one-is-required']))
      g.members.forEach((m) => deps.add(m));
  for (const pair of hintsOf(d)['escape:ordered'] ?? []) if (pair.includes(id)) pair.forEach((m) => deps.add(m));
  for (const input of d.inputs) if (input['requires-inputs']?.includes(id)) deps.add(input.id);
  deps.delete(id);
  return [...deps].filter((m) => d.inputs.find((i) => i.id === m)?.type !== 'File').map((m) => `values.${m}` as const);
}

/**
 * A draft holding `{values, sweeps}` as sent in an earlier launch (its `request`), over the
 * descriptor's defaults: the form shows them again for a relaunch. Unknown parameters, File
 * inputs and sweeps of parameters that may not be swept are left out; values are not checked
 * here (the form's schema does that, and says what no longer fits).
 */
export function draftFromRequest(
  d: BoutiquesDescriptor,
  request: { values?: Record<string, unknown>; sweeps?: Record<string, unknown> },
): WorkflowDraft {
  const draft = defaultDraft(d);
  const byId = new Map(d.inputs.map((i) => [i.id, i]));
  for (const [id, v] of Object.entries(request.values ?? {})) {
    const input = byId.get(id);
    if (!input || input.type === 'File') continue;
    const parsed = ParameterValueSchema.safeParse(v);
    if (parsed.success) draft.values[id] = Array.isArray(parsed.data) ? [...parsed.data] : parsed.data;
  }
  for (const [id, raw] of Object.entries(request.sweeps ?? {})) {
    if (!(id in draft.sweeps)) continue;
    const sweep = SweepSchema.safeParse(raw);
    if (!sweep.success) continue;
    const s = sweep.data;
    draft.sweeps[id] =
      s.kind === 'list'
        ? { on: true, kind: 'list', values: [...s.values], start: null, step: null, end: null }
        : { on: true, kind: 'range', values: [], start: s.start, step: s.step, end: s.end };
  }
  return draft;
}

// ───────────────────────────── the draft in sessionStorage ─────────────────────────────

const STORAGE_PREFIX = 'escape-portal:workflow-draft:';
const StoredDraftSchema = z.object({ version: z.string(), draft: WorkflowDraftSchema });
const storageKey = (workflowId: string) => `${STORAGE_PREFIX}${workflowId}`;

/** The draft kept for this workflow (this tab only), merged over the defaults; null when none or stale. */
export function loadDraft(workflowId: string, d: BoutiquesDescriptor): WorkflowDraft | null {
  let raw: unknown;
  try {
    const text = sessionStorage.getItem(storageKey(workflowId));
    if (!text) return null;
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = StoredDraftSchema.safeParse(raw);
  if (!parsed.success || parsed.data.version !== d['tool-version']) return null;
  const stored = parsed.data.draft;
  const defaults = defaultDraft(d);
  const values = { ...defaults.values };
  // Only parameters the descriptor still has; a cleared field (null) stays cleared.
  for (const id of Object.keys(defaults.values)) if (id in stored.values) values[id] = stored.values[id] ?? null;
  const sweeps = { ...defaults.sweeps };
  for (const id of Object.keys(defaults.sweeps)) {
    const s = stored.sweeps[id];
    if (s) sweeps[id] = s;
  }
  return { values, sweeps };
}

export function saveDraft(workflowId: string, d: BoutiquesDescriptor, draft: WorkflowDraft) {
  try {
    const text = JSON.stringify({ version: d['tool-version'], draft });
    sessionStorage.setItem(storageKey(workflowId), text);
  } catch {
    /* storage full or disabled: the draft just does not survive a reload */
  }
}

export function clearDraft(workflowId: string) {
  try {
    sessionStorage.removeItem(storageKey(workflowId));
  } catch {
    /* ignore */
  }
}
