import { z } from 'zod';
import { InputModeSchema } from '../launches.ts';
import { commandTextReason } from '../text.ts';
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
 * - command-line.ts: the command line, as Boutiques' `bosh exec` writes it;
 * - catalogue.ts: the catalogue entries the BFF serves.
 *
 * Two layers:
 * - `BoutiquesStandardSchema` is the whole official JSON schema of Boutiques 0.5 written in zod
 *   (every field, the `dependencies`, `anyOf`, `oneOf`, `uniqueItems` rules). Standard fields the
 *   portal does not use (`tests`, `online-platform-urls`, `invocation-schema`, …) are kept as they
 *   are; fields the standard does not have are refused, as the official schema does.
 *   `descriptor-schema.test.ts` checks that it agrees with the official schema (run by Python's
 *   `jsonschema` from the pinned PyPI `boutiques`) on real and generated descriptors.
 * - `BoutiquesDescriptorSchema` adds the consistency checks of `bosh validate` (unique ids,
 *   value-keys, requirements, groups, …) and the portal's own (defaults fit their input, no
 *   control characters, the `custom` hints below).
 *
 * Portal hints live under `custom`, where the standard has no field:
 * - `escape:sweepable`: ids of the (single-valued Number or String) inputs that may be swept;
 * - `escape:ordered`: pairs `[a, b]` of Number inputs with `a <= b` (e.g. an energy range);
 * - `escape:choice-labels`: `{inputId: {choice: label}}` for drop-downs;
 * - `escape:tags`: job tags every job needs (e.g. `GPU`);
 * - `escape:input-mode`: how basket items bind to the File inputs (`per-file` | `all-in-one`);
 * - `escape:input-data-levels`: `{fileInputId: ["DL0"]}`, the data levels a File input reads;
 * - `escape:derived-seeds`: optional integer inputs (random seeds) the portal fills per job when left
 *   empty, from the launch and the job index (server/launches/runcards.ts).
 */

// ───────────────────────────── the official schema (Boutiques 0.5) ─────────────────────────────

/** The official id pattern (`^[0-9,_,a-z,A-Z]*$`: letters, digits, "_" and, as written there, ","). */
const ID_PATTERN = /^[0-9,_a-zA-Z]+$/;
const Id = z.string().regex(ID_PATTERN, 'letters, digits and "_" only');
const Text = z.string().min(1);
const JsonObject = z.record(z.string(), z.unknown());

type Issue = (path: (string | number)[], message: string) => void;
const sink =
  (ctx: z.core.$RefinementCtx): Issue =>
  (path, message) =>
    ctx.addIssue({ code: 'custom', path, message });

/**
 * JSON with object keys sorted at every level and no insignificant whitespace: equal for equal JSON
 * values (the schema's `uniqueItems`), and the text a catalogue descriptor's sha-256 is taken of.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
function uniqueItems<T>(items: readonly T[], issue: Issue, path: (string | number)[]) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = canonicalJson(item);
    if (seen.has(key)) issue([...path, i], 'is the same as an earlier item (items must be unique)');
    seen.add(key);
  });
}
/** The schema's `dependencies`: a field that needs another one. */
function needs(obj: Record<string, unknown>, field: string, other: string, issue: Issue) {
  if (obj[field] !== undefined && obj[other] === undefined) issue([field], `needs "${other}"`);
}

export const BoutiquesInputTypeSchema = z.enum(['String', 'Number', 'Flag', 'File']);
export type BoutiquesInputType = z.infer<typeof BoutiquesInputTypeSchema>;

