import { useCallback, useRef } from 'react';

/**
 * One idempotency key per submission attempt. The same request sent again (a retry after an
 * error, a double click) carries the same key, so the BFF creates the launch once; a changed
 * request gets a new key (it is another launch), and so does the next one after a success.
 * The attempt lives in a ref that only the returned handlers read and write (never the render).
 */
export function useAttemptKey() {
  const attempt = useRef<{ key: string; body: string } | null>(null);

  /** The key to send with this request body (without its key). */
  const keyFor = useCallback((body: unknown): string => {
    const fingerprint = JSON.stringify(body);
    if (attempt.current?.body !== fingerprint) attempt.current = { key: crypto.randomUUID(), body: fingerprint };
    return attempt.current.key;
  }, []);

  /** The launch was created: the next submission is a new attempt. */
  const succeeded = useCallback(() => {
    attempt.current = null;
  }, []);

  return { keyFor, succeeded };
}
