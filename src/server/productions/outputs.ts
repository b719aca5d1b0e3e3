/**
 * A production's outputs (contracts/outputs.ts): listed from its Rucio dataset, read from a replica on a
 * storage element whose files this host sees (a posix RSE: `datasetSources[rucio].localRses`), streamed one
 * by one or as one tar archive.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ProductionOutput } from '../../contracts/outputs.ts';
import type { RucioFile } from '../../contracts/rucio.ts';
import { problems } from '../errors.ts';
import { tarEnd, tarHeader, tarPadding } from '../sandbox/tar.ts';

/** A `file://` PFN as a local path (posix RSEs on this host), or null for any other protocol. */
export function localPathOf(pfn: string): string | null {
  const m = /^file:\/\/(?:localhost)?(\/.*)$/.exec(pfn);
  return m ? path.resolve(m[1]!) : null;
}

/** The job id in an output's LFN `…/<JobGroup>/<JobID>/<name>`, when it has one. */
export function jobIdOf(lfn: string, datasetName: string): number | null {
  const rest = lfn.startsWith(`${datasetName}/`) ? lfn.slice(datasetName.length + 1).split('/') : [];
  return rest.length === 2 && /^\d{1,12}$/.test(rest[0]!) ? Number(rest[0]) : null;
}

/**
 * The local path of a file's replica on a storage element this host reads (RSE → its root directory), checked
 * to stay under that root after symlinks are resolved; null when there is none.
 */
export function localReplica(file: Pick<RucioFile, 'replicas'>, localRses: Readonly<Record<string, string>>): string | null {
  for (const r of file.replicas) {
    const root = localRses[r.rse];
    if (!root || r.state !== 'AVAILABLE') continue;
    for (const pfn of r.pfns) {
      const p = localPathOf(pfn);
      if (!p) continue;
      try {
        const real = fs.realpathSync(p);
        const realRoot = fs.realpathSync(root);
        if (real.startsWith(realRoot + path.sep) && fs.statSync(real).isFile()) return real;
      } catch {
        /* not there: try the next replica */
      }
    }
  }
  return null;
}

export function toOutput(f: RucioFile, datasetName: string, localRses: Readonly<Record<string, string>>): ProductionOutput {
  return {
    name: f.name.split('/').pop() ?? f.name,
    lfn: f.name,
    did: f.did,
    jobId: jobIdOf(f.name, datasetName),
    bytes: f.bytes,
    adler32: f.adler32,
    rses: f.replicas.map((r) => r.rse),
    readable: localReplica(f, localRses) !== null,
  };
}

/** The first `max` bytes of a file, as text when they are UTF-8 without NUL bytes. */
export function previewOf(file: string, max: number): { bytes: number; text: string | null; truncated: boolean } {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size, max));
    fs.readSync(fd, buf, 0, buf.length, 0);
    let text: string | null = null;
    if (!buf.includes(0)) {
      try {
        // A multi-byte character cut at the bound is dropped, not refused.
        text = new TextDecoder('utf-8', { fatal: true }).decode(size > max ? trimPartial(buf) : buf);
      } catch {
        text = null;
      }
    }
    return { bytes: size, text, truncated: size > max };
  } finally {
    fs.closeSync(fd);
  }
}

function trimPartial(buf: Buffer): Buffer {
  let end = buf.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = buf[end - i]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    if (b >= 0xc0) end -= i; // a lead byte whose sequence is cut
    break;
  }
  return buf.subarray(0, end);
}

/**
 * One tar archive of these files, streamed (never held in memory): members `<JobID>/<name>` (or `<name>`).
 * Sizes are taken when the archive starts; a file that changes meanwhile ends the stream with an error.
 */
export function tarStream(members: { name: string; path: string }[]): Readable {
  async function* gen() {
    for (const m of members) {
      const size = fs.statSync(m.path).size;
      yield tarHeader(m.name, size);
      let sent = 0;
      if (size > 0)
        for await (const chunk of fs.createReadStream(m.path, { end: size - 1, highWaterMark: 256 * 1024 })) {
          sent += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
      if (sent !== size) throw problems.conflict(`${m.name} changed while it was being archived`);
      yield tarPadding(size);
    }
    yield tarEnd();
  }
  return Readable.from(gen());
}