export const BoutiquesInputSchema = z
  .strictObject({
    id: Id,
    name: Text,
    type: BoutiquesInputTypeSchema,
    description: z.string().optional(),
    'value-key': z.string().optional(),
    list: z.boolean().optional(),
    'list-separator': z.string().optional(),
    optional: z.boolean().optional(),
    'command-line-flag': z.string().optional(),
    'command-line-flag-separator': z.string().optional(),
    'requires-inputs': z.array(z.string()).optional(),
    'disables-inputs': z.array(z.string()).optional(),
    'default-value': z.unknown().optional(),
    'value-choices': z.array(z.union([z.string(), z.number()])).optional(),
    /** `{choice: [input ids]}`: inputs a choice needs. */
    'value-requires': z.record(z.string(), z.unknown()).optional(),
    /** `{choice: [input ids]}`: inputs a choice turns off. */
    'value-disables': z.record(z.string(), z.unknown()).optional(),
    integer: z.boolean().optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    'exclusive-minimum': z.boolean().optional(),
    'exclusive-maximum': z.boolean().optional(),
    'min-list-entries': z.number().optional(),
    'max-list-entries': z.number().optional(),
    'uses-absolute-path': z.boolean().optional(),
  })
  .superRefine((input, ctx) => {
    const issue = sink(ctx);
    if (input.type === 'Flag' && input.list === true) issue(['list'], 'a Flag input cannot be a list');
    needs(input, 'command-line-flag-separator', 'command-line-flag', issue);
    for (const key of ['min-list-entries', 'max-list-entries', 'list-separator'] as const) needs(input, key, 'list', issue);
    needs(input, 'exclusive-minimum', 'minimum', issue);
    needs(input, 'exclusive-maximum', 'maximum', issue);
    needs(input, 'value-disables', 'value-choices', issue);
    if (input['value-choices'] !== undefined && input.type !== 'String' && input.type !== 'Number')
      issue(['value-choices'], 'only String and Number inputs may have value choices');
    for (const key of ['integer', 'minimum', 'maximum'] as const)
      if (input[key] !== undefined && input.type !== 'Number') issue([key], `only Number inputs may have "${key}"`);
    if (input['uses-absolute-path'] !== undefined && input.type !== 'File')
      issue(['uses-absolute-path'], 'only File inputs may have "uses-absolute-path"');
  });
export type BoutiquesInput = z.infer<typeof BoutiquesInputSchema>;

export const BoutiquesGroupSchema = z.strictObject({
  id: Id,
  name: Text,
  description: z.string().optional(),
  members: z.array(Id),
  'mutually-exclusive': z.boolean().optional(),
  'one-is-required': z.boolean().optional(),
  'all-or-none': z.boolean().optional(),
});
export type BoutiquesGroup = z.infer<typeof BoutiquesGroupSchema>;

/** A `conditional-path-template` entry: `{"[expression]": "path"}` (the schema's odd `propertyNames` property kept). */
const ConditionalPathSchema = JsonObject.superRefine((o, ctx) => {
  const p = o.propertyNames;
  if (typeof p === 'string' && !/^[A-Za-z0-9_><=!)( ]*$/.test(p)) sink(ctx)(['propertyNames'], 'invalid expression');
});

export const BoutiquesOutputFileSchema = z
  .strictObject({
    id: Id,
    name: Text,
    description: z.string().optional(),
    'value-key': z.string().optional(),
    'path-template': Text.optional(),
    'conditional-path-template': z.array(ConditionalPathSchema).optional(),
    'path-template-stripped-extensions': z.array(z.string()).optional(),
    list: z.boolean().optional(),
    optional: z.boolean().optional(),
    'command-line-flag': z.string().optional(),
    'command-line-flag-separator': z.string().optional(),
    'uses-absolute-path': z.boolean().optional(),
    /** Lines of a file the portal ships in the job's input sandbox (a configuration file, a runcard): server/launches/runcards.ts. */
    'file-template': z.array(z.string()).min(1).optional(),
  })
  .superRefine((o, ctx) => {
    const issue = sink(ctx);
    const hasPath = o['path-template'] !== undefined;
    const hasConditional = o['conditional-path-template'] !== undefined;
    if (hasPath === hasConditional)
      issue(
        hasPath ? ['conditional-path-template'] : ['path-template'],
        'needs exactly one of "path-template" and "conditional-path-template"',
      );
    if (o.list === true && o['file-template'] !== undefined) issue(['file-template'], 'a list output cannot have a file template');
    needs(o, 'command-line-flag-separator', 'command-line-flag', issue);
  });
export type BoutiquesOutputFile = z.infer<typeof BoutiquesOutputFileSchema>;

const ContainerCommon = { 'working-directory': Text.optional(), 'container-hash': Text.optional() };
/** By `type`, so that an image type the sites cannot run (apptainer: docker, singularity, rootfs) is named as such. */
export const BoutiquesContainerSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.enum(['docker', 'singularity']),
    image: Text,
    entrypoint: z.boolean().optional(),
    index: Text.optional(),
    'container-opts': z.array(z.string()).optional(),
    ...ContainerCommon,
  }),
  z.strictObject({ type: z.literal('rootfs'), url: Text, ...ContainerCommon }),
]);
export type BoutiquesContainer = z.infer<typeof BoutiquesContainerSchema>;

