/** Number and size wording shared by the pages (one `formatBytes`, one `plural`). */
const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;
const fmt = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const fmt2 = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

/** Bytes in SI units, as storage systems count them: 734003200 → "734 MB", 3.2e12 → "3.2 TB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  if (bytes < 1000) return `${bytes} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${(value < 10 ? fmt2 : fmt).format(value)} ${UNITS[unit]}`;
}

// Counts are worded the same by the BFF's messages, so they live in contracts.
export { formatCount, plural } from '../../contracts/wording.ts';
