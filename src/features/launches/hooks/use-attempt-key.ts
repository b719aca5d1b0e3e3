import { useCallback, useRef } from 'react';

const newKey = () => crypto.randomUUID();

/**
 * One idempotency key per submission attempt. The same request sent again (a retry after an
 * error, a double click) carries the same key, so the BFF creates the launch once; a changed
 * request gets a new key (it is another launch), and so does the next one after a success.
 */
export function useAttemptKey() {
  const attempt = useRef<{ key: string; body: string | null }>({ key: '', body: null });
  if (attempt.current.key === '') attempt.current.key = newKey();

  /** The key to send with this request body (without its key). */
  const keyFor = useCallback((body: unknown): string => {
    const fingerprint = JSON.stringify(body);
    if (attempt.current.body !== null && attempt.current.body !== fingerprint) attempt.current = { key: newKey(), body: null };
    attempt.current.body = fingerprint;
    return attempt.current.key;
  }, []);

  /** The launch was created: the next submission is a new attempt. */
  const succeeded = useCallback(() => {
    attempt.current = { key: newKey(), body: null };
  }, []);

  return { keyFor, succeeded };
}
