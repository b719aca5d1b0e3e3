import { describe, expect, it } from 'vitest';
import type { Sweep } from '../launches.ts';
import { BoutiquesDescriptorSchema, type BoutiquesDescriptor, type BoutiquesInput } from './descriptor.ts';
import { checkWorkflowRequest, descriptorToZod, unmetRequirement } from './rules.ts';
import { MAX_COMBINATIONS } from './sweeps.ts';
import { baseDescriptor, corsika, cta, hello, irf } from './testing/descriptors.ts';

const valueIssues = (d: BoutiquesDescriptor, values: unknown, sweeps?: Record<string, Sweep>) => {
  const r = descriptorToZod(d, { sweeps }).safeParse(values);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join('.'), i.message]));
};

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
      ATMOSPHERE: 36,
      RUNNR: 1,
    });
    expect(r).not.toHaveProperty('SEED1');
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

  it('checks text: choices, length and control characters (any printable text reaches the job)', () => {
    expect(valueIssues(hello, { GREETING: 'Howdy' })).toEqual({ GREETING: 'Choose one of Hello, Bonjour, Hallo, Ciao, Hola' });
    for (const ch of ['\n', '\t', '\u0000', '\u007f', '\u0085', '\u2028']) {
      const issues = valueIssues(hello, { MESSAGE: `a${ch}b` });
      expect(issues.MESSAGE, JSON.stringify(ch)).toMatch(/^the control character U\+[0-9A-F]{4}.* is not allowed in a parameter value$/);
    }
    expect(valueIssues(hello, { MESSAGE: 'new\nline' }).MESSAGE).toMatch(/^the control character U\+000A \(new line\) is not allowed/);
    expect(valueIssues(hello, { MESSAGE: 'x'.repeat(1025) })).toEqual({ MESSAGE: 'At most 1024 characters' });
    // The command line travels in the launch's wrapper script, shell-quoted (server/launches/wrapper-script.ts), not in the JDL.
    for (const text of ['Grüße, $HOME & `x` | ok (é)', `x[0] > 1; y "q" 'a' \\`, '"', '\\', ';', '[', ']', "'"])
      expect(valueIssues(hello, { MESSAGE: text }), text).toEqual({});
    // A descriptor's own choice may hold them too, as the standard allows.
    const quoted = BoutiquesDescriptorSchema.parse(
      baseDescriptor({
        'command-line': 'tool [Q]',
        inputs: [{ id: 'Q', name: 'Q', type: 'String', 'value-key': '[Q]', 'value-choices': ['plain', 'a;b'] }],
      }),
    );
    expect(valueIssues(quoted, { Q: 'plain' })).toEqual({});
    expect(valueIssues(quoted, { Q: 'a;b' })).toEqual({});
  });

  it('checks lists and their number of entries', () => {
    const seeds = BoutiquesDescriptorSchema.parse(
      baseDescriptor({
        'command-line': 'tool [L]',
        inputs: [
          {
            id: 'SEEDS',
            name: 'Seeds',
            type: 'Number',
            'value-key': '[L]',
            optional: true,
            list: true,
            'min-list-entries': 2,
            'max-list-entries': 4,
            integer: true,
          },
        ],
      }),
    );
    const corsika = seeds;
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
    const d = BoutiquesDescriptorSchema.parse(baseDescriptor());
    expect(valueIssues(d, { N: undefined })).toEqual({});
    const noDefault = BoutiquesDescriptorSchema.parse(
      baseDescriptor({
        inputs: [{ id: 'N', name: 'Count', type: 'Number', 'value-key': '[N]' }] as BoutiquesInput[],
        'command-line': 'tool [N]',
      }),
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

  it('applies disables-inputs (a Flag only when on), value-disables and value-requires', () => {
    const d = BoutiquesDescriptorSchema.parse(
      baseDescriptor({
        'command-line': 'tool [FAST] [ITER] [MODE] [TOL] [SEED] [OUT]',
        inputs: [
          { id: 'FAST', name: 'Fast', type: 'Flag', 'command-line-flag': '--fast', optional: true, 'disables-inputs': ['ITER'] },
          { id: 'ITER', name: 'Iterations', type: 'Number', integer: true, 'value-key': '[ITER]', optional: true, 'default-value': 10 },
          {
            id: 'MODE',
            name: 'Mode',
            type: 'String',
            'value-key': '[MODE]',
            'value-choices': ['exact', 'random'],
            'default-value': 'exact',
            'value-requires': { exact: [], random: ['SEED'] },
            'value-disables': { exact: ['SEED', 'TOL'], random: [] },
          },
          { id: 'TOL', name: 'Tolerance', type: 'Number', 'value-key': '[TOL]', optional: true },
          { id: 'SEED', name: 'Seed', type: 'Number', integer: true, 'value-key': '[SEED]', optional: true },
          { id: 'OUT', name: 'Output', type: 'String', 'value-key': '[OUT]', optional: true },
        ],
      }),
    );
    // Fast off: Iterations is used with its default; on: Iterations (and its default) is left out.
    expect(descriptorToZod(d).parse({})).toEqual({ FAST: false, ITER: 10, MODE: 'exact' });
    expect(descriptorToZod(d).parse({ FAST: true })).toEqual({ FAST: true, MODE: 'exact' });
    expect(valueIssues(d, { FAST: true, ITER: 5 })).toEqual({
      ITER: '“Iterations” (ITER) is not used when “Fast” (FAST) is on: clear one of them',
    });
    expect(unmetRequirement(d, { FAST: true }, [], 'ITER')).toBe('Not used when “Fast” (FAST) is on');
    expect(unmetRequirement(d, { FAST: false }, [], 'ITER')).toBeNull();
    // Mode exact (the default) disables Seed and Tolerance; random requires Seed.
    expect(valueIssues(d, { SEED: 3 })).toEqual({ SEED: '“Seed” (SEED) is not used when “Mode” (MODE) is exact: clear one of them' });
    expect(unmetRequirement(d, {}, [], 'TOL')).toBe('Not used when “Mode” (MODE) is exact');
    expect(valueIssues(d, { MODE: 'random' })).toEqual({ SEED: 'Required when “Mode” (MODE) is random' });
    expect(descriptorToZod(d).parse({ MODE: 'random', SEED: 3, TOL: 0.1 })).toEqual({
      FAST: false,
      ITER: 10,
      MODE: 'random',
      SEED: 3,
      TOL: 0.1,
    });
    expect(unmetRequirement(d, { MODE: 'random' }, [], 'SEED')).toBeNull();
    // An input nothing can disable is never unavailable.
    expect(unmetRequirement(d, { FAST: true }, [], 'OUT')).toBeNull();
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
      baseDescriptor({
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

describe('checkWorkflowRequest', () => {
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
