/**
 * Sign-in with oidc-client-ts: authorization code + PKCE against DiracX, which
 * sends the user on to the VO's identity provider. The discovery document and
 * the token/revocation endpoints are relayed by the BFF (same origin), so the
 * browser never calls DiracX's API directly; only the login redirect visits it.
 *
 * Tokens live in sessionStorage (per tab, gone when the tab closes), never in
 * localStorage. DiracX rotates refresh tokens and revokes all of a user's
 * tokens when an old one is reused, so refreshes are serialised across tabs
 * with the Web Locks API.
 */
import { ErrorResponse, UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import { z } from 'zod';

export const SignInChoiceSchema = z.object({
  instanceId: z.string().min(1),
  clientId: z.string().min(1),
  metadataUrl: z.string().min(1),
  vo: z.string().min(1),
  group: z.string().min(1),
});
export type SignInChoice = z.infer<typeof SignInChoiceSchema>;

const CHOICE_KEY = 'escape-portal.signin-choice';
const REFRESH_LOCK = 'escape-portal.token-refresh';

export function loadChoice(): SignInChoice | null {
  const raw = sessionStorage.getItem(CHOICE_KEY);
  if (!raw) return null;
  try {
    const parsed = SignInChoiceSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function saveChoice(choice: SignInChoice) {
  sessionStorage.setItem(CHOICE_KEY, JSON.stringify(choice));
}

let manager: { key: string; um: UserManager } | null = null;

export function userManagerFor(choice: SignInChoice): UserManager {
  const key = JSON.stringify(choice);
  if (manager?.key === key) return manager.um;
  const origin = window.location.origin;
  const store = new WebStorageStateStore({ store: window.sessionStorage });
  const um = new UserManager({
    authority: new URL(choice.metadataUrl, origin).toString().replace(/\/\.well-known\/openid-configuration$/, ''),
    metadataUrl: new URL(choice.metadataUrl, origin).toString(),
    client_id: choice.clientId,
    redirect_uri: `${origin}/auth/callback`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    // DiracX accepts only vo:/group:/property: scopes (no "openid").
    scope: `vo:${choice.vo} group:${choice.group}`,
    userStore: store,
    stateStore: store,
    loadUserInfo: false,
    automaticSilentRenew: false,
    monitorSession: false,
    revokeTokenTypes: ['refresh_token'],
    revokeTokensOnSignout: true,
  });
  manager = { key, um };
  return um;
}

export function currentManager(): UserManager | null {
  const choice = loadChoice();
  return choice ? userManagerFor(choice) : null;
}

export async function startSignIn(choice: SignInChoice, returnTo: string) {
  saveChoice(choice);
  await userManagerFor(choice).signinRedirect({ state: { returnTo } });
}

export async function completeSignIn(): Promise<{ user: User; returnTo: string }> {
  const um = currentManager();
  if (!um) throw new Error('This sign-in was started in another tab or has expired. Please sign in again.');
  const user = await um.signinRedirectCallback();
  const state = z.object({ returnTo: z.string() }).safeParse(user.state);
  const returnTo =
    state.success && state.data.returnTo.startsWith('/') && !state.data.returnTo.startsWith('//') ? state.data.returnTo : '/';
  return { user, returnTo };
}

export async function getUser(): Promise<User | null> {
  const um = currentManager();
  if (!um) return null;
  const user = await um.getUser();
  return user && !user.expired ? user : user?.refresh_token ? user : null;
}

/** Refresh once, serialised across tabs; returns the fresh user or null. */
export async function refreshTokens(): Promise<User | null> {
  const um = currentManager();
  if (!um) return null;
  const before = await um.getUser();
  if (!before?.refresh_token) return null;
  const run = async () => {
    // Another tab may have refreshed while we waited for the lock.
    const now = await um.getUser();
    if (now && now.access_token !== before.access_token && !now.expired) return now;
    try {
      return await um.signinSilent();
    } catch (err) {
      // Only a refused grant ends the session; a network blip or DiracX outage keeps the
      // refresh token so the next attempt can still succeed.
      if (err instanceof ErrorResponse && (err.error === 'invalid_grant' || err.error === 'invalid_client')) await um.removeUser();
      return null;
    }
  };
  if (typeof navigator !== 'undefined' && navigator.locks) {
    return navigator.locks.request(REFRESH_LOCK, run);
  }
  return run();
}

export async function getAccessToken(): Promise<string | null> {
  const user = await getUser();
  if (!user) return null;
  if (user.expires_in !== undefined && user.expires_in < 30) {
    const fresh = await refreshTokens();
    return fresh?.access_token ?? null;
  }
  return user.access_token;
}

/** Revoke the refresh token at DiracX (through the BFF) and drop everything kept in this tab. */
export async function signOut() {
  const um = currentManager();
  if (um) {
    try {
      await um.revokeTokens(['refresh_token']);
    } catch {
      /* revocation failed (e.g. DiracX down): still forget the tokens locally */
    }
    await um.removeUser();
    await um.clearStaleState();
  }
  sessionStorage.removeItem(CHOICE_KEY);
  manager = null;
}
