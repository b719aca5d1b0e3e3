import { z } from 'zod';
import type { Sweep } from '../launches.ts';
import { hintsOf, inputLabel, isSweepable, type BoutiquesDescriptor } from './descriptor.ts';
import { inputValueSchema } from './input-value.ts';

/** A range sweep may expand to at most this many values (a list sweep may list as many). */
export const MAX_SWEEP_VALUES = 1000;
/** At most this many combinations of swept values (i.e. jobs before input files) per launch. */
export const MAX_COMBINATIONS = 10_000;

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
    const allowed = hintsOf(d)['escape:sweepable'] ?? [];
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
