import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BoutiquesDescriptorSchema, type BoutiquesInput } from './descriptor.ts';
import { baseDescriptor, CATALOGUE, WORKFLOWS_DIR } from './testing/descriptors.ts';

const issuesOf = (raw: unknown) => {
  const r = BoutiquesDescriptorSchema.safeParse(raw);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('BoutiquesDescriptorSchema', () => {
  it.each(CATALOGUE)('accepts the catalogue descriptor %s', (file) => {
    const raw = JSON.parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8'));
    expect(issuesOf(raw)).toEqual([]);
  });

  it('has the four catalogue workflows', () => {
    expect(CATALOGUE).toEqual(['corsika.json', 'cta-dl0-dl3.json', 'hello-world.json', 'irf-generation.json']);
  });

  it('refuses fields it does not support, so no constraint is silently ignored', () => {
    expect(issuesOf(baseDescriptor({ 'environment-variables': [] }))).toEqual([expect.stringContaining('Unrecognized key')]);
    const withValueDisables = baseDescriptor();
    (withValueDisables.inputs as Record<string, unknown>[])[0]!['value-disables'] = {};
    expect(issuesOf(withValueDisables)).toEqual([expect.stringMatching(/^inputs\.0: Unrecognized key/)]);
  });

  it('names the field of each inconsistency', () => {
    const inputs = (over: Record<string, unknown>[]) => baseDescriptor({ inputs: over as BoutiquesInput[] });
    expect(issuesOf(inputs([{ id: 'F', name: 'Verbose', type: 'Flag', 'value-key': '[N]' }]))).toContain(
      'inputs.0.command-line-flag: a Flag input needs a command-line flag',
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
    expect(issuesOf(inputs([{ id: 'N', name: 'n', type: 'Number', 'value-key': '[X]' }]))).toContain(
      'inputs.0.value-key: [X] does not appear in the command line',
    );
    expect(issuesOf(inputs([{ id: 'N', name: 'n', type: 'String', 'value-key': '[N]', 'value-choices': ['a;b'] }]))[0]).toMatch(
      /^inputs\.0\.value-choices\.0: the character ; is not allowed/,
    );
    expect(issuesOf(inputs([{ id: '1x', name: 'n', type: 'String' }]))[0]).toMatch(/^inputs\.0\.id: letters, digits/);
    expect(issuesOf(baseDescriptor({ 'schema-version': '0.4' }))).toEqual([
      'schema-version: must be "0.5" (the Boutiques schema version this portal reads)',
    ]);
  });

  it('refuses command-line text that DIRAC’s JDL parser would interpret', () => {
    expect(issuesOf(baseDescriptor({ 'command-line': 'tool [N] [S] [F]; rm -rf x' }))).toEqual([
      expect.stringMatching(/^command-line: outside value-keys the command line may not contain the character ;/),
    ]);
    expect(issuesOf(baseDescriptor({ 'command-line': 'tool [N] [S] [F] [OOPS]' }))).toEqual([
      expect.stringMatching(/^command-line: .*the character \[/),
    ]);
  });

  it('checks groups, requirements and the portal hints', () => {
    const d = baseDescriptor({
      groups: [
        { id: 'g', name: 'G', members: ['N', 'S', 'X'], 'mutually-exclusive': true },
        { id: 'h', name: 'H', members: ['N', 'F'], 'mutually-exclusive': true },
      ],
      custom: {
        'escape:sweepable': ['F', 'Q'],
        'escape:ordered': [['N', 'S']],
        'escape:choice-labels': { N: { 1: 'one' } },
        'escape:input-mode': 'per-file',
      },
    });
    const issues = issuesOf(d);
    expect(issues).toEqual(
      expect.arrayContaining([
        'groups.0.members.2: no input "X"',
        'custom.escape:sweepable.0: "F" is a Flag: only single-valued Number and String inputs can be swept',
        'custom.escape:sweepable.1: no input "Q"',
        'custom.escape:ordered.0.1: "S" must be a single-valued Number input',
        'custom.escape:choice-labels.N: "N" is not an input with value choices',
        'custom.escape:input-mode: the workflow has no File input',
      ]),
    );
    const defaults = baseDescriptor({ groups: [{ id: 'g', name: 'G', members: ['N', 'S'], 'mutually-exclusive': true }] });
    (defaults.inputs as Record<string, unknown>[])[1]!['default-value'] = 'x';
    expect(issuesOf(defaults)).toEqual(['groups.0.members: mutually exclusive, yet N and S are all set by default']);
    const cycle = baseDescriptor();
    (cycle.inputs as Record<string, unknown>[])[1]!['requires-inputs'] = ['F'];
    (cycle.inputs as Record<string, unknown>[])[2]!['requires-inputs'] = ['S'];
    expect(issuesOf(cycle)).toEqual(expect.arrayContaining(['inputs.1.requires-inputs: requirements form a cycle']));
    const twoFiles = baseDescriptor({
      inputs: [
        { id: 'A', name: 'a', type: 'File', 'value-key': '[N]' },
        { id: 'B', name: 'b', type: 'File', 'value-key': '[S]' },
      ] as BoutiquesInput[],
    });
    expect(issuesOf(twoFiles)).toContain('inputs: at most one File input: the portal binds basket items to one input');
  });
});
