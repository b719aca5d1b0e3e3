import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sweep } from './launches.ts';
import {
  BoutiquesDescriptorSchema,
  CommandLineError,
  JDL_UNSAFE_CHAR,
  MAX_COMBINATIONS,
  SweepError,
  checkWorkflowRequest,
  countCombinations,
  descriptorToZod,
  expandSweeps,
  renderCommandLine,
  sweepValues,
  unmetRequirement,
  validateSweep,
  workflowSummary,
  type BoutiquesDescriptor,
  type BoutiquesInput,
} from './workflows.ts';

const WORKFLOWS_DIR = fileURLToPath(new URL('../../workflows/', import.meta.url));
const CATALOGUE = fs
  .readdirSync(WORKFLOWS_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

function load(name: string): BoutiquesDescriptor {
  return BoutiquesDescriptorSchema.parse(JSON.parse(fs.readFileSync(path.join(WORKFLOWS_DIR, `${name}.json`), 'utf8')));
}
const corsika = load('corsika');
const cta = load('cta-dl0-dl3');
const irf = load('irf-generation');
const hello = load('hello-world');

/** A small valid descriptor to derive broken ones from. */
function base(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Tool',
    'tool-version': '1',
    description: 'A tool',
    'schema-version': '0.5',
    'command-line': 'tool [N] [S] [F]',
    inputs: [
      { id: 'N', name: 'Count', type: 'Number', 'value-key': '[N]', integer: true, minimum: 1, maximum: 10, 'default-value': 2 },
      { id: 'S', name: 'Label', type: 'String', 'value-key': '[S]', optional: true },
      { id: 'F', name: 'Verbose', type: 'Flag', 'value-key': '[F]', 'command-line-flag': '-v', optional: true },
    ],
    ...overrides,
  };
}
const issuesOf = (raw: unknown) => {
  const r = BoutiquesDescriptorSchema.safeParse(raw);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};
