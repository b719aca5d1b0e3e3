/**
 * Listing a sandbox archive (tar, tar.gz, tar.zst, tar.bz2) without trusting it: the archive is streamed
 * through the decompressor and a streaming ustar reader, and refused as soon as it exceeds a bound on
 * compressed size, decompressed size, compression ratio or entry count. Only the first bytes of each
 * member are kept (what the monitor shows inline), so memory stays bounded whatever the archive claims.
 */
import { spawn } from 'node:child_process';
import { Duplex, Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { SANDBOX_INLINE_LIMIT } from '../../contracts/monitor.ts';
import { MAX_SANDBOX_BYTES } from './tar.ts';

export interface ArchiveLimits {
  /** Compressed bytes read from the source. */
  maxCompressedBytes: number;
  /** Decompressed bytes (the tar stream). */
  maxOutputBytes: number;
  /** Decompressed / compressed, checked once the output passes `ratioGraceBytes`. */
  maxRatio: number;
  ratioGraceBytes: number;
  /** Tar headers of any type. */
  maxEntries: number;
  /** Bytes kept from the start of each member, and in total over all members. */
  headBytes: number;
  totalHeadBytes: number;
}

const MiB = 1024 * 1024;
export const ARCHIVE_LIMITS: ArchiveLimits = {
  maxCompressedBytes: MAX_SANDBOX_BYTES,
  maxOutputBytes: 256 * MiB,
  // Logs can compress 100:1 and more; zeros compress 10,000:1. Past 16 MiB of output, 200:1 is taken for a bomb.
  maxRatio: 200,
  ratioGraceBytes: 16 * MiB,
  maxEntries: 5000,
  headBytes: SANDBOX_INLINE_LIMIT,
  totalHeadBytes: 4 * MiB,
};

/** The archive exceeds a bound or is not a readable archive: the user's data, not a portal fault. */
export class ArchiveRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveRefused';
  }
}

export interface ListedMember {
  name: string;
  size: number;
  /** The first bytes of the member (empty once the archive's head budget is spent). */
  head: Buffer;
}

type Source = Readable | AsyncIterable<Uint8Array> | Uint8Array;

const BLOCK = 512;
// zstd frames declare their window size; cap it (16 MiB) so a frame cannot make the decoder allocate more.
const ZSTD_WINDOW_LOG_MAX = 24;
// Larger output chunks than zlib's 16 KiB: the per-chunk work of the stream stages dominates otherwise.
const CHUNK = 256 * 1024;

function decompressorFor(pfn: string): Duplex | 'none' | null {
  if (pfn.endsWith('.tar.zst'))
    return zlib.createZstdDecompress({ chunkSize: CHUNK, params: { [zlib.constants.ZSTD_d_windowLogMax]: ZSTD_WINDOW_LOG_MAX } });
  if (pfn.endsWith('.tar.gz') || pfn.endsWith('.tgz')) return zlib.createGunzip({ chunkSize: CHUNK });
  if (pfn.endsWith('.tar.bz2')) return bunzip2();
  if (pfn.endsWith('.tar')) return 'none';
  return null;
}

/**
 * bzip2 (DIRAC's output sandboxes) through the system `bzip2 -dc`: Node has no bzip2, and a child process
 * keeps the decoder's memory out of the BFF. Its output is bounded by the same counters as the others.
 */
function bunzip2(): Duplex {
  const child = spawn('bzip2', ['-dc'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const exit = new Promise<Error | null>((resolve) => {
    child.on('error', (err: NodeJS.ErrnoException) =>
      resolve(new ArchiveRefused(`bzip2 archives cannot be read here (${err.code ?? 'error'})`)),
    );
    child.on('close', (code) => resolve(code === 0 ? null : new ArchiveRefused('The archive is not valid bzip2 data')));
  });
  // bzip2 quits on bad data and its stdin then fails (EPIPE): its exit status is what tells why.
  child.stdin.on('error', () => {});
  const writable = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (child.stdin.destroyed) return done();
      child.stdin.write(chunk, () => done());
    },
    final(done) {
      child.stdin.end();
      done();
    },
  });
  const readable = new Transform({
    transform: (chunk: Buffer, _enc, done) => done(null, chunk),
    flush: (done) => void exit.then((err) => done(err)),
  });
  child.stdout.pipe(readable);
  const duplex = Duplex.from({ writable, readable });
  // Whatever ends the pipeline (a limit, the client gone), the decoder must not outlive it.
  duplex.on('close', () => child.kill('SIGKILL'));
  return duplex;
}

function counter(onChunk: (bytes: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        onChunk(chunk.length);
        done(null, chunk);
      } catch (err) {
        done(err as Error);
      }
    },
  });
}

const isDecoderError = (err: unknown) =>
  err instanceof Error && 'code' in err && typeof err.code === 'string' && /^(Z_|ZSTD_error_)/.test(err.code);

const cString = (b: Buffer) => b.toString('utf8').replace(/\0.*$/s, '');

