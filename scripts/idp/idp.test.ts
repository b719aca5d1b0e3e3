import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startIdp } from './idp.mjs';
import { DEMO_PASSWORD, DEMO_USERS } from './users.mjs';

const CLIENT_ID = 'diracx-test';
// Nothing listens here: the tests only read the Location header of the final redirect.
const REDIRECT_URI = 'http://127.0.0.1:9/cb';
const LOCALHOST_REDIRECT_URI = 'http://localhost:9/cb';

const alice = DEMO_USERS.find((u) => u.username === 'alice')!;

type Discovery = {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  code_challenge_methods_supported?: string[];
};

/** A minimal cookie jar: one value per name, sent on every request to the IdP (paths ignored). */
class CookieJar {
  #cookies = new Map<string, string>();

  store(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k = '', v = ''] = a.split('=');
        const key = k.trim().toLowerCase();
        return (key === 'expires' && Date.parse(v) <= Date.now()) || (key === 'max-age' && Number(v) <= 0);
      });
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header() {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function request(jar: CookieJar, url: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  const cookie = jar.header();
  if (cookie) headers.set('cookie', cookie);
  const res = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(res);
  return res;
}

function location(res: Response, base: string) {
  const loc = res.headers.get('location');
  expect(loc, `expected a redirect, got ${res.status}`).toBeTruthy();
  return new URL(loc!, base).href;
}

function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

function formAction(html: string, base: string) {
  const match = /<form[^>]*\baction="([^"]+)"/.exec(html);
  expect(match, 'login form with an action').toBeTruthy();
  return new URL(match![1]!.replaceAll('&amp;', '&'), base).href;
}

function authorizeUrl(discovery: Discovery, params: Record<string, string>) {
  const url = new URL(discovery.authorization_endpoint);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  // DiracX sends the scope with %20, exactly like this.
  return url.href.replace(/scope=openid\+profile/, 'scope=openid%20profile');
}

/** Follow IdP redirects until we leave the IdP (i.e. reach the client's redirect_uri). */
async function followToClient(jar: CookieJar, start: string, issuer: string) {
  let url = start;
  for (let hops = 0; hops < 10; hops += 1) {
    if (!url.startsWith(`${issuer}/`)) return new URL(url);
    const res = await request(jar, url);
    expect([302, 303]).toContain(res.status);
    url = location(res, url);
  }
  throw new Error('too many redirects');
}

