import { z } from 'zod';
import {
  QueueKindSchema,
  type ComputeElement,
  type ElementStatus,
  type Queue,
  type ResourceCatalogue,
  type Site,
} from '../../../contracts/resources.ts';

/** Catalogue filters as they live in the URL (`?gpu=1&minCores=8&minHours=24&kind=HPC`). Bad values are ignored. */
export const ResourceFiltersSchema = z.object({
  gpu: z
    .string()
    .optional()
    .transform((v) => v === '1' || v === 'true'),
  minCores: z.coerce.number().int().positive().optional().catch(undefined),
  minHours: z.coerce.number().positive().optional().catch(undefined),
  kind: QueueKindSchema.optional().catch(undefined),
});
export type ResourceFilters = z.output<typeof ResourceFiltersSchema>;

export const FILTER_PARAMS = ['gpu', 'minCores', 'minHours', 'kind'] as const;

export function parseResourceFilters(params: URLSearchParams): ResourceFilters {
  const raw: Record<string, string> = {};
  for (const key of FILTER_PARAMS) {
    const value = params.get(key);
    if (value !== null && value !== '') raw[key] = value;
  }
  return ResourceFiltersSchema.parse(raw);
}

export function hasActiveFilters(f: ResourceFilters): boolean {
  return f.gpu || f.minCores !== undefined || f.minHours !== undefined || f.kind !== undefined;
}

export type QueueRow = { site: Site; ce: ComputeElement; queue: Queue };

export function queueRows(catalogue: ResourceCatalogue): QueueRow[] {
  return catalogue.sites.flatMap((site) => site.ces.flatMap((ce) => ce.queues.map((queue) => ({ site, ce, queue }))));
}

/** A queue fits a time need when every limit it declares (wall-clock and CPU) is long enough. */
function longEnough(queue: Queue, hours: number): boolean {
  const minutes = hours * 60;
  const limits = [queue.maxWallTimeMinutes, queue.maxCpuTimeMinutes].filter((m): m is number => m !== null);
  return limits.every((m) => m >= minutes);
}

export function filterRows(rows: readonly QueueRow[], f: ResourceFilters): QueueRow[] {
  return rows.filter(({ queue }) => {
    if (f.gpu && queue.gpus < 1) return false;
    if (f.minCores !== undefined && queue.cores < f.minCores) return false;
    if (f.minHours !== undefined && !longEnough(queue, f.minHours)) return false;
    if (f.kind !== undefined && queue.kind !== f.kind) return false;
    return true;
  });
}

export type LiveStatus = { label: string; tone: 'success' | 'warning' | 'error' | 'default' };

/** What the queue's site and CE statuses mean together: banned beats degraded beats active. */
export function liveStatus(site: ElementStatus | null, ce: ElementStatus | null): LiveStatus {
  const known = [site, ce].filter((s): s is ElementStatus => s !== null);
  if (known.length === 0) return { label: 'Status unknown', tone: 'default' };
  const banned = known.find((s) => s.state === 'banned');
  if (banned) return { label: `Banned: ${banned.reason ?? 'no reason given'}`, tone: 'error' };
  const warnings = known.flatMap((s) => (s.state === 'degraded' ? (s.warnings ?? []) : []));
  if (known.some((s) => s.state === 'degraded')) {
    return { label: `Degraded: ${warnings.length > 0 ? warnings.join('; ') : 'no reason given'}`, tone: 'warning' };
  }
  return { label: 'Active', tone: 'success' };
}
