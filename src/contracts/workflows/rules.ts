import { z } from 'zod';
import type { ParameterValue, Sweep } from '../launches.ts';
import { hintsOf, inputLabel, isSweepable, type BoutiquesDescriptor, type BoutiquesInput } from './descriptor.ts';
import { blankToUndefined, defaultOf, inputValueSchema, isActiveValue } from './input-value.ts';
import { countCombinations, MAX_COMBINATIONS, sweepValues, validateSweep, WorkflowSweepSchema } from './sweeps.ts';

/**
 * The rules a workflow's parameters follow, as zod schemas built from its descriptor: required
 * inputs, defaults, `requires-inputs`, group rules, `escape:ordered` pairs, and sweeps.
 */

// ───────────────────────────── values ─────────────────────────────

type IssueSink = (path: string[], message: string) => void;

/** Effective values and activity of every input, given the raw values and the swept ids. */
function evaluate(d: BoutiquesDescriptor, raw: Record<string, unknown>, swept: ReadonlySet<string>) {
  const inputs = new Map(d.inputs.map((i) => [i.id, i]));
  const groups = new Map((d.groups ?? []).map((g) => [g.id, g]));
  const provided = (id: string) => blankToUndefined(raw[id]);
  const memo = new Map<string, boolean>();
  const requirementsMet = (id: string, seen: Set<string> = new Set()): boolean => {
    const cached = memo.get(id);
    if (cached !== undefined) return cached;
    if (seen.has(id)) return false;
    seen.add(id);
    const reqs = inputs.get(id)?.['requires-inputs'] ?? [];
    const met = reqs.every((r) => {
      const g = groups.get(r);
      return g ? g.members.every((m) => active(m, seen)) : active(r, seen);
    });
    memo.set(id, met);
    return met;
  };
  const effective = (id: string, seen?: Set<string>): unknown => {
    const input = inputs.get(id);
    if (!input || input.type === 'File') return undefined;
    const v = provided(id);
    if (v !== undefined) return v;
    return requirementsMet(id, seen) ? defaultOf(input) : undefined;
  };
  const active = (id: string, seen?: Set<string>): boolean => {
    const input = inputs.get(id);
    if (!input) return false;
    if (swept.has(id)) return true;
    return isActiveValue(input, effective(id, seen));
  };
  /**
   * Why an input may not be given: an active input lists it in `disables-inputs` (a Flag only when on,
   * as bosh reads it), or an input's value is a choice whose `value-disables` lists it. Null when none.
   */
  const disabledBy = (id: string): string | null => {
    for (const other of d.inputs) {
      if (other.id === id) continue;
      if (other['disables-inputs']?.includes(id) && active(other.id))
        return `${inputLabel(other)}${other.type === 'Flag' ? ' is on' : ' is set'}`;
      const choice = chosen(other);
      if (choice !== null && listed(other['value-disables'], choice, id)) return `${inputLabel(other)} is ${choice}`;
    }
    return null;
  };
  /** The choice an input with `value-choices` holds now (effective value), or null. */
  const chosen = (input: BoutiquesInput): string | null => {
    if (!input['value-choices'] || swept.has(input.id)) return null;
    const v = effective(input.id);
    return v === undefined || v === null || Array.isArray(v) ? null : String(v as string | number);
  };
  return {
    inputs,
    provided,
    effective,
    active,
    chosen,
    disabledBy,
    requirementsMet: (id: string) => requirementsMet(id),
    /** An input is used (its field enabled, its value sent) when its requirements are met and nothing disables it. */
    usable: (id: string) => requirementsMet(id) && disabledBy(id) === null,
  };
}

/** Whether `value-requires` / `value-disables` (`{choice: [ids]}`) lists `id` under `choice`. */
function listed(map: Record<string, unknown> | undefined, choice: string, id: string): boolean {
  const ids = map?.[choice];
  return Array.isArray(ids) && ids.includes(id);
}

