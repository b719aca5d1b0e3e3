import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { AccountingReportSchema, type AccountingQuery } from '../../../contracts/accounting.ts';
import { api } from '../../../shared/lib/api-client.ts';

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
export async function downloadUsageCsv(q: AccountingQuery): Promise<void> {
  const { blob, filename } = await api.download(usagePath(q, true));
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename ?? 'accounting.csv';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
