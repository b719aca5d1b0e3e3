// A small local OpenID Connect provider that plays the ESCAPE VO's identity provider
// in development and tests. DiracX is configured with it as the VO's IdP.
//
// Built on oidc-provider v9. Everything is in memory (sessions, interactions, grants,
// codes, tokens); only the signing key can optionally be persisted (`keyFile`).
//
// Usage as a library:
//   import { startIdp } from './scripts/idp/idp.mjs';
//   const idp = await startIdp({ port: 0, clients: [{ client_id: 'x', redirect_uris: ['http://127.0.0.1:1234/cb'] }] });
//   ... idp.url is the issuer (no trailing slash) ...
//   await idp.close();
//
// Usage as a process (see the bottom of this file for the environment variables):
//   node scripts/idp/idp.mjs

import { randomBytes, createHash, timingSafeEqual, generateKeyPair } from 'node:crypto';
import { mkdir, readFile, writeFile, link, unlink } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, resolve as resolvePath } from 'node:path';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { calculateJwkThumbprint } from 'jose';
import Provider, { errors as oidcErrors } from 'oidc-provider';

import { DEMO_PASSWORD, DEMO_USERS } from './users.mjs';

export { DEMO_PASSWORD, DEMO_USERS };

const PAGE_TITLE = 'ESCAPE VO identity provider — sign in';
const MAX_FORM_BYTES = 16 * 1024;

// Lifetimes, in seconds. Short enough for a dev IdP, long enough for a working day.
export const IDP_TTL = Object.freeze({
  AuthorizationCode: 60,
  AccessToken: 60 * 60,
  IdToken: 60 * 60,
  RefreshToken: 24 * 60 * 60,
  Interaction: 10 * 60,
  Session: 8 * 60 * 60,
  Grant: 8 * 60 * 60,
});

// ---------------------------------------------------------------------------------------------
// small helpers

/** Escape a value for interpolation into HTML text or a double/single-quoted attribute. */
export function escapeHtml(value) {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function sha256(value) {
  return createHash('sha256').update(String(value), 'utf8').digest();
}

/** Constant-time string comparison (hashing first so lengths never leak). */
function safeEqual(a, b) {
  return timingSafeEqual(sha256(a), sha256(b));
}

function formatHost(host) {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function normalizeIssuer(issuer) {
  const url = new URL(issuer);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`idp: issuer must be an http(s) URL, got ${issuer}`);
  }
  if (url.search || url.hash || issuer.includes('?') || issuer.includes('#')) {
    throw new TypeError(`idp: issuer must not have a query or fragment, got ${issuer}`);
  }
  if (url.pathname !== '/') {
    // The provider is served from the root of its own HTTP server.
    throw new TypeError(`idp: issuer must not have a path, got ${issuer}`);
  }
  // DiracX appends "/.well-known/openid-configuration" literally: no trailing slash.
  return `${url.protocol}//${url.host}`;
}

function validateClients(clients) {
  if (!Array.isArray(clients) || clients.length === 0) {
    throw new TypeError('idp: `clients` must be a non-empty array of { client_id, redirect_uris }');
  }
  return clients.map((client, i) => {
    const where = `idp: clients[${i}]`;
    if (!client || typeof client !== 'object') throw new TypeError(`${where} must be an object`);
    const { client_id: clientId, redirect_uris: redirectUris } = client;
    if (typeof clientId !== 'string' || clientId === '') {
      throw new TypeError(`${where}.client_id must be a non-empty string`);
    }
    if (
      !Array.isArray(redirectUris) ||
      redirectUris.length === 0 ||
      !redirectUris.every((uri) => typeof uri === 'string' && URL.canParse(uri))
    ) {
      throw new TypeError(`${where}.redirect_uris must be a non-empty array of absolute URLs`);
    }
    return {
      client_id: clientId,
      client_name: typeof client.client_name === 'string' ? client.client_name : undefined,
      redirect_uris: [...redirectUris],
      // Public client: no secret at the token endpoint, PKCE (S256) is enforced.
      token_endpoint_auth_method: 'none',
      // 'web' clients may register http:// redirect URIs (incl. 127.0.0.1/localhost) as long
      // as they do not use the implicit flow; 'native' would force a consent interaction.
      application_type: 'web',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
    };
  });
}

