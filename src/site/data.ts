/**
 * Job data in Rucio, as DIRAC's JobWrapper does it with a Rucio file catalogue: InputData LFNs resolved to a
 * local replica and copied into the working directory under their base names; OutputData files put on a storage
 * element (a posix RSE on this machine) and registered with checksums, attached to the production's dataset.
 * The demo DL0 files (scripts/rucio/rucio.mjs) are registered through `putAndRegister` too: one write path.
 *
 * Naming (DIRAC with Rucio, as Belle II runs it): a DID's name is the LFN itself; the scope of a user LFN
 * `/<vo>/user/<u>/<user>/…` is `user.<user>`, of any other LFN its first path segment (`/cta/prod/…` → `cta`).
 * Rucio 41's generic schema accepts `/` in names (`^[/A-Za-z0-9][/A-Za-z0-9.\-_]*$`, ≤ 250 characters).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { didOfLfn } from '../contracts/outputs.ts';
import { createRucioSession, didPath, type RucioSession } from '../server/datasets/rucio.ts';
import { HttpProblem } from '../server/errors.ts';
import { localPathOf } from '../server/productions/outputs.ts';

export interface SiteRucioConfig {
  url: string;
  account: string;
  username: string;
  passwordFile: string;
  /** The RSE OutputData goes to when the JDL names no OutputSE. */
  rse: string;
}

export function rucioSessionFor(cfg: SiteRucioConfig): RucioSession {
  return createRucioSession({ ...cfg, label: 'Rucio', timeoutMs: 30_000 });
}

