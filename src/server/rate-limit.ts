/**
 * Request limits per client address and per user.
 *
 * Each replica keeps token buckets in memory: `perMinute` requests a minute per key, up to `perMinute` at
 * once (a page load's burst), refilled continuously. The map holds only keys seen lately (full buckets are
 * dropped), so memory follows active clients.
 *
 * With `shared`, the replicas also count together in the database: one-minute windows per key, to which
 * each replica adds its own hits every `flushMs` and reads back the total. A key whose total reached
 * `perMinute` is refused by every replica until the window ends. A replica learns the others' hits at its
 * next flush, so N replicas can overshoot by at most what they let through in one flush interval; without
 * sharing they would allow N times the limit.
 */
import crypto from 'node:crypto';
import type { Database } from './db/database.ts';
import type { Migration } from './db/migrations.ts';

export interface RateLimiter {
  /** Take one token for `key`: 0 when allowed, else the whole seconds until one is available. */
  take(key: string, now?: number): number;
  readonly size: number;
  /** Send this replica's counts to the shared windows now (no-op without sharing). */
  flush(now?: number): Promise<void>;
  /** Stop the periodic flush after a last one. */
  close(): Promise<void>;
}

const WINDOW_MS = 60_000;

/** 0011: shared request counts per (limit, hashed key, minute). Rows older than the previous minute are pruned. */
export const rateLimitMigration: Migration = {
  id: '0011_rate_limit_windows',
  sql: `
CREATE TABLE rate_limit_windows (
  scope        TEXT NOT NULL,
  key_hash     TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  hits         INTEGER NOT NULL,
  PRIMARY KEY (scope, key_hash, window_start)
);
CREATE INDEX rate_limit_windows_start_idx ON rate_limit_windows (window_start);
`,
};

export interface SharedCounts {
  db: Database;
  /** Which limit these counts belong to ('ip', 'user'). */
  scope: string;
  /** How often this replica sends its counts (default 1 s). */
  flushMs?: number;
  onError?: (err: unknown) => void;
}

export function rateLimiter(perMinute: number, opts: { maxKeys?: number; shared?: SharedCounts } = {}): RateLimiter {
  const maxKeys = opts.maxKeys ?? 100_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  const refill = (b: { tokens: number; at: number }, now: number) => {
    b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * perMs);
    b.at = now;
  };
  const shared = opts.shared && perMinute > 0 ? sharedWindows(perMinute, maxKeys, opts.shared) : null;
  return {
    take(key, now = Date.now()) {
      if (perMinute <= 0) return 0;
      const sharedWait = shared?.wait(key, now) ?? 0;
      if (sharedWait) return sharedWait;
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size >= maxKeys) {
          for (const [k, v] of buckets) {
            refill(v, now);
            if (v.tokens >= perMinute) buckets.delete(k);
          }
        }
        b = { tokens: perMinute, at: now };
        // Still full of other clients' buckets: drop the oldest rather than grow without bound.
        if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
        buckets.set(key, b);
      }
      refill(b, now);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        shared?.hit(key, now);
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
    },
    get size() {
      return buckets.size;
    },
    flush: (now) => shared?.flush(now) ?? Promise.resolve(),
    close: () => shared?.close() ?? Promise.resolve(),
  };
}

function sharedWindows(perMinute: number, maxKeys: number, opts: SharedCounts) {
  const { db, scope } = opts;
  /** Per key: its window, the total across replicas at the last flush, and this replica's hits since. */
  const counts = new Map<string, { window: number; total: number; pending: number }>();
  const hashOf = (key: string) => crypto.createHash('sha256').update(key).digest('base64url').slice(0, 32);
  const windowOf = (now: number) => Math.floor(now / WINDOW_MS) * WINDOW_MS;
  let flushing: Promise<void> = Promise.resolve();
  let prunedWindow = 0;

  const current = (key: string, now: number) => {
    const w = windowOf(now);
    const c = counts.get(key);
    return c && c.window === w ? c : undefined;
  };

  async function send(now: number) {
    const batch = [...counts]
      .filter(([, c]) => c.pending > 0)
      .map(([key, c]) => {
        const sent = c.pending;
        c.pending = 0;
        return { key, window: c.window, sent };
      });
    if (batch.length === 0) return;
    // Should the write fail, these hits are not counted again: the limit fails open, never shut.
    const totals = await db.transaction(async (tx) => {
      const out: number[] = [];
      for (const c of batch) {
        const row = await tx.one<{ hits: number | string }>(
          `INSERT INTO rate_limit_windows (scope, key_hash, window_start, hits) VALUES ($1, $2, $3, $4)
           ON CONFLICT (scope, key_hash, window_start) DO UPDATE SET hits = rate_limit_windows.hits + excluded.hits
           RETURNING hits`,
          [scope, hashOf(c.key), c.window, c.sent],
        );
        out.push(Number(row?.hits ?? 0));
      }
      return out;
    });
    batch.forEach((c, i) => {
      const live = counts.get(c.key);
      if (live && live.window === c.window) live.total = Math.max(live.total, totals[i]!);
    });
    const w = windowOf(now);
    if (w !== prunedWindow) {
      prunedWindow = w;
      await db.exec('DELETE FROM rate_limit_windows WHERE scope = $1 AND window_start < $2', [scope, w - WINDOW_MS]);
      for (const [key, c] of counts) if (c.window < w) counts.delete(key);
    }
  }

  const flush = (now = Date.now()) => {
    flushing = flushing.then(() => send(now)).catch((err: unknown) => opts.onError?.(err));
    return flushing;
  };
  const timer = setInterval(() => void flush(), opts.flushMs ?? 1000);
  timer.unref();

  return {
    /** Seconds until the window ends when the key's total across replicas reached the limit, else 0. */
    wait(key: string, now: number) {
      const c = current(key, now);
      if (!c || c.total + c.pending < perMinute) return 0;
      return Math.max(1, Math.ceil((c.window + WINDOW_MS - now) / 1000));
    },
    hit(key: string, now: number) {
      let c = current(key, now);
      if (!c) {
        if (counts.size >= maxKeys) counts.delete(counts.keys().next().value!);
        c = { window: windowOf(now), total: 0, pending: 0 };
        counts.set(key, c);
      }
      c.pending += 1;
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
