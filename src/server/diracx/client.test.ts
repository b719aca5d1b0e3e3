import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config.ts';
import { createDiracxClient, DiracxUnreachableError } from './client.ts';

const instance = parseConfig({ instances: [{ id: 'x', label: 'X', url: 'http://diracx.invalid' }] }).instances[0]!;
const tokenOf = (sub: string) => `h.${Buffer.from(JSON.stringify({ sub })).toString('base64url')}.s`;

/** A DiracX whose answers the test releases by hand; it records who is in flight. */
function heldDiracx() {
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const started: string[] = [];
  const pending: Array<() => void> = [];
  const fetch: typeof globalThis.fetch = (async (_url: string, init: RequestInit) => {
    const who = new Headers(init.headers).get('authorization') ?? '';
    started.push(who);
    inFlight.set(who, (inFlight.get(who) ?? 0) + 1);
    maxInFlight.set(who, Math.max(maxInFlight.get(who) ?? 0, inFlight.get(who)!));
    await new Promise<void>((resolve) => pending.push(resolve));
    inFlight.set(who, inFlight.get(who)! - 1);
    return new Response('[]', { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  const releaseOne = async () => {
    pending.shift()?.();
    // let the released call finish and the next queued one start
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  return { fetch, started, maxInFlight, pending, releaseOne };
}

describe('DiracX client: per-user pool', () => {
  it("one user's 50 parallel calls do not hold back another user's call", async () => {
    const d = heldDiracx();
    const client = createDiracxClient(instance, { fetch: d.fetch, perUserConcurrency: 4 });
    const a = tokenOf('alice');
    const b = tokenOf('bob');
    const aCalls = Array.from({ length: 50 }, () => client.summary(a, ['Status']));
    await Promise.resolve();
    const bCall = client.summary(b, ['Status']);
    await new Promise((r) => setImmediate(r));
    // alice has her 4 slots, bob's call went out at once, behind none of alice's 46 queued calls
    expect(d.started.filter((w) => w === `Bearer ${a}`)).toHaveLength(4);
    expect(d.started).toContain(`Bearer ${b}`);
    expect(d.started.indexOf(`Bearer ${b}`)).toBe(4);
    while (d.pending.length) await d.releaseOne();
    await Promise.all([...aCalls, bCall]);
    expect(d.started.filter((w) => w === `Bearer ${a}`)).toHaveLength(50);
    expect(d.maxInFlight.get(`Bearer ${a}`)).toBe(4);
  });

  it('calls without a token (login relay, discovery) are not pooled', async () => {
    const d = heldDiracx();
    const client = createDiracxClient(instance, { fetch: d.fetch, perUserConcurrency: 1 });
    const calls = [client.discovery(), client.discovery(), client.discovery()];
    await new Promise((r) => setImmediate(r));
    expect(d.started).toHaveLength(3);
    while (d.pending.length) await d.releaseOne();
    await Promise.all(calls);
  });

  it('tokens of one subject share the slots (a refreshed token is the same user)', async () => {
    const d = heldDiracx();
    const client = createDiracxClient(instance, { fetch: d.fetch, perUserConcurrency: 2 });
    const t1 = tokenOf('alice');
    const t2 = `${tokenOf('alice')}x`;
    const calls = [client.summary(t1, []), client.summary(t2, []), client.summary(t1, []), client.summary(t2, [])];
    await new Promise((r) => setImmediate(r));
    expect(d.started).toHaveLength(2);
    while (d.pending.length) await d.releaseOne();
    await Promise.all(calls);
    expect(d.started).toHaveLength(4);
  });
});

describe('DiracX client: a kept-alive connection closed under a request', () => {
  /**
   * A real HTTP server that keeps connections alive and, once armed, resets the next connection on which a
   * second request arrives: what a DiracX closing an idle connection does to the request already on its way.
   */
  async function resettingServer() {
    const seen: string[] = [];
    let armed = true;
    const server = net.createServer((sock) => {
      let requests = 0;
      sock.on('data', (chunk) => {
        for (const [line] of chunk.toString('latin1').matchAll(/^(GET|POST) \S+/gm)) {
          seen.push(line);
          if (++requests > 1 && armed) {
            armed = false;
            return void sock.resetAndDestroy();
          }
          sock.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\n[]');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    const client = createDiracxClient(parseConfig({ instances: [{ id: 'x', label: 'X', url }] }).instances[0]!);
    return {
      client,
      seen,
      reset: () => !armed,
      arm: () => void (armed = true),
      close: () => new Promise((r) => server.close(r)),
    };
  }

  it('a read is sent once more on a new connection; a submission is not (its outcome is unknown)', async () => {
    const s = await resettingServer();
    const t = tokenOf('alice');
    const search = () => s.client.searchJobs(t, { parameters: ['JobID'], search: [] }, { page: 1, perPage: 1 });
    try {
      // Calls in turn: undici reuses a kept-alive connection for some; the server resets one under its search.
      for (let i = 0; i < 6; i++) expect(await search()).toEqual({ rows: [], total: 0 });
      expect(s.reset()).toBe(true);
      expect(s.seen).toHaveLength(7); // that search sent once more, answered
      // Submissions: one try each; the one that meets the reset is reported unreachable, not sent again.
      s.arm();
      const outcomes = [];
      for (let i = 0; i < 6; i++) outcomes.push(await s.client.submitJdl(t, ['[Executable = "echo";]']).catch((e: unknown) => e));
      expect(s.reset()).toBe(true);
      expect(outcomes.filter((o) => o instanceof DiracxUnreachableError)).toHaveLength(1);
      expect(s.seen.slice(7)).toEqual(Array(6).fill('POST /api/jobs/jdl'));
    } finally {
      await s.close();
    }
  });
});