function validateUsers(users) {
  if (!Array.isArray(users) || users.length === 0) {
    throw new TypeError('idp: `users` must be a non-empty array');
  }
  for (const user of users) {
    for (const key of ['username', 'password', 'sub']) {
      if (typeof user?.[key] !== 'string' || user[key] === '') {
        throw new TypeError(`idp: every user needs a non-empty string \`${key}\``);
      }
    }
  }
  return users;
}

// ---------------------------------------------------------------------------------------------
// signing key

const generateKeyPairAsync = promisify(generateKeyPair);

async function generateSigningJwk() {
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' };
}

async function normalizeStoredJwk(jwk, keyFile) {
  if (!jwk || typeof jwk !== 'object' || jwk.kty !== 'RSA' || typeof jwk.d !== 'string' || typeof jwk.n !== 'string') {
    throw new Error(`idp: ${keyFile} does not hold an RSA private JWK`);
  }
  return {
    ...jwk,
    kid: jwk.kid || (await calculateJwkThumbprint(jwk)),
    alg: 'RS256',
    use: 'sig',
  };
}

async function readKeyFile(keyFile) {
  let text;
  try {
    text = await readFile(keyFile, 'utf8');
  } catch (err) {
    if (err?.code === 'ENOENT') return undefined;
    throw err;
  }
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new Error(`idp: ${keyFile} is not valid JSON`, { cause });
  }
  return normalizeStoredJwk(parsed, keyFile);
}

/**
 * Load the RSA private JWK from `keyFile`, creating the file (mode 0600) if it does not exist.
 * Creation is atomic (write a temp file, then hard-link it into place), so two IdPs racing on
 * the same file agree on one key.
 */
