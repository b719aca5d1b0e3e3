import { describe, expect, it } from 'vitest';
import { createRecorder, operationMix, pct, seededRandom, slopePerMinute } from './load-stats.mjs';

const take = <T>(it: Iterator<T>, n: number) => Array.from({ length: n }, () => it.next().value as T);

describe('load bench helpers', () => {
  it('pct is the nearest-rank percentile', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(pct(xs, 50)).toBe(50);
    expect(pct(xs, 95)).toBe(95);
    expect(pct(xs, 100)).toBe(100);
    expect(pct([7], 95)).toBe(7);
    expect(pct([], 95)).toBeNaN();
  });

  it('slopePerMinute fits a line through noisy samples, per minute', () => {
    // 2 MB a minute plus a sawtooth of ±5 MB (garbage collections), sampled every 5 s for 2 minutes.
    const samples = Array.from({ length: 25 }, (_, i) => ({ t: i * 5_000, v: 100 + (2 * i * 5) / 60 + (i % 2 ? 5 : -5) }));
    expect(slopePerMinute(samples)).toBeCloseTo(2, 0);
    expect(slopePerMinute(samples.map((s) => ({ ...s, v: 100 })))).toBe(0);
    expect(slopePerMinute([{ t: 0, v: 1 }])).toBeNaN();
  });

  it('seededRandom repeats for a seed and differs between seeds', () => {
    const r1 = seededRandom(42);
    const r2 = seededRandom(42);
    const r3 = seededRandom(43);
    const s1 = [r1(), r1(), r1()];
    expect([r2(), r2(), r2()]).toEqual(s1);
    expect([r3(), r3(), r3()]).not.toEqual(s1);
    expect(s1.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('operationMix follows the weights and keeps the allowed operations in the same order', () => {
    const weights = { search: 6, basket: 3, launch: 1 };
    const all = take(operationMix(weights, 7), 10_000);
    const share = (name: string) => all.filter((o) => o === name).length / all.length;
    expect(share('search')).toBeCloseTo(0.6, 1);
    expect(share('basket')).toBeCloseTo(0.3, 1);
    expect(share('launch')).toBeCloseTo(0.1, 1);
    const restricted = take(operationMix(weights, 7, ['search', 'launch']), 100);
    expect(restricted).toEqual(all.filter((o) => o !== 'basket').slice(0, 100));
    expect(() => operationMix({ basket: 1 }, 1, ['search']).next()).toThrow(/no allowed operation/);
  });

  it('the recorder counts requests/s, p95 and errors by kind', () => {
    const rec = createRecorder();
    for (let i = 1; i <= 20; i++) rec.ok('search', i);
    rec.ok('launch', 5);
    rec.error('search 502');
    rec.error('search 502');
    rec.error('launch TypeError');
    const s = rec.summary(10);
    expect(s.ops.search).toEqual({ count: 20, perSecond: 2, p50: 10, p95: 19 });
    expect(s.ops.launch.count).toBe(1);
    expect(s.errors).toEqual({ 'search 502': 2, 'launch TypeError': 1 });
    expect(s.errorCount).toBe(3);
  });
});
