// Helpers of the load bench (scripts/bench/load.mjs): a deterministic operation mix per simulated user, and
// per-operation latency/throughput/error bookkeeping. Plain ESM so the bench runs them without a build.

/** The p-th percentile (nearest rank, 0 < p <= 100) of some numbers; NaN for none. */
export function pct(xs, p) {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** mulberry32: a small deterministic PRNG in [0, 1), so every run (and both phases) draws the same mix. */
export function seededRandom(seed) {
  let x = seed | 0;
  return () => {
    x = (x + 0x6d2b79f5) | 0;
    let t = Math.imul(x ^ (x >>> 15), 1 | x);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An endless sequence of operation names drawn with the given weights ({name: weight}), restricted to
 * `allowed` (names outside it are skipped, so a phase that lacks some operations keeps the others' order).
 */
export function* operationMix(weights, seed, allowed = Object.keys(weights)) {
  const entries = Object.entries(weights).filter(([, w]) => w > 0);
  const total = entries.reduce((n, [, w]) => n + w, 0);
  if (!entries.some(([name]) => allowed.includes(name))) throw new Error('operationMix: no allowed operation has a weight');
  const rnd = seededRandom(seed);
  for (;;) {
    let r = rnd() * total;
    const [name] = entries.find(([, w]) => (r -= w) < 0) ?? entries[entries.length - 1];
    if (allowed.includes(name)) yield name;
  }
}

/** Latencies and errors per operation during one phase; `summary(seconds)` gives requests/s and p95 per operation. */
export function createRecorder() {
  const times = new Map();
  const errors = new Map();
  return {
    ok(op, ms) {
      if (!times.has(op)) times.set(op, []);
      times.get(op).push(ms);
    },
    error(kind) {
      errors.set(kind, (errors.get(kind) ?? 0) + 1);
    },
    summary(seconds) {
      const ops = Object.fromEntries(
        [...times].map(([op, xs]) => [op, { count: xs.length, perSecond: xs.length / seconds, p50: pct(xs, 50), p95: pct(xs, 95) }]),
      );
      const errorCount = [...errors.values()].reduce((n, c) => n + c, 0);
      return { ops, errors: Object.fromEntries(errors), errorCount };
    },
  };
}

/**
 * Least-squares slope of samples `[{t (ms), v}]` in v per minute: how fast a replica's heap grows over a phase
 * (single readings swing with each garbage collection; the fitted line does not). NaN for fewer than 2 samples.
 */
export function slopePerMinute(samples) {
  if (samples.length < 2) return Number.NaN;
  const n = samples.length;
  const mt = samples.reduce((s, x) => s + x.t, 0) / n;
  const mv = samples.reduce((s, x) => s + x.v, 0) / n;
  const cov = samples.reduce((s, x) => s + (x.t - mt) * (x.v - mv), 0);
  const vart = samples.reduce((s, x) => s + (x.t - mt) ** 2, 0);
  return vart === 0 ? Number.NaN : (cov / vart) * 60_000;
}
