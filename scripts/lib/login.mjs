// Sign in through the real chain without a browser: DiracX /api/auth/authorize ->
// the VO's IdP login form -> DiracX callback -> the portal's redirect URI, then
// exchange the code at DiracX's token endpoint (authorization code + PKCE).
// Used by integration tests and benchmarks; the e2e specs do the same in Chromium.
import crypto from 'node:crypto';
import { DEMO_PASSWORD } from '../idp/users.mjs';

function b64url(buf) {
  return Buffer.from(buf).toString('base64url');
}

class CookieJar {
  #cookies = new Map(); // origin -> Map(name -> value)
  store(url, res) {
    const origin = new URL(url).origin;
    const jar = this.#cookies.get(origin) ?? new Map();
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
    this.#cookies.set(origin, jar);
  }
  header(url) {
    const jar = this.#cookies.get(new URL(url).origin);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }
}

async function step(jar, url, init = {}) {
  const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie: jar.header(url) } });
  jar.store(url, res);
  return res;
}

/**
 * @returns {Promise<{access_token: string, refresh_token: string, expires_in: number, token_type: string}>}
 */
export async function loginThroughIdp({ diracxUrl, clientId, redirectUri, vo, group, username, password }) {
  const verifier = b64url(crypto.randomBytes(32));
  const challenge = b64url(crypto.createHash('sha256').update(verifier).digest());
  const state = b64url(crypto.randomBytes(12));
  const scope = [`vo:${vo}`, group ? `group:${group}` : null].filter(Boolean).join(' ');
  const authorize = new URL(`${diracxUrl}/api/auth/authorize`);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  const next = await followAuthorize({ authorizeUrl: authorize.toString(), redirectUri, username, password });
  const params = new URL(next).searchParams;
  if (params.get('error')) throw new Error(`sign-in failed: ${params.get('error')} ${params.get('error_description') ?? ''}`);
  if (params.get('state') !== state) throw new Error('state mismatch');
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: params.get('code'),
    redirect_uri: redirectUri,
    code_verifier: verifier,
    client_id: clientId,
  });
  const tok = await fetch(`${diracxUrl}/api/auth/token`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (!tok.ok) throw new Error(`token exchange failed: ${tok.status} ${await tok.text()}`);
  return tok.json();
}

/**
 * Follow an authorization URL (DiracX /api/auth/authorize?...) through the IdP's login form until the
 * redirect to `redirectUri`, and return that URL (with `code` and `state`, or `error`) without
 * following it. The BFF-initiated flow of scheduled runs uses it with the BFF's callback.
 * @returns {Promise<string>}
 */
/** The Authorization header of a demo user of a started stack (scripts/lib/stack.mjs), signed in through its IdP. */
export async function demoUserAuth(stack, { username = 'alice', group = 'scientists' } = {}) {
  const tokens = await loginThroughIdp({
    diracxUrl: stack.urls.diracx,
    clientId: stack.portalClientId,
    redirectUri: `${stack.urls.bff}/auth/callback`,
    vo: 'escape',
    group,
    username,
    password: DEMO_PASSWORD,
  });
  return { authorization: `Bearer ${tokens.access_token}` };
}

export async function followAuthorize({ authorizeUrl, redirectUri, username, password }) {
  const jar = new CookieJar();
  let url = authorizeUrl;
  let res = await step(jar, url);
  let loggedIn = false;
  for (let hops = 0; hops < 20; hops++) {
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location'), url).toString();
      if (next.startsWith(redirectUri)) return next;
      url = next;
      res = await step(jar, url);
      continue;
    }
    if (res.status === 200 && !loggedIn && /name="password"/.test(await res.clone().text())) {
      const html = await res.text();
      const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
      if (!action) throw new Error('login form without action');
      url = new URL(action, url).toString();
      res = await step(jar, url, {
        method: 'POST',
        body: new URLSearchParams({ username, password }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      loggedIn = true;
      continue;
    }
    throw new Error(`unexpected response ${res.status} at ${url}: ${(await res.text()).slice(0, 300)}`);
  }
  throw new Error('too many redirects during sign-in');
}

/**
 * The same sign-in in Chromium, as a person does it: the portal's sign-in page (group), then the IdP's
 * form, until the signed-in home page shows. `user` is one of DEMO_USERS (scripts/idp/users.mjs).
 */
export async function signInInBrowser(page, origin, user, password, group) {
  await page.goto(`${origin}/signin`);
  await page.getByLabel('Group').selectOption(group);
  await page.getByRole('button', { name: /^sign in$/i }).click();
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`${user.username} · escape / ${group}`).waitFor({ timeout: 30_000 });
}