export const BoutiquesResourcesSchema = z.looseObject({
  'cpu-cores': z.int().min(1).optional(),
  /** GB */
  ram: z.number().min(0).optional(),
  /** GB */
  'disk-space': z.number().min(0).optional(),
  nodes: z.int().min(1).optional(),
  /** seconds */
  'walltime-estimate': z.number().min(0).optional(),
});

export const BoutiquesEnvironmentVariableSchema = z.strictObject({
  name: z.string().regex(/^[a-z,A-Z][0-9,_a-zA-Z]*$/, 'a variable name: a letter, then letters, digits and "_"'),
  value: z.string(),
  description: z.string().optional(),
});

export const BoutiquesErrorCodeSchema = z.strictObject({ code: z.int(), description: z.string() });
export type BoutiquesErrorCode = z.infer<typeof BoutiquesErrorCodeSchema>;

const BoutiquesTestSchema = z.looseObject({
  name: Text,
  invocation: JsonObject,
  assertions: z
    .looseObject({
      'exit-code': z.int().optional(),
      'output-files': z
        .array(z.looseObject({ id: z.unknown(), 'md5-reference': Text.optional() }).refine((o) => 'id' in o, 'needs "id"'))
        .min(1)
        .optional(),
    })
    .refine((a) => a['exit-code'] !== undefined || a['output-files'] !== undefined, 'needs "exit-code" or "output-files"'),
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

/** The official Boutiques 0.5 JSON schema, in zod (no consistency checks beyond it). */
export const BoutiquesStandardSchema = z
  .strictObject({
    name: Text,
    'tool-version': Text,
    'deprecated-by-doi': z.union([Text, z.boolean()]).optional(),
    description: Text,
    author: Text.optional(),
    url: Text.optional(),
    'descriptor-url': Text.optional(),
    doi: Text.optional(),
    shell: Text.optional(),
    'tool-doi': Text.optional(),
    'command-line': Text,
    'container-image': BoutiquesContainerSchema.optional(),
    'schema-version': z.literal('0.5', { error: 'must be "0.5" (the Boutiques schema version this portal reads)' }),
    'environment-variables': z.array(BoutiquesEnvironmentVariableSchema).min(1).optional(),
    groups: z.array(BoutiquesGroupSchema).min(1).optional(),
    inputs: z.array(BoutiquesInputSchema).min(1),
    tests: z.array(BoutiquesTestSchema).min(1).optional(),
    'online-platform-urls': z.array(z.string().regex(/^https?:\/\//, 'an http(s) URL')).optional(),
    'output-files': z.array(BoutiquesOutputFileSchema).min(1).optional(),
    'invocation-schema': JsonObject.optional(),
    'suggested-resources': BoutiquesResourcesSchema.optional(),
    tags: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.boolean()])).optional(),
    'error-codes': z.array(BoutiquesErrorCodeSchema).min(1).optional(),
    custom: JsonObject.optional(),
  })
  .superRefine((d, ctx) => {
    const issue = sink(ctx);
    for (const key of ['environment-variables', 'groups', 'inputs', 'output-files', 'error-codes'] as const) {
      const items = d[key];
      if (items) uniqueItems(items as readonly unknown[], issue, [key]);
    }
  });

// ───────────────────────────── the consistency checks ─────────────────────────────

export const BoutiquesDescriptorSchema = BoutiquesStandardSchema.superRefine((d, ctx) => {
  checkDescriptor(d, sink(ctx));
  const custom = EscapeCustomSchema.safeParse(d.custom ?? {});
  if (!custom.success) for (const i of custom.error.issues) sink(ctx)(['custom', ...i.path.map((p) => p as string | number)], i.message);
  else checkHints(d, custom.data, sink(ctx));
});
export type BoutiquesDescriptor = z.infer<typeof BoutiquesDescriptorSchema>;

/** Longest command-line template, file-template line, text, … a descriptor may hold. */
export const MAX_DESCRIPTOR_TEXT = 16_384;
/** Most lines a file template may have. */
export const MAX_FILE_TEMPLATE_LINES = 2000;

/** The checks `bosh validate` makes beyond the schema, and the portal's own (named fields, never fatal). */
function checkDescriptor(d: z.output<typeof BoutiquesStandardSchema>, issue: Issue) {
  const inputs = new Map<string, BoutiquesInput>();
  const outputs = d['output-files'] ?? [];
  const groups = d.groups ?? [];
  const ids = new Set<string>();
  const claim = (id: string, path: (string | number)[]) => {
    if (ids.has(id)) issue(path, `duplicate id "${id}"`);
    ids.add(id);
  };
  d.inputs.forEach((input, i) => {
    claim(input.id, ['inputs', i, 'id']);
    inputs.set(input.id, input);
  });
  outputs.forEach((o, i) => claim(o.id, ['output-files', i, 'id']));
  groups.forEach((g, i) => claim(g.id, ['groups', i, 'id']));
  const groupIds = new Set(groups.map((g) => g.id));
  const required = (id: string) => inputs.get(id)?.optional !== true;

  // Control characters: nowhere in what reaches a job (the command line, file templates, values).
  const control = (text: string | undefined, path: (string | number)[]) => {
    const reason = text === undefined ? null : commandTextReason(text);
    if (reason) issue(path, reason.replace('in a parameter value', 'here'));
    else if (text !== undefined && text.length > MAX_DESCRIPTOR_TEXT) issue(path, `longer than ${MAX_DESCRIPTOR_TEXT} characters`);
  };
  // The command line is shell code (bosh runs it with sh -c): it may span lines.
  control(d['command-line'].replace(/[\n\t]/g, ' '), ['command-line']);

  // Value-keys: in the command line (or a file/path template, or an environment variable), none inside another.
  const keyed = [
    ...d.inputs.map((x, i) => ({ key: x['value-key'], path: ['inputs', i, 'value-key'] })),
    ...outputs.map((x, i) => ({ key: x['value-key'], path: ['output-files', i, 'value-key'] })),
  ].filter((k): k is { key: string; path: (string | number)[] } => k.key !== undefined);
  const haystack = [
    d['command-line'],
    ...outputs.flatMap((o) => [...(o['file-template'] ?? []), o['path-template'] ?? '']),
    ...(d['environment-variables'] ?? []).map((e) => e.value),
  ].join('\u0000');
  for (const { key, path } of keyed) {
    if (key === '') issue(path, 'must not be empty');
    else if (!haystack.includes(key)) issue(path, `${key} does not appear in the command line, a file template or an environment variable`);
    const inside = keyed.find((k) => k.key !== key && k.key !== '' && key.includes(k.key));
    if (inside) issue(path, `${key} contains the value-key ${inside.key}`);
  }
  const byKey = new Map<string, string[]>();
  d.inputs.forEach((x) => {
    const key = x['value-key'];
    if (key) byKey.set(key, [...(byKey.get(key) ?? []), x.id]);
  });
  outputs.forEach((x, i) => {
    const key = x['value-key'];
    if (key && byKey.has(key)) issue(['output-files', i, 'value-key'], `value-key ${key} is also used by "${byKey.get(key)?.[0]}"`);
  });
  for (const [key, owners] of byKey) {
    // bosh allows a shared value-key only among the members of one mutually exclusive group.
    if (owners.length > 1 && !groups.some((g) => g['mutually-exclusive'] && owners.every((o) => g.members.includes(o))))
      issue(['inputs', d.inputs.findIndex((x) => x.id === owners[1]), 'value-key'], `value-key ${key} is also used by "${owners[0]}"`);
  }

  const paths = new Map<string, string>();
  outputs.forEach((o, i) => {
    const p = o['path-template'];
    if (p !== undefined) {
      if (paths.has(p)) issue(['output-files', i, 'path-template'], `the same path template as "${paths.get(p)}"`);
      paths.set(p, o.id);
    }
    control(p, ['output-files', i, 'path-template']);
    control(o['command-line-flag'], ['output-files', i, 'command-line-flag']);
    control(o['command-line-flag-separator'], ['output-files', i, 'command-line-flag-separator']);
    if ((o['file-template']?.length ?? 0) > MAX_FILE_TEMPLATE_LINES)
      issue(['output-files', i, 'file-template'], `at most ${MAX_FILE_TEMPLATE_LINES} lines`);
    (o['file-template'] ?? []).forEach((line, j) => {
      // A file template is text with line breaks between its entries: an entry itself holds none.
      control(line, ['output-files', i, 'file-template', j]);
    });
    const cond = o['conditional-path-template'];
    if (cond) {
      const defaults = cond.filter((c) => Object.keys(c)[0] === 'default').length;
      if (!o.optional && defaults === 0)
        issue(['output-files', i, 'conditional-path-template'], 'a required output needs a "default" path');
      if (defaults > 1) issue(['output-files', i, 'conditional-path-template'], 'at most one "default" path');
    }
  });

  d.inputs.forEach((input, i) => {
    const at = (...rest: (string | number)[]) => ['inputs', i, ...rest];
    for (const key of ['command-line-flag', 'command-line-flag-separator', 'list-separator', 'description'] as const)
      control(input[key], at(key));
    if (input.type === 'Flag') {
      if (input['command-line-flag'] === undefined) issue(at('command-line-flag'), 'a Flag input needs a command-line flag');
      if (input.optional !== true) issue(at('optional'), 'a Flag input must be optional');
      if (input['default-value'] !== undefined && typeof input['default-value'] !== 'boolean')
        issue(at('default-value'), 'must be true or false');
    }
    if (input.minimum !== undefined && input.maximum !== undefined && input.minimum > input.maximum)
      issue(at('maximum'), 'must not be smaller than "minimum"');
    const choices = input['value-choices'];
    if (choices) {
      if (choices.length === 0) issue(at('value-choices'), 'needs at least one choice');
      choices.forEach((c, j) => {
        if (input.type === 'Number' && typeof c !== 'number') issue(at('value-choices', j), 'must be a number');
        if (input.type === 'String' && typeof c !== 'string') issue(at('value-choices', j), 'must be text');
        if (typeof c === 'string') control(c, at('value-choices', j));
      });
      if (new Set(choices).size !== choices.length) issue(at('value-choices'), 'choices must be unique');
    }
    if (input.list !== undefined) {
      const min = input['min-list-entries'] ?? 0;
      const max = input['max-list-entries'] ?? Infinity;
      if (min > max) issue(at('max-list-entries'), 'must not be smaller than "min-list-entries"');
      if (min < 0) issue(at('min-list-entries'), 'must not be negative');
      if (max <= 0) issue(at('max-list-entries'), 'must be positive');
    }
    const known = (id: string) => inputs.has(id);
    (input['requires-inputs'] ?? []).forEach((r, j) => {
      if (r === input.id) issue(at('requires-inputs', j), 'an input cannot require itself');
      else if (!known(r) && !groupIds.has(r)) issue(at('requires-inputs', j), `no input or group "${r}"`);
      if ((input['disables-inputs'] ?? []).includes(r)) issue(at('requires-inputs', j), `"${r}" is both required and disabled`);
    });
    (input['disables-inputs'] ?? []).forEach((r, j) => {
      if (!known(r)) issue(at('disables-inputs', j), `no input "${r}"`);
      else if (required(r)) issue(at('disables-inputs', j), `"${r}" is required: it cannot be disabled`);
    });
    if ((input['requires-inputs'] || input['disables-inputs']) && input.optional !== true)
      issue(at('optional'), 'a required input cannot require or disable other inputs');
    for (const field of ['value-requires', 'value-disables'] as const) {
      const map = input[field];
      if (!map) continue;
      if (!choices) {
        issue(at(field), 'needs "value-choices"');
        continue;
      }
      const keys = Object.keys(map);
      if (keys.length !== choices.length || !choices.every((c) => keys.includes(String(c))))
        issue(at(field), 'needs exactly one entry per value choice');
      for (const [choice, list] of Object.entries(map)) {
        if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
          issue(at(field, choice), 'must be a list of input ids');
          continue;
        }
        list.forEach((id: string, j) => {
          if (!known(id)) issue(at(field, choice, j), `no input "${id}"`);
          else if (required(id))
            issue(at(field, choice, j), `"${id}" is required: a choice cannot ${field === 'value-requires' ? 'require' : 'disable'} it`);
          const other = input[field === 'value-requires' ? 'value-disables' : 'value-requires']?.[choice];
          if (field === 'value-disables' && Array.isArray(other) && other.includes(id))
            issue(at(field, choice, j), `"${id}" is both required and disabled by ${choice}`);
        });
      }
    }
    if (input['default-value'] !== undefined && input.type !== 'Flag' && input.type !== 'File') {
      // Held to what a job can receive today (input-value.ts): a default is sent when the user leaves the field alone.
      const parsed = inputValueSchema(input).safeParse(defaultOf(input));
      if (!parsed.success) issue(at('default-value'), `does not fit the input: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
  });

  groups.forEach((g, i) => {
    const seen = new Set<string>();
    g.members.forEach((m, j) => {
      if (!inputs.has(m)) issue(['groups', i, 'members', j], `no input "${m}"`);
      if (seen.has(m)) issue(['groups', i, 'members', j], `"${m}" appears twice`);
      seen.add(m);
    });
    const members = g.members.filter((m) => inputs.has(m));
    if (g['mutually-exclusive'] || g['one-is-required']) {
      const req = members.find(required);
      if (req)
        issue(
          ['groups', i, 'members'],
          `"${req}" is required, so it cannot be in a ${g['mutually-exclusive'] ? 'mutually exclusive' : 'one-is-required'} group`,
        );
    }
    if (g['mutually-exclusive']) {
      for (const m of members)
        for (const r of inputs.get(m)?.['requires-inputs'] ?? [])
          if (members.includes(r)) issue(['groups', i, 'members'], `mutually exclusive, yet "${m}" requires "${r}"`);
      const withDefaults = members.filter((m) => {
        const input = inputs.get(m);
        return input && isActiveValue(input, defaultOf(input));
      });
      if (withDefaults.length > 1)
        issue(['groups', i, 'members'], `mutually exclusive, yet ${withDefaults.join(' and ')} are all set by default`);
    }
    if (g['all-or-none']) {
      if (g['mutually-exclusive'] || g['one-is-required'])
        issue(['groups', i], 'an all-or-none group cannot also be mutually exclusive or one-is-required');
      const req = members.find(required);
      if (req) issue(['groups', i, 'members'], `"${req}" is required, so it cannot be in an all-or-none group`);
    }
  });

  (d['environment-variables'] ?? []).forEach((e, i) => {
    // The schema's pattern lets a comma in (`[a-z,A-Z]`); the wrapper script exports the name with a shell.
    if (e.name.includes(',')) issue(['environment-variables', i, 'name'], 'a comma cannot be in a variable name (letters, digits and "_")');
    control(e.value, ['environment-variables', i, 'value']);
  });
  const img = d['container-image'];
  if (img && img.type !== 'rootfs') (img['container-opts'] ?? []).forEach((o, i) => control(o, ['container-image', 'container-opts', i]));
}

function checkHints(d: z.output<typeof BoutiquesStandardSchema>, custom: z.output<typeof EscapeCustomSchema>, issue: Issue) {
  const inputs = new Map(d.inputs.map((x) => [x.id, x]));
  const files = d.inputs.filter((input) => input.type === 'File');
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

/** The portal hints of a (valid) descriptor. */
export function hintsOf(d: BoutiquesDescriptor): z.output<typeof EscapeCustomSchema> {
  const parsed = EscapeCustomSchema.safeParse(d.custom ?? {});
  return parsed.success ? parsed.data : {};
}

/** “Energy minimum (GeV)” (ERANGE_MIN): how messages name a parameter. */
export function inputLabel(input: Pick<BoutiquesInput, 'id' | 'name'>): string {
  return `“${input.name}” (${input.id})`;
}

/** The label of a drop-down choice (`escape:choice-labels`), or the choice itself. */
export function choiceLabel(d: BoutiquesDescriptor, inputId: string, choice: string | number): string {
  return hintsOf(d)['escape:choice-labels']?.[inputId]?.[String(choice)] ?? String(choice);
}

export function isSweepable(d: BoutiquesDescriptor, inputId: string): boolean {
  return (hintsOf(d)['escape:sweepable'] ?? []).includes(inputId);
}

/**
 * The readable reason for a job's application status when it is "Exit code N" (what the local sites and
 * DIRAC's JobWrapper report for a payload that failed) and the descriptor declares N in `error-codes`.
 */
export function applicationStatusReason(d: BoutiquesDescriptor, applicationStatus: string | null | undefined): string | null {
  const m = /^Exit code (-?\d{1,4})$/.exec(applicationStatus?.trim() ?? '');
  return m ? errorCodeReason(d, Number(m[1])) : null;
}

/** The readable reason for a job's exit code (the descriptor's `error-codes`), or null. */
export function errorCodeReason(d: BoutiquesDescriptor, exitCode: number): string | null {
  return d['error-codes']?.find((e) => e.code === exitCode)?.description ?? null;
}
