import { z } from 'zod';
import { InputModeSchema, type InputMode, type ParameterValue, type Sweep } from './launches.ts';

/**
 * Workflows: applications described by Boutiques descriptors (schema-version 0.5, the format
 * VIP uses; https://github.com/boutiques/boutiques, boutiques/schema/descriptor.schema.json).
 *
 * This module is the single source of truth for a workflow's parameters. From a descriptor it
 * builds the zod schema of the parameter `values` (the SPA form's resolver and the BFF's
 * validation use the same one), validates sweeps, expands them into concrete value sets and
 * renders the command line that the launch engine puts into the JDL `Arguments`.
 *
 * Supported subset of Boutiques: `name`, `tool-version`, `description`, `command-line` with
 * value-keys, `inputs[]` (String | Number | Flag | File; `value-key`, `optional`, `default-value`,
 * `minimum`, `maximum`, `exclusive-minimum`, `exclusive-maximum`, `integer`, `value-choices`,
 * `list`, `list-separator`, `min-list-entries`, `max-list-entries`, `command-line-flag`,
 * `command-line-flag-separator`, `requires-inputs`, `description`), `groups[]` (`members`,
 * `mutually-exclusive`, `all-or-none`, `one-is-required`), `output-files[]` (`path-template`,
 * `path-template-stripped-extensions`, `value-key`, `command-line-flag`), `container-image`
 * (docker | singularity), `suggested-resources`, `tags`, and `custom`. Anything else in a
 * descriptor is refused, so that no constraint is silently ignored.
 *
 * Portal hints live under `custom`, where the standard has no field:
 * - `escape:sweepable`: ids of the (single-valued Number or String) inputs that may be swept;
 * - `escape:ordered`: pairs `[a, b]` of Number inputs with `a <= b` (e.g. an energy range);
 * - `escape:choice-labels`: `{inputId: {choice: label}}` for drop-downs;
 * - `escape:tags`: job tags every job needs (e.g. `GPU`);
 * - `escape:input-mode`: how basket items bind to the File input (`per-file` | `all-in-one`);
 * - `escape:input-data-levels`: `{fileInputId: ["DL0"]}`, the data levels a File input reads.
 */

// ───────────────────────────── limits and safe characters ─────────────────────────────

/** A range sweep may expand to at most this many values (a list sweep may list as many). */
export const MAX_SWEEP_VALUES = 1000;
/** At most this many combinations of swept values (i.e. jobs before input files) per launch. */
export const MAX_COMBINATIONS = 10_000;
/** Longest text value of one parameter. */
export const MAX_TEXT_VALUE = 1024;
/** Longest rendered command line (the JDL renderer refuses longer values). */
export const MAX_COMMAND_LINE = 4096;

/**
 * Characters a parameter value may not contain. DIRAC's ClassAdLight (which parses every JDL
 * in DiracX) gives meaning to `"`, `\`, `;`, `[` and `]` regardless of quoting and has no
 * escapes; control characters break lines. The single quote is refused as well because text
 * values are passed to the job's command line in single quotes, and a POSIX shell cannot
 * escape a single quote inside them without `"` or `\`.
 */
const UNSAFE_VALUE_CHAR = /["\\;[\]'\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** The same for descriptor text that ends up in the command line (templates, flags). */
const UNSAFE_TEMPLATE_CHAR = /["\\;[\]\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** What `renderCommandLine` guarantees never to output (the JDL renderer's refusals). */
export const JDL_UNSAFE_CHAR = /["\\;[\]\u0000-\u001f\u007f]/;

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
    const name = ch === '\n' ? ' (new line)' : ch === '\t' ? ' (tab)' : ch === '\r' ? ' (carriage return)' : '';
    return `the control character U+${code.toString(16).padStart(4, '0').toUpperCase()}${name}`;
  }
  return `the character ${ch}`;
}

export const UNSAFE_TEXT_HELP = `Text values may not contain " \\ ; [ ] ' or control characters (new lines, tabs).`;

/** Why a text value cannot be passed to a grid job, or null when it can. */
export function unsafeTextReason(value: string): string | null {
  const bad = UNSAFE_VALUE_CHAR.exec(value);
  if (!bad) return null;
  return `${describeChar(bad[0])} is not allowed: a grid job cannot receive " \\ ; [ ] ' or control characters`;
}

// ───────────────────────────── the descriptor (Boutiques subset) ─────────────────────────────

const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const Id = z.string().regex(ID_PATTERN, 'letters, digits and "_" only, not starting with a digit');
const Text = z.string().min(1);

export const BoutiquesInputTypeSchema = z.enum(['String', 'Number', 'Flag', 'File']);
export type BoutiquesInputType = z.infer<typeof BoutiquesInputTypeSchema>;

const DefaultValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]);

