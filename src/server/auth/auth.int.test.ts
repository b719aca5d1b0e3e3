import fs from 'node:fs';
import path from 'node:path';
import { SignJWT, generateKeyPair, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiracxClient } from '../diracx/client.ts';
import { bearer, demoUser, inProcessBff, loginAs, stackInfo, stateDir } from '../testing/real-stack.ts';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;

describe('sign-in and token verification against the real DiracX', () => {
  let bff: Bff;
  let forwarded = 0;

  beforeAll(async () => {
    bff = await inProcessBff({
      wrapDiracx: (c) =>
        new Proxy(c, {
          get(target, prop, receiver) {
            const v = Reflect.get(target, prop, receiver) as unknown;
            if (typeof v === 'function' && ['userinfo', 'submitJdl', 'searchJobs', 'rss'].includes(String(prop))) {
              return (...args: unknown[]) => {
                forwarded += 1;
                return (v as (...a: unknown[]) => unknown).apply(target, args);
              };
            }
            return v;
          },
        }) as DiracxClient,
    });
  });
  afterAll(() => bff.close());

  it('a real login (IdP form -> DiracX) gives a token the BFF accepts, with the right identity', async () => {
    for (const role of ['scientist', 'pi', 'admin'] as const) {
      const tokens = await loginAs(role);
      const res = await bff.app.inject({ method: 'GET', url: '/bff/v1/me', headers: bearer(tokens) });
      expect(res.statusCode).toBe(200);
      const me = res.json();
      expect(me.username).toBe(demoUser(role).username);
      expect(me.vo).toBe(stackInfo().vo);
      expect(me.role).toBe(role);
      expect(me.sub).toContain(demoUser(role).sub);
    }
    const pi = (await bff.app.inject({ method: 'GET', url: '/bff/v1/me', headers: bearer(await loginAs('pi')) })).json();
    expect(pi.managedGroups).toEqual(['scientists', 'pis']);
  });

  it('a user cannot obtain a token for a group they are not in', async () => {
    const s = stackInfo();
    const { loginThroughIdp } = await import('../../../scripts/lib/login.mjs');
    await expect(
      loginThroughIdp({
        diracxUrl: s.urls.diracx,
        clientId: s.portalClientId,
        redirectUri: `${s.urls.bff}/auth/callback`,
        vo: s.vo,
        group: 'admins',
        username: 'alice',
        password: 'escape-demo',
      }),
    ).rejects.toThrow();
  });

  async function expectRefused(token: string, message: RegExp) {
    const before = forwarded;
    const res = await bff.app.inject({ method: 'GET', url: '/bff/v1/jobs', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body.code).toBe('UNAUTHENTICATED');
    expect(body.message).toMatch(message);
    expect(body.requestId).toBeTruthy();
    expect(forwarded).toBe(before); // nothing reached DiracX
  }

  it('refuses a forged token (same claims, signed by another key) without forwarding it', async () => {
    const real = await loginAs('scientist');
    const claims = JSON.parse(Buffer.from(real.access_token.split('.')[1] ?? '', 'base64url').toString());
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const header = JSON.parse(Buffer.from(real.access_token.split('.')[0] ?? '', 'base64url').toString());
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: header.kid }).sign(privateKey);
    await expectRefused(forged, /invalid/);
  });

  it('refuses a token with a tampered payload', async () => {
    const real = await loginAs('scientist');
    const [h, p, s] = real.access_token.split('.');
    const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString());
    claims.dirac_properties = ['NormalUser', 'JobAdministrator'];
    await expectRefused(`${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`, /invalid/);
  });

  it('refuses an expired token signed with the real DiracX key', async () => {
    const jwks = JSON.parse(fs.readFileSync(path.join(stateDir(), 'keystore', 'jwks.json'), 'utf8')) as { keys: JWK[] };
    const jwk = jwks.keys[0]!;
    const { key_ops: _ops, ...signing } = jwk;
    const key = await importJWK({ ...signing, alg: 'Ed25519' }, 'Ed25519');
    const real = await loginAs('scientist');
    const claims = JSON.parse(Buffer.from(real.access_token.split('.')[1] ?? '', 'base64url').toString());
    const expired = await new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) - 3600 })
      .setProtectedHeader({ alg: 'Ed25519', kid: jwk.kid })
      .sign(key);
    await expectRefused(expired, /expired/);
    // and the same key with a valid expiry passes: the refusal above is about expiry only
    const valid = await new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 })
      .setProtectedHeader({ alg: 'Ed25519', kid: jwk.kid })
      .sign(key);
    const ok = await bff.app.inject({ method: 'GET', url: '/bff/v1/me', headers: { authorization: `Bearer ${valid}` } });
    expect(ok.statusCode).toBe(200);
  });

  it('refuses a token from an unknown issuer, a token with an audience, garbage and a missing header', async () => {
    const jwks = JSON.parse(fs.readFileSync(path.join(stateDir(), 'keystore', 'jwks.json'), 'utf8')) as { keys: JWK[] };
    const jwk = jwks.keys[0]!;
    const { key_ops: _ops, ...signing } = jwk;
    const key = await importJWK({ ...signing, alg: 'Ed25519' }, 'Ed25519');
    const claims = JSON.parse(Buffer.from((await loginAs('scientist')).access_token.split('.')[1] ?? '', 'base64url').toString());
    const otherIss = await new SignJWT({ ...claims, iss: 'http://evil.invalid' })
      .setProtectedHeader({ alg: 'Ed25519', kid: jwk.kid })
      .sign(key);
    await expectRefused(otherIss, /not issued/);
    const withAud = await new SignJWT({ ...claims, aud: 'some-other-service' })
      .setProtectedHeader({ alg: 'Ed25519', kid: jwk.kid })
      .sign(key);
    await expectRefused(withAud, /audience/);
    await expectRefused('not-a-jwt', /malformed/);
    const res = await bff.app.inject({ method: 'GET', url: '/bff/v1/me' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('relays refresh (rotating) and revocation to DiracX', async () => {
    const s = stackInfo();
    const tokens = await loginAs('scientist', { fresh: true });
    const refresh = (rt: string) =>
      bff.app.inject({
        method: 'POST',
        url: '/bff/v1/instances/local/oidc/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: rt,
          client_id: s.portalClientId,
          scope: `vo:${s.vo} openid`,
        }).toString(),
      });
    const r1 = await refresh(tokens.refresh_token);
    expect(r1.statusCode).toBe(200);
    expect(r1.headers['cache-control']).toBe('no-store');
    const t1 = r1.json();
    expect(t1.access_token).not.toBe(tokens.access_token);
    expect(t1.refresh_token).not.toBe(tokens.refresh_token);
    const revoke = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/instances/local/oidc/revoke',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token: t1.refresh_token, token_type_hint: 'refresh_token', client_id: s.portalClientId }).toString(),
    });
    expect(revoke.statusCode).toBe(200);
    const r2 = await refresh(t1.refresh_token);
    expect(r2.statusCode).toBe(400);
    expect(r2.json().error).toBeTruthy();
    // wrong client id never reaches DiracX
    const bad = await refresh('x'.repeat(20)).then(() =>
      bff.app.inject({
        method: 'POST',
        url: '/bff/v1/instances/local/oidc/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=refresh_token&refresh_token=abc&client_id=evil',
      }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('invalid_client');
  });

  it('relays the discovery document with same-origin token endpoints', async () => {
    const res = await bff.app.inject({
      method: 'GET',
      url: '/bff/v1/instances/local/oidc/.well-known/openid-configuration',
      headers: { host: '127.0.0.1:8443' },
    });
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d.token_endpoint).toBe('http://127.0.0.1:8443/bff/v1/instances/local/oidc/token');
    expect(d.revocation_endpoint).toBe('http://127.0.0.1:8443/bff/v1/instances/local/oidc/revoke');
    expect(d.authorization_endpoint).toBe(`${stackInfo().urls.diracx}/api/auth/authorize`);
    expect(d.code_challenge_methods_supported).toEqual(['S256']);
    // no publicUrl configured (development): a Host that is not loopback is never reflected
    const forged = await bff.app.inject({
      method: 'GET',
      url: '/bff/v1/instances/local/oidc/.well-known/openid-configuration',
      headers: { host: 'portal.example:8443' },
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.body).not.toContain('portal.example');
  });

  it("the dev keystore (DiracX's signing key) is readable by its owner only", () => {
    const file = path.join(stateDir(), 'keystore', 'jwks.json');
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    expect((fs.statSync(path.dirname(file)).mode & 0o777).toString(8)).toBe('700');
  });
});
