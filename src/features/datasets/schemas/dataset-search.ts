import { z } from 'zod';
import {
  DATASET_QUERY_MAX_LENGTH,
  DataLevelSchema,
  DatasetSortSchema,
  SortDirSchema,
  type DatasetSearchQuery,
} from '../../../contracts/datasets.ts';

export const DATASETS_PER_PAGE = 50;

/**
 * "Find data" filters as they live in the URL
 * (`/basket?projectId=CTA-LST1-2026-0042&dataLevel=DL3&from=2026-01-01&q=run_023&page=2&sort=name&dir=asc`).
 * Values that do not parse are ignored rather than breaking the page.
 */
export const DatasetUrlSchema = z.object({
  projectId: z.string().trim().min(1).max(64).optional().catch(undefined),
  dataLevel: DataLevelSchema.optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  q: z.string().trim().min(1).max(DATASET_QUERY_MAX_LENGTH).optional().catch(undefined),
  page: z.coerce.number().int().positive().max(1_000_000).catch(1),
  sort: DatasetSortSchema.catch('observationDate'),
  dir: SortDirSchema.catch('desc'),
});

export const FILTER_PARAMS = ['projectId', 'dataLevel', 'from', 'to', 'q'] as const;
export type FilterParam = (typeof FILTER_PARAMS)[number];

export type ParsedDatasetSearch = { search: DatasetSearchQuery; ignoredTo: boolean };

export function parseDatasetSearch(params: URLSearchParams): ParsedDatasetSearch {
  const raw: Record<string, string> = {};
  for (const key of [...FILTER_PARAMS, 'page', 'sort', 'dir']) {
    const v = params.get(key);
    if (v !== null && v !== '') raw[key] = v;
  }
  const parsed = DatasetUrlSchema.parse(raw);
  // A "to" before "from" would match nothing: ignore it (the date field says so).
  const ignoredTo = Boolean(parsed.from && parsed.to && parsed.to < parsed.from);
  const search: DatasetSearchQuery = { ...parsed, ...(ignoredTo ? { to: undefined } : {}), perPage: DATASETS_PER_PAGE };
  return { search, ignoredTo };
}

export function hasActiveFilters(s: DatasetSearchQuery): boolean {
  return FILTER_PARAMS.some((k) => s[k] !== undefined);
}

/** The filters only (what "add all matches" sends). */
export function filtersOf(s: DatasetSearchQuery) {
  return { projectId: s.projectId, dataLevel: s.dataLevel, from: s.from, to: s.to, q: s.q };
}