export const BoutiquesInputSchema = z
  .strictObject({
    id: Id,
    name: Text,
    type: BoutiquesInputTypeSchema,
    description: z.string().optional(),
    'value-key': Text.optional(),
    optional: z.boolean().optional(),
    list: z.boolean().optional(),
    'list-separator': z.string().optional(),
    'min-list-entries': z.int().min(0).optional(),
    'max-list-entries': z.int().min(1).optional(),
    'command-line-flag': Text.optional(),
    'command-line-flag-separator': z.string().optional(),
    'default-value': DefaultValueSchema.optional(),
    'value-choices': z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .optional(),
    integer: z.boolean().optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    'exclusive-minimum': z.boolean().optional(),
    'exclusive-maximum': z.boolean().optional(),
    'requires-inputs': z.array(Id).min(1).optional(),
  })
  .superRefine((input, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const numberOnly = ['integer', 'minimum', 'maximum', 'exclusive-minimum', 'exclusive-maximum'] as const;
    for (const key of numberOnly)
      if (input[key] !== undefined && input.type !== 'Number') issue([key], `only Number inputs may have "${key}"`);
    if (input['exclusive-minimum'] !== undefined && input.minimum === undefined) issue(['exclusive-minimum'], 'needs "minimum"');
    if (input['exclusive-maximum'] !== undefined && input.maximum === undefined) issue(['exclusive-maximum'], 'needs "maximum"');
    if (input.minimum !== undefined && input.maximum !== undefined && input.minimum > input.maximum)
      issue(['maximum'], 'must not be smaller than "minimum"');
    for (const key of ['list-separator', 'min-list-entries', 'max-list-entries'] as const) {
      if (input[key] !== undefined && !input.list) issue([key], 'only list inputs ("list": true) may have it');
    }
    const minEntries = input['min-list-entries'];
    const maxEntries = input['max-list-entries'];
    if (minEntries !== undefined && maxEntries !== undefined && minEntries > maxEntries)
      issue(['max-list-entries'], 'must not be smaller than "min-list-entries"');
    if (input.type === 'Flag') {
      if (!input['command-line-flag']) issue(['command-line-flag'], 'a Flag input needs a command-line flag');
      if (input.list) issue(['list'], 'a Flag input cannot be a list');
      if (input['value-choices']) issue(['value-choices'], 'a Flag input cannot have value choices');
      if (input['default-value'] !== undefined && typeof input['default-value'] !== 'boolean')
        issue(['default-value'], 'must be true or false');
    }
    if (input.type === 'File') {
      if (input['value-choices']) issue(['value-choices'], 'a File input cannot have value choices');
      if (input['default-value'] !== undefined) issue(['default-value'], 'a File input is bound to basket items and has no default');
    }
    const choices = input['value-choices'];
    if (choices) {
      choices.forEach((c, i) => {
        if (input.type === 'Number' && typeof c !== 'number') issue(['value-choices', i], 'must be a number');
        if (input.type === 'String' && typeof c !== 'string') issue(['value-choices', i], 'must be a string');
        if (typeof c === 'string' && unsafeTextReason(c)) issue(['value-choices', i], unsafeTextReason(c) ?? '');
      });
      if (new Set(choices).size !== choices.length) issue(['value-choices'], 'choices must be unique');
    }
    for (const key of ['command-line-flag', 'command-line-flag-separator', 'list-separator'] as const) {
      const text = input[key];
      if (text !== undefined && (UNSAFE_VALUE_CHAR.test(text) || (key === 'command-line-flag' && /\s/.test(text)))) {
        issue(
          [key],
          key === 'command-line-flag'
            ? 'a flag may not contain spaces, quotes, \\ ; [ ] or control characters'
            : 'may not contain quotes, \\ ; [ ] or control characters',
        );
      }
    }
    if (input['default-value'] !== undefined && input.type !== 'Flag' && input.type !== 'File') {
      const parsed = inputValueSchema(input).safeParse(input['default-value']);
      if (!parsed.success) issue(['default-value'], `does not fit the input: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
  });
export type BoutiquesInput = z.infer<typeof BoutiquesInputSchema>;

export const BoutiquesGroupSchema = z.strictObject({
  id: Id,
  name: Text,
  description: z.string().optional(),
  members: z.array(Id).min(1),
  'mutually-exclusive': z.boolean().optional(),
  'all-or-none': z.boolean().optional(),
  'one-is-required': z.boolean().optional(),
});
export type BoutiquesGroup = z.infer<typeof BoutiquesGroupSchema>;

export const BoutiquesOutputFileSchema = z.strictObject({
  id: Id,
  name: Text,
  description: z.string().optional(),
  'value-key': Text.optional(),
  'path-template': Text,
  'path-template-stripped-extensions': z.array(Text).optional(),
  optional: z.boolean().optional(),
  'command-line-flag': Text.optional(),
  'command-line-flag-separator': z.string().optional(),
});
export type BoutiquesOutputFile = z.infer<typeof BoutiquesOutputFileSchema>;

export const BoutiquesContainerSchema = z.strictObject({
  type: z.enum(['docker', 'singularity']),
  image: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/, 'an image reference: letters, digits and . _ - / : @'),
  index: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9.\-:]*$/, 'a registry host name')
    .optional(),
  entrypoint: z.boolean().optional(),
  'working-directory': Text.optional(),
  'container-hash': Text.optional(),
});
export type BoutiquesContainer = z.infer<typeof BoutiquesContainerSchema>;

export const BoutiquesResourcesSchema = z.strictObject({
  'cpu-cores': z.int().min(1).optional(),
  /** GB */
  ram: z.number().min(0).optional(),
  /** GB */
  'disk-space': z.number().min(0).optional(),
  nodes: z.int().min(1).optional(),
  /** seconds */
  'walltime-estimate': z.number().min(0).optional(),
});

const DataLevel = z.string().regex(/^DL[0-5]$/, 'a data level DL0…DL5');
export const EscapeCustomSchema = z.looseObject({
  'escape:sweepable': z.array(Id).optional(),
  'escape:ordered': z.array(z.tuple([Id, Id])).optional(),
  'escape:choice-labels': z.record(Id, z.record(z.string(), Text)).optional(),
  'escape:tags': z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a job tag: letters, digits and . _ -')).optional(),
  'escape:input-mode': InputModeSchema.optional(),
  'escape:input-data-levels': z.record(Id, z.array(DataLevel).min(1)).optional(),
});

export const BoutiquesDescriptorSchema = z
  .strictObject({
    name: Text,
    'tool-version': Text,
    description: Text,
    'command-line': Text,
    'schema-version': z.literal('0.5', { error: 'must be "0.5" (the Boutiques schema version this portal reads)' }),
    inputs: z.array(BoutiquesInputSchema).min(1),
    groups: z.array(BoutiquesGroupSchema).optional(),
    'output-files': z.array(BoutiquesOutputFileSchema).optional(),
    'container-image': BoutiquesContainerSchema.optional(),
    'suggested-resources': BoutiquesResourcesSchema.optional(),
    tags: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.boolean()])).optional(),
    custom: EscapeCustomSchema.optional(),
    author: Text.optional(),
    url: Text.optional(),
    'descriptor-url': Text.optional(),
    doi: Text.optional(),
    'tool-doi': Text.optional(),
  })
  .superRefine((d, ctx) => checkDescriptor(d, (path, message) => ctx.addIssue({ code: 'custom', path, message })));
export type BoutiquesDescriptor = z.infer<typeof BoutiquesDescriptorSchema>;

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replace every value-key in `template` in one pass (longest keys first), so substituted text is never re-read. */
function substituteKeys(template: string, replacements: ReadonlyMap<string, string>): string {
  if (replacements.size === 0) return template;
  const keys = [...replacements.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return template.replace(new RegExp(keys.join('|'), 'g'), (k) => replacements.get(k) ?? '');
}

function checkDescriptor(d: z.output<typeof BoutiquesDescriptorSchema>, issue: (path: (string | number)[], message: string) => void) {
  const inputs = new Map<string, BoutiquesInput>();
  d.inputs.forEach((input, i) => {
    if (inputs.has(input.id)) issue(['inputs', i, 'id'], `duplicate input id "${input.id}"`);
    inputs.set(input.id, input);
  });
  const outputs = d['output-files'] ?? [];
  outputs.forEach((o, i) => {
    if (inputs.has(o.id)) issue(['output-files', i, 'id'], `"${o.id}" is already an input id`);
  });
  const groups = new Map<string, BoutiquesGroup>();
  (d.groups ?? []).forEach((g, i) => {
    if (groups.has(g.id) || inputs.has(g.id)) issue(['groups', i, 'id'], `duplicate id "${g.id}"`);
    groups.set(g.id, g);
    g.members.forEach((m, j) => {
      if (!inputs.has(m)) issue(['groups', i, 'members', j], `no input "${m}"`);
    });
    if (g['mutually-exclusive']) {
      const withDefaults = g.members.filter((m) => {
        const input = inputs.get(m);
        return input && isActiveValue(input, defaultOf(input));
      });
      if (withDefaults.length > 1)
        issue(['groups', i, 'members'], `mutually exclusive, yet ${withDefaults.join(' and ')} are all set by default`);
    }
  });

  const files = d.inputs.filter((input) => input.type === 'File');
  if (files.length > 1) issue(['inputs'], 'at most one File input: the portal binds basket items to one input');

  // Value-keys: unique, present in the command line (or a path template), and nothing but them may bring brackets.
  const keys = new Map<string, string>();
  const addKey = (key: string | undefined, owner: string, path: (string | number)[]) => {
    if (key === undefined) return;
    if (keys.has(key)) issue(path, `value-key ${key} is also used by "${keys.get(key)}"`);
    keys.set(key, owner);
  };
  d.inputs.forEach((input, i) => addKey(input['value-key'], input.id, ['inputs', i, 'value-key']));
  outputs.forEach((o, i) => addKey(o['value-key'], o.id, ['output-files', i, 'value-key']));
  const cmd = d['command-line'];
  const inputKeys = new Map(d.inputs.filter((input) => input['value-key']).map((input) => [input['value-key'] as string, '']));
  d.inputs.forEach((input, i) => {
    const key = input['value-key'];
    if (key && !cmd.includes(key) && !outputs.some((o) => o['path-template'].includes(key)))
      issue(['inputs', i, 'value-key'], `${key} does not appear in the command line`);
  });
  outputs.forEach((o, i) => {
    const key = o['value-key'];
    if (key && !cmd.includes(key)) issue(['output-files', i, 'value-key'], `${key} does not appear in the command line`);
    const literal = substituteKeys(o['path-template'], inputKeys);
    if (UNSAFE_VALUE_CHAR.test(literal) || /\s/.test(literal))
      issue(
        ['output-files', i, 'path-template'],
        'outside value-keys, a path template may not contain spaces, quotes, \\ ; [ ] or control characters',
      );
    for (const flagKey of ['command-line-flag', 'command-line-flag-separator'] as const) {
      const text = o[flagKey];
      if (text !== undefined && (UNSAFE_VALUE_CHAR.test(text) || (flagKey === 'command-line-flag' && /\s/.test(text))))
        issue(['output-files', i, flagKey], 'may not contain spaces, quotes, \\ ; [ ] or control characters');
    }
  });
  const literal = substituteKeys(cmd, new Map([...keys.keys()].map((k) => [k, ''])));
  const bad = UNSAFE_TEMPLATE_CHAR.exec(literal);
  if (bad)
    issue(
      ['command-line'],
      `outside value-keys the command line may not contain ${describeChar(bad[0])} (DIRAC's JDL parser gives it meaning)`,
    );

  // requires-inputs: known ids, no cycles.
  d.inputs.forEach((input, i) => {
    (input['requires-inputs'] ?? []).forEach((r, j) => {
      if (r === input.id) issue(['inputs', i, 'requires-inputs', j], 'an input cannot require itself');
      else if (!inputs.has(r) && !groups.has(r)) issue(['inputs', i, 'requires-inputs', j], `no input or group "${r}"`);
    });
  });
  const visiting = new Set<string>();
  const done = new Set<string>();
  const cyclic = (id: string): boolean => {
    if (done.has(id)) return false;
    if (visiting.has(id)) return true;
    visiting.add(id);
    const deps = inputs.get(id)?.['requires-inputs'] ?? groups.get(id)?.members ?? [];
    const found = deps.some(cyclic);
    visiting.delete(id);
    done.add(id);
    return found;
  };
  d.inputs.forEach((input, i) => {
    if (input['requires-inputs'] && cyclic(input.id)) issue(['inputs', i, 'requires-inputs'], 'requirements form a cycle');
  });

  // Portal hints.
  const custom = d.custom ?? {};
  (custom['escape:sweepable'] ?? []).forEach((id, i) => {
    const input = inputs.get(id);
    if (!input) issue(['custom', 'escape:sweepable', i], `no input "${id}"`);
    else if ((input.type !== 'Number' && input.type !== 'String') || input.list)
      issue(
        ['custom', 'escape:sweepable', i],
        `"${id}" is a ${input.list ? 'list' : input.type}: only single-valued Number and String inputs can be swept`,
      );
  });
  (custom['escape:ordered'] ?? []).forEach((pair, i) => {
    pair.forEach((id, j) => {
      const input = inputs.get(id);
      if (!input) issue(['custom', 'escape:ordered', i, j], `no input "${id}"`);
      else if (input.type !== 'Number' || input.list)
        issue(['custom', 'escape:ordered', i, j], `"${id}" must be a single-valued Number input`);
    });
  });
  Object.entries(custom['escape:choice-labels'] ?? {}).forEach(([id, labels]) => {
    const choices = inputs.get(id)?.['value-choices'];
    if (!choices) issue(['custom', 'escape:choice-labels', id], `"${id}" is not an input with value choices`);
    else
      for (const key of Object.keys(labels))
        if (!choices.map(String).includes(key)) issue(['custom', 'escape:choice-labels', id, key], `"${key}" is not one of the choices`);
  });
  Object.keys(custom['escape:input-data-levels'] ?? {}).forEach((id) => {
    if (inputs.get(id)?.type !== 'File') issue(['custom', 'escape:input-data-levels', id], `"${id}" is not a File input`);
  });
  const mode = custom['escape:input-mode'];
  if (mode && mode !== 'none' && files.length === 0) issue(['custom', 'escape:input-mode'], 'the workflow has no File input');
}

// ───────────────────────────── catalogue entries (what the BFF serves) ─────────────────────────────

export const WorkflowIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and "-"');

export const WorkflowSummarySchema = z.object({
  /** The descriptor's file name without `.json`. */
  id: WorkflowIdSchema,
  name: z.string(),
  version: z.string(),
  description: z.string(),
  /** Flattened Boutiques `tags` (values of string/array tags, names of `true` tags). */
  tags: z.array(z.string()),
  resources: z.object({
    cores: z.int().min(1),
    ramGB: z.number().nonnegative().nullable(),
    wallTimeHours: z.number().nonnegative().nullable(),
    /** Job tags (DIRAC `Tag`) every job of this workflow needs. */
    tags: z.array(z.string()),
  }),
  hasFileInput: z.boolean(),
  /** How basket items bind to the File input. */
  inputMode: InputModeSchema,
  container: z.object({ type: z.enum(['docker', 'singularity']), image: z.string() }).nullable(),
  /** Ids of the parameters that may be swept. */
  sweepable: z.array(z.string()),
});
export type WorkflowSummary = z.infer<typeof WorkflowSummarySchema>;

export const WorkflowListSchema = z.object({ items: z.array(WorkflowSummarySchema) });
export type WorkflowList = z.infer<typeof WorkflowListSchema>;

export const WorkflowDetailSchema = WorkflowSummarySchema.extend({ descriptor: BoutiquesDescriptorSchema });
export type WorkflowDetail = z.infer<typeof WorkflowDetailSchema>;

export function workflowSummary(id: string, d: BoutiquesDescriptor): WorkflowSummary {
  const tags: string[] = [];
  for (const [key, value] of Object.entries(d.tags ?? {})) {
    if (typeof value === 'string') tags.push(value);
    else if (Array.isArray(value)) tags.push(...value);
    else if (value) tags.push(key);
  }
  const res = d['suggested-resources'] ?? {};
  const image = d['container-image'];
  const hasFileInput = d.inputs.some((input) => input.type === 'File');
  return {
    id,
    name: d.name,
    version: d['tool-version'],
    description: d.description,
    tags: [...new Set(tags)],
    resources: {
      cores: res['cpu-cores'] ?? 1,
      ramGB: res.ram ?? null,
      wallTimeHours: res['walltime-estimate'] === undefined ? null : Math.round((res['walltime-estimate'] / 3600) * 100) / 100,
      tags: d.custom?.['escape:tags'] ?? [],
    },
    hasFileInput,
    inputMode: d.custom?.['escape:input-mode'] ?? (hasFileInput ? 'per-file' : 'none'),
    container: image
      ? {
          type: image.type,
          image: image.index && !image.image.startsWith(`${image.index}/`) ? `${image.index}/${image.image}` : image.image,
        }
      : null,
    sweepable: d.custom?.['escape:sweepable'] ?? [],
  };
}

// ───────────────────────────── descriptor helpers ─────────────────────────────

/** “Energy minimum (GeV)” (ERANGE_MIN): how messages name a parameter. */
export function inputLabel(input: Pick<BoutiquesInput, 'id' | 'name'>): string {
  return `“${input.name}” (${input.id})`;
}

/** The label of a drop-down choice (`escape:choice-labels`), or the choice itself. */
export function choiceLabel(d: BoutiquesDescriptor, inputId: string, choice: string | number): string {
  return d.custom?.['escape:choice-labels']?.[inputId]?.[String(choice)] ?? String(choice);
}

export function isSweepable(d: BoutiquesDescriptor, inputId: string): boolean {
  return (d.custom?.['escape:sweepable'] ?? []).includes(inputId);
}

function defaultOf(input: BoutiquesInput): ParameterValue | undefined {
  const v = input['default-value'];
  if (v === undefined) return undefined;
  if (input.type === 'Flag') return v;
  return v as ParameterValue;
}

/** Whether a value makes an input "active" for groups and requirements (a Flag only when on). */
function isActiveValue(input: BoutiquesInput, value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (input.type === 'Flag') return value === true;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

function bound(n: number): string {
  return String(n);
}

/** The zod schema of one (non-File) input's value, without optionality. */
export function inputValueSchema(input: BoutiquesInput): z.ZodType<ParameterValue> {
  let item: z.ZodType<string | number | boolean>;
  if (input.type === 'Flag') {
    item = z.boolean({ error: 'Must be on or off (true or false)' });
  } else if (input.type === 'Number') {
    let n = z.number({ error: (iss) => (iss.input === undefined ? 'Required' : 'Enter a number') });
    // A refinement rather than .int(): .int() aborts, which would hide the cross-field checks.
    if (input.integer) n = n.refine((v) => Number.isInteger(v), { error: 'Enter a whole number' });
    const { minimum: min, maximum: max } = input;
    if (min !== undefined)
      n = input['exclusive-minimum']
        ? n.gt(min, { error: `Must be greater than ${bound(min)}` })
        : n.gte(min, { error: `Must be at least ${bound(min)}` });
    if (max !== undefined)
      n = input['exclusive-maximum']
        ? n.lt(max, { error: `Must be less than ${bound(max)}` })
        : n.lte(max, { error: `Must be at most ${bound(max)}` });
    const choices = input['value-choices'];
    item = choices ? n.refine((v) => choices.includes(v), { error: `Choose one of ${choices.join(', ')}` }) : n;
  } else {
    const choices = input['value-choices'];
    const s = z
      .string({ error: (iss) => (iss.input === undefined ? 'Required' : 'Enter text') })
      .max(MAX_TEXT_VALUE, { error: `At most ${MAX_TEXT_VALUE} characters` })
      .superRefine((v, ctx) => {
        const reason = unsafeTextReason(v);
        if (reason) ctx.addIssue({ code: 'custom', message: reason });
      });
    item = choices ? z.enum(choices.map(String) as [string, ...string[]], { error: `Choose one of ${choices.join(', ')}` }) : s;
  }
  if (!input.list) return item;
  const min = input['min-list-entries'] ?? (input.optional ? 0 : 1);
  const max = input['max-list-entries'];
  let list = z
    .array(item as z.ZodType<string | number>, { error: 'Enter a list of values' })
    .min(min, { error: `Enter at least ${min} ${min === 1 ? 'value' : 'values'}` });
  if (max !== undefined) list = list.max(max, { error: `Enter at most ${max} ${max === 1 ? 'value' : 'values'}` });
  return list;
}

// ───────────────────────────── sweeps ─────────────────────────────

export class SweepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SweepError';
  }
}

const SweepNumber = z.number({ error: (iss) => (iss.input === undefined ? 'Required' : 'Enter a number') });

/** A sweep as the portal accepts it (same shape as `SweepSchema` in launches.ts, with readable messages). */
export const WorkflowSweepSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('list'),
      values: z
        .array(z.union([z.string(), z.number()]), { error: 'Enter a list of values' })
        .min(1, { error: 'Enter at least one value' })
        .max(MAX_SWEEP_VALUES, { error: `At most ${MAX_SWEEP_VALUES} values` }),
    }),
    z
      .object({
        kind: z.literal('range'),
        start: SweepNumber,
        step: SweepNumber.positive({ error: 'The step must be greater than 0' }),
        end: SweepNumber,
      })
      .refine((r) => r.end >= r.start, { error: 'The end must not be before the start', path: ['end'] }),
  ],
  { error: 'Choose a list or a range (start, step, end)' },
);