const valueIssues = (d: BoutiquesDescriptor, values: unknown, sweeps?: Record<string, Sweep>) => {
  const r = descriptorToZod(d, { sweeps }).safeParse(values);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join('.'), i.message]));
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
    expect(issuesOf(base({ 'environment-variables': [] }))).toEqual([expect.stringContaining('Unrecognized key')]);
    const withValueDisables = base();
    (withValueDisables.inputs as Record<string, unknown>[])[0]!['value-disables'] = {};
    expect(issuesOf(withValueDisables)).toEqual([expect.stringMatching(/^inputs\.0: Unrecognized key/)]);
  });

  it('names the field of each inconsistency', () => {
    const inputs = (over: Record<string, unknown>[]) => base({ inputs: over as BoutiquesInput[] });
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
    expect(issuesOf(base({ 'schema-version': '0.4' }))).toEqual([
      'schema-version: must be "0.5" (the Boutiques schema version this portal reads)',
    ]);
  });

  it('refuses command-line text that DIRAC’s JDL parser would interpret', () => {
    expect(issuesOf(base({ 'command-line': 'tool [N] [S] [F]; rm -rf x' }))).toEqual([
      expect.stringMatching(/^command-line: outside value-keys the command line may not contain the character ;/),
    ]);
    expect(issuesOf(base({ 'command-line': 'tool [N] [S] [F] [OOPS]' }))).toEqual([
      expect.stringMatching(/^command-line: .*the character \[/),
    ]);
  });

  it('checks groups, requirements and the portal hints', () => {
    const d = base({
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
    const defaults = base({ groups: [{ id: 'g', name: 'G', members: ['N', 'S'], 'mutually-exclusive': true }] });
    (defaults.inputs as Record<string, unknown>[])[1]!['default-value'] = 'x';
    expect(issuesOf(defaults)).toEqual(['groups.0.members: mutually exclusive, yet N and S are all set by default']);
    const cycle = base();
    (cycle.inputs as Record<string, unknown>[])[1]!['requires-inputs'] = ['F'];
    (cycle.inputs as Record<string, unknown>[])[2]!['requires-inputs'] = ['S'];
    expect(issuesOf(cycle)).toEqual(expect.arrayContaining(['inputs.1.requires-inputs: requirements form a cycle']));
    const twoFiles = base({
      inputs: [
        { id: 'A', name: 'a', type: 'File', 'value-key': '[N]' },
        { id: 'B', name: 'b', type: 'File', 'value-key': '[S]' },
      ] as BoutiquesInput[],
    });
    expect(issuesOf(twoFiles)).toContain('inputs: at most one File input: the portal binds basket items to one input');
  });

  it('summarises a workflow for the catalogue page', () => {
    expect(workflowSummary('corsika', corsika)).toEqual({
      id: 'corsika',
      name: 'CORSIKA air-shower simulation',
      version: '7.7550',
      description: expect.stringContaining('CORSIKA'),
      tags: ['astroparticle', 'air showers', 'simulation'],
      resources: { cores: 1, ramGB: 2, wallTimeHours: 24, tags: [] },
      hasFileInput: false,
      inputMode: 'none',
      container: { type: 'docker', image: 'harbor.cta-observatory.org/corsika:7.7550' },
      sweepable: ['RUNNR', 'PRMPAR', 'NSHOW', 'ESLOPE', 'OBSLEV'],
    });
    expect(workflowSummary('cta-dl0-dl3', cta)).toMatchObject({
      resources: { cores: 4, ramGB: 8, wallTimeHours: 12 },
      hasFileInput: true,
      inputMode: 'per-file',
    });
    expect(workflowSummary('irf-generation', irf)).toMatchObject({
      resources: { cores: 8, ramGB: 16, wallTimeHours: 24 },
      inputMode: 'all-in-one',
    });
    expect(workflowSummary('hello-world', hello)).toMatchObject({ container: null, inputMode: 'none' });
  });
});

describe('descriptorToZod', () => {
  it('fills in defaults and returns every effective value', () => {
    const r = descriptorToZod(corsika).parse({ NSHOW: 50 });
    expect(r).toMatchObject({
      PRMPAR: 1,
      NSHOW: 50,
      ERANGE_MIN: 10,
      ERANGE_MAX: 100000,
      CERENKOV: true,
      CERSIZ: 5,
      ATMOSPHERE: 'la-palma',
      RUNNR: 1,
    });
    expect(r).not.toHaveProperty('SEEDS');
    expect(descriptorToZod(hello).parse({ MESSAGE: '' })).toEqual({ GREETING: 'Hello', MESSAGE: 'world' });
  });

  it('checks numbers: type, integer, inclusive and exclusive bounds, choices', () => {
    expect(valueIssues(corsika, { NSHOW: 0, RUNNR: 2.5, ERANGE_MIN: 0, ERANGE_MAX: 2e11, THETAP_MAX: 'x', PRMPAR: 15 })).toEqual({
      NSHOW: 'Must be at least 1',
      RUNNR: 'Enter a whole number',
      ERANGE_MIN: 'Must be greater than 0',
      ERANGE_MAX: 'Must be at most 100000000000',
      THETAP_MAX: 'Enter a number',
      PRMPAR: 'Choose one of 1, 14, 402, 1407, 5626, 3',
    });
    expect(valueIssues(corsika, { NSHOW: Number.NaN })).toEqual({ NSHOW: 'Enter a number' });
    expect(valueIssues(cta, { PICTURE_THRESH: 100.5 })).toEqual({ PICTURE_THRESH: 'Must be at most 100' });
  });

  it('checks text: choices, length and the characters a grid job cannot receive', () => {
    expect(valueIssues(hello, { GREETING: 'Howdy' })).toEqual({ GREETING: 'Choose one of Hello, Bonjour, Hallo, Ciao, Hola' });
    for (const ch of ['"', '\\', ';', '[', ']', "'", '\n', '\t', '\u0000', '\u007f', '\u0085']) {
      const issues = valueIssues(hello, { MESSAGE: `a${ch}b` });
      expect(issues.MESSAGE, JSON.stringify(ch)).toMatch(/is not allowed: a grid job cannot receive/);
    }
    expect(valueIssues(hello, { MESSAGE: 'new\nline' }).MESSAGE).toMatch(/^the control character U\+000A \(new line\) is not allowed/);
    expect(valueIssues(hello, { MESSAGE: 'x'.repeat(1025) })).toEqual({ MESSAGE: 'At most 1024 characters' });
    expect(valueIssues(hello, { MESSAGE: 'Grüße, $HOME & `x` | ok (é)' })).toEqual({});
  });

  it('checks lists and their number of entries', () => {
    expect(valueIssues(corsika, { SEEDS: [1] })).toEqual({ SEEDS: 'Enter at least 2 values' });
    expect(valueIssues(corsika, { SEEDS: [1, 2, 3, 4, 5] })).toEqual({ SEEDS: 'Enter at most 4 values' });
    expect(valueIssues(corsika, { SEEDS: [1, 2.5] })).toEqual({ 'SEEDS.1': 'Enter a whole number' });
    expect(valueIssues(corsika, { SEEDS: 7 })).toEqual({ SEEDS: 'Enter a list of values' });
    expect(valueIssues(irf, { ZENITH_BINS: [] })).toEqual({ ZENITH_BINS: 'Enter at least 1 value' });
    expect(valueIssues(cta, { TEL_TYPES: ['LST', 'XST'], ALL_TELESCOPES: false })).toEqual({
      'TEL_TYPES.1': 'Choose one of LST, MST, SST',
    });
  });

  it('reports missing required values, unknown parameters and File values', () => {
    const d = BoutiquesDescriptorSchema.parse(base());
    expect(valueIssues(d, { N: undefined })).toEqual({});
    const noDefault = BoutiquesDescriptorSchema.parse(
      base({ inputs: [{ id: 'N', name: 'Count', type: 'Number', 'value-key': '[N]' }] as BoutiquesInput[], 'command-line': 'tool [N]' }),
    );
    expect(valueIssues(noDefault, {})).toEqual({ N: 'Required' });
    expect(valueIssues(noDefault, { N: 1, EXTRA: 2 })).toEqual({ EXTRA: 'Unknown parameter: Tool has no parameter "EXTRA"' });
    expect(valueIssues(cta, { INPUT_DL0: 'x.zst' }).INPUT_DL0).toMatch(/is an input file: it is bound to basket items/);
    expect(descriptorToZod(cta).safeParse([1]).success).toBe(false);
  });

  it('applies requires-inputs: dependent values only when their requirement is on', () => {
    expect(descriptorToZod(corsika).parse({ CERENKOV: false })).not.toHaveProperty('CERSIZ');
    expect(valueIssues(corsika, { CERENKOV: false, CERSIZ: 7 })).toEqual({
      CERSIZ: '“Photon bunch size” (CERSIZ) is only used when “Cherenkov light” (CERENKOV) is on: clear it or turn that on',
    });
    expect(unmetRequirement(corsika, { CERENKOV: false }, [], 'CWAVLG_MIN')).toBe('Only used when “Cherenkov light” (CERENKOV) is on');
    expect(unmetRequirement(corsika, {}, [], 'CWAVLG_MIN')).toBeNull();
  });

  it('applies group rules with messages naming the parameters', () => {
    expect(valueIssues(cta, { TEL_IDS: [1, 4] })).toEqual({
      TEL_IDS:
        'Telescopes: choose only one of “All telescopes” (ALL_TELESCOPES), “Telescope IDs” (TEL_IDS) and “Telescope types” (TEL_TYPES) (“All telescopes” (ALL_TELESCOPES) and “Telescope IDs” (TEL_IDS) are set)',
    });
    expect(valueIssues(cta, { ALL_TELESCOPES: false })).toEqual({
      ALL_TELESCOPES: expect.stringMatching(/^Telescopes: set at least one of “All telescopes” \(ALL_TELESCOPES\)/),
    });
    expect(valueIssues(cta, { ALL_TELESCOPES: false, TEL_TYPES: ['LST'] })).toEqual({});
    expect(valueIssues(irf, { EBIN_MIN: 0.1 })).toEqual({
      EBIN_MAX: expect.stringMatching(
        /^Energy binning: .* go together; set all of them or none \(missing: “Reconstructed energy maximum \(TeV\)” \(EBIN_MAX\) and “Bins per decade” \(EBIN_PER_DECADE\)\)$/,
      ),
    });
    expect(valueIssues(irf, { EBIN_MIN: 0.1, EBIN_MAX: 100, EBIN_PER_DECADE: 5 })).toEqual({});
  });

  it('checks ordered pairs, also across sweeps', () => {
    expect(valueIssues(corsika, { ERANGE_MIN: 1000, ERANGE_MAX: 10 })).toEqual({
      ERANGE_MAX: '“Energy minimum (GeV)” (ERANGE_MIN) must not be greater than “Energy maximum (GeV)” (ERANGE_MAX) (1000 > 10)',
    });
    expect(valueIssues(corsika, { ERANGE_MIN: 10, ERANGE_MAX: 10 })).toEqual({});
    // No second message when a value already failed its own rule.
    expect(valueIssues(corsika, { ERANGE_MIN: 1e12, ERANGE_MAX: 10 })).toEqual({ ERANGE_MIN: 'Must be at most 100000000000' });
    expect(valueIssues(cta, { PICTURE_THRESH: 8 }, { BOUNDARY_THRESH: { kind: 'list', values: [4, 9] } })).toEqual({
      PICTURE_THRESH: expect.stringContaining('a combination of the sweeps has BOUNDARY_THRESH = 9 and PICTURE_THRESH = 8'),
    });
  });

  it('makes a swept parameter’s single value optional and leaves it out of the output', () => {
    const noDefault = BoutiquesDescriptorSchema.parse(
      base({
        inputs: [{ id: 'N', name: 'Count', type: 'Number', 'value-key': '[N]' }] as BoutiquesInput[],
        'command-line': 'tool [N]',
        custom: { 'escape:sweepable': ['N'] },
      }),
    );
    expect(valueIssues(noDefault, {})).toEqual({ N: 'Required' });
    expect(descriptorToZod(noDefault, { sweeps: { N: { kind: 'list', values: [1, 2] } } }).parse({})).toEqual({});
    expect(descriptorToZod(corsika, { sweeps: { NSHOW: { kind: 'list', values: [1] } } }).parse({ NSHOW: 5 })).not.toHaveProperty('NSHOW');
  });
});

describe('sweeps', () => {
  it('expands ranges inclusively without binary noise', () => {
    expect(sweepValues({ kind: 'range', start: 0.1, step: 0.1, end: 0.5 })).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(sweepValues({ kind: 'range', start: 1000, step: 1000, end: 10000 })).toHaveLength(10);
    expect(sweepValues({ kind: 'range', start: 1, step: 2, end: 6 })).toEqual([1, 3, 5]);
    expect(() => sweepValues({ kind: 'range', start: 1, step: 1, end: 1001 })).toThrow(SweepError);
    expect(sweepValues({ kind: 'range', start: 1, step: 1, end: 1000 })).toHaveLength(1000);
  });

  it('validates a sweep with the parameter’s own rules and says which parameters can be swept', () => {
    expect(validateSweep(corsika, 'NSHOW', { kind: 'range', start: 1000, step: 1000, end: 10000 })).toEqual([]);
    expect(validateSweep(corsika, 'NSHOW', { kind: 'list', values: [0, 5.5, 10] })).toEqual([
      '0: Must be at least 1',
      '5.5: Enter a whole number',
    ]);
    expect(validateSweep(corsika, 'NSHOW', { kind: 'list', values: [5, 5] })).toEqual(['5 is listed twice']);
    expect(validateSweep(corsika, 'NSHOW', { kind: 'range', start: 1, step: 1, end: 2000 })).toEqual([
      'This range gives 2,000 values; at most 1,000',
    ]);
    expect(validateSweep(corsika, 'NSHOW', { kind: 'range', start: 1, step: 0, end: 2 })).toEqual([
      'step: The step must be greater than 0',
    ]);
    expect(validateSweep(corsika, 'CERENKOV', { kind: 'list', values: [1] })).toEqual([
      '“Cherenkov light” (CERENKOV) is an on/off switch: only Number and String parameters can be swept',
    ]);
    expect(validateSweep(cta, 'INPUT_DL0', { kind: 'list', values: ['a'] })).toEqual([
      '“DL0 file” (INPUT_DL0) is an input file: only Number and String parameters can be swept',
    ]);
    expect(validateSweep(corsika, 'SEEDS', { kind: 'list', values: [1] })).toEqual([
      '“Random seeds” (SEEDS) is a list: only single-valued Number and String parameters can be swept',
    ]);
    expect(validateSweep(corsika, 'THETAP_MIN', { kind: 'list', values: [1] })).toEqual([
      '“Zenith angle minimum (deg)” (THETAP_MIN) cannot be swept in CORSIKA air-shower simulation (sweepable: RUNNR, PRMPAR, NSHOW, ESLOPE, OBSLEV)',
    ]);
    expect(validateSweep(corsika, 'NOPE', { kind: 'list', values: [1] })).toEqual([
      'There is no parameter "NOPE" in CORSIKA air-shower simulation',
    ]);
    expect(validateSweep(hello, 'GREETING', { kind: 'range', start: 1, step: 1, end: 2 })).toEqual([
      '“Greeting” (GREETING) is text: sweep it over a list of values, not a range',
    ]);
    expect(validateSweep(hello, 'MESSAGE', { kind: 'list', values: ['ok', 'semi;colon'] })).toEqual([
      '"semi;colon": the character ; is not allowed: a grid job cannot receive " \\ ; [ ] \' or control characters',
    ]);
  });

  it('expands sweeps into a stable cartesian product', () => {
    const sets = expandSweeps(
      { A: 1, Z: 'z' },
      { Z: { kind: 'list', values: ['a', 'b'] }, B: { kind: 'range', start: 1, step: 1, end: 3 } },
    );
    expect(sets).toEqual([
      { A: 1, Z: 'a', B: 1 },
      { A: 1, Z: 'b', B: 1 },
      { A: 1, Z: 'a', B: 2 },
      { A: 1, Z: 'b', B: 2 },
      { A: 1, Z: 'a', B: 3 },
      { A: 1, Z: 'b', B: 3 },
    ]);
    expect(expandSweeps({ A: 1 }, {})).toEqual([{ A: 1 }]);
    const big = { A: { kind: 'range', start: 1, step: 1, end: 101 }, B: { kind: 'range', start: 1, step: 1, end: 100 } } as const;
    expect(countCombinations(big)).toBe(10_100);
    expect(() => expandSweeps({}, big)).toThrow('These sweeps make 10,100 combinations; at most 10,000 per launch');
  });

  it('checks values and sweeps together, with field paths', () => {
    expect(
      checkWorkflowRequest(corsika, {
        values: { NSHOW: 100 },
        sweeps: { RUNNR: { kind: 'range', start: 1, step: 1, end: 20 }, PRMPAR: { kind: 'list', values: [1, 14] } },
      }),
    ).toMatchObject({ ok: true, jobs: 40 });
    expect(checkWorkflowRequest(corsika, {})).toMatchObject({ ok: true, jobs: 1 });
    const bad = checkWorkflowRequest(corsika, {
      values: { ERANGE_MIN: -1, FOO: 1 },
      sweeps: { NSHOW: { kind: 'range', start: 1 }, CERENKOV: { kind: 'list', values: [1] }, OBSLEV: { kind: 'list', values: [9000] } },
    });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.issues).toEqual([
      { path: 'sweeps.NSHOW.step', message: 'Required' },
      { path: 'sweeps.NSHOW.end', message: 'Required' },
      { path: 'sweeps.CERENKOV', message: expect.stringContaining('only Number and String parameters can be swept') },
      { path: 'sweeps.OBSLEV', message: '9000: Must be at most 6000' },
      { path: 'values.ERANGE_MIN', message: 'Must be greater than 0' },
      { path: 'values.FOO', message: expect.stringContaining('Unknown parameter') },
    ]);
    const tooMany = checkWorkflowRequest(corsika, {
      sweeps: {
        RUNNR: { kind: 'range', start: 1, step: 1, end: 1000 },
        NSHOW: { kind: 'list', values: Array.from({ length: 11 }, (_, i) => i + 1) },
      },
    });
    expect(tooMany).toEqual({
      ok: false,
      issues: [
        {
          path: 'sweeps',
          message: expect.stringContaining(`11,000 combinations (jobs); at most ${MAX_COMBINATIONS.toLocaleString('en-US')}`),
        },
      ],
    });
    expect(checkWorkflowRequest(corsika, { values: 'x' })).toMatchObject({ ok: false, issues: [{ path: 'values' }] });
  });
});

