import { describe, expect, it } from 'vitest';
import { countCombinations, expandSweeps, SweepError, sweepValues, validateSweep } from './sweeps.ts';
import { corsika, cta, hello } from './testing/descriptors.ts';

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
    expect(validateSweep(cta, 'TEL_TYPES', { kind: 'list', values: ['LST'] })).toEqual([
      '“Telescope types” (TEL_TYPES) is a list: only single-valued Number and String parameters can be swept',
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
    // Any printable text (it reaches the job shell-quoted in the wrapper script); control characters are refused.
    expect(validateSweep(hello, 'MESSAGE', { kind: 'list', values: ['ok', 'x[0] > 1; y', 'tab\there'] })).toEqual([
      '"tab\there": the control character U+0009 (tab) is not allowed in a parameter value',
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
});