/** The values a sweep stands for (a range includes its end when a step lands on it). */
export function sweepValues(sweep: Sweep): (string | number)[] {
  if (sweep.kind === 'list') return [...sweep.values];
  const { start, step, end } = sweep;
  if (!(step > 0) || !Number.isFinite(start) || !Number.isFinite(end) || end < start)
    throw new SweepError('Invalid range: start ≤ end and a positive step are needed');
  const count = Math.floor((end - start) / step + 1e-9) + 1;
  if (count > MAX_SWEEP_VALUES)
    throw new SweepError(`This range gives ${count.toLocaleString('en-US')} values; at most ${MAX_SWEEP_VALUES.toLocaleString('en-US')}`);
  // Round away binary noise (0.1 + 0.2) without losing meaningful digits.
  return Array.from({ length: count }, (_, i) => Number((start + i * step).toPrecision(12)));
}

/** Messages about one sweep; empty when `sweep` may be used for `paramId`. */
export function validateSweep(d: BoutiquesDescriptor, paramId: string, sweep: unknown): string[] {
  const input = d.inputs.find((i) => i.id === paramId);
  if (!input) return [`There is no parameter "${paramId}" in ${d.name}`];
  if (input.type === 'Flag' || input.type === 'File')
    return [
      `${inputLabel(input)} is ${input.type === 'Flag' ? 'an on/off switch' : 'an input file'}: only Number and String parameters can be swept`,
    ];
  if (input.list) return [`${inputLabel(input)} is a list: only single-valued Number and String parameters can be swept`];
  if (!isSweepable(d, paramId)) {
    const allowed = d.custom?.['escape:sweepable'] ?? [];
    return [`${inputLabel(input)} cannot be swept in ${d.name}${allowed.length ? ` (sweepable: ${allowed.join(', ')})` : ''}`];
  }
  const parsed = WorkflowSweepSchema.safeParse(sweep);
  if (!parsed.success) return parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  if (parsed.data.kind === 'range' && input.type === 'String')
    return [`${inputLabel(input)} is text: sweep it over a list of values, not a range`];
  let values: (string | number)[];
  try {
    values = sweepValues(parsed.data);
  } catch (err) {
    return [(err as Error).message];
  }
  const messages: string[] = [];
  const seen = new Set<string>();
  for (const v of values) {
    const key = `${typeof v}:${v}`;
    if (seen.has(key)) messages.push(`${v} is listed twice`);
    seen.add(key);
  }
  const schema = inputValueSchema(input);
  const bad: string[] = [];
  for (const v of values) {
    const r = schema.safeParse(v);
    if (!r.success) bad.push(`${typeof v === 'string' ? `"${v}"` : v}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  }
  if (bad.length > 5) messages.push(...bad.slice(0, 5), `…and ${bad.length - 5} more invalid values`);
  else messages.push(...bad);
  return messages;
}

/** Number of value sets the sweeps stand for (1 without sweeps). Throws SweepError for a too-long range. */
export function countCombinations(sweeps: Readonly<Record<string, Sweep>>): number {
  let n = 1;
  for (const s of Object.values(sweeps)) n *= sweepValues(s).length;
  return n;
}

/**
 * Concrete value sets: the cartesian product of the sweeps over `values`. Stable order: swept
 * parameters in code-point order of their ids, the first varying slowest, each sweep's values
 * in their own order. More than MAX_COMBINATIONS throws a SweepError.
 */
export function expandSweeps<V>(
  values: Readonly<Record<string, V>>,
  sweeps: Readonly<Record<string, Sweep>>,
): Record<string, V | string | number>[] {
  const ids = Object.keys(sweeps).sort();
  const lists = ids.map((id) => sweepValues(sweeps[id] as Sweep));
  const total = lists.reduce((n, l) => n * l.length, 1);
  if (total > MAX_COMBINATIONS)
    throw new SweepError(
      `These sweeps make ${total.toLocaleString('en-US')} combinations; at most ${MAX_COMBINATIONS.toLocaleString('en-US')} per launch`,
    );
  let sets: Record<string, V | string | number>[] = [{ ...values }];
  ids.forEach((id, k) => {
    const next: Record<string, V | string | number>[] = [];
    for (const set of sets) for (const v of lists[k] ?? []) next.push({ ...set, [id]: v });
    sets = next;
  });
  return sets;
}

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
  return { inputs, provided, effective, active, requirementsMet: (id: string) => requirementsMet(id) };
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
  if (!input?.['requires-inputs']) return null;
  const ev = evaluate(d, values, new Set(sweptIds));
  return ev.requirementsMet(inputId) ? null : `Only used when ${requirementText(d, input)}`;
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
    if (!ev.requirementsMet(input.id)) {
      const given = ev.provided(input.id);
      if (swept.has(input.id) || isActiveValue(input, given))
        issue([input.id], `${inputLabel(input)} is only used when ${requirementText(d, input)}: clear it or turn that on`);
      continue;
    }
    if (!input.optional && !swept.has(input.id) && ev.effective(input.id) === undefined && !failed.has(input.id))
      issue([input.id], 'Required');
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
  for (const [a, b] of d.custom?.['escape:ordered'] ?? []) {
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
    if (input.type === 'File' || swept.has(input.id) || !ev.requirementsMet(input.id)) continue;
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

// ───────────────────────────── the command line ─────────────────────────────

export class CommandLineError extends Error {
  readonly inputId: string | null;
  constructor(message: string, inputId: string | null = null) {
    super(inputId ? `${inputId}: ${message}` : message);
    this.name = 'CommandLineError';
    this.inputId = inputId;
  }
}

const SHELL_BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word for a POSIX shell: bare when harmless, else in single quotes (which values never contain). */
function shellWord(id: string, text: string): string {
  const reason = unsafeTextReason(text);
  if (reason) throw new CommandLineError(reason, id);
  return SHELL_BARE.test(text) ? text : `'${text}'`;
}

function valueText(input: BoutiquesInput, v: unknown): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new CommandLineError('numbers must be finite', input.id);
    return String(v);
  }
  if (typeof v === 'string' && input.type !== 'Number') return v;
  throw new CommandLineError(`expected ${input.type === 'Number' ? 'a number' : 'text'}`, input.id);
}

/**
 * The command from the descriptor's `command-line`, each input's value-key replaced the way
 * Boutiques does it (`bosh exec`): `flag + separator + value` (a Flag input: its flag when on),
 * list items joined by the list separator, text quoted for a POSIX shell, absent inputs removed,
 * output-file keys replaced by their path template. Pass values validated by `descriptorToZod`
 * (for one combination of sweeps) plus, for a File input, the names bound to it.
 * Never returns `"`, `\`, `;`, `[`, `]` or control characters; throws CommandLineError instead.
 */
export function renderCommandLine(d: BoutiquesDescriptor, values: Readonly<Record<string, unknown>>): string {
  const raw = new Map<string, string | null>(); // value-key -> text without flag (for path templates)
  const replacements = new Map<string, string>();
  for (const input of d.inputs) {
    const key = input['value-key'];
    if (!key) continue;
    const v = values[input.id];
    const flag = input['command-line-flag'];
    const sep = input['command-line-flag-separator'] ?? ' ';
    if (input.type === 'Flag') {
      replacements.set(key, v === true && flag ? flag : '');
      raw.set(key, null);
      continue;
    }
    const items = v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v];
    if (items.length === 0) {
      replacements.set(key, '');
      raw.set(key, null);
      continue;
    }
    const texts = items.map((item) => valueText(input, item));
    const listSep = input['list-separator'] ?? ' ';
    const quoted = texts.map((t) => (input.type === 'Number' ? t : shellWord(input.id, t))).join(listSep);
    replacements.set(key, flag ? `${flag}${sep}${quoted}` : quoted);
    raw.set(key, texts.map((t) => (input.type === 'File' ? (t.split('/').pop() ?? t) : t)).join('_'));
  }
  for (const o of d['output-files'] ?? []) {
    const key = o['value-key'];
    if (!key) continue;
    let path = o['path-template'];
    const stripped = o['path-template-stripped-extensions'] ?? [];
    const inPath = new Map<string, string>();
    for (const [k, text] of raw) {
      let t = text ?? '';
      for (const ext of stripped) if (t.endsWith(ext)) t = t.slice(0, -ext.length);
      inPath.set(k, t);
    }
    path = substituteKeys(path, inPath);
    const word = shellWord(o.id, path);
    const flag = o['command-line-flag'];
    replacements.set(key, flag ? `${flag}${o['command-line-flag-separator'] ?? ' '}${word}` : word);
  }
  // Absent values take the space before their key with them (as bosh does).
  let template = d['command-line'];
  for (const [key, text] of replacements) if (text === '') template = template.split(` ${key}`).join(key);
  const command = substituteKeys(template, replacements).replace(/^\s+|\s+$/g, '');
  const bad = JDL_UNSAFE_CHAR.exec(command);
  if (bad) throw new CommandLineError(`the command line would contain ${describeChar(bad[0])}`);
  if (command.length > MAX_COMMAND_LINE)
    throw new CommandLineError(`the command line is ${command.length} characters long; at most ${MAX_COMMAND_LINE}`);
  return command;
}

export type { InputMode };