describe('renderCommandLine', () => {
  it('substitutes value-keys with flags, drops absent inputs and fills output paths', () => {
    const values = descriptorToZod(corsika).parse({ RUNNR: 42, SEEDS: [11, 22, 33, 44], CERENKOV: false });
    expect(renderCommandLine(corsika, values)).toBe(
      'corsika-run --runnr 42 --prmpar 1 --nshow 1000 --erange-min 10 --erange-max 100000 --eslope -2 --thetap-min 20 --thetap-max 20 --phip-min 0 --phip-max 360 --obslev 2158 --atmosphere la-palma --seeds 11,22,33,44 --output corsika_run42.corsika.zst',
    );
  });

  it('quotes text for the shell and strips File extensions in output paths', () => {
    expect(renderCommandLine(hello, descriptorToZod(hello).parse({ MESSAGE: 'big world & $HOME' }))).toBe(
      "echo Hello, 'big world & $HOME'!",
    );
    const values = {
      ...descriptorToZod(cta).parse({ ALL_TELESCOPES: false, TEL_TYPES: ['LST', 'MST'] }),
      INPUT_DL0: ['LFN:/escape/cta/dl0/gamma run1.simtel.zst'],
    };
    expect(renderCommandLine(cta, values)).toBe(
      "cta-dl0-to-dl3 --input 'LFN:/escape/cta/dl0/gamma run1.simtel.zst' --config prod6-standard --output-level DL3 --telescope-types LST,MST --picture-threshold 10 --boundary-threshold 5 --min-picture-neighbors 2 --output 'gamma run1.DL3.h5'",
    );
    expect(
      renderCommandLine(irf, {
        ...descriptorToZod(irf).parse({ PERIOD: 'Spring 2025', POINT_LIKE: true }),
        INPUT_DL2: ['LFN:/a/g.h5', 'LFN:/a/p.h5'],
      }),
    ).toBe(
      "cta-make-irf --input LFN:/a/g.h5 LFN:/a/p.h5 --period 'Spring 2025' --model prod6-alpha-north --zenith-bins 20,40,60 --point-like --energy-scale-systematics 5 --effective-area-systematics 10 --output 'irf_Spring 2025_prod6-alpha-north.fits.gz'",
    );
  });

  it('refuses values it cannot pass safely instead of rendering them', () => {
    expect(() => renderCommandLine(hello, { GREETING: 'Hello', MESSAGE: 'a"b' })).toThrow(CommandLineError);
    expect(() => renderCommandLine(cta, { INPUT_DL0: ['x;y'] })).toThrow(/INPUT_DL0: the character ; is not allowed/);
    expect(() => renderCommandLine(corsika, { NSHOW: '1; rm' })).toThrow('NSHOW: expected a number');
    expect(() => renderCommandLine(hello, { GREETING: 'Hello', MESSAGE: 'x'.repeat(5000) })).toThrow(/at most 4096/);
  });
});

