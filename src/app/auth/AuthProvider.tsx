import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { User } from 'oidc-client-ts';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { authQueries } from '../../features/auth/api/auth-queries.ts';
import {
  completeSignIn as completeOidcSignIn,
  currentManager,
  getUser,
  refreshTokens,
  signOut as oidcSignOut,
  startSignIn,
  type SignInChoice,
} from '../../shared/lib/auth.ts';
import { AuthContext, type AuthContextValue, type SessionEndReason } from '../../shared/ui/auth-context.tsx';
import { setUnauthenticatedHandler } from './api-auth.ts';

type Session = { initialized: boolean; user: User | null; endReason: SessionEndReason | null };

/** When to refresh: a minute before expiry (half the remaining time for short-lived tokens). */
export function refreshDelayMs(expiresAtSeconds: number, now = Date.now()): number {
  const remaining = expiresAtSeconds * 1000 - now;
  const delay = remaining > 120_000 ? remaining - 60_000 : remaining / 2;
  return Math.max(delay, 1_000);
}

/**
 * Holds the sign-in session of this tab:
 * - reads the stored user at start (`getUser()`), then loads `me` from the BFF;
 * - refreshes the tokens ~60 s before they expire, and once on a 401 from the BFF
 *   (api-client asks through `onUnauthenticated`); if that fails the session ends once
 *   and <RequireAuth> sends the user to /signin?returnTo=<where they were>;
 * - signs out (revoke + forget + clear the query cache).
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<Session>({ initialized: false, user: null, endReason: null });
  /** Set while a sign-out or an expiry is being handled: later 401s must not start another. */
  const endingRef = useRef(false);
  const pendingRefresh = useRef<Promise<boolean> | null>(null);

  useEffect(() => {
    let cancelled = false;
    const settle = (user: User | null) => {
      if (!cancelled) setSession((s) => (s.initialized ? s : { initialized: true, user, endReason: null }));
    };
    getUser().then(settle, () => settle(null));
    return () => {
      cancelled = true;
    };
  }, []);

  const endSession = useCallback(
    async (reason: SessionEndReason) => {
      if (endingRef.current && reason === 'expired') return;
      endingRef.current = true;
      if (reason === 'expired') {
        try {
          await currentManager()?.removeUser();
        } catch {
          /* storage already gone */
        }
      }
      setSession({ initialized: true, user: null, endReason: reason });
      queryClient.clear();
    },
    [queryClient],
  );

  /** Refresh the tokens once (shared by concurrent callers); ends the session if that fails. */
  const refreshOrEnd = useCallback((): Promise<boolean> => {
    if (endingRef.current) return Promise.resolve(false);
    pendingRefresh.current ??= (async () => {
      const fresh = await refreshTokens().catch(() => null);
      if (fresh) {
        setSession((s) => ({ ...s, user: fresh }));
        return true;
      }
      await endSession('expired');
      return false;
    })().finally(() => {
      pendingRefresh.current = null;
    });
    return pendingRefresh.current;
  }, [endSession]);

  useLayoutEffect(() => setUnauthenticatedHandler(refreshOrEnd), [refreshOrEnd]);

  // Proactive refresh shortly before the access token expires.
  const expiresAt = session.user?.expires_at;
  useEffect(() => {
    if (!expiresAt) return;
    const timer = window.setTimeout(async () => {
      // api-client may already have refreshed on demand: adopt that token instead of refreshing twice.
      const stored = await getUser().catch(() => null);
      if (stored?.expires_at && stored.expires_at > expiresAt + 5) {
        setSession((s) => ({ ...s, user: stored }));
        return;
      }
      void refreshOrEnd();
    }, refreshDelayMs(expiresAt));
    return () => window.clearTimeout(timer);
  }, [expiresAt, refreshOrEnd]);

  const me = useQuery({ ...authQueries.me(), enabled: session.user !== null });

  const signIn = useCallback((choice: SignInChoice, returnTo: string) => startSignIn(choice, returnTo), []);

  const completeSignIn = useCallback(async () => {
    const { user, returnTo } = await completeOidcSignIn();
    queryClient.clear();
    endingRef.current = false;
    setSession({ initialized: true, user, endReason: null });
    return returnTo;
  }, [queryClient]);

  const signOut = useCallback(async () => {
    endingRef.current = true;
    await oidcSignOut();
    await endSession('signed-out');
  }, [endSession]);

  const { refetch } = me;
  const retry = useCallback(() => void refetch(), [refetch]);

  const value = useMemo<AuthContextValue>(() => {
    const status = !session.initialized ? 'loading' : !session.user ? 'signed-out' : me.data ? 'signed-in' : 'loading';
    return {
      status,
      endReason: session.endReason,
      me: session.user ? (me.data ?? null) : null,
      error: session.user && !me.data ? me.error : null,
      retry,
      signIn,
      completeSignIn,
      signOut,
    };
  }, [session, me.data, me.error, retry, signIn, completeSignIn, signOut]);

  return <AuthContext value={value}>{children}</AuthContext>;
}
