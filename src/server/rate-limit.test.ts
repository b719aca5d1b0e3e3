import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './db/database.ts';
import { problems } from './errors.ts';
import { rateLimiter } from './rate-limit.ts';
import { bothDialects, type MigratedTarget } from './testing/db-targets.ts';
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
    const limit = rateLimiter(10, { maxKeys: 100 });
    for (let i = 0; i < 1000; i++) limit.take(`k${i}`, 0);
    expect(limit.size).toBeLessThanOrEqual(100);
  });
});

for (const [dialect, make] of bothDialects('rate-limit')) {
  describe(`limits shared by replicas (${dialect})`, () => {
    let target: MigratedTarget;
    let a: Database;
    let b: Database;
    beforeAll(async () => {
      target = await make();
      a = await target.fresh();
      // A second handle on the same database, as a second replica has.
      const url = (await a.one<{ url: string }>(
        dialect === 'SQLite' ? "SELECT file AS url FROM pragma_database_list WHERE name = 'main'" : 'SELECT current_database() AS url',
      ))!.url;
      b = dialect === 'SQLite' ? await openDatabase(`sqlite:${url}`) : a;
    }, 60_000);
    afterAll(async () => {
      if (b !== a) await b.close();
      await target.teardown();
    });

    it('refuses a key on every replica once their hits together reach the limit, until the minute ends', async () => {
      const t0 = 600_000; // the start of a minute
      const one = rateLimiter(10, { shared: { db: a, scope: 'user', flushMs: 3_600_000 } });
      const two = rateLimiter(10, { shared: { db: b, scope: 'user', flushMs: 3_600_000 } });
      try {
        for (let i = 0; i < 6; i++) expect(one.take('alice', t0 + i)).toBe(0);
        await one.flush(t0 + 10);
        for (let i = 0; i < 4; i++) expect(two.take('alice', t0 + 20 + i)).toBe(0);
        await two.flush(t0 + 30);
        // 10 together: the second replica knows it at once, and says when the minute ends.
        expect(two.take('alice', t0 + 40)).toBe(60);
        expect(two.take('bob', t0 + 40)).toBe(0); // another key is not limited
        // The first learns it at its next flush: at most one interval's hits too many.
        expect(one.take('alice', t0 + 50)).toBe(0);
        await one.flush(t0 + 60);
        expect(one.take('alice', t0 + 30_000)).toBe(30);
        // Without sharing, each replica alone would have allowed 10 (20 together).
        // A new minute starts from zero (and the old windows are pruned).
        expect(one.take('alice', t0 + 60_000)).toBe(0);
        await one.flush(t0 + 120_000 + 1);
        const rows = await a.query<{ window_start: number | string }>('SELECT window_start FROM rate_limit_windows');
        expect(rows.every((r) => Number(r.window_start) >= t0 + 60_000)).toBe(true);
      } finally {
        await one.close();
        await two.close();
      }
    });

    it('keeps each scope apart and stores no key in clear', async () => {
      const ip = rateLimiter(2, { shared: { db: a, scope: 'ip', flushMs: 3_600_000 } });
      const user = rateLimiter(2, { shared: { db: a, scope: 'user', flushMs: 3_600_000 } });
      try {
        const now = 900_000;
        expect(ip.take('192.0.2.7', now)).toBe(0);
        expect(ip.take('192.0.2.7', now)).toBe(0);
        await ip.flush(now);
        expect(ip.take('192.0.2.7', now + 1)).toBeGreaterThan(0);
        expect(user.take('192.0.2.7', now + 1)).toBe(0);
        const stored = JSON.stringify(await a.query('SELECT * FROM rate_limit_windows'));
        expect(stored).not.toContain('192.0.2.7');
      } finally {
        await ip.close();
        await user.close();
      }
    });
  });
}
