/**
 * The command line against Boutiques' reference implementation: for the same descriptor and
 * invocation, `renderCommandLine` (and `renderConfigurationFiles`) must give exactly what `bosh exec
 * simulate` gives (PyPI boutiques, pinned; all cases in one Python process, testing/bosh.ts), on the
 * real descriptors and on fast-check-generated descriptors and values: any printable text, numbers
 * Python prints differently from JavaScript, lists, flags and separators, output path templates with
 * stripped extensions, file templates. As the JDL renderer is cross-checked with DIRAC's parser.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sweep } from '../launches.ts';
import { CommandLineError, outputPaths, pythonStr, renderCommandLine, renderConfigurationFiles, shellQuote } from './command-line.ts';
import { BoutiquesDescriptorSchema, type BoutiquesDescriptor, type BoutiquesInput } from './descriptor.ts';
import { checkWorkflowRequest, descriptorToZod } from './rules.ts';
import { countCombinations, expandSweeps } from './sweeps.ts';
import { bosh, type BoshResult } from './testing/bosh.ts';
import { corsika, cta, hello, irf, loadCorpus } from './testing/descriptors.ts';
import { printable } from './testing/values.ts';

describe('renderCommandLine', () => {
  it('substitutes value-keys with flags, drops absent inputs and fills output paths', () => {
    // CORSIKA's parameters go into its runcard (a file-template, server/launches/runcards.ts); its output paths stay here.
    const values = descriptorToZod(corsika).parse({ RUNNR: 42, SEED1: 11, CERENKOV: false });
    expect(renderCommandLine(corsika, values)).toBe('corsika-run --runcard corsika_run42.inp --output corsika_run42.corsika.zst');
  });

  it('quotes text as Python’s shlex.quote does, any printable text included', () => {
    // Values reach the job in the launch's wrapper script (server/launches/wrapper-script.ts), not the JDL: any printable text.
    const values = descriptorToZod(hello).parse({ MESSAGE: `it's "x[0] > 1; y" \\ $HOME` });
    expect(renderCommandLine(hello, values)).toBe(`echo Hello, 'it'"'"'s "x[0] > 1; y" \\ $HOME'!`);
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('a-b_c.d/e:f,g=h+i@j%k')).toBe('a-b_c.d/e:f,g=h+i@j%k');
    expect(shellQuote('é')).toBe("'é'");
  });

  it('names outputs as bosh does: stripped extensions, the path kept when the key starts the template', () => {
    const values = {
      ...descriptorToZod(cta).parse({ ALL_TELESCOPES: false, TEL_TYPES: ['LST', 'MST'] }),
      INPUT_DL0: 'gamma run1.simtel.zst',
    };
    expect(renderCommandLine(cta, values)).toBe(
      "cta-dl0-to-dl3 --input 'gamma run1.simtel.zst' --config prod6-standard --output-level DL3 --telescope-types LST,MST --picture-threshold 10 --boundary-threshold 5 --min-picture-neighbors 2 --output 'gamma run1.DL3.h5'",
    );
    expect(outputPaths(cta, values)).toEqual({ output_file: 'gamma run1.DL3.h5', provenance: 'gamma run1.provenance.log' });
    expect(
      renderCommandLine(irf, { ...descriptorToZod(irf).parse({ PERIOD: 'Spring 2025', POINT_LIKE: true }), INPUT_DL2: ['g.h5', 'p.h5'] }),
    ).toBe(
      "cta-make-irf --input g.h5 p.h5 --period 'Spring 2025' --model prod6-alpha-north --zenith-bins 20,40,60 --point-like --energy-scale-systematics 5 --effective-area-systematics 10 --output 'irf_Spring 2025_prod6-alpha-north.fits.gz'",
    );
  });

  it('writes numbers as Python prints them', () => {
    expect([1, -0, 1e20, 1e21, 0.1, 0.0001, 0.00001, 1.5e-7, 123456.789, 1.5e300, -2.5e-5].map(pythonStr)).toEqual([
      '1',
      '0',
      '100000000000000000000',
      '1e+21',
      '0.1',
      '0.0001',
      '1e-05',
      '1.5e-07',
      '123456.789',
      '1.5e+300',
      '-2.5e-05',
    ]);
    expect(pythonStr(true)).toBe('True');
  });

  it('refuses control characters and overlong command lines', () => {
    expect(() => renderCommandLine(hello, { GREETING: 'Hello', MESSAGE: 'a\nb' })).toThrow(
      new CommandLineError('the control character U+000A (new line) is not allowed in a parameter value', 'MESSAGE'),
    );
    expect(() => renderCommandLine(cta, { INPUT_DL0: ['x\u0000y'] })).toThrow(/^INPUT_DL0: the control character U\+0000/);
    expect(() => renderCommandLine(hello, { GREETING: 'Hello', MESSAGE: 'x'.repeat(70_000) })).toThrow(/at most 65536/);
  });
});

// ───────────────────────────── against bosh ─────────────────────────────

const anyNumber = fc.oneof(
  fc.integer({ min: -1000, max: 100_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, 0.1, 1e-5, 1.5e-7, 1e16, 1e21, 123456.789),
);

type Spec = {
  type: 'String' | 'Number' | 'Flag' | 'File';
  optional: boolean;
  list: boolean;
  flag?: string;
  sep?: string;
  listSep?: string;
  choices?: (string | number)[];
  def: boolean;
};

/** Random valid descriptors: every input type, flags and separators, lists, choices, defaults, outputs, file templates. */
const randomDescriptor: fc.Arbitrary<BoutiquesDescriptor> = fc
  .record({
    specs: fc.array(
      fc.record({
        type: fc.constantFrom('String', 'Number', 'Flag', 'File'),
        optional: fc.boolean(),
        list: fc.boolean(),
        flag: fc.option(fc.constantFrom('-x', '--value', '-n=', '--out', '-I'), { nil: undefined }),
        sep: fc.option(fc.constantFrom(' ', '=', ':', ''), { nil: undefined }),
        listSep: fc.option(fc.constantFrom(' ', ',', ':', ';'), { nil: undefined }),
        choices: fc.option(fc.uniqueArray(fc.oneof(printable, anyNumber), { minLength: 1, maxLength: 4 }), { nil: undefined }),
        def: fc.boolean(),
      }) as fc.Arbitrary<Spec>,
      { minLength: 1, maxLength: 6 },
    ),
    literal: fc.constantFrom('', " | cat -n 'x[0]'", '; echo "done"', ' && true'),
    order: fc.array(fc.nat(), { maxLength: 6 }),
    templates: fc.array(fc.tuple(fc.constantFrom('out_', '', 'res/', 'a.b_'), fc.nat(), fc.constantFrom('.dat', '.txt', '', '.tar.gz')), {
      maxLength: 2,
    }),
    stripped: fc.subarray(['.txt', '.gz', '.nii', 'x']),
    config: fc.boolean(),
  })
  .map(({ specs, literal, order, templates, stripped, config }) => {
    const inputs = specs.map((s, i) => {
      const id = `P${i}`;
      const input: Record<string, unknown> = { id, name: `Param ${i}`, type: s.type, 'value-key': `[${id}]` };
      if (s.type === 'Flag') {
        Object.assign(input, { 'command-line-flag': s.flag ?? '-f', optional: true });
        if (s.def) input['default-value'] = true;
        return input;
      }
      input.optional = s.optional;
      if (s.flag) input['command-line-flag'] = s.flag;
      if (s.flag && s.sep !== undefined) input['command-line-flag-separator'] = s.sep;
      if (s.list) input.list = true;
      if (s.list && s.listSep !== undefined) input['list-separator'] = s.listSep;
      const choices = (s.choices ?? []).filter((c) => (s.type === 'Number' ? typeof c === 'number' : typeof c === 'string'));
      if (s.type !== 'File' && choices.length > 0) input['value-choices'] = choices;
      if (s.type !== 'File' && s.def && choices.length > 0) input['default-value'] = s.list ? [choices[0]] : choices[0];
      return input;
    });
    const keys = inputs.map((i) => i['value-key'] as string);
    const shuffled = [...keys].sort((a, b) => (order[keys.indexOf(a)] ?? 0) - (order[keys.indexOf(b)] ?? 0));
    const outputs = templates.map(([prefix, k, ext], j) => {
      const key = keys[k % keys.length] as string;
      const o: Record<string, unknown> = {
        id: `out${j}`,
        name: `Out ${j}`,
        'value-key': `[OUT${j}]`,
        'path-template': `${prefix}${key}${ext}`,
      };
      if (stripped.length > 0) o['path-template-stripped-extensions'] = stripped;
      if (j === 0) o['command-line-flag'] = '-o';
      if (j === 1 && config) o['file-template'] = [`# settings`, `a = ${keys[0]}`, `b=${keys[keys.length - 1]} ${key}`, 'end'];
      return o;
    });
    return {
      name: 'Random',
      'tool-version': '1',
      description: 'random',
      'schema-version': '0.5',
      'command-line': `tool ${shuffled.join(' ')}${outputs.map((o) => ` ${o['value-key'] as string}`).join('')}${literal}`,
      inputs,
      ...(outputs.length > 0 ? { 'output-files': outputs } : {}),
    };
  })
  .map((raw) => BoutiquesDescriptorSchema.safeParse(raw))
  .filter((r) => r.success)
  .map((r) => r.data as BoutiquesDescriptor);