describe('dev OpenID Connect provider', () => {
  let idp: Awaited<ReturnType<typeof startIdp>>;
  let discovery: Discovery;

  beforeAll(async () => {
    idp = await startIdp({
      port: 0,
      clients: [{ client_id: CLIENT_ID, redirect_uris: [REDIRECT_URI, LOCALHOST_REDIRECT_URI] }],
    });
    const res = await fetch(`${idp.url}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    discovery = (await res.json()) as Discovery;
  });

  afterAll(async () => {
    await idp?.close();
  });

  /** Start an authorization request and land on the login page. */
  async function startLogin(jar: CookieJar, params: Record<string, string> = {}) {
    const { verifier, challenge } = pkcePair();
    const state = randomBytes(12).toString('base64url');
    const res = await request(
      jar,
      authorizeUrl(discovery, {
        response_type: 'code',
        client_id: CLIENT_ID,
        redirect_uri: REDIRECT_URI,
        scope: 'openid profile',
        state,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        ...params,
      }),
    );
    expect(res.status).toBe(303);
    const loginUrl = location(res, discovery.authorization_endpoint);
    expect(loginUrl.startsWith(`${idp.url}/interaction/`)).toBe(true);
    const page = await request(jar, loginUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    return { verifier, state, loginUrl, html, action: formAction(html, loginUrl) };
  }

  async function login(jar: CookieJar, action: string, username: string, password: string) {
    return request(jar, action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
  }

  /** Full login for alice; resolves to the authorization code and the PKCE verifier. */
  async function authorize() {
    const jar = new CookieJar();
    const { verifier, state, action } = await startLogin(jar);
    const res = await login(jar, action, 'alice', DEMO_PASSWORD);
    expect(res.status).toBe(303);
    const callback = await followToClient(jar, location(res, action), idp.url);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('error')).toBeNull();
    expect(callback.searchParams.get('state')).toBe(state);
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();
    return { code: code!, verifier };
  }

  function tokenRequest(params: Record<string, string>) {
    return fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
  }

  it('publishes the discovery document DiracX needs, issuer without trailing slash', () => {
    expect(idp.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(idp.port).toBeGreaterThan(0);
    expect(idp.url).toBe(`http://127.0.0.1:${idp.port}`);
    expect(discovery.issuer).toBe(idp.url);
    expect(discovery.authorization_endpoint).toBe(`${idp.url}/auth`);
    expect(discovery.token_endpoint).toBe(`${idp.url}/token`);
    expect(discovery.jwks_uri).toBe(`${idp.url}/jwks`);
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
  });

  it('renders an accessible login form listing the demo users', async () => {
    const { html } = await startLogin(new CookieJar());
    expect(html).toContain('<title>ESCAPE VO identity provider — sign in</title>');
    expect(html).toMatch(/<h1>ESCAPE VO identity provider — sign in<\/h1>/);
    expect(html).toMatch(/<label for="username">Username<\/label>/);
    expect(html).toMatch(/<input id="username"[^>]*type="text"[^>]*autocomplete="username"/);
    expect(html).toMatch(/<label for="password">Password<\/label>/);
    expect(html).toMatch(/<input id="password"[^>]*type="password"/);
    expect(html).toMatch(/<button type="submit">Sign in<\/button>/);
    for (const user of DEMO_USERS) expect(html).toContain(`<code>${user.username}</code>`);
    expect(html).not.toContain('role="alert"');
  });

  it('escapes values it reflects into the page', async () => {
    const { html } = await startLogin(new CookieJar(), { login_hint: '"><script>alert(1)</script>' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('runs the authorization code + PKCE flow and issues a verifiable id_token', async () => {
    const jar = new CookieJar();
    const { verifier, state, action } = await startLogin(jar);

    // wrong password: form again, with the error
    const bad = await login(jar, action, 'alice', 'not-the-password');
    expect(bad.status).toBe(401);
    const badHtml = await bad.text();
    expect(badHtml).toMatch(/<p id="login-error"[^>]*role="alert"[^>]*>Invalid username or password<\/p>/);
    expect(badHtml).toContain('value="alice"');

    // unknown user: same error
    const unknown = await login(jar, action, 'mallory', DEMO_PASSWORD);
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain('Invalid username or password');

    // right credentials: back to the authorization endpoint, then to the client (no consent page)
    const ok = await login(jar, action, 'alice', DEMO_PASSWORD);
    expect(ok.status).toBe(303);
    const callback = await followToClient(jar, location(ok, action), idp.url);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe(state);
    expect(callback.searchParams.get('iss')).toBe(idp.url);
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();

    // public client: no secret, just the code_verifier
    const tokenRes = await tokenRequest({
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      code: code!,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
    });
    const tokens = (await tokenRes.json()) as Record<string, unknown>;
    expect(tokenRes.status, JSON.stringify(tokens)).toBe(200);
    expect(tokens.token_type).toBe('Bearer');
    expect(typeof tokens.access_token).toBe('string');
    expect(typeof tokens.id_token).toBe('string');

    const idToken = tokens.id_token as string;
    expect(decodeProtectedHeader(idToken).alg).toBe('RS256');
    const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
      issuer: discovery.issuer,
      audience: CLIENT_ID,
      algorithms: ['RS256'],
    });
    expect(payload.sub).toBe(alice.sub);
    expect(payload.sub).toBe('8e4c5b0a-2f1d-4a57-9c1e-0a1b2c3d4e01');
    expect(typeof payload.iat).toBe('number');
    expect(payload.aud).toBe(CLIENT_ID);
    expect(payload.nonce).toBeUndefined();
    expect(payload.name).toBe('Alice Scientist');
    expect(payload.preferred_username).toBe('alice');
    expect(payload.email).toBeUndefined(); // email scope not requested

    // the access token works at userinfo
    const me = await fetch(`${idp.url}/me`, { headers: { authorization: `Bearer ${tokens.access_token as string}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ sub: alice.sub, name: 'Alice Scientist', preferred_username: 'alice' });

    // a code is single use
    const replay = await tokenRequest({
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      code: code!,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
    });
    expect(replay.status).toBe(400);
  });

  it('rejects the token request without the right code_verifier', async () => {
    const { code } = await authorize();
    const base = { grant_type: 'authorization_code', client_id: CLIENT_ID, code, redirect_uri: REDIRECT_URI };

    const missing = await tokenRequest(base);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toBe('invalid_grant');

    const wrong = await tokenRequest({ ...base, code_verifier: pkcePair().verifier });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('accepts plain-http loopback redirect URIs (127.0.0.1 and localhost)', async () => {
    for (const redirectUri of [REDIRECT_URI, LOCALHOST_REDIRECT_URI]) {
      const { challenge } = pkcePair();
      const res = await request(
        new CookieJar(),
        authorizeUrl(discovery, {
          response_type: 'code',
          client_id: CLIENT_ID,
          redirect_uri: redirectUri,
          scope: 'openid profile',
          state: 's',
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }),
      );
      expect(res.status).toBe(303);
      expect(location(res, discovery.authorization_endpoint)).toMatch(new RegExp(`^${idp.url}/interaction/`));
    }
  });

  it('rejects code_challenge_method=plain and requests without PKCE', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const common = {
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile',
      state: 'xyz',
    };

    for (const params of [
      { ...common, code_challenge: verifier, code_challenge_method: 'plain' },
      common, // no PKCE at all
    ]) {
      const res = await request(new CookieJar(), authorizeUrl(discovery, params));
      expect(res.status).toBe(303);
      const loc = new URL(location(res, discovery.authorization_endpoint));
      expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT_URI);
      expect(loc.searchParams.get('error')).toBe('invalid_request');
      expect(loc.searchParams.get('state')).toBe('xyz');
    }
  });

  it('rejects redirect URIs that are not registered', async () => {
    const { challenge } = pkcePair();
    const res = await request(
      new CookieJar(),
      authorizeUrl(discovery, {
        response_type: 'code',
        client_id: CLIENT_ID,
        redirect_uri: 'http://127.0.0.1:9/elsewhere',
        scope: 'openid profile',
        state: 's',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('sends the user back with access_denied when they cancel', async () => {
    const jar = new CookieJar();
    const { state, loginUrl } = await startLogin(jar);
    const res = await request(jar, `${loginUrl}/abort`, { method: 'POST' });
    expect(res.status).toBe(303);
    const callback = await followToClient(jar, location(res, loginUrl), idp.url);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe(state);
  });

  it('answers a stale or foreign interaction with a friendly error page', async () => {
    const res = await fetch(`${idp.url}/interaction/does-not-exist`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Sign-in request expired');
  });
});

describe('signing key persistence', () => {
  it('keeps the same key (kid) across restarts with the same keyFile', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'escape-idp-'));
    const keyFile = join(dir, 'nested', 'idp-key.json');
    const clients = [{ client_id: CLIENT_ID, redirect_uris: [REDIRECT_URI] }];
    const kidOf = async (url: string) => {
      const jwks = (await (await fetch(`${url}/jwks`)).json()) as { keys: Array<{ kid: string; d?: string }> };
      expect(jwks.keys).toHaveLength(1);
      expect(jwks.keys[0]!.d).toBeUndefined(); // only the public part is published
      return jwks.keys[0]!.kid;
    };
    try {
      const first = await startIdp({ port: 0, clients, keyFile });
      const kid1 = await kidOf(first.url);
      await first.close();

      const stored = JSON.parse(await readFile(keyFile, 'utf8')) as Record<string, string>;
      expect(stored).toMatchObject({ kty: 'RSA', kid: kid1, alg: 'RS256' });
      expect(typeof stored.d).toBe('string');
      if (process.platform !== 'win32') expect((await stat(keyFile)).mode & 0o777).toBe(0o600);

      const second = await startIdp({ port: 0, clients, keyFile });
      expect(await kidOf(second.url)).toBe(kid1);
      await second.close();

      // without a keyFile every start gets a fresh in-memory key
      const ephemeral = await startIdp({ port: 0, clients });
      expect(await kidOf(ephemeral.url)).not.toBe(kid1);
      await ephemeral.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
