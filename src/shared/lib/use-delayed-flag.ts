import { useEffect, useState } from 'react';

/**
 * `flag`, but turned on only once it has stayed on for `delayMs` (and off at once): a progress bar for
 * waits a user notices, not for every quick refresh. An indeterminate bar animates its layout every
 * frame, which on a sort of ~150 ms cost more main-thread time than rendering the answer (issue #17).
 */
export function useDelayedFlag(flag: boolean, delayMs: number): boolean {
  const [late, setLate] = useState(false);
  useEffect(() => {
    if (!flag) return;
    const timer = setTimeout(() => setLate(true), delayMs);
    return () => {
      clearTimeout(timer);
      setLate(false);
    };
  }, [flag, delayMs]);
  return flag && late;
}
