import { ScheduleSpecSchema, type ScheduleSpec, type ScheduleSpecInput } from '../../../contracts/schedules.ts';

/** What the recurrence fields hold (text, as typed); `toSpec` turns it into the contract's shape. */
export interface SpecDraft {
  repeat: 'minutes' | 'hours' | 'daily' | 'weekly' | 'cron';
  every: string;
  time: string;
  days: number[];
  expression: string;
  timezone: string;
  /** `datetime-local` values, in the browser's time zone. */
  startAt: string;
  endAt: string;
  missedPolicy: 'skip' | 'run-once';
}

const pad = (n: number) => String(n).padStart(2, '0');
/** A Date as a `datetime-local` value in the browser's time zone. */
export const toLocalInput = (d: Date) =>
  `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;

export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function newDraft(now = new Date()): SpecDraft {
  return {
    repeat: 'daily',
    every: '1',
    time: '02:00',
    days: [1],
    expression: '0 2 * * *',
    timezone: browserTimeZone(),
    startAt: toLocalInput(now),
    endAt: '',
    missedPolicy: 'skip',
  };
}

export function draftOf(spec: ScheduleSpec): SpecDraft {
  const base = {
    ...newDraft(new Date(spec.startAt)),
    timezone: spec.timezone,
    endAt: spec.endAt ? toLocalInput(new Date(spec.endAt)) : '',
    missedPolicy: spec.missedPolicy,
  };
  const r = spec.recurrence;
  switch (r.kind) {
    case 'interval':
      return { ...base, repeat: r.unit, every: String(r.every) };
    case 'daily':
      return { ...base, repeat: 'daily', time: r.time };
    case 'weekly':
      return { ...base, repeat: 'weekly', time: r.time, days: r.days };
    case 'cron':
      return { ...base, repeat: 'cron', expression: r.expression };
  }
}

const isoOf = (local: string) => {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
};

export function toSpecInput(d: SpecDraft): ScheduleSpecInput {
  const recurrence =
    d.repeat === 'minutes' || d.repeat === 'hours'
      ? { kind: 'interval' as const, every: Number(d.every), unit: d.repeat }
      : d.repeat === 'daily'
        ? { kind: 'daily' as const, time: d.time }
        : d.repeat === 'weekly'
          ? { kind: 'weekly' as const, days: [...d.days].sort(), time: d.time }
          : { kind: 'cron' as const, expression: d.expression };
  return {
    recurrence,
    timezone: d.timezone,
    startAt: isoOf(d.startAt),
    endAt: d.endAt ? isoOf(d.endAt) : null,
    missedPolicy: d.missedPolicy,
  };
}

/** Field → message, from zod (in the browser) or from the BFF's issues (`spec.recurrence.every`, `endAt`, …). */
export type SpecErrors = Partial<
  Record<'every' | 'time' | 'days' | 'expression' | 'timezone' | 'startAt' | 'endAt' | 'recurrence', string>
>;

export function fieldOf(path: string): keyof SpecErrors {
  const last =
    path
      .replace(/^spec\./, '')
      .split('.')
      .pop() ?? '';
  if (['every', 'time', 'days', 'expression', 'timezone', 'startAt', 'endAt'].includes(last)) return last as keyof SpecErrors;
  return 'recurrence';
}

export function checkDraft(d: SpecDraft): { spec: ScheduleSpecInput | null; errors: SpecErrors } {
  const input = toSpecInput(d);
  const parsed = ScheduleSpecSchema.safeParse(input);
  if (parsed.success) return { spec: input, errors: {} };
  const errors: SpecErrors = {};
  for (const issue of parsed.error.issues) {
    const field = fieldOf(issue.path.map(String).join('.'));
    errors[field] ??= field === 'every' && issue.code === 'invalid_type' ? 'enter a whole number' : issue.message;
  }
  return { spec: null, errors };
}
