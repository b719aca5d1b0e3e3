import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { AccountingReportSchema, type AccountingQuery } from '../../../contracts/accounting.ts';
import { api } from '../../../shared/lib/api-client.ts';
import { downloadFromBff } from '../../../shared/lib/download.ts';

export const usagePath = (q: AccountingQuery, csv = false) => `/bff/v1/accounting/usage${csv ? '.csv' : ''}?${new URLSearchParams(q)}`;

export const accountingQueries = {
  all: () => ['accounting'] as const,
  usage: (q: AccountingQuery) =>
    queryOptions({
      queryKey: [...accountingQueries.all(), 'usage', q] as const,
      queryFn: ({ signal }) => api.get(usagePath(q), AccountingReportSchema, { signal }),
      placeholderData: keepPreviousData,
      staleTime: 30_000,
    }),
};

/** Fetch the CSV with the user's token and hand it to the browser as a download. */
export function downloadUsageCsv(q: AccountingQuery): Promise<void> {
  return downloadFromBff(usagePath(q, true), 'accounting.csv');
}
