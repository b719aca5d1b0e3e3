import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { DiracxError, DiracxUnreachableError } from '../server/diracx/client.ts';
import { tar } from '../server/sandbox/tar.ts';
import { MAX_OUTPUT_FILE_BYTES, collectOutputs, resolveExecutable, retryWhileUnreachable, unpackSandbox } from './wrapper.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'site-wrapper-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('input sandbox', () => {
  it('unpacks a tar.zst into the working directory', () => {
    const dir = tmp();
    const bytes = zlib.zstdCompressSync(
      tar([
        { name: 'runcard.txt', content: 'RUNNR 3\n' },
        { name: 'sub/a.txt', content: 'a' },
      ]),
    );
    expect(unpackSandbox(bytes, '/S3/sb/x.tar.zst', dir).sort()).toEqual(['runcard.txt', 'sub/a.txt']);
    expect(fs.readFileSync(path.join(dir, 'runcard.txt'), 'utf8')).toBe('RUNNR 3\n');
  });

  it('refuses an archive that unpacks beyond its bound, and formats it cannot read', () => {
    const dir = tmp();
    // 4 MiB of zeros compress to a few hundred bytes: a zip bomb for a 1 MiB bound
    const bomb = zlib.zstdCompressSync(Buffer.alloc(4 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(2048);
    expect(() => unpackSandbox(bomb, '/S3/sb/bomb.tar.zst', dir, 1024 * 1024)).toThrow(/buffer|length|size/i);
    expect(() => unpackSandbox(Buffer.from('x'), '/S3/sb/x.tar.bz2', dir)).toThrow(/unsupported sandbox format/);
  });
});

describe('executable', () => {
  it('finds programs in the software area first, then the system; a sandbox script is made executable', () => {
    const dir = tmp();
    const sw = tmp();
    fs.writeFileSync(path.join(sw, 'echo'), '#!/bin/sh\n', { mode: 0o755 });
    expect(resolveExecutable('echo', dir, [sw, '/usr/bin', '/bin'])).toBe(path.join(sw, 'echo'));
    expect(resolveExecutable('sh', dir, [sw, '/usr/bin', '/bin'])).toMatch(/\/sh$/);
    expect(resolveExecutable('no-such-program-here', dir, [sw, '/usr/bin', '/bin'])).toBeNull();
    fs.writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o644 });
    expect(resolveExecutable('./run.sh', dir, [])).toBe(path.join(dir, 'run.sh'));
    expect(resolveExecutable('../outside', dir, [])).toBeNull();
  });
});

describe('output sandbox', () => {
  it('keeps std streams and OutputSandbox names or globs, the tail of a huge std.out, and skips other huge files', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'std.out'), 'x'.repeat(MAX_OUTPUT_FILE_BYTES) + 'THE END');
    fs.writeFileSync(path.join(dir, 'std.err'), '');
    fs.writeFileSync(path.join(dir, 'result.txt'), 'r');
    fs.writeFileSync(path.join(dir, 'plot1.png'), 'p');
    fs.writeFileSync(path.join(dir, 'huge.dat'), Buffer.alloc(MAX_OUTPUT_FILE_BYTES + 1));
    fs.writeFileSync(path.join(dir, 'ignored.log'), 'i');
    const { files, notes } = collectOutputs(dir, ['result.txt', '*.png', 'huge.dat', 'LFN:/escape/x'], ['std.out', 'std.err']);
    expect(files.map((f) => f.name).sort()).toEqual(['plot1.png', 'result.txt', 'std.err', 'std.out']);
    const out = files.find((f) => f.name === 'std.out')!.content as Buffer;
    expect(out.length).toBe(MAX_OUTPUT_FILE_BYTES);
    expect(out.toString('utf8').endsWith('THE END')).toBe(true);
    expect(notes.join('\n')).toMatch(/std.out is .* only its last/);
    expect(notes.join('\n')).toMatch(/huge.dat .* not kept/);
  });
});

describe('DiracX unreachable after the payload ran', () => {
  it('retries only while DiracX is unreachable, and gives up after its limit', async () => {
    let calls = 0;
    const retried: string[] = [];
    const flaky = () => {
      calls += 1;
      return calls < 3 ? Promise.reject(new DiracxUnreachableError('status', new Error('ECONNREFUSED'))) : Promise.resolve('sent');
    };
    expect(await retryWhileUnreachable(flaky, (e) => retried.push(e.message), 10_000)).toBe('sent');
    expect(retried).toHaveLength(2);
    // Another error (DiracX answered) is not retried; nor is anything once the limit is spent.
    await expect(
      retryWhileUnreachable(
        () => Promise.reject(new Error('400 bad request')),
        () => undefined,
        10_000,
      ),
    ).rejects.toThrow('400');
    // DiracX failing on its side (5xx, as it does under load) is retried; its 4xx answers are not.
    let answered = 0;
    const failing = () => {
      answered += 1;
      return answered < 2 ? Promise.reject(new DiracxError(500, 'Internal Server Error', 'sandbox download')) : Promise.resolve('sandbox');
    };
    expect(await retryWhileUnreachable(failing, () => undefined, 10_000)).toBe('sandbox');
    await expect(
      retryWhileUnreachable(
        () => Promise.reject(new DiracxError(403, 'Forbidden', 'sandbox download')),
        () => undefined,
        10_000,
      ),
    ).rejects.toThrow('403');
    const down = () => Promise.reject(new DiracxUnreachableError('status', new Error('ECONNREFUSED')));
    await expect(retryWhileUnreachable(down, () => undefined, 100)).rejects.toBeInstanceOf(DiracxUnreachableError);
  });
});
