import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applicationStatusReason, BoutiquesDescriptorSchema, errorCodeReason, type BoutiquesInput } from './descriptor.ts';
import { baseDescriptor, CATALOGUE, CORPUS, loadCorpus, WORKFLOWS_DIR } from './testing/descriptors.ts';

const issuesOf = (raw: unknown) => {
  const r = BoutiquesDescriptorSchema.safeParse(raw);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};
const inputs = (over: Record<string, unknown>[]) => baseDescriptor({ inputs: over as BoutiquesInput[] });

describe('BoutiquesDescriptorSchema', () => {
  it.each(CATALOGUE)('accepts the catalogue descriptor %s', (file) => {
    const raw = JSON.parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8'));
    expect(issuesOf(raw)).toEqual([]);
  });

  it('has the four catalogue workflows', () => {
    expect(CATALOGUE).toEqual(['corsika.json', 'cta-dl0-dl3.json', 'hello-world.json', 'irf-generation.json']);
  });

  it.each(CORPUS)('loads the real-world descriptor %s (Boutiques’ own examples and tests)', (file) => {
    expect(issuesOf(loadCorpus(file))).toEqual([]);
  });

  it('keeps the standard fields it does not use, exactly as written', () => {
    const raw = loadCorpus('example1_docker.json') as Record<string, unknown>;
    const parsed = BoutiquesDescriptorSchema.parse(raw);
    for (const key of ['tests', 'online-platform-urls', 'environment-variables', 'error-codes', 'tool-doi', 'descriptor-url'])
      expect(parsed[key as keyof typeof parsed], key).toEqual(raw[key]);
    expect(parsed['container-image']).toEqual(raw['container-image']);
    expect(errorCodeReason(parsed, 2)).toBe('File does not exist!');
    expect(errorCodeReason(parsed, 3)).toBeNull();
    expect(applicationStatusReason(parsed, 'Exit code 2')).toBe('File does not exist!');
    expect(applicationStatusReason(parsed, ' Exit code 2 ')).toBe('File does not exist!');
    for (const status of ['Exit code 3', 'Exit code 2x', 'Killed by SIGTERM', null, undefined])
      expect(applicationStatusReason(parsed, status), String(status)).toBeNull();
  });

  it('refuses fields the standard does not have, as the official schema does', () => {
    expect(issuesOf(baseDescriptor({ colour: 'blue' }))).toEqual([expect.stringContaining('Unrecognized key: "colour"')]);
    const withValueEnables = baseDescriptor();
    (withValueEnables.inputs as Record<string, unknown>[])[0]!['value-enables'] = {};
    expect(issuesOf(withValueEnables)).toEqual([expect.stringMatching(/^inputs\.0: Unrecognized key/)]);
  });

  it('accepts what the portal once refused: several File inputs, literal brackets, quotes and ; in the command line', () => {
    expect(
      issuesOf(
        baseDescriptor({
          'command-line': 'tool [N] [S] [F] [A] [B] | grep \'x[0]\' ; echo "done"',
          inputs: [
            ...(baseDescriptor().inputs as unknown[]),
            { id: 'A', name: 'a', type: 'File', 'value-key': '[A]' },
            { id: 'B', name: 'b', type: 'File', 'value-key': '[B]', list: true },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it('names the field of each inconsistency', () => {
    expect(issuesOf(inputs([{ id: 'F', name: 'Verbose', type: 'Flag', 'value-key': '[N]', optional: true }]))).toContain(
      'inputs.0.command-line-flag: a Flag input needs a command-line flag',
    );
    expect(issuesOf(inputs([{ id: 'F', name: 'Verbose', type: 'Flag', 'value-key': '[N]', 'command-line-flag': '-v' }]))).toContain(
      'inputs.0.optional: a Flag input must be optional',
    );
    expect(issuesOf(inputs([{ id: 'N', name: 'n', type: 'String', 'value-key': '[N]', minimum: 1 }]))).toContain(
      'inputs.0.minimum: only Number inputs may have "minimum"',
    );
    expect(issuesOf(inputs([{ id: 'N', name: 'n', type: 'Number', 'value-key': '[N]', minimum: 5, maximum: 1 }]))).toContain(
      'inputs.0.maximum: must not be smaller than "minimum"',
    );
    expect(issuesOf(inputs([{ id: 'N', name: 'n', type: 'Number', 'value-key': '[N]', maximum: 5, 'default-value': 9 }]))).toContain(
      'inputs.0.default-value: does not fit the input: Must be at most 5',
    );
    // A default is sent when the field is left alone, so it is held to what a job can receive: no control characters.
    expect(issuesOf(inputs([{ id: 'N', name: 'n', type: 'String', 'value-key': '[N]', 'default-value': 'x[0] > 1; y' }]))).toEqual([]);
    expect(issuesOf(inputs([{ id: 'N', name: 'n', type: 'String', 'value-key': '[N]', 'default-value': 'a\u0085b' }]))).toEqual([
      expect.stringMatching(/^inputs\.0\.default-value: .*control character U\+0085/),
    ]);
    expect(issuesOf(inputs([{ id: 'N', name: 'n', type: 'Number', 'value-key': '[X]' }]))).toContain(
      'inputs.0.value-key: [X] does not appear in the command line, a file template or an environment variable',
    );
    expect(issuesOf(inputs([{ id: 'N', name: 'n', type: 'String', 'value-key': '[N]', 'value-choices': ['a\nb'] }]))).toEqual([
      'inputs.0.value-choices.0: the control character U+000A (new line) is not allowed here',
    ]);
    expect(issuesOf(inputs([{ id: 'N', name: 'n', type: 'String', 'value-key': '[N]', 'exclusive-minimum': true }]))).toContain(
      'inputs.0.exclusive-minimum: needs "minimum"',
    );
    expect(issuesOf(inputs([{ id: 'N', name: 'n', type: 'String', 'value-key': '[N]', 'list-separator': ',' }]))).toContain(
      'inputs.0.list-separator: needs "list"',
    );
    expect(issuesOf(inputs([{ id: 'x-y', name: 'n', type: 'String' }]))[0]).toMatch(/^inputs\.0\.id: letters, digits/);
    expect(issuesOf(baseDescriptor({ 'schema-version': '0.4' }))).toEqual([
      'schema-version: must be "0.5" (the Boutiques schema version this portal reads)',
    ]);
    // The wrapper script exports environment variables with a shell: no comma in a name (the schema's pattern allows one).
    expect(issuesOf(baseDescriptor({ 'environment-variables': [{ name: 'A,B', value: 'x', description: 'kept' }] }))).toEqual([
      'environment-variables.0.name: a comma cannot be in a variable name (letters, digits and "_")',
    ]);
    expect(issuesOf(baseDescriptor({ 'container-image': { type: 'podman', image: 'x' } }))).toEqual([
      "container-image.type: Invalid discriminator value. Expected 'docker' | 'singularity' | 'rootfs'",
    ]);
  });

  it('checks ids, value-keys, requirements, choices and groups as bosh validate does', () => {
    const d = baseDescriptor({
      'command-line': 'tool [N] [S] [F] [N]_2',
      inputs: [
        { id: 'N', name: 'n', type: 'Number', 'value-key': '[N]', optional: true, 'disables-inputs': ['Q'] },
        { id: 'S', name: 's', type: 'String', 'value-key': '[N]_2', 'requires-inputs': ['N'] },
        {
          id: 'F',
          name: 'f',
          type: 'String',
          'value-key': '[F]',
          optional: true,
          'value-choices': ['a', 'b'],
          'value-requires': { a: ['N'] },
          'value-disables': { a: [], b: ['S'] },
        },
        { id: 'N', name: 'again', type: 'Number' },
      ],
      groups: [
        { id: 'g', name: 'G', members: ['N', 'S', 'X'], 'mutually-exclusive': true },
        { id: 'h', name: 'H', members: ['N', 'F'], 'all-or-none': true, 'one-is-required': true },
      ],
    });
    expect(issuesOf(d)).toEqual(
      expect.arrayContaining([
        'inputs.3.id: duplicate id "N"',
        'inputs.1.value-key: [N]_2 contains the value-key [N]',
        'inputs.0.disables-inputs.0: no input "Q"',
        'inputs.1.optional: a required input cannot require or disable other inputs',
        'inputs.2.value-requires: needs exactly one entry per value choice',
        'inputs.2.value-disables.b.0: "S" is required: a choice cannot disable it',
        'groups.0.members.2: no input "X"',
        expect.stringMatching(/^groups\.0\.members: "[NS]" is required, so it cannot be in a mutually exclusive group$/),
        'groups.1: an all-or-none group cannot also be mutually exclusive or one-is-required',
      ]),
    );
  });

  it('checks the portal hints and its own rules', () => {
    const d = baseDescriptor({
      custom: {
        'escape:sweepable': ['F', 'Q'],
        'escape:ordered': [['N', 'S']],
        'escape:choice-labels': { N: { 1: 'one' } },
        'escape:input-mode': 'per-file',
      },
    });
    expect(issuesOf(d)).toEqual(
      expect.arrayContaining([
        'custom.escape:sweepable.0: "F" is a Flag: only single-valued Number and String inputs can be swept',
        'custom.escape:sweepable.1: no input "Q"',
        'custom.escape:ordered.0.1: "S" must be a single-valued Number input',
        'custom.escape:choice-labels.N: "N" is not an input with value choices',
        'custom.escape:input-mode: the workflow has no File input',
      ]),
    );
    const defaults = baseDescriptor({ groups: [{ id: 'g', name: 'G', members: ['S', 'F'], 'mutually-exclusive': true }] });
    (defaults.inputs as Record<string, unknown>[])[1]!['default-value'] = 'x';
    (defaults.inputs as Record<string, unknown>[])[2]!['default-value'] = true;
    expect(issuesOf(defaults)).toEqual(['groups.0.members: mutually exclusive, yet S and F are all set by default']);
    // Inputs may require each other (bosh allows it: naval_fate.json does).
    const cycle = baseDescriptor();
    (cycle.inputs as Record<string, unknown>[])[1]!['requires-inputs'] = ['F'];
    (cycle.inputs as Record<string, unknown>[])[2]!['requires-inputs'] = ['S'];
    expect(issuesOf(cycle)).toEqual([]);
    expect(issuesOf(baseDescriptor({ 'command-line': 'tool [N] [S] [F]\u0000' }))).toEqual([
      'command-line: the control character U+0000 is not allowed here',
    ]);
  });
});