/** Rucio's adler32 (8 lowercase hex digits). */
export function adler32(buf: Uint8Array): string {
  let a = 1;
  let b = 0;
  const NMAX = 5552; // largest n such that the sums fit before the modulo (zlib)
  for (let i = 0; i < buf.length;) {
    const end = Math.min(buf.length, i + NMAX);
    for (; i < end; i++) {
      a += buf[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b * 65536 + a) >>> 0).toString(16).padStart(8, '0');
}

/** A data step that failed; `catalogue`: Rucio refused or failed (DIRAC's "Failed to register"), else storage. */
export class DataError extends Error {
  readonly stage: 'storage' | 'catalogue';
  constructor(message: string, stage: 'storage' | 'catalogue' = 'storage') {
    super(message);
    this.stage = stage;
  }
}

const fileDidSchema = z.object({ adler32: z.string().nullable().optional(), bytes: z.number().nullable().optional() });
const replicaSchema = z.object({
  name: z.string(),
  pfns: z.record(z.string(), z.object({ rse: z.string(), type: z.string().optional() })).default({}),
});

async function json(res: Response | null): Promise<unknown> {
  return res ? res.json() : null;
}

const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** The deterministic PFN an RSE gives this DID (Rucio's lfn2pfn: the same answer for the writer and every reader). */
export async function pfnFor(rucio: RucioSession, rse: string, scope: string, name: string): Promise<string> {
  const q = new URLSearchParams({ lfn: `${scope}:${name}`, scheme: 'file', operation: 'write' });
  const res = await rucio.authed(`/rses/${encodeURIComponent(rse)}/lfns2pfns?${q}`);
  const pfns = z.record(z.string(), z.string()).parse(await json(res));
  const pfn = pfns[`${scope}:${name}`];
  if (!pfn) throw new DataError(`${rse} gives no file:// path for ${scope}:${name}`);
  return pfn;
}

/** The user's Rucio account and `user.<user>` scope, made when missing (409: already there). */
export async function ensureUserScope(rucio: RucioSession, user: string): Promise<void> {
  await rucio.authed(`/accounts/${encodeURIComponent(user)}`, post({ type: 'USER', email: `${user}@escape.invalid` }), [409]);
  await rucio.authed(`/scopes/${encodeURIComponent(user)}/${encodeURIComponent(`user.${user}`)}`, post({}), [409]);
}

export async function ensureDataset(rucio: RucioSession, scope: string, name: string, meta: Record<string, string> = {}): Promise<void> {
  await rucio.authed(didPath(scope, name), post({ type: 'DATASET', meta }), [409]);
}

export interface RegisteredFile {
  scope: string;
  name: string;
  rse: string;
  pfn: string;
  bytes: number;
  adler32: string;
  md5: string;
  /** It was registered before (a retried job): nothing was written. */
  already: boolean;
}

/**
 * Put a file on a posix RSE at the PFN Rucio gives it and register the replica (bytes, adler32, md5), then
 * attach it to `dataset`. Idempotent: a DID already registered with the same adler32 is only (re)attached; with
 * another checksum it is refused (a file is never registered twice, nor silently replaced).
 */
export async function putAndRegister(
  rucio: RucioSession,
  o: {
    rse: string;
    scope: string;
    name: string;
    file: string;
    dataset?: { scope: string; name: string } | undefined;
    meta?: Record<string, string>;
  },
): Promise<RegisteredFile> {
  const content = fs.readFileSync(o.file);
  const sum = { bytes: content.length, adler32: adler32(content), md5: crypto.createHash('md5').update(content).digest('hex') };
  const existing = fileDidSchema.nullable().parse(await json(await rucio.authed(didPath(o.scope, o.name))));
  const pfn = await pfnFor(rucio, o.rse, o.scope, o.name);
  if (existing && existing.adler32 !== sum.adler32)
    throw new DataError(
      `${o.scope}:${o.name} is already registered with another checksum (adler32 ${existing.adler32 ?? 'none'})`,
      'catalogue',
    );
  if (!existing) {
    const target = localPathOf(pfn);
    if (!target) throw new DataError(`${o.rse} is not a storage element on this host (${pfn.split(':')[0]})`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.part-${process.pid}`;
    fs.writeFileSync(tmp, content, { mode: 0o644 });
    fs.renameSync(tmp, target);
    await rucio.authed(
      '/replicas',
      post({ rse: o.rse, files: [{ scope: o.scope, name: o.name, ...sum, ...(o.meta ? { meta: o.meta } : {}) }] }),
      [409],
    );
  }
  if (o.dataset)
    await rucio.authed(`${didPath(o.dataset.scope, o.dataset.name)}/dids`, post({ dids: [{ scope: o.scope, name: o.name }] }), [409]);
  return { scope: o.scope, name: o.name, rse: o.rse, pfn, ...sum, already: existing !== null };
}

/**
 * A Rucio call that failed on Rucio's side (unreachable, 502 or 503) gets two more tries a moment later, so a passing hiccup does
 * not fail a job; a Rucio that stays down still does. Only for calls that are safe to repeat (reads, and the
 * registrations, which find what a first try did).
 */
export async function retryRucio<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const status = err instanceof HttpProblem ? err.status : 0;
      if (attempt >= 3 || (status !== 502 && status !== 503)) throw err;
      await new Promise((r) => setTimeout(r, attempt * 1000));
    }
  }
}

/**
 * InputData resolution: each LFN to a replica on a storage element of this host (`list_replicas`, scheme
 * `file`), copied into `dir` under its base name, where the payload reads it. Throws
 * DataError naming the first LFN without one.
 */
export async function resolveInputData(rucio: RucioSession, lfns: readonly string[], dir: string): Promise<string[]> {
  const placed: string[] = [];
  for (const lfn of lfns) {
    const did = didOfLfn(lfn);
    const res = await retryRucio(() => rucio.authed('/replicas/list', post({ dids: [did], schemes: ['file'], all_states: false })));
    const text = res ? await res.text() : '';
    const line = text.split('\n').find((l) => l.trim());
    const replica = line ? replicaSchema.parse(JSON.parse(line)) : null;
    const here = Object.entries(replica?.pfns ?? {}).flatMap(([pfn, { rse, type }]) => {
      const file = localPathOf(pfn);
      return file !== null && fs.existsSync(file) ? [{ file, rse, tape: type === 'TAPE' }] : [];
    });
    // A tape replica is not read by jobs: it must be staged to disk first (stage first, or a Rucio rule), as in DIRAC.
    const local = here.find((r) => !r.tape)?.file;
    if (!local) {
      const tapes = here.filter((r) => r.tape).map((r) => r.rse);
      throw new DataError(
        tapes.length > 0
          ? `${lfn}: only on tape here (${tapes.join(', ')}); stage it to disk first`
          : `${lfn}: no replica on a storage element of this site`,
      );
    }
    const target = path.join(dir, path.basename(lfn));
    fs.rmSync(target, { force: true });
    // A copy, not a hard link: the job directory is given to the payload user, the replica must stay the store's.
    fs.copyFileSync(local, target, fs.constants.COPYFILE_FICLONE);
    placed.push(path.basename(lfn));
  }
  return placed;
}
