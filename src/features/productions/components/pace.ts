import type { Production } from '../../../contracts/productions.ts';
import { formatNumber, formatRelative } from '../../../shared/ui/format.ts';

export const throughputText = (p: Pick<Production, 'throughputPerHour'>) =>
  p.throughputPerHour === null ? '—' : `${formatNumber(p.throughputPerHour)} jobs/h`;

/** "in 2 hours" while jobs remain, "finished" when none do. */
export function etaText(p: Pick<Production, 'estimatedCompletion' | 'state'>, now = Date.now()) {
  if (p.state === 'completed' || p.state === 'failures') return 'finished';
  if (!p.estimatedCompletion) return 'not yet known';
  return Date.parse(p.estimatedCompletion) <= now ? 'any moment now' : formatRelative(p.estimatedCompletion, now);
}