function valueFor(input: BoutiquesInput): fc.Arbitrary<unknown> {
  const choices = input['value-choices'];
  const scalar: fc.Arbitrary<unknown> =
    input.type === 'Flag' ? fc.boolean() : choices ? fc.constantFrom(...choices) : input.type === 'Number' ? anyNumber : printable;
  const one = input.list ? fc.array(scalar, { minLength: 1, maxLength: 4 }) : scalar;
  // A required File input is always bound (the launch refuses otherwise).
  if (input.type === 'File' && !input.optional) return one;
  return fc.oneof({ weight: 3, arbitrary: one }, { weight: 1, arbitrary: fc.constant(undefined) });
}

/**
 * Values that pass descriptorToZod, File inputs bound to names (a list for a list input). Text as the
 * command line takes it (`command`): the JDL's narrower limit on values (input-value.ts) is not bosh's.
 */
function invocationFor(d: BoutiquesDescriptor): fc.Arbitrary<Record<string, unknown> | null> {
  return fc.record(Object.fromEntries(d.inputs.map((input) => [input.id, valueFor(input)]))).map((raw) => {
    const parsed = descriptorToZod(d).safeParse(Object.fromEntries(Object.entries(raw).filter(([id]) => !isFile(d, id))));
    if (!parsed.success) return null;
    const files = Object.fromEntries(Object.entries(raw).filter(([id, v]) => isFile(d, id) && v !== undefined));
    return { ...parsed.data, ...files };
  });
}
const isFile = (d: BoutiquesDescriptor, id: string) => d.inputs.find((i) => i.id === id)?.type === 'File';