/** A streaming ustar reader that keeps each regular file's name, size and head. */
class TarLister extends Writable {
  readonly members: ListedMember[] = [];
  private pending = Buffer.alloc(0);
  private remaining = 0; // bytes of the current member's data still to come
  private padding = 0;
  private current: { member: ListedMember; chunks: Buffer[]; kept: number } | null = null;
  private entries = 0;
  private headSpent = 0;
  private ended = false;

  private readonly limits: ArchiveLimits;
  /** Called with each decompressed chunk's size before it is read (the output and ratio bounds). */
  private readonly onOutput: (bytes: number) => void;

  constructor(limits: ArchiveLimits, onOutput: (bytes: number) => void) {
    super({ highWaterMark: CHUNK });
    this.limits = limits;
    this.onOutput = onOutput;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void) {
    try {
      this.onOutput(chunk.length);
      this.consume(chunk);
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _final(done: (err?: Error | null) => void) {
    this.finishMember();
    done(this.remaining > 0 ? new ArchiveRefused('The archive ends in the middle of a file') : null);
  }

  private consume(chunk: Buffer) {
    let data = chunk;
    while (data.length > 0 && !this.ended) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, data.length);
        this.keep(data.subarray(0, take));
        this.remaining -= take;
        data = data.subarray(take);
        if (this.remaining === 0) this.finishMember();
        continue;
      }
      if (this.padding > 0) {
        const skip = Math.min(this.padding, data.length);
        this.padding -= skip;
        data = data.subarray(skip);
        continue;
      }
      const need = BLOCK - this.pending.length;
      this.pending = Buffer.concat([this.pending, data.subarray(0, need)]);
      data = data.subarray(need);
      if (this.pending.length === BLOCK) {
        const header = this.pending;
        this.pending = Buffer.alloc(0);
        this.header(header);
      }
    }
  }

  private header(h: Buffer) {
    const name = cString(h.subarray(0, 100));
    if (!name) {
      // End of archive (a zero block); what follows is ignored but still counted upstream.
      this.ended = true;
      return;
    }
    this.entries += 1;
    if (this.entries > this.limits.maxEntries) throw new ArchiveRefused(`The archive has more than ${this.limits.maxEntries} entries`);
    const sizeField = cString(h.subarray(124, 136)).trim();
    if (!/^[0-7]*$/.test(sizeField)) throw new ArchiveRefused('The archive has a malformed header');
    const size = parseInt(sizeField || '0', 8);
    if (size > this.limits.maxOutputBytes) throw new ArchiveRefused('The archive declares a file larger than the portal lists');
    const prefix = cString(h.subarray(345, 500));
    const type = String.fromCharCode(h[156] ?? 48);
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (type === '0' || type === '\0') {
      this.current = { member: { name: prefix ? `${prefix}/${name}` : name, size, head: Buffer.alloc(0) }, chunks: [], kept: 0 };
    }
    if (size === 0) this.finishMember();
  }

  private keep(bytes: Buffer) {
    const c = this.current;
    if (!c) return;
    const room = Math.min(this.limits.headBytes - c.kept, this.limits.totalHeadBytes - this.headSpent);
    if (room <= 0) return;
    const piece = Buffer.from(bytes.subarray(0, room)); // a copy: never pin the decompressor's buffers
    c.chunks.push(piece);
    c.kept += piece.length;
    this.headSpent += piece.length;
  }

  private finishMember() {
    const c = this.current;
    if (!c) return;
    c.member.head = Buffer.concat(c.chunks);
    this.members.push(c.member);
    this.current = null;
  }
}

/**
 * The regular files of a sandbox archive with their first bytes, or null when the name says no archive
 * format the portal reads. Throws ArchiveRefused when the archive exceeds `limits` or is corrupt.
 */
export async function listSandboxArchive(
  source: Source,
  pfn: string,
  limits: ArchiveLimits = ARCHIVE_LIMITS,
): Promise<ListedMember[] | null> {
  const decompressor = decompressorFor(pfn);
  if (decompressor === null) return null;
  let compressed = 0;
  let output = 0;
  const input = counter((n) => {
    compressed += n;
    if (compressed > limits.maxCompressedBytes) throw new ArchiveRefused(`The archive is larger than ${limits.maxCompressedBytes} bytes`);
  });
  const lister = new TarLister(limits, (n) => {
    output += n;
    if (output > limits.maxOutputBytes) throw new ArchiveRefused(`The archive expands to more than ${limits.maxOutputBytes} bytes`);
    if (output > limits.ratioGraceBytes && output > limits.maxRatio * compressed) {
      throw new ArchiveRefused(`The archive expands more than ${limits.maxRatio} times its size`);
    }
  });
  const readable = source instanceof Uint8Array ? Readable.from([source]) : Readable.from(source);
  try {
    if (decompressor === 'none') await pipeline(readable, input, lister);
    else await pipeline(readable, input, decompressor, lister);
  } catch (err) {
    if (err instanceof ArchiveRefused) throw err;
    // zlib's own errors (bad magic, truncated data, a zstd window too large) say the data is not a valid archive.
    if (isDecoderError(err)) throw new ArchiveRefused(`The archive is corrupt or uses unsupported compression settings`);
    throw err;
  }
  return lister.members;
}
