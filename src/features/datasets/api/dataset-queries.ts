import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { DatasetPageSchema, ProjectListSchema, type DatasetSearchQuery } from '../../../contracts/datasets.ts';
import { api } from '../../../shared/lib/api-client.ts';

/** `?projectId=…&dataLevel=…` for GET /bff/v1/datasets/files (or a Rucio search): empty values left out. */
export function datasetSearchParams(search: DatasetSearchQuery | object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  return params.toString();
}

export const datasetQueries = {
  all: () => ['datasets'] as const,
  projects: () =>
    queryOptions({
      queryKey: [...datasetQueries.all(), 'projects'] as const,
      queryFn: ({ signal }) => api.get('/bff/v1/datasets/projects', ProjectListSchema, { signal }),
      // The catalogue changes rarely.
      staleTime: 5 * 60_000,
    }),
  files: () => [...datasetQueries.all(), 'files'] as const,
  search: (search: DatasetSearchQuery) =>
    queryOptions({
      queryKey: [...datasetQueries.files(), { ...search }] as const,
      queryFn: ({ signal }) => api.get(`/bff/v1/datasets/files?${datasetSearchParams(search)}`, DatasetPageSchema, { signal }),
      placeholderData: keepPreviousData,
      staleTime: 60_000,
    }),
};
