/**
 * A minimal POSIX ustar writer for input sandboxes (regular files only), and
 * the zstd-compressed archive DiracX accepts (`tar.zst`). Deterministic: fixed
 * mtime, owner and mode, so the same inputs give the same bytes, hence the
 * same sha256 and DiracX reuses an already-uploaded sandbox.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';

export interface SandboxFile {
  name: string;
  content: string | Uint8Array;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** A ustar header block for a regular file (names checked: portable characters, no `..`). */
export function tarHeader(name: string, size: number): Buffer {
  if (!/^[A-Za-z0-9._-][A-Za-z0-9._/-]{0,99}$/.test(name) || name.includes('..')) throw new Error(`invalid sandbox file name "${name}"`);
  const h = Buffer.alloc(BLOCK, 0);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o644, 8), 100, 8, 'ascii');
  h.write(octal(0, 8), 108, 8, 'ascii');
  h.write(octal(0, 8), 116, 8, 'ascii');
  h.write(octal(size, 12), 124, 12, 'ascii');
  h.write(octal(0, 12), 136, 12, 'ascii');
  h.write('        ', 148, 8, 'ascii');
  h.write('0', 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

/** The zeros that fill a member of `size` bytes up to a whole block. */
export const tarPadding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK, 0);
/** The end of an archive: two zero blocks. */
export const tarEnd = () => Buffer.alloc(BLOCK * 2, 0);

export function tar(files: SandboxFile[]): Buffer {
  const parts: Buffer[] = [];
  const seen = new Set<string>();
  for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    if (seen.has(f.name)) throw new Error(`duplicate sandbox file "${f.name}"`);
    seen.add(f.name);
    const body = typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : Buffer.from(f.content);
    parts.push(tarHeader(f.name, body.length), body, tarPadding(body.length));
  }
  parts.push(tarEnd());
  return Buffer.concat(parts);
}

export interface SandboxArchive {
  bytes: Buffer;
  sha256: string;
  size: number;
  format: 'tar.zst';
}

export const MAX_SANDBOX_BYTES = 100 * 1024 * 1024;

export function sandboxArchive(files: SandboxFile[]): SandboxArchive {
  const bytes = zlib.zstdCompressSync(tar(files));
  if (bytes.length > MAX_SANDBOX_BYTES) throw new Error(`the input sandbox is ${bytes.length} bytes; DiracX accepts at most 100 MiB`);
  return { bytes, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), size: bytes.length, format: 'tar.zst' };
}

export interface TarMember {
  name: string;
  size: number;
  content: Buffer;
}

/** Read the regular files of a ustar archive (the members DiracX's job wrapper and the portal write). */
export function untar(raw: Buffer): TarMember[] {
  const out: TarMember[] = [];
  for (let off = 0; off + BLOCK <= raw.length;) {
    const h = raw.subarray(off, off + BLOCK);
    const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (!name) break;
    const prefix = h.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(h.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(h[156] ?? 48);
    if (type === '0' || type === '\0') {
      out.push({ name: prefix ? `${prefix}/${name}` : name, size, content: raw.subarray(off + BLOCK, off + BLOCK + size) });
    }
    off += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}
