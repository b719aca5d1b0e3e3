import type { AlertColor } from '@mui/material/Alert';
import { lazy, Suspense, useCallback, useState, useSyncExternalStore } from 'react';

/**
 * App-wide notifications (snackbars). The store lives outside React so the
 * QueryClient's global error handlers can raise a message too.
 */
export type Notice = { id: number; message: string; severity: AlertColor; key?: string };
type NewNotice = { message: string; severity?: AlertColor; /** Replaces a queued notice with the same key (no pile-ups). */ key?: string };

let queue: Notice[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export const notifications = {
  push(notice: NewNotice): number {
    const id = nextId++;
    const item: Notice = { id, message: notice.message, severity: notice.severity ?? 'info', key: notice.key };
    const existing = notice.key ? queue.findIndex((n) => n.key === notice.key) : -1;
    queue = existing >= 0 ? queue.map((n, i) => (i === existing ? item : n)) : [...queue, item];
    emit();
    return id;
  },
  dismiss(id: number) {
    queue = queue.filter((n) => n.id !== id);
    emit();
  },
  clear() {
    queue = [];
    emit();
  },
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  snapshot: () => queue,
};

export type Notify = (message: string, severity?: AlertColor) => void;

/** `const notify = useNotify(); notify('JDL copied', 'success')`. */
export function useNotify(): Notify {
  return useCallback((message, severity = 'info') => {
    notifications.push({ message, severity });
  }, []);
}

const NotificationSnackbar = lazy(() => import('./NotificationSnackbar.tsx'));

/**
 * Shows queued notices one at a time, bottom-left. Mount once, in the providers.
 * The snackbar code is only downloaded when the first notice arrives.
 */
export function NotificationHost() {
  const queued = useSyncExternalStore(notifications.subscribe, notifications.snapshot, notifications.snapshot);
  const current = queued[0];
  // Once a notice has been shown the snackbar stays mounted, so its exit transition can play.
  // Set while rendering (React's "adjust state on a prop change"), not in an effect: no extra commit.
  const [used, setUsed] = useState(false);
  if (current && !used) setUsed(true);
  if (!current && !used) return null;
  return (
    <Suspense fallback={null}>
      <NotificationSnackbar notice={current} onDismiss={(id) => notifications.dismiss(id)} />
    </Suspense>
  );
}