// ───────────────────────────── properties ─────────────────────────────

const nasty = fc.constantFrom(
  '"',
  '\\',
  ';',
  '[',
  ']',
  "'",
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u2028',
  ' ',
  '$',
  '`',
  '|',
  '&',
  '*',
  '{',
  '}',
  ',',
  'é',
  '😀',
);
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.array(fc.oneof(nasty, fc.string({ maxLength: 3 })), { maxLength: 6 }).map((parts) => parts.join('')),
);
const number = fc.oneof(
  fc.integer({ min: -1000, max: 100_000 }),
  fc.double({ noNaN: false }),
  fc.constantFrom(0, 1, 14, 402, 1e11, -2, 0.1),
);

function valueFor(input: BoutiquesInput): fc.Arbitrary<unknown> {
  const choices = input['value-choices'];
  const min = input.minimum ?? -1e6;
  const max = input.maximum ?? 1e6;
  const inRange = input.integer ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true });
  const scalar: fc.Arbitrary<unknown> =
    input.type === 'Flag'
      ? fc.boolean()
      : input.type === 'Number'
        ? choices
          ? fc.oneof(fc.constantFrom(...choices), number)
          : fc.oneof({ weight: 3, arbitrary: inRange }, { weight: 1, arbitrary: number })
        : choices
          ? fc.oneof(fc.constantFrom(...choices), text)
          : text;
  const one = input.list
    ? fc.array(scalar, { minLength: input['min-list-entries'] ?? 0, maxLength: input['max-list-entries'] ?? 6 })
    : scalar;
  // Mostly plausible values, often absent (defaults apply), sometimes anything.
  return fc.oneof({ weight: 4, arbitrary: one }, { weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: text });
}