function names(d: BoutiquesDescriptor, ids: readonly string[]): string {
  const byId = new Map(d.inputs.map((i) => [i.id, i]));
  const labels = ids.map((id) => {
    const input = byId.get(id);
    return input ? inputLabel(input) : id;
  });
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

function requirementText(d: BoutiquesDescriptor, input: BoutiquesInput): string {
  const groups = new Map((d.groups ?? []).map((g) => [g.id, g]));
  const byId = new Map(d.inputs.map((i) => [i.id, i]));
  return (input['requires-inputs'] ?? [])
    .map((r) => {
      const g = groups.get(r);
      if (g) return `all of ${names(d, g.members)}`;
      const req = byId.get(r);
      return req ? `${inputLabel(req)}${req.type === 'Flag' ? ' is on' : ' is set'}` : r;
    })
    .join(' and ');
}

/** Why an input is unavailable (its `requires-inputs` are not met), or null. Used by the form to disable fields. */
export function unmetRequirement(
  d: BoutiquesDescriptor,
  values: Record<string, unknown>,
  sweptIds: Iterable<string>,
  inputId: string,
): string | null {
  const input = d.inputs.find((i) => i.id === inputId);
  if (!input || !canBeUnavailable(d, inputId)) return null;
  const ev = evaluate(d, values, new Set(sweptIds));
  if (input['requires-inputs'] && !ev.requirementsMet(inputId)) return `Only used when ${requirementText(d, input)}`;
  const by = ev.disabledBy(inputId);
  return by ? `Not used when ${by}` : null;
}

/** Whether another input can make this one unavailable (`requires-inputs` of its own, `disables-inputs` or `value-disables` of another). */
export function canBeUnavailable(d: BoutiquesDescriptor, inputId: string): boolean {
  return d.inputs.some(
    (i) =>
      (i.id === inputId && i['requires-inputs'] !== undefined) ||
      i['disables-inputs']?.includes(inputId) ||
      Object.values(i['value-disables'] ?? {}).some((ids) => Array.isArray(ids) && ids.includes(inputId)),
  );
}

function crossCheck(
  d: BoutiquesDescriptor,
  raw: Record<string, unknown>,
  sweeps: Readonly<Record<string, Sweep | null>>,
  failed: ReadonlySet<string>,
  issue: IssueSink,
) {
  const swept = new Set(Object.keys(sweeps));
  const ev = evaluate(d, raw, swept);
  for (const input of d.inputs) {
    if (input.type === 'File') continue;
    const given = swept.has(input.id) || isActiveValue(input, ev.provided(input.id));
    if (!ev.requirementsMet(input.id)) {
      if (given) issue([input.id], `${inputLabel(input)} is only used when ${requirementText(d, input)}: clear it or turn that on`);
      continue;
    }
    const by = ev.disabledBy(input.id);
    if (by !== null) {
      if (given) issue([input.id], `${inputLabel(input)} is not used when ${by}: clear one of them`);
      continue;
    }
    if (!input.optional && !swept.has(input.id) && ev.effective(input.id) === undefined && !failed.has(input.id))
      issue([input.id], 'Required');
  }
  // `value-requires`: a choice that needs other inputs (e.g. a mode with its own parameters).
  for (const input of d.inputs) {
    const choice = ev.chosen(input);
    if (choice === null || !ev.usable(input.id)) continue;
    for (const id of (input['value-requires']?.[choice] as string[] | undefined) ?? []) {
      const target = ev.inputs.get(id);
      if (!target || target.type === 'File' || failed.has(id) || ev.active(id)) continue;
      issue([id], `Required when ${inputLabel(input)} is ${choice}`);
    }
  }
  for (const g of d.groups ?? []) {
    const members = g.members.filter((m) => ev.inputs.get(m)?.type !== 'File');
    const actives = members.filter((m) => ev.active(m));
    if (g['mutually-exclusive'] && actives.length > 1) {
      issue([actives[1] as string], `${g.name}: choose only one of ${names(d, members)} (${names(d, actives)} are set)`);
    }
    if (g['all-or-none'] && actives.length > 0 && actives.length < members.length) {
      const missing = members.filter((m) => !actives.includes(m));
      issue([missing[0] as string], `${g.name}: ${names(d, members)} go together; set all of them or none (missing: ${names(d, missing)})`);
    }
    if (g['one-is-required'] && actives.length === 0 && members.length > 0) {
      issue([members[0] as string], `${g.name}: set at least one of ${names(d, members)}`);
    }
  }
  for (const [a, b] of hintsOf(d)['escape:ordered'] ?? []) {
    if (failed.has(a) || failed.has(b)) continue;
    const valuesOf = (id: string): number[] | null => {
      const s = sweeps[id];
      if (s === null) return null;
      let vs: unknown[];
      if (s) {
        try {
          vs = sweepValues(s);
        } catch {
          return null;
        }
      } else vs = [ev.effective(id)];
      return vs.every((v) => typeof v === 'number' && Number.isFinite(v)) ? (vs as number[]) : null;
    };
    const av = valuesOf(a);
    const bv = valuesOf(b);
    if (!av || !bv || av.length === 0 || bv.length === 0) continue;
    const aMax = Math.max(...av);
    const bMin = Math.min(...bv);
    if (aMax > bMin) {
      const detail =
        swept.has(a) || swept.has(b) ? `a combination of the sweeps has ${a} = ${aMax} and ${b} = ${bMin}` : `${aMax} > ${bMin}`;
      issue([b], `${names(d, [a])} must not be greater than ${names(d, [b])} (${detail})`);
    }
  }
}

function outputValues(d: BoutiquesDescriptor, raw: Record<string, unknown>, swept: ReadonlySet<string>): Record<string, ParameterValue> {
  const ev = evaluate(d, raw, swept);
  const out: Record<string, ParameterValue> = {};
  for (const input of d.inputs) {
    if (input.type === 'File' || swept.has(input.id) || !ev.usable(input.id)) continue;
    const v = ev.effective(input.id);
    if (v !== undefined) out[input.id] = v as ParameterValue;
    else if (input.type === 'Flag') out[input.id] = false;
  }
  return out;
}

export type DescriptorToZodOptions = {
  /** Swept parameters: their single value becomes optional. `null` = swept, values unknown (invalid sweep). */
  sweeps?: Readonly<Record<string, Sweep | null>>;
};

/**
 * The zod schema of a workflow's parameter `values`: per-input types, ranges, choices, lists,
 * text safety; required inputs, defaults, `requires-inputs`, group rules and `escape:ordered`
 * pairs. Its output holds every input's effective value (defaults filled in, Flags as booleans),
 * without File inputs (bound to basket items) and without swept parameters.
 */
export function descriptorToZod(d: BoutiquesDescriptor, opts: DescriptorToZodOptions = {}) {
  const sweeps = opts.sweeps ?? {};
  const swept = new Set(Object.keys(sweeps));
  const known = new Set(d.inputs.map((i) => i.id));
  const shape: Record<string, z.ZodType> = {};
  for (const input of d.inputs) {
    shape[input.id] =
      input.type === 'File'
        ? z
            .never({ error: `${inputLabel(input)} is an input file: it is bound to basket items when you launch, not given as a value` })
            .optional()
        : z.preprocess(blankToUndefined, inputValueSchema(input).optional());
  }
  return z
    .looseObject(shape, { error: 'Expected an object of parameter values' })
    .superRefine(
      (raw, ctx) => {
        if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return;
        const failed = new Set(ctx.issues.map((i) => String(i.path?.[0] ?? '')));
        const issue: IssueSink = (path, message) => ctx.addIssue({ code: 'custom', path, message });
        for (const key of Object.keys(raw)) if (!known.has(key)) issue([key], `Unknown parameter: ${d.name} has no parameter "${key}"`);
        crossCheck(d, raw as Record<string, unknown>, sweeps, failed, issue);
      },
      { when: () => true },
    )
    .transform((raw): Record<string, ParameterValue> => outputValues(d, raw as Record<string, unknown>, swept));
}

// ───────────────────────────── values + sweeps (the form and the BFF validate this) ─────────────────────────────

export const WorkflowRequestBodySchema = z.object({
  values: z.record(z.string(), z.unknown()).default({}),
  sweeps: z.record(z.string(), z.unknown()).default({}),
});
export type WorkflowRequestBody = z.input<typeof WorkflowRequestBodySchema>;

export type WorkflowRequest = { values: Record<string, ParameterValue>; sweeps: Record<string, Sweep> };

/**
 * `{values, sweeps}` of one workflow, checked together: each sweep (shape, then
 * `validateSweep`), the values with `descriptorToZod` (swept ones optional), and the number of
 * combinations. Issue paths: `values.<id>`, `sweeps.<id>[.start|.step|.end|.values]`, `sweeps`.
 */
export function workflowRequestSchema(d: BoutiquesDescriptor) {
  return WorkflowRequestBodySchema.transform((body, ctx): WorkflowRequest => {
    let failed = false;
    const issue = (path: (string | number)[], message: string) => {
      failed = true;
      ctx.addIssue({ code: 'custom', path, message });
    };
    const sweeps: Record<string, Sweep> = {};
    const sweptForValues: Record<string, Sweep | null> = {};
    for (const [id, raw] of Object.entries(body.sweeps)) {
      sweptForValues[id] = null;
      const known = d.inputs.some((i) => i.id === id);
      const shape = WorkflowSweepSchema.safeParse(raw);
      if (known && !shape.success && isSweepable(d, id)) {
        for (const i of shape.error.issues) issue(['sweeps', id, ...i.path.map(String)], i.message);
        continue;
      }
      const messages = validateSweep(d, id, raw);
      if (messages.length > 0) {
        for (const m of messages) issue(['sweeps', id], m);
        continue;
      }
      if (shape.success) {
        sweeps[id] = shape.data;
        sweptForValues[id] = shape.data;
      }
    }
    const values = descriptorToZod(d, { sweeps: sweptForValues }).safeParse(body.values);
    if (!values.success) for (const i of values.error.issues) issue(['values', ...i.path.map(String)], i.message);
    if (!failed) {
      const total = countCombinations(sweeps);
      if (total > MAX_COMBINATIONS)
        issue(
          ['sweeps'],
          `These sweeps make ${total.toLocaleString('en-US')} combinations (jobs); at most ${MAX_COMBINATIONS.toLocaleString('en-US')} per launch. Sweep fewer values.`,
        );
    }
    if (failed || !values.success) return z.NEVER;
    return { values: values.data, sweeps };
  });
}

export type FieldIssue = { path: string; message: string };

export type WorkflowCheck = { ok: true; request: WorkflowRequest; jobs: number } | { ok: false; issues: FieldIssue[] };

/** Validate `{values, sweeps}` for a workflow: the request and its number of combinations, or field-level issues. */
export function checkWorkflowRequest(d: BoutiquesDescriptor, body: unknown): WorkflowCheck {
  const parsed = workflowRequestSchema(d).safeParse(body);
  if (!parsed.success)
    return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || 'body', message: i.message })) };
  return { ok: true, request: parsed.data, jobs: countCombinations(parsed.data.sweeps) };
}

export const WorkflowValidationResultSchema = z.object({
  ok: z.literal(true),
  /** Number of combinations of swept values (jobs per input file set). */
  jobs: z.int().min(1),
});
export type WorkflowValidationResult = z.infer<typeof WorkflowValidationResultSchema>;