/** bosh substitutes key after key, so a value holding another value-key is re-read there: the one known difference. */
function holdsAKey(d: BoutiquesDescriptor, values: Record<string, unknown>): boolean {
  const keys = [...d.inputs, ...(d['output-files'] ?? [])].map((p) => p['value-key']).filter((k): k is string => !!k);
  return JSON.stringify(values).includes('[P') || keys.some((k) => JSON.stringify(values).includes(k));
}

function compare(cases: { d: BoutiquesDescriptor; values: Record<string, unknown> }[]): { same: number; refused: string[] } {
  const results = bosh(cases.map(({ d, values }) => ({ descriptor: d, invocation: values })));
  let same = 0;
  const refused: string[] = [];
  cases.forEach(({ d, values }, i) => {
    const r = results[i] as BoshResult;
    if ('error' in r) {
      refused.push(r.error);
      return;
    }
    if (!('command' in r)) throw new Error('unexpected answer');
    const what = `${JSON.stringify(d)}\n${JSON.stringify(values)}`;
    expect(renderCommandLine(d, values), what).toBe(r.command);
    const files = Object.fromEntries(renderConfigurationFiles(d, values).map((f) => [f.outputId, f.content]));
    expect(files, what).toEqual(r.files);
    same += 1;
  });
  return { same, refused };
}

describe('renderCommandLine equals bosh exec simulate', { timeout: 120_000 }, () => {
  it('on the catalogue’s descriptors, for values that pass descriptorToZod', () => {
    const cases: { d: BoutiquesDescriptor; values: Record<string, unknown> }[] = [];
    for (const d of [corsika, cta, irf, hello]) {
      for (const values of fc.sample(invocationFor(d), { numRuns: 60, seed: 15 })) {
        if (values && !holdsAKey(d, values)) cases.push({ d, values });
      }
    }
    const { same, refused } = compare(cases);
    // bosh refuses CORSIKA's Cherenkov inputs when Cherenkov is off (it adds their defaults); the form leaves them out.
    expect(
      refused.every((e) => /CERENKOV/.test(e)),
      refused.join('\n'),
    ).toBe(true);
    expect(same).toBeGreaterThan(40);
  });

  it('on real descriptors from Boutiques, with values for every input', () => {
    const cases: { d: BoutiquesDescriptor; values: Record<string, unknown> }[] = [];
    for (const file of [
      'example1_docker.json',
      'fsl_bet.json',
      'list_separator.json',
      'example-flag.json',
      'test_simulate_consistency_configFile.json',
    ]) {
      const d = BoutiquesDescriptorSchema.parse(loadCorpus(file));
      for (const values of fc.sample(invocationFor(d), { numRuns: 60, seed: 16 }))
        if (values && !holdsAKey(d, values)) cases.push({ d, values });
    }
    const { same } = compare(cases);
    expect(same).toBeGreaterThan(100);
  });

  it('on generated descriptors and any printable values', () => {
    const samples = fc.sample(
      randomDescriptor.chain((d) => fc.tuple(fc.constant(d), invocationFor(d))),
      { numRuns: 300, seed: 20261205 },
    );
    const cases = samples
      .filter(([d, v]) => v && !holdsAKey(d, v))
      .map(([d, values]) => ({ d, values: values as Record<string, unknown> }));
    const { same, refused } = compare(cases);
    expect(refused, refused.slice(0, 5).join('\n')).toEqual([]);
    expect(same).toBeGreaterThan(100);
  });
});

describe('sweeps', () => {
  it('expand to countCombinations value sets, each valid for the descriptor', () => {
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
        for (const set of sets.slice(0, 20)) expect(descriptorToZod(corsika).safeParse(set).success).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