/** Values for a few inputs at a time (the others take their defaults), so that many sets pass validation. */
function valuesFor(d: BoutiquesDescriptor): fc.Arbitrary<Record<string, unknown>> {
  const inputs = d.inputs.filter((input) => input.type !== 'File');
  return fc
    .subarray(inputs, { maxLength: Math.min(6, inputs.length) })
    .chain((chosen) => fc.record(Object.fromEntries(chosen.map((input) => [input.id, valueFor(input)]))));
}

function assertSafe(command: string) {
  expect(command).not.toMatch(JDL_UNSAFE_CHAR);
  expect(command).not.toMatch(/["\\;[\]\u0000-\u001f\u007f]/);
}

/** Random (valid) descriptors: every input type, flags, lists, choices, bounds, groups, an output path. */
const randomDescriptor: fc.Arbitrary<BoutiquesDescriptor> = fc
  .array(
    fc.record({
      type: fc.constantFrom('String', 'Number', 'Flag'),
      optional: fc.boolean(),
      list: fc.boolean(),
      flag: fc.option(fc.constantFrom('-x', '--value', '-n=', '--out'), { nil: undefined }),
      sep: fc.option(fc.constantFrom(' ', '=', ':', ''), { nil: undefined }),
      listSep: fc.option(fc.constantFrom(' ', ',', ':'), { nil: undefined }),
      choices: fc.option(fc.array(fc.oneof(text, number), { minLength: 1, maxLength: 4 }), { nil: undefined }),
      min: fc.option(fc.integer({ min: -10, max: 10 }), { nil: undefined }),
      integer: fc.boolean(),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((specs) => {
    const inputs = specs.map((s, i) => {
      const id = `P${i}`;
      const input: Record<string, unknown> = { id, name: `Param ${i}`, type: s.type, 'value-key': `[${id}]`, optional: s.optional };
      if (s.type === 'Flag') input['command-line-flag'] = s.flag ?? '-f';
      else {
        if (s.flag) input['command-line-flag'] = s.flag;
        if (s.flag && s.sep !== undefined) input['command-line-flag-separator'] = s.sep;
        if (s.list) input.list = true;
        if (s.list && s.listSep !== undefined) input['list-separator'] = s.listSep;
        if (s.choices)
          input['value-choices'] = [
            ...new Set(s.choices.filter((c) => (s.type === 'Number' ? typeof c === 'number' : typeof c === 'string'))),
          ];
        if ((input['value-choices'] as unknown[] | undefined)?.length === 0) delete input['value-choices'];
        if (s.type === 'Number' && s.min !== undefined) input.minimum = s.min;
        if (s.type === 'Number' && s.integer) input.integer = true;
      }
      return input;
    });
    return {
      name: 'Random',
      'tool-version': '1',
      description: 'random',
      'schema-version': '0.5',
      'command-line': `tool ${inputs.map((i) => i['value-key']).join(' ')} [OUT]`,
      inputs,
      'output-files': [
        { id: 'out', name: 'Out', 'value-key': '[OUT]', 'path-template': `out_${inputs.map((i) => i['value-key']).join('_')}.dat` },
      ],
    };
  })
  .map((raw) => BoutiquesDescriptorSchema.safeParse(raw))
  .filter((r) => r.success)
  .map((r) => r.data as BoutiquesDescriptor);

describe('renderCommandLine (properties)', () => {
  it.each([
    ['corsika', corsika],
    ['cta-dl0-dl3', cta],
    ['irf-generation', irf],
    ['hello-world', hello],
  ] as const)('never outputs " ; [ ] \\ or control characters for values of %s that pass descriptorToZod', (_name, d) => {
    const schema = descriptorToZod(d);
    let accepted = 0;
    fc.assert(
      fc.property(valuesFor(d), (values) => {
        const parsed = schema.safeParse(values);
        if (!parsed.success) return;
        accepted += 1;
        assertSafe(renderCommandLine(d, parsed.data));
      }),
      { numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(50);
  });

  it('holds for random descriptors too', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        randomDescriptor.chain((d) => fc.tuple(fc.constant(d), valuesFor(d))),
        ([d, values]) => {
          const parsed = descriptorToZod(d).safeParse(values);
          if (!parsed.success) return;
          accepted += 1;
          let command: string;
          try {
            command = renderCommandLine(d, parsed.data);
          } catch (err) {
            // The only refusal left for valid values is the overall length.
            expect(err).toBeInstanceOf(CommandLineError);
            expect((err as Error).message).toMatch(/at most 4096/);
            return;
          }
          assertSafe(command);
        },
      ),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(20);
  });

  it('either refuses or renders safely whatever is bound to a File input', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 3 }), (files) => {
        try {
          assertSafe(renderCommandLine(cta, { ...descriptorToZod(cta).parse({}), INPUT_DL0: files }));
        } catch (err) {
          expect(err).toBeInstanceOf(CommandLineError);
        }
      }),
    );
  });

  it('expands to countCombinations value sets, each valid for the descriptor', () => {
    const sweep = fc.oneof(
      fc
        .uniqueArray(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 5 })
        .map((values): Sweep => ({ kind: 'list', values })),
      fc
        .record({ start: fc.integer({ min: 1, max: 50 }), step: fc.integer({ min: 1, max: 20 }), n: fc.integer({ min: 0, max: 6 }) })
        .map(({ start, step, n }): Sweep => ({ kind: 'range', start, step, end: start + n * step })),
    );
    fc.assert(
      fc.property(fc.record({ NSHOW: sweep, RUNNR: sweep }, { requiredKeys: [] }), (sweeps) => {
        const check = checkWorkflowRequest(corsika, { values: {}, sweeps });
        expect(check.ok).toBe(true);
        if (!check.ok) return;
        const sets = expandSweeps(check.request.values, check.request.sweeps);
        expect(sets).toHaveLength(countCombinations(sweeps));
        expect(check.jobs).toBe(sets.length);
        for (const set of sets.slice(0, 20)) {
          expect(descriptorToZod(corsika).safeParse(set).success).toBe(true);
          assertSafe(renderCommandLine(corsika, set));
        }
      }),
      { numRuns: 100 },
    );
  });
});
