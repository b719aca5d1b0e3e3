/**
 * Token buckets in this replica's memory: `perMinute` requests a minute per key, up to `perMinute` at once
 * (a page load's burst), refilled continuously. Several replicas each count on their own, so a client
 * spread over N replicas gets up to N times the limit: a bound on abuse, not an exact quota. The map holds
 * only keys seen lately (full buckets are dropped), so memory follows active clients.
 */
export interface RateLimiter {
  /** Take one token for `key`: 0 when allowed, else the whole seconds until one is available. */
  take(key: string, now?: number): number;
  readonly size: number;
}

export function rateLimiter(perMinute: number, maxKeys = 100_000): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  const refill = (b: { tokens: number; at: number }, now: number) => {
    b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * perMs);
    b.at = now;
  };
  return {
    take(key, now = Date.now()) {
      if (perMinute <= 0) return 0;
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
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
    },
    get size() {
      return buckets.size;
    },
  };
}
