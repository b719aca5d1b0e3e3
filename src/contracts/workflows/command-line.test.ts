import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sweep } from '../launches.ts';
import { JDL_UNSAFE_CHAR } from '../text.ts';
import { CommandLineError, renderCommandLine } from './command-line.ts';
import { BoutiquesDescriptorSchema, type BoutiquesDescriptor, type BoutiquesInput } from './descriptor.ts';
import { checkWorkflowRequest, descriptorToZod } from './rules.ts';
import { countCombinations, expandSweeps } from './sweeps.ts';
import { corsika, cta, hello, irf } from './testing/descriptors.ts';

describe('renderCommandLine', () => {
  it('substitutes value-keys with flags, drops absent inputs and fills output paths', () => {
    // CORSIKA's parameters go into its runcard (a file-template, server/launches/runcards.ts); its output paths stay here.
    const values = descriptorToZod(corsika).parse({ RUNNR: 42, SEED1: 11, CERENKOV: false });
    expect(renderCommandLine(corsika, values)).toBe('corsika-run --runcard corsika_run42.inp --output corsika_run42.corsika.zst');
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
  // The same, spelled out without the shared regular expression (in case it were wrong).
  const unsafe = [...command].filter((ch) => '"\\;[]'.includes(ch) || ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
  expect(unsafe).toEqual([]);
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

// Hundreds of runs each: seconds on an idle machine, more on a busy one (CI, parallel files).
describe('renderCommandLine (properties)', { timeout: 60_000 }, () => {
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
