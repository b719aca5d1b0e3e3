import { z } from 'zod';
import type { ParameterValue } from '../launches.ts';
import { commandTextReason } from '../text.ts';
import type { BoutiquesInput } from './descriptor.ts';

/** Longest text value of one parameter. */
export const MAX_TEXT_VALUE = 1024;

export function defaultOf(input: BoutiquesInput): ParameterValue | undefined {
  const v = input['default-value'];
  // A File input is bound to basket items, so its default (a path) is not used; other defaults
  // were checked against the input by the descriptor's schema.
  if (v === undefined || v === null || input.type === 'File') return undefined;
  // bosh passes a single default of a list input as one value: the form shows it as a one-item list.
  if (input.list && !Array.isArray(v)) return [v] as ParameterValue;
  return v as ParameterValue;
}

/** Whether a value makes an input "active" for groups and requirements (a Flag only when on). */
export function isActiveValue(input: BoutiquesInput, value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (input.type === 'Flag') return value === true;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

export const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

function bound(n: number): string {
  return String(n);
}

/** The zod schema of one (non-File) input's value, without optionality. */
export function inputValueSchema(input: BoutiquesInput): z.ZodType<ParameterValue> {
  // Text reaches the job shell-quoted in the launch's wrapper script (never the JDL): only control characters are refused.
  const checkText = (v: string, ctx: z.core.$RefinementCtx) => {
    const reason = commandTextReason(v);
    if (reason) ctx.addIssue({ code: 'custom', message: reason });
  };
  let item: z.ZodType<string | number | boolean>;
  if (input.type === 'Flag') {
    item = z.boolean({ error: 'Must be on or off (true or false)' });
  } else if (input.type === 'Number') {
    let n = z.number({ error: (iss) => (iss.input === undefined ? 'Required' : 'Enter a number') });
    // A refinement rather than .int(): .int() aborts, which would hide the cross-field checks.
    if (input.integer) n = n.refine((v) => Number.isInteger(v), { error: 'Enter a whole number' });
    const { minimum: min, maximum: max } = input;
    if (min !== undefined)
      n = input['exclusive-minimum']
        ? n.gt(min, { error: `Must be greater than ${bound(min)}` })
        : n.gte(min, { error: `Must be at least ${bound(min)}` });
    if (max !== undefined)
      n = input['exclusive-maximum']
        ? n.lt(max, { error: `Must be less than ${bound(max)}` })
        : n.lte(max, { error: `Must be at most ${bound(max)}` });
    const choices = input['value-choices'];
    item = choices ? n.refine((v) => choices.includes(v), { error: `Choose one of ${choices.join(', ')}` }) : n;
  } else {
    const choices = input['value-choices'];
    const s = z
      .string({ error: (iss) => (iss.input === undefined ? 'Required' : 'Enter text') })
      .max(MAX_TEXT_VALUE, { error: `At most ${MAX_TEXT_VALUE} characters` })
      .superRefine(checkText);
    // A descriptor's own choices are held to the same rule.
    item = choices
      ? z.enum(choices.map(String) as [string, ...string[]], { error: `Choose one of ${choices.join(', ')}` }).superRefine(checkText)
      : s;
  }
  if (!input.list) return item;
  const min = input['min-list-entries'] ?? (input.optional ? 0 : 1);
  const max = input['max-list-entries'];
  let list = z
    .array(item as z.ZodType<string | number>, { error: 'Enter a list of values' })
    .min(min, { error: `Enter at least ${min} ${min === 1 ? 'value' : 'values'}` });
  if (max !== undefined) list = list.max(max, { error: `Enter at most ${max} ${max === 1 ? 'value' : 'values'}` });
  return list;
}
