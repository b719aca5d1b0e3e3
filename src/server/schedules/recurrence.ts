/**
 * Recurrences → run slots. "Every N minutes/hours" are exact instants counted from the start; "daily",
 * "weekly" and cron expressions are wall-clock times in the schedule's time zone (croner), so a daily
 * 02:30 run stays at 02:30 local time across DST changes (on the spring-forward day, when 02:30 does not
 * exist, it runs once at the transition).
 */
import { Cron } from 'croner';
import { WEEKDAYS, type Recurrence, type ScheduleSpec } from '../../contracts/schedules.ts';
import { plural } from '../../contracts/wording.ts';

export interface Issue {
  path: string;
  message: string;
}

const MINUTE = 60_000;

/** The 5-field cron expression of a wall-clock recurrence (null for fixed intervals). */
export function cronOf(r: Recurrence): string | null {
  switch (r.kind) {
    case 'interval':
      return null;
    case 'daily': {
      const [h, m] = r.time.split(':').map(Number);
      return `${m} ${h} * * *`;
    }
    case 'weekly': {
      const [h, m] = r.time.split(':').map(Number);
      return `${m} ${h} * * ${[...new Set(r.days)].sort().join(',')}`;
    }
    case 'cron':
      return r.expression.trim().replace(/\s+/g, ' ');
  }
}

function cronFor(spec: ScheduleSpec): Cron | null {
  const expr = cronOf(spec.recurrence);
  if (expr === null) return null;
  return new Cron(expr, { timezone: spec.timezone, paused: true, mode: '5-part' });
}

/** The first slot strictly after `after` (null when the schedule has ended). */
export function nextSlot(spec: ScheduleSpec, after: Date): Date | null {
  const start = Date.parse(spec.startAt);
  const end = spec.endAt ? Date.parse(spec.endAt) : Infinity;
  let t: number;
  if (spec.recurrence.kind === 'interval') {
    const step = spec.recurrence.every * (spec.recurrence.unit === 'hours' ? 60 : 1) * MINUTE;
    t = after.getTime() < start ? start : start + (Math.floor((after.getTime() - start) / step) + 1) * step;
  } else {
    const cron = cronFor(spec)!;
    // Inclusive start: look from just before it.
    const from = after.getTime() < start ? new Date(start - 1) : after;
    const next = cron.nextRun(from);
    if (!next) return null;
    t = next.getTime();
  }
  return t < end ? new Date(t) : null;
}

export function nextSlots(spec: ScheduleSpec, after: Date, n: number): Date[] {
  const out: Date[] = [];
  let cur: Date | null = after;
  while (out.length < n && cur) {
    cur = nextSlot(spec, cur);
    if (cur) out.push(cur);
  }
  return out;
}

/**
 * What zod cannot check: the cron syntax, and that runs are not closer together than the configured
 * minimum (checked over the first 50 slots). Returns field-level messages; [] when valid.
 */
export function validateSpec(spec: ScheduleSpec, opts: { minIntervalMinutes: number }): Issue[] {
  const min = opts.minIntervalMinutes;
  const r = spec.recurrence;
  if (r.kind === 'interval') {
    const minutes = r.every * (r.unit === 'hours' ? 60 : 1);
    return minutes < min
      ? [{ path: 'spec.recurrence.every', message: `runs more often than the minimum interval of ${plural(min, 'minute')}` }]
      : [];
  }
  try {
    cronFor(spec);
  } catch (err) {
    const msg = (err as Error).message.replace(/^CronPattern: /, '');
    return [
      {
        path: 'spec.recurrence.expression',
        message: `invalid cron expression: ${msg} (five fields: minute hour day-of-month month day-of-week)`,
      },
    ];
  }
  const slots = nextSlots(spec, new Date(Math.max(Date.now(), Date.parse(spec.startAt)) - 1), 50);
  if (slots.length === 0) return [{ path: 'spec.endAt', message: 'no run falls between the start and the end' }];
  for (let i = 1; i < slots.length; i++) {
    if (slots[i]!.getTime() - slots[i - 1]!.getTime() < min * MINUTE) {
      return [
        {
          path: r.kind === 'cron' ? 'spec.recurrence.expression' : 'spec.recurrence',
          message: `runs more often than the minimum interval of ${plural(min, 'minute')}`,
        },
      ];
    }
  }
  return [];
}

/** A short human description, e.g. "every 2 hours" or "weekly on Mon, Thu at 08:00 (Europe/Zurich)". */
export function describe(spec: ScheduleSpec): string {
  const r = spec.recurrence;
  const tz = ` (${spec.timezone})`;
  switch (r.kind) {
    case 'interval':
      return `every ${r.every === 1 ? r.unit.slice(0, -1) : plural(r.every, r.unit.slice(0, -1))}`;
    case 'daily':
      return `daily at ${r.time}${tz}`;
    case 'weekly':
      return `weekly on ${[...new Set(r.days)]
        .sort()
        .map((d) => WEEKDAYS[d])
        .join(', ')} at ${r.time}${tz}`;
    case 'cron':
      return `cron "${cronOf(r)}"${tz}`;
  }
}
