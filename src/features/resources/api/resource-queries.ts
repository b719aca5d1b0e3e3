import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { LocalitySummarySchema } from '../../../contracts/locality.ts';
import { inputFields, inputsKey, type LaunchInputs } from '../../../contracts/launches.ts';
import { QueueFitSchema, ResourceCatalogueSchema, type QueueRequirement } from '../../../contracts/resources.ts';
import { api } from '../../../shared/lib/api-client.ts';

export type { QueueFit } from '../../../contracts/resources.ts';
export const QueueFitListSchema = z.object({
  fitting: z.number().int(),
  queues: z.array(QueueFitSchema),
  locality: LocalitySummarySchema.optional(),
});
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
  /**
   * Which queues fit a job's requirements, and why the others do not (DIRAC matching + live status); with
   * inputs (chosen items, or the whole basket of some levels), ranked by where their data is.
   */
  fit: (requirement: QueueRequirement, inputs: LaunchInputs = { itemIds: [] }) =>
    queryOptions({
      queryKey: [...resourceQueries.all(), 'fit', { ...requirement }, inputsKey(inputs)] as const,
      queryFn: ({ signal }) =>
        api.post('/bff/v1/resources/fit', { ...requirement, ...inputFields(inputs) }, QueueFitListSchema, { signal }),
      placeholderData: keepPreviousData,
      staleTime: 30_000,
    }),
};
