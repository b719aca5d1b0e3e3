import { z } from 'zod';
import { ProductionStateSchema, type ProductionListQuery } from '../../../contracts/productions.ts';

export const PRODUCTIONS_PER_PAGE = 20;

const optional = <T extends z.ZodType>(s: T) => s.optional().catch(undefined);

/** The productions page's filters as they live in the URL (bad values are dropped, never an error page). */
export const ProductionFiltersSchema = z.object({
  page: z.coerce.number().int().positive().catch(1).default(1),
  owner: optional(z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/)),
  workflow: optional(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/)),
  state: optional(ProductionStateSchema),
  from: optional(z.iso.date()),
  to: optional(z.iso.date()),
});
export type ProductionFilters = z.infer<typeof ProductionFiltersSchema>;

export const parseProductionFilters = (params: URLSearchParams): ProductionFilters =>
  ProductionFiltersSchema.parse(Object.fromEntries(params));

export const toListQuery = (f: ProductionFilters): ProductionListQuery => ({ ...f, perPage: PRODUCTIONS_PER_PAGE });

export const hasFilters = (f: ProductionFilters) => Boolean(f.owner || f.workflow || f.state || f.from || f.to);

/** URL search params for filters (page 1 is implied). */
export function filtersToParams(f: ProductionFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '' && !(k === 'page' && v === 1)) params.set(k, String(v));
  return params;
}