export async function loadOrCreateSigningKey(keyFile) {
  if (!keyFile) return generateSigningJwk();
  const existing = await readKeyFile(keyFile);
  if (existing) return existing;

  const jwk = await generateSigningJwk();
  await mkdir(dirname(keyFile), { recursive: true });
  const tmp = `${keyFile}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(tmp, keyFile);
  } catch (err) {
    if (err?.code !== 'EEXIST') throw err;
    // Somebody else created it in the meantime: use theirs.
    return (await readKeyFile(keyFile)) ?? jwk;
  } finally {
    await unlink(tmp).catch(() => {});
  }
  return jwk;
}

// ---------------------------------------------------------------------------------------------
// HTML

const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
  body { margin: 0; padding: 2rem 1rem; }
  main { max-width: 26rem; margin: 0 auto; }
  h1 { font-size: 1.4rem; margin: 0 0 1rem; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input { display: block; width: 100%; box-sizing: border-box; font: inherit; padding: .5rem; margin-top: .25rem; }
  .actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
  button { font: inherit; padding: .5rem 1.25rem; cursor: pointer; }
  .error { border: 2px solid #b00020; color: #b00020; padding: .5rem .75rem; font-weight: 600; }
  .hint { margin-top: 2rem; font-size: .95rem; }
  code { font-size: 1em; }
`;

function page({ nonce, title, body }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style nonce="${escapeHtml(nonce)}">${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function loginPage({ nonce, uid, clientLabel, username = '', error = false, users }) {
  const base = `/interaction/${encodeURIComponent(uid)}`;
  const invalid = error ? ' aria-invalid="true" aria-describedby="login-error"' : '';
  const sharedPassword = users.every((u) => u.password === DEMO_PASSWORD);
  const hintItems = users
    .map((u) => {
      const details = [u.name, u.role].filter(Boolean).map(escapeHtml).join(', ');
      return `<li><code>${escapeHtml(u.username)}</code>${details ? ` — ${details}` : ''}</li>`;
    })
    .join('\n  ');
  const body = `<h1>${escapeHtml(PAGE_TITLE)}</h1>
<p>Sign in to continue to <strong>${escapeHtml(clientLabel)}</strong>.</p>
${error ? '<p id="login-error" class="error" role="alert">Invalid username or password</p>\n' : ''}<form method="post" action="${escapeHtml(`${base}/login`)}" novalidate>
  <label for="username">Username</label>
  <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(username)}"${invalid}${username ? '' : ' autofocus'}>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${invalid}${username ? ' autofocus' : ''}>
  <div class="actions">
    <button type="submit">Sign in</button>
    <button type="submit" formaction="${escapeHtml(`${base}/abort`)}" formnovalidate>Cancel</button>
  </div>
</form>
<section class="hint" aria-labelledby="demo-users">
<h2 id="demo-users">Demo accounts (development IdP)</h2>
<ul>
  ${hintItems}
</ul>
${sharedPassword ? `<p>All demo accounts use the password <code>${escapeHtml(DEMO_PASSWORD)}</code>.</p>` : ''}
</section>`;
  return page({ nonce, title: PAGE_TITLE, body });
}

function messagePage({ nonce, title, message }) {
  return page({
    nonce,
    title,
    body: `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`,
  });
}

function sendHtml(res, status, render) {
  const nonce = randomBytes(16).toString('base64');
  const html = render(nonce);
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  // No form-action directive on purpose: browsers apply it to the redirect chain that
  // follows the POST, which ends at the relying party's redirect_uri.
  res.setHeader('Content-Security-Policy', `default-src 'none'; style-src 'nonce-${nonce}'; base-uri 'none'; frame-ancestors 'none'`);
  res.setHeader('Content-Length', Buffer.byteLength(html));
  res.end(html);
}

// ---------------------------------------------------------------------------------------------
// provider

function buildProviderConfig({ clients, users, jwk, cookieKeys }) {
  const usersBySub = new Map(users.map((u) => [u.sub, u]));

  return {
    clients,
    clientDefaults: {
      grant_types: ['authorization_code'],
      id_token_signed_response_alg: 'RS256',
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    },
    jwks: { keys: [jwk] },
    // Koa signs the session/interaction cookies with these. Sessions live in memory, so fresh
    // random keys per start are fine. Cookies are not `secure` (plain http on loopback):
    // oidc-provider only sets `secure` when the request itself is https.
    cookies: {
      keys: cookieKeys,
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email'],
    },
    // Put the scope-granted claims (name, preferred_username, email) into the id_token too,
    // not only into userinfo: DiracX only looks at the id_token.
    conformIdTokenClaims: false,
    pkce: { required: () => true }, // only S256 is implemented by oidc-provider v9
    responseTypes: ['code'],
    features: {
      devInteractions: { enabled: false }, // we serve our own login page below
      rpInitiatedLogout: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
    },
    interactions: {
      url: (ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    async findAccount(ctx, sub) {
      const user = usersBySub.get(sub);
      if (!user) return undefined;
      return {
        accountId: user.sub,
        async claims() {
          return {
            sub: user.sub,
            name: user.name,
            preferred_username: user.username,
            email: user.email,
          };
        },
      };
    },
    // First-party clients only: grant whatever (supported) OpenID scopes are requested, so the
    // consent prompt never shows.
    async loadExistingGrant(ctx) {
      const { oidc } = ctx;
      const accountId = oidc.session.accountId;
      const clientId = oidc.client.clientId;
      const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(clientId);
      let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
      if (grant && (grant.accountId !== accountId || grant.clientId !== clientId)) grant = undefined;
      grant ??= new oidc.provider.Grant({ accountId, clientId });
      grant.addOIDCScope(oidc.requestParamOIDCScopes);
      await grant.save();
      return grant;
    },
    ttl: {
      AuthorizationCode: IDP_TTL.AuthorizationCode,
      AccessToken: IDP_TTL.AccessToken,
      IdToken: IDP_TTL.IdToken,
      RefreshToken: IDP_TTL.RefreshToken,
      Interaction: IDP_TTL.Interaction,
      Session: IDP_TTL.Session,
      Grant: IDP_TTL.Grant,
      ClientCredentials: 10 * 60,
      DeviceCode: 10 * 60,
      BackchannelAuthenticationRequest: 10 * 60,
      PreAuthorizedCode: 10 * 60,
    },
    // Same as oidc-provider's default policy (public clients may call the token endpoint from
    // their redirect_uri origins), minus the "you should change this" notice.
    clientBasedCORS(ctx, origin, client) {
      if (origin === 'null') return false;
      if (ctx.oidc.route === 'userinfo' || client.clientAuthMethod === 'none') {
        return client.redirectUris.some((uri) => URL.parse(uri)?.origin === origin);
      }
      return false;
    },
    async renderError(ctx, out) {
      const nonce = randomBytes(16).toString('base64');
      const message = [out.error, out.error_description].filter(Boolean).join(': ');
      ctx.type = 'html';
      ctx.set('Content-Security-Policy', `default-src 'none'; style-src 'nonce-${nonce}'; base-uri 'none'; frame-ancestors 'none'`);
      ctx.body = messagePage({ nonce, title: 'ESCAPE VO identity provider — error', message });
    },
  };
}

async function readForm(req) {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) {
      const err = new Error('request body too large');
      err.status = 413;
      throw err;
    }
    chunks.push(chunk);
  }
  if (type !== 'application/x-www-form-urlencoded') return new URLSearchParams();
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function findUser(users, username, password) {
  const wanted = String(username ?? '')
    .trim()
    .toLowerCase();
  const user = users.find((u) => u.username.toLowerCase() === wanted);
  // Always compare once, so unknown usernames cost the same as wrong passwords.
  const ok = safeEqual(String(password ?? ''), user ? user.password : '\u0000no-such-user');
  return user && ok ? user : undefined;
}

function makeInteractionHandler({ provider, users }) {
  return async function handleInteraction(req, res, uid, action) {
    const method = req.method ?? 'GET';
    const allowed = action === 'login' ? ['POST'] : action === 'abort' ? ['GET', 'POST'] : ['GET', 'HEAD'];
    if (!allowed.includes(method)) {
      res.setHeader('Allow', allowed.join(', '));
      sendHtml(res, 405, (nonce) => messagePage({ nonce, title: 'Method not allowed', message: `Use ${allowed.join(' or ')}.` }));
      return;
    }

    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new oidcErrors.SessionNotFound('interaction uid mismatch');

    if (action === 'abort') {
      if (method === 'POST') await readForm(req);
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'End-User aborted interaction' },
        { mergeWithLastSubmission: false },
      );
      return;
    }

    const { prompt, params } = details;

    if (prompt.name === 'consent') {
      // Normally unreachable (loadExistingGrant grants everything); complete it anyway.
      let grant = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
      grant ??= new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
      const d = prompt.details ?? {};
      if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
      if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
      if (d.missingResourceScopes) {
        for (const [indicator, scopes] of Object.entries(d.missingResourceScopes)) {
          grant.addResourceScope(indicator, scopes.join(' '));
        }
      }
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }

    if (prompt.name !== 'login') {
      sendHtml(res, 501, (nonce) =>
        messagePage({ nonce, title: 'Not implemented', message: `Unsupported interaction prompt: ${prompt.name}` }),
      );
      return;
    }

    const client = await provider.Client.find(String(params.client_id));
    const clientLabel = client?.clientName || String(params.client_id);

    if (action !== 'login') {
      const username = typeof params.login_hint === 'string' ? params.login_hint : '';
      sendHtml(res, 200, (nonce) => loginPage({ nonce, uid, clientLabel, username, users }));
      return;
    }

    const form = await readForm(req);
    const username = form.get('username') ?? '';
    const user = findUser(users, username, form.get('password'));
    if (!user) {
      sendHtml(res, 401, (nonce) => loginPage({ nonce, uid, clientLabel, username, error: true, users }));
      return;
    }

    await provider.interactionFinished(req, res, { login: { accountId: user.sub, amr: ['pwd'] } }, { mergeWithLastSubmission: false });
  };
}

/**
 * Start the development OpenID Connect provider.
 *
 * @param {object} options
 * @param {string} [options.host='127.0.0.1']  interface to listen on
 * @param {number} [options.port]              port; 0 (or omitted) picks a free one
 * @param {string} [options.issuer]            defaults to http://<host>:<actual port> (no trailing slash)
 * @param {Array<{client_id: string, redirect_uris: string[], client_name?: string}>} options.clients
 *        public clients (no secret, PKCE S256, authorization_code + refresh_token)
 * @param {Array<{username: string, password: string, sub: string, name?: string, email?: string, role?: string}>} [options.users]
 * @param {string} [options.keyFile]           JSON file with the RSA private JWK; created if missing
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>}>}
 */
export async function startIdp({ host = '127.0.0.1', port = 0, issuer, clients, users = DEMO_USERS, keyFile } = {}) {
  const clientMetadata = validateClients(clients);
  validateUsers(users);
  const jwk = await loadOrCreateSigningKey(keyFile ? resolvePath(keyFile) : undefined);

  const server = createServer();
  server.on('clientError', (err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  await new Promise((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });

  const actualPort = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  let url;
  let provider;
  try {
    url = normalizeIssuer(issuer ?? `http://${formatHost(host)}:${actualPort}`);
    provider = new Provider(
      url,
      buildProviderConfig({
        clients: clientMetadata,
        users,
        jwk,
        cookieKeys: [randomBytes(32).toString('base64url')],
      }),
    );
  } catch (err) {
    await new Promise((r) => server.close(() => r()));
    throw err;
  }

  provider.on('server_error', (ctx, err) => {
    console.error('idp: server_error', err);
  });

  const providerCallback = provider.callback();
  const handleInteraction = makeInteractionHandler({ provider, users });

  server.on('request', (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://idp.invalid');
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|abort))?\/?$/.exec(pathname);
    if (!match) {
      providerCallback(req, res);
      return;
    }
    handleInteraction(req, res, match[1], match[2]).catch((err) => {
      if (res.headersSent) {
        res.destroy(err);
        return;
      }
      if (err instanceof oidcErrors.SessionNotFound) {
        sendHtml(res, 400, (nonce) =>
          messagePage({
            nonce,
            title: 'Sign-in request expired',
            message: 'This sign-in request has expired or is not valid any more. Go back to the application and start again.',
          }),
        );
        return;
      }
      if (err?.status === 413) {
        sendHtml(res, 413, (nonce) => messagePage({ nonce, title: 'Request too large', message: 'The form was too large.' }));
        return;
      }
      console.error('idp: interaction error', err);
      sendHtml(res, 500, (nonce) => messagePage({ nonce, title: 'Internal error', message: 'Something went wrong. Try again.' }));
    });
  });

  let closing;
  const close = () => {
    closing ??= new Promise((resolveClose, rejectClose) => {
      server.close((err) => (err ? rejectClose(err) : resolveClose()));
      server.closeAllConnections();
    });
    return closing;
  };

  return { url, port: actualPort, close };
}

// ---------------------------------------------------------------------------------------------
// command line

const DEFAULT_CLIENTS = [
  {
    client_id: 'diracx-escape',
    redirect_uris: ['http://127.0.0.1:8710/api/auth/authorize/complete', 'http://127.0.0.1:8710/api/auth/device/complete'],
  },
];

function clientsFromEnv(value) {
  if (!value) return DEFAULT_CLIENTS;
  try {
    return JSON.parse(value);
  } catch (cause) {
    throw new Error('idp: IDP_CLIENTS is not valid JSON', { cause });
  }
}

async function main() {
  const host = process.env.IDP_HOST || '127.0.0.1';
  const port = process.env.IDP_PORT ? Number(process.env.IDP_PORT) : 8711;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`idp: IDP_PORT must be a port number, got ${process.env.IDP_PORT}`);
  }
  const issuer = process.env.IDP_ISSUER || (port === 0 ? undefined : `http://${formatHost(host)}:${port}`);
  const idp = await startIdp({
    host,
    port,
    issuer,
    clients: clientsFromEnv(process.env.IDP_CLIENTS),
    keyFile: process.env.IDP_KEY_FILE || undefined,
  });
  console.log(`idp: listening on ${idp.url}`);

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    idp.close().then(
      () => process.exit(0),
      (err) => {
        console.error(`idp: error while stopping on ${signal}`, err);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

function isMainModule() {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainModule()) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    if (err?.cause) console.error(err.cause);
    process.exit(1);
  });
}
