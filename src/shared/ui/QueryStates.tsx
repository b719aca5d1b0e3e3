import Button from '@mui/material/Button';
import type { ReactNode } from 'react';
import { EmptyState } from './EmptyState.tsx';
import { ErrorAlert } from './ErrorAlert.tsx';
import { TableSkeleton } from './TableSkeleton.tsx';

type EmptyProps = { title: string; description?: ReactNode; icon?: ReactNode };

type QueryStatesProps<T> = {
  /** The query's result (a `useQuery` result fits). */
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  /** The skeleton while the first load runs (announced as busy). */
  loading: { label: string; rows?: number; columns?: number };
  /** Extra action beside Retry when the first load fails. */
  errorAction?: ReactNode;
  /** Whether the loaded data has nothing to show. */
  isEmpty: (data: T) => boolean;
  /** "No X yet": nothing there at all. */
  empty: EmptyProps & { action?: ReactNode };
  /** "No X match these filters", with a Clear filters button: shown instead of `empty` while `filtered`. */
  noMatch?: EmptyProps & { onClear: () => void };
  filtered?: boolean;
  children: (data: T) => ReactNode;
};

/**
 * The four states of a view that loads one query: loading (TableSkeleton), a failed first load
 * (ErrorAlert with Retry), empty ("No X yet" and, when filtered, "No X match these filters" with
 * Clear filters) and the data. A failed background refresh keeps the data on screen (the global
 * query error handler raises a snackbar for it).
 */
export function QueryStates<T>({ query, loading, errorAction, isEmpty, empty, noMatch, filtered = false, children }: QueryStatesProps<T>) {
  const { data, error, isPending, refetch } = query;
  if (isPending) return <TableSkeleton {...loading} />;
  if (data === undefined) return <ErrorAlert error={error} onRetry={() => void refetch()} action={errorAction} />;
  if (isEmpty(data)) {
    if (filtered && noMatch) {
      const { onClear, ...rest } = noMatch;
      return <EmptyState {...rest} action={<Button onClick={onClear}>Clear filters</Button>} />;
    }
    return <EmptyState {...empty} />;
  }
  return <>{children(data)}</>;
}
