import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { FitResultSchema, ResourceCatalogueSchema, type QueueRequirement } from '../../../contracts/resources.ts';
import { api } from '../../../shared/lib/api-client.ts';

/** One queue in `POST /bff/v1/resources/fit`: where it is, and whether (and why not) it fits. */
export const QueueFitSchema = z
  .object({ queueId: z.string(), site: z.string(), ce: z.string(), queue: z.string() })
  .extend(FitResultSchema.shape);
export type QueueFit = z.infer<typeof QueueFitSchema>;
export const QueueFitListSchema = z.object({ fitting: z.number().int(), queues: z.array(QueueFitSchema) });
export type QueueFitList = z.infer<typeof QueueFitListSchema>;

export const resourceQueries = {
  all: () => ['resources'] as const,
  /** Sites → CEs → queues with their live RSS status. */
  catalogue: () =>
    queryOptions({
      queryKey: [...resourceQueries.all(), 'catalogue'] as const,
      queryFn: ({ signal }) => api.get('/bff/v1/resources', ResourceCatalogueSchema, { signal }),
      staleTime: 60_000,
    }),
  /** Which queues fit a job's requirements, and why the others do not (DIRAC matching + live status). */
  fit: (requirement: QueueRequirement) =>
    queryOptions({
      queryKey: [...resourceQueries.all(), 'fit', { ...requirement }] as const,
      queryFn: ({ signal }) => api.post('/bff/v1/resources/fit', requirement, QueueFitListSchema, { signal }),
      placeholderData: keepPreviousData,
      staleTime: 30_000,
    }),
};
