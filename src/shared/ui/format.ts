/**
 * Display helpers for times and numbers. DiracX sends naive ISO datetimes that are UTC;
 * they are treated as UTC here and shown in the browser's time zone.
 */
const HAS_ZONE = /(?:[zZ]|[+-]\d\d:?\d\d)$/;

export function parseApiTime(value: string | null | undefined): Date | null {
  if (!value) return null;
  const d = new Date(HAS_ZONE.test(value) ? value : `${value}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatDateTime(value: string | null | undefined): string {
  const d = parseApiTime(value);
  return d ? dateTimeFormat.format(d) : '—';
}

export function formatRelative(value: string | null | undefined, now = Date.now()): string {
  const d = parseApiTime(value);
  if (!d) return '—';
  const seconds = Math.round((d.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relativeFormat.format(seconds, 'second');
  if (abs < 3600) return relativeFormat.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relativeFormat.format(Math.round(seconds / 3600), 'hour');
  return relativeFormat.format(Math.round(seconds / 86_400), 'day');
}

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
export function formatNumber(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : numberFormat.format(n);
}

/** Minutes → "48 h" (or "90 min" under two hours). */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return '—';
  if (minutes < 120) return `${numberFormat.format(minutes)} min`;
  return `${numberFormat.format(minutes / 60)} h`;
}
