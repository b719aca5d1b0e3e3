import { describe, expect, it } from 'vitest';
import { ArchiveRefused, listSandboxArchive, type ListedMember } from './archive.ts';
import { createListingCache } from './listing-cache.ts';
import { sandboxArchive } from './tar.ts';

const pfnOf = (n: number, format = 'tar.zst') =>
  `/S3/sandboxes/escape/scientists/alice/sha256:${n.toString(16).padStart(64, '0')}.${format}`;
const member = (name: string, head = 'x'): ListedMember => ({ name, size: head.length, head: Buffer.from(head) });

/** A load that counts its calls and answers what it is given. */
function loader(answer: () => Promise<ListedMember[] | null>) {
  const l = {
    calls: 0,
    load: () => {
      l.calls += 1;
      return answer();
    },
  };
  return l;
}

describe('sandbox listing cache', () => {
  it('unpacks a content-addressed archive once, then answers from memory', async () => {
    const archive = sandboxArchive([{ name: 'std.out', content: 'Hello\n' }]);
    const cache = createListingCache(1024 * 1024);
    const l = loader(() => listSandboxArchive(archive.bytes, pfnOf(1)));
    const first = await cache.get('x', pfnOf(1), l.load);
    const second = await cache.get('x', pfnOf(1), l.load);
    expect(l.calls).toBe(1);
    expect(second).toBe(first);
    expect('members' in first && first.members?.map((m) => [m.name, m.head.toString()])).toEqual([['std.out', 'Hello\n']]);
    expect(cache.stats).toMatchObject({ hits: 1, misses: 1, entries: 1 });
  });

  it('loads once for requests that arrive together', async () => {
    const cache = createListingCache(1024 * 1024);
    let release!: () => void;
    const l = loader(() => new Promise((resolve) => (release = () => resolve([member('std.out')]))));
    const all = Promise.all([1, 2, 3].map(() => cache.get('x', pfnOf(2), l.load)));
    await Promise.resolve();
    release();
    const answers = await all;
    expect(l.calls).toBe(1);
    expect(new Set(answers).size).toBe(1);
  });

  it('keeps a refusal (a bomb is not unpacked twice) but not a failure to fetch', async () => {
    const cache = createListingCache(1024 * 1024);
    const bomb = loader(() => Promise.reject(new ArchiveRefused('The archive expands more than 200 times its size')));
    expect(await cache.get('x', pfnOf(3), bomb.load)).toEqual({ refused: 'The archive expands more than 200 times its size' });
    expect(await cache.get('x', pfnOf(3), bomb.load)).toEqual({ refused: 'The archive expands more than 200 times its size' });
    expect(bomb.calls).toBe(1);

    let fail = true;
    const flaky = loader(() => (fail ? Promise.reject(new Error('S3 unreachable')) : Promise.resolve([member('std.out')])));
    await expect(cache.get('x', pfnOf(4), flaky.load)).rejects.toThrow('S3 unreachable');
    fail = false;
    expect(await cache.get('x', pfnOf(4), flaky.load)).toEqual({ members: [member('std.out')] });
    expect(flaky.calls).toBe(2);
  });

  it('keeps only names DiracX derives from the content, per instance', async () => {
    const cache = createListingCache(1024 * 1024);
    const l = loader(() => Promise.resolve([member('std.out')]));
    for (const pfn of ['/S3/sandboxes/escape/scientists/alice/output.tar.zst', `${pfnOf(5)}/../other.tar`]) {
      await cache.get('x', pfn, l.load);
      await cache.get('x', pfn, l.load);
    }
    expect(l.calls).toBe(4);
    await cache.get('x', pfnOf(5), l.load);
    await cache.get('y', pfnOf(5), l.load); // another DiracX: its own sandbox store
    expect(l.calls).toBe(6);
  });

  it('stays within its byte bound, dropping the least recently read first', async () => {
    const head = 'y'.repeat(10_000);
    const cache = createListingCache(35_000); // room for three such listings
    const l = loader(() => Promise.resolve([member('std.out', head)]));
    for (const n of [1, 2, 3]) await cache.get('x', pfnOf(n), l.load);
    await cache.get('x', pfnOf(1), l.load); // read again: now the most recent
    await cache.get('x', pfnOf(4), l.load); // pushes out 2, the least recent
    expect(cache.stats.bytes).toBeLessThanOrEqual(35_000);
    expect(cache.stats.entries).toBe(3);
    const calls = l.calls;
    await cache.get('x', pfnOf(1), l.load);
    await cache.get('x', pfnOf(3), l.load);
    await cache.get('x', pfnOf(4), l.load);
    expect(l.calls).toBe(calls);
    await cache.get('x', pfnOf(2), l.load);
    expect(l.calls).toBe(calls + 1);

    // A listing larger than the whole cache is answered, not kept.
    const huge = loader(() => Promise.resolve([member('big', 'z'.repeat(40_000))]));
    await cache.get('x', pfnOf(9), huge.load);
    await cache.get('x', pfnOf(9), huge.load);
    expect(huge.calls).toBe(2);
  });
});
