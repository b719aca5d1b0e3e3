import { formatDateTime, parseApiTime } from './format.ts';

/** A `<time>` element showing a DiracX timestamp in local time (UTC in the tooltip). */
export function DateTime({ value }: { value: string | null | undefined }) {
  const d = parseApiTime(value);
  if (!d) return <span>—</span>;
  return (
    <time
      dateTime={d.toISOString()}
      title={`${d
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC')}`}
    >
      {formatDateTime(value)}
    </time>
  );
}
