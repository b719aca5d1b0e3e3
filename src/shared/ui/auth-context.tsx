import { createContext, useContext } from 'react';
import type { Me } from '../../contracts/auth.ts';
import type { SignInChoice } from '../lib/auth.ts';

export type AuthStatus = 'loading' | 'signed-out' | 'signed-in';

/** Why the session ended in this tab (drives the message on /signin). */
export type SessionEndReason = 'signed-out' | 'expired';

export type AuthContextValue = {
  /** loading: still reading the stored session or fetching `me`; signed-in: `me` is known. */
  status: AuthStatus;
  endReason: SessionEndReason | null;
  me: Me | null;
  /** Why `me` could not be loaded (a signed-in session whose profile fetch failed). */
  error: unknown;
  /** Reload `me` after an error. */
  retry: () => void;
  /** Redirects the browser to DiracX (and on to the IdP); resolves only if that fails to start. */
  signIn: (choice: SignInChoice, returnTo: string) => Promise<void>;
  /** Finishes the redirect sign-in on /auth/callback; resolves with the path to return to. */
  completeSignIn: () => Promise<string>;
  /** Revokes the refresh token, forgets the session and goes to /signin. */
  signOut: () => Promise<void>;
};

export const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth() must be used inside <AuthProvider>');
  return value;
}

/** `me` for components that only render inside the signed-in shell. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe() used outside the signed-in part of the portal');
  return me;
}

export const ROLE_LABEL: Record<Me['role'], string> = { scientist: 'Scientist', pi: 'Principal investigator', admin: 'Administrator' };
