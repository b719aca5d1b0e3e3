import { afterEach, describe, expect, it } from 'vitest';
import { problems } from './errors.ts';
import { rateLimiter } from './rate-limit.ts';
import { demoPrincipal, TEST_INSTANCE, type DemoRole } from './testing/principal.ts';
import { accessControlDiracx, unitApp } from './testing/unit-app.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function limitedApp(perUser: number, perIp: number) {
  const u = await unitApp({
    instances: [TEST_INSTANCE],
    diracx: accessControlDiracx,
    config: { rateLimitPerUserPerMinute: perUser, rateLimitPerIpPerMinute: perIp },
    verifyToken: async (token) => {
      if (!['scientist', 'pi'].includes(token)) throw problems.unauthenticated('The access token is invalid');
      return demoPrincipal(token as DemoRole);
    },
  });
  close = u.close;
  return (token: string | null, opts: { ip?: string; url?: string } = {}) =>
    u.app.inject({
      url: opts.url ?? '/bff/v1/jobs',
      remoteAddress: opts.ip ?? '192.0.2.1',
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
}

describe('rate limits', () => {
  it('answers 429 problem+json with Retry-After once a user has used their requests, other users unaffected', async () => {
    const get = await limitedApp(3, 0);
    for (let i = 0; i < 3; i++) expect((await get('scientist', { ip: `192.0.2.${i}` })).statusCode).toBe(200);
    const refused = await get('scientist', { ip: '192.0.2.9' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED', requestId: expect.any(String) });
    expect(refused.headers['content-security-policy']).toBeDefined();
    expect(refused.headers['cache-control']).toBe('no-store');
    expect((await get('pi')).statusCode).toBe(200);
  });

  it('limits an address before the token is verified, and never the probes', async () => {
    const get = await limitedApp(0, 2);
    expect((await get(null)).statusCode).toBe(401);
    expect((await get('bogus')).statusCode).toBe(401);
    const refused = await get('scientist');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().message).toMatch(/address/);
    expect((await get('scientist', { ip: '198.51.100.7' })).statusCode).toBe(200);
    expect((await get(null, { url: '/bff/livez' })).statusCode).toBe(200);
  });
});

describe('token buckets', () => {
  it('refill continuously and say how long to wait', () => {
    const limit = rateLimiter(60); // one a second
    for (let i = 0; i < 60; i++) expect(limit.take('k', 0)).toBe(0);
    expect(limit.take('k', 0)).toBe(1);
    expect(limit.take('k', 999)).toBe(1);
    expect(limit.take('k', 1000)).toBe(0);
    expect(limit.take('other', 1000)).toBe(0);
    expect(rateLimiter(0).take('k')).toBe(0);
  });

  it('keep at most maxKeys buckets', () => {
    const limit = rateLimiter(10, 100);
    for (let i = 0; i < 1000; i++) limit.take(`k${i}`, 0);
    expect(limit.size).toBeLessThanOrEqual(100);
  });
});
