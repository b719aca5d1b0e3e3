import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { untar } from '../sandbox/tar.ts';
import { jobIdOf, localReplica, previewOf, tarStream } from './outputs.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outputs-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
};

describe('production outputs: reading replicas', () => {
  it('streams a tar that untars to the same members (empty and multi-block files included)', async () => {
    const big = Buffer.alloc(300_000, 7);
    const members = [
      { name: '41/a.h5', path: write('se/a.h5', 'alpha\n') },
      { name: '42/empty.log', path: write('se/empty.log', '') },
      { name: '43/big.bin', path: write('se/big.bin', big) },
    ];
    const raw = await buffer(tarStream(members));
    expect(raw.length % 512).toBe(0);
    const out = untar(raw);
    expect(out.map((m) => m.name)).toEqual(['41/a.h5', '42/empty.log', '43/big.bin']);
    expect(out[0]!.content.toString()).toBe('alpha\n');
    expect(out[1]!.content.length).toBe(0);
    expect(out[2]!.content.equals(big)).toBe(true);
  });

  it('previews text up to the bound without cutting a character, and not binary files', () => {
    expect(previewOf(write('t.txt', 'héllo'), 64)).toEqual({ bytes: 6, text: 'héllo', truncated: false });
    // 'é' is two bytes: a bound of 2 would cut it; the partial character is dropped, not refused.
    expect(previewOf(write('t2.txt', 'aé'), 2)).toEqual({ bytes: 3, text: 'a', truncated: true });
    expect(previewOf(write('b.bin', Buffer.from([1, 0, 2])), 64)).toMatchObject({ text: null });
  });

  it('reads a replica only under its storage element root, after symlinks', () => {
    const root = path.join(dir, 'se');
    const inside = write('se/user/alice/x.h5', 'x');
    const outside = write('secret.txt', 'no');
    fs.symlinkSync(outside, path.join(root, 'link.h5'));
    const file = (pfn: string, rse = 'LOCAL-DISK') => ({ replicas: [{ rse, state: 'AVAILABLE', pfns: [pfn] }] });
    expect(localReplica(file(`file://localhost${inside}`), { 'LOCAL-DISK': root })).toBe(fs.realpathSync(inside));
    expect(localReplica(file(`file://localhost${path.join(root, 'link.h5')}`), { 'LOCAL-DISK': root })).toBeNull();
    expect(localReplica(file(`file://localhost${inside}`, 'OTHER-DISK'), { 'LOCAL-DISK': root })).toBeNull();
    expect(localReplica(file(`https://host${inside}`), { 'LOCAL-DISK': root })).toBeNull();
  });

  it('finds the job id in an output LFN', () => {
    expect(jobIdOf('/escape/user/a/alice/g-1/42/x.h5', '/escape/user/a/alice/g-1')).toBe(42);
    expect(jobIdOf('/escape/user/a/alice/g-1/x.h5', '/escape/user/a/alice/g-1')).toBeNull();
  });
});
