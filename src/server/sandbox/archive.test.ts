import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ARCHIVE_LIMITS, ArchiveRefused, listSandboxArchive } from './archive.ts';
import { sandboxArchive, tar } from './tar.ts';

const MiB = 1024 * 1024;

/** A ustar header for one regular file of `size` bytes (what precedes a bomb's zeros). */
function headerOf(name: string, size: number): Buffer {
  const h = Buffer.from(tar([{ name, content: '' }]).subarray(0, 512));
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 12, 'ascii');
  h.write('        ', 148, 8, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

const bzip2 = (data: Buffer) => spawnSync('bzip2', ['-c'], { input: data, maxBuffer: 64 * MiB }).stdout;
const compress = { zst: (b: Buffer) => zlib.zstdCompressSync(b), gz: (b: Buffer) => zlib.gzipSync(b), bz2: bzip2 };

/** `count` × 16 MiB of zeros compressed as one zstd frame (Node's zstd reads only the first of several frames). */
async function zstdZeros(count: number, prefix: Buffer) {
  const zeros = Buffer.alloc(16 * MiB);
  const parts: Buffer[] = [];
  const z = zlib.createZstdCompress({ params: { [zlib.constants.ZSTD_c_compressionLevel]: 1 } });
  z.on('data', (d: Buffer) => parts.push(d));
  const done = new Promise((resolve) => z.on('end', resolve));
  await pipeline(
    Readable.from(
      (function* () {
        yield prefix;
        for (let i = 0; i < count; i++) yield zeros;
      })(),
    ),
    z,
  );
  await done;
  return Buffer.concat(parts);
}

/**
 * A real bomb: a tar header for one file of `fileSize`, then `frames` × 16 MiB of zeros: a few KB of input
 * (gzip and bzip2: the same compressed frame repeated, both decode concatenated frames as one stream).
 */
async function bomb(kind: keyof typeof compress, frames: number, fileSize = 8 * 1024 * MiB - 1) {
  if (kind === 'zst') return zstdZeros(frames, headerOf('big.bin', fileSize));
  const zeros = compress[kind](Buffer.alloc(16 * MiB));
  return Buffer.concat([compress[kind](headerOf('big.bin', fileSize)), ...Array.from({ length: frames }, () => zeros)]);
}

async function refusal(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ArchiveRefused);
  return (err as Error).message;
}

describe('listSandboxArchive', () => {
  it('lists the files of a tar.zst, tar.gz and tar.bz2 with their first bytes', async () => {
    const files = [
      { name: 'std.out', content: 'Hello, world!\n' },
      { name: 'data/big.txt', content: 'x'.repeat(200_000) },
    ];
    const raw = tar(files);
    for (const [pfn, bytes] of [
      ['a.tar.zst', sandboxArchive(files).bytes],
      ['a.tar.gz', zlib.gzipSync(raw)],
      ['a.tar.bz2', bzip2(raw)],
      ['a.tar', raw],
    ] as const) {
      const members = await listSandboxArchive(bytes, pfn);
      expect(members?.map((m) => [m.name, m.size, m.head.length])).toEqual([
        ['data/big.txt', 200_000, ARCHIVE_LIMITS.headBytes],
        ['std.out', 14, 14],
      ]);
      expect(members?.[1]?.head.toString()).toBe('Hello, world!\n');
    }
    expect(await listSandboxArchive(Buffer.from('x'), 'a.zip')).toBeNull();
  });

  it.each(['zst', 'gz', 'bz2'] as const)('refuses a %s bomb (KBs that expand to GBs) by its ratio, streaming', async (kind) => {
    // 2 GiB of output (gzip, whose ratio is at most ~1000:1: 1 GiB); the header declares a size the portal
    // accepts, so only counting the output stops it
    const input = await bomb(kind, kind === 'gz' ? 64 : 128, 200 * MiB);
    expect(input.length).toBeLessThan(kind === 'gz' ? 1100 * 1024 : 200 * 1024);
    expect(await refusal(listSandboxArchive(input, `b.tar.${kind}`))).toMatch(/expands more than 200 times/);
  });

  it('refuses by decompressed size, entry count and declared size, and keeps memory flat while streaming', async () => {
    const limits = { ...ARCHIVE_LIMITS, maxRatio: Infinity, maxOutputBytes: 128 * MiB };
    const before = process.memoryUsage();
    const big = await bomb('zst', 16, 100 * MiB);
    expect(await refusal(listSandboxArchive(big, 'c.tar.zst', limits))).toMatch(/expands to more than 134217728 bytes/);
    const after = process.memoryUsage();
    // 128 MiB went through; buffering it would show in arrayBuffers/external
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(64 * MiB);

    const many = zlib.zstdCompressSync(tar(Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, content: 'x' }))));
    expect(await refusal(listSandboxArchive(many, 'd.tar.zst', { ...ARCHIVE_LIMITS, maxEntries: 20 }))).toMatch(/more than 20 entries/);

    expect(await refusal(listSandboxArchive(await bomb('zst', 1), 'e.tar.zst'))).toMatch(/declares a file larger/);
  });

  it('bounds the kept heads over all members, and refuses corrupt data, windows too large and oversized inputs', async () => {
    const files = Array.from({ length: 10 }, (_, i) => ({ name: `log${i}.txt`, content: 'y'.repeat(100_000) }));
    const members = await listSandboxArchive(sandboxArchive(files).bytes, 'f.tar.zst', { ...ARCHIVE_LIMITS, totalHeadBytes: 150_000 });
    expect(members?.reduce((n, m) => n + m.head.length, 0)).toBe(150_000);

    expect(await refusal(listSandboxArchive(Buffer.from('not an archive at all'), 'g.tar.zst'))).toMatch(/corrupt/);
    expect(await refusal(listSandboxArchive(Buffer.from('not an archive at all'), 'g.tar.gz'))).toMatch(/corrupt/);
    expect(await refusal(listSandboxArchive(Buffer.from('not an archive at all'), 'g.tar.bz2'))).toMatch(/not valid bzip2/);
    const wide = zlib.zstdCompressSync(Buffer.alloc(64 * MiB), { params: { [zlib.constants.ZSTD_c_windowLog]: 27 } });
    expect(await refusal(listSandboxArchive(wide, 'h.tar.zst'))).toMatch(/corrupt or uses unsupported/);
    const input = sandboxArchive([{ name: 'a', content: crypto.getRandomValues(new Uint8Array(4096)) }]).bytes;
    expect(await refusal(listSandboxArchive(input, 'i.tar.zst', { ...ARCHIVE_LIMITS, maxCompressedBytes: 1024 }))).toMatch(
      /larger than 1024 bytes/,
    );
  });
});
