import { z } from 'zod';
import { InputModeSchema } from '../launches.ts';
import { CONTROL_CHAR, describeChar, UNSAFE_TEMPLATE_CHAR, UNSAFE_VALUE_CHAR, unsafeTextReason } from '../text.ts';
import { substituteKeys } from './command-line.ts';
import { defaultOf, inputValueSchema, isActiveValue } from './input-value.ts';

/**
 * Workflows: applications described by Boutiques descriptors (schema-version 0.5, the format
 * VIP uses; https://github.com/boutiques/boutiques, boutiques/schema/descriptor.schema.json).
 *
 * The modules of contracts/workflows/ are the single source of truth for a workflow's parameters:
 * - descriptor.ts (this one): the descriptor's zod schema and its consistency checks;
 * - input-value.ts: the zod schema of one input's value;
 * - rules.ts: from a descriptor, the zod schema of the parameter `values` and of `{values, sweeps}`
 *   (the SPA form's resolver and the BFF's validation use the same one);
 * - sweeps.ts: sweeps, checked and expanded into concrete value sets;
 * - command-line.ts: the command line that the launch engine puts into the JDL `Arguments`;
 * - catalogue.ts: the catalogue entries the BFF serves.
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
  /** Lines of a file the portal writes into the input sandbox (a configuration file, e.g. a runcard): runcards.ts. */
  'file-template': z
    .array(
      z
        .string()
        .max(4096)
        .refine((line) => !CONTROL_CHAR.test(line), 'a template line may not contain control characters'),
    )
    .min(1)
    .max(2000)
    .optional(),
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
  /** Optional integer inputs the portal fills per job when left empty (random seeds): derived from the launch and job index. */
  'escape:derived-seeds': z.array(Id).optional(),
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
    const inTemplates = outputs.some(
      (o) => o['path-template'].includes(key ?? '') || (o['file-template'] ?? []).some((l) => l.includes(key ?? '')),
    );
    if (key && !cmd.includes(key) && !inTemplates) issue(['inputs', i, 'value-key'], `${key} does not appear in the command line`);
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
  (custom['escape:derived-seeds'] ?? []).forEach((id, i) => {
    const input = inputs.get(id);
    if (!input || input.type !== 'Number' || !input.integer || input.list || !input.optional)
      issue(['custom', 'escape:derived-seeds', i], `"${id}" must be an optional, single-valued integer Number input`);
  });
  const mode = custom['escape:input-mode'];
  if (mode && mode !== 'none' && files.length === 0) issue(['custom', 'escape:input-mode'], 'the workflow has no File input');
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
