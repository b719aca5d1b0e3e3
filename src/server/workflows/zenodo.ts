/**
 * OSSR/Zenodo records (the ESCAPE software repository lives on Zenodo): what the portal reads of a record
 * (provenance, the descriptor file), and the live fetch. The live fetch asks only hosts of the allow-list
 * (config `zenodo.allowedHosts`, default zenodo.org), with the API's protocol, follows at most 3 redirects
 * (each checked again), and stops after `timeoutMs` or `maxBytes`: a record cannot make the BFF fetch
 * anything else, nor wait or read without bound.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Provenance } from '../../contracts/workflows/applications.ts';
import type { Config } from '../config.ts';
import { problems } from '../errors.ts';

/** Record id from `1234567`, a Zenodo DOI (`10.5281/zenodo.1234567`, also as a doi.org URL) or a record URL. */
export function recordIdOf(ref: string): string {
  const text = ref.trim();
  const m =
    /^(\d{1,12})$/.exec(text) ??
    /^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:)?10\.5281\/zenodo\.(\d{1,12})$/i.exec(text) ??
    /^https?:\/\/[^/]+\/(?:records|record|api\/records)\/(\d{1,12})\/?$/.exec(text);
  if (!m?.[1]) {
    throw problems.validation('Give a Zenodo record id, a Zenodo DOI (10.5281/zenodo.N) or a record URL', [
      { path: 'record', message: 'not a Zenodo record id, DOI or URL' },
    ]);
  }
  return m[1];
}

const FileSchema = z.looseObject({
  key: z.string().optional(),
  filename: z.string().optional(),
  checksum: z.string().optional(),
  size: z.number().optional(),
  links: z.looseObject({ self: z.string().optional(), content: z.string().optional(), download: z.string().optional() }).optional(),
});
const CreatorSchema = z.looseObject({
  name: z.string().optional(),
  person_or_org: z.looseObject({ name: z.string().optional() }).optional(),
});
const LicenseSchema = z.union([z.string(), z.looseObject({ id: z.string().optional(), title: z.unknown().optional() })]);

/** The parts of a Zenodo record (REST API / "Export → JSON") the import reads; anything else is ignored. */
export const ZenodoRecordSchema = z.looseObject({
  id: z.union([z.number(), z.string()]),
  doi: z.string().optional(),
  links: z.looseObject({ self_html: z.string().optional(), html: z.string().optional() }).optional(),
  metadata: z
    .looseObject({
      title: z.string().optional(),
      doi: z.string().optional(),
      version: z.string().optional(),
      license: LicenseSchema.optional(),
      creators: z.array(CreatorSchema).optional(),
    })
    .optional(),
  files: z.union([z.array(FileSchema), z.looseObject({ entries: z.record(z.string(), FileSchema).optional() })]).optional(),
});
export type ZenodoRecord = z.infer<typeof ZenodoRecordSchema>;

export function parseRecordJson(text: string): ZenodoRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw problems.validation('The record export is not valid JSON', [{ path: 'recordJson', message: (err as Error).message }]);
  }
  const parsed = ZenodoRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw problems.validation('This is not a Zenodo record export (JSON)', [
      { path: `recordJson.${i?.path.join('.') ?? ''}`, message: i?.message ?? 'invalid' },
    ]);
  }
  return parsed.data;
}

export interface RecordFile {
  name: string;
  checksum?: string;
  url?: string;
}

export function recordFiles(r: ZenodoRecord): RecordFile[] {
  const list = Array.isArray(r.files) ? r.files : Object.values(r.files?.entries ?? {});
  return list.flatMap((f) => {
    const name = f.key ?? f.filename;
    if (!name) return [];
    return [{ name, checksum: f.checksum, url: f.links?.content ?? f.links?.self ?? f.links?.download }];
  });
}

export function recordProvenance(r: ZenodoRecord, fileName?: string): Provenance {
  const m = r.metadata ?? {};
  const license = typeof m.license === 'string' ? m.license : m.license?.id;
  const creators = (m.creators ?? []).map((c) => c.name ?? c.person_or_org?.name).filter((n): n is string => !!n);
  const cut = (s: string | undefined, n: number) => (s === undefined ? undefined : s.slice(0, n));
  return {
    source: 'zenodo',
    recordId: String(r.id).slice(0, 64),
    doi: cut(r.doi ?? m.doi, 256),
    recordVersion: cut(m.version, 128),
    license: cut(license, 256),
    creators: creators.slice(0, 100).map((c) => c.slice(0, 256)),
    url: cut(r.links?.self_html ?? r.links?.html, 2048),
    fileName: cut(fileName, 256),
  };
}

/** The record's descriptor file: the one named, else the only `.json` file. */
export function pickDescriptorFile(r: ZenodoRecord, fileName?: string): RecordFile {
  const files = recordFiles(r);
  if (fileName) {
    const f = files.find((x) => x.name === fileName);
    if (!f)
      throw problems.validation(`The record has no file "${fileName}"`, [{ path: 'fileName', message: 'not one of the record files' }]);
    return f;
  }
  const json = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (json.length !== 1)
    throw problems.validation(
      json.length === 0
        ? 'The record has no .json file (a Boutiques descriptor)'
        : 'The record has several .json files: name the descriptor',
      [{ path: 'fileName', message: json.length === 0 ? 'no descriptor file' : `one of ${json.map((f) => f.name).join(', ')}` }],
    );
  return json[0]!;
}

/** Refuse a descriptor whose bytes do not match the record's checksum of that file (Zenodo gives `md5:<hex>`). */
export function checkChecksum(file: RecordFile, text: string): void {
  const m = /^(md5|sha256):([0-9a-f]+)$/i.exec(file.checksum ?? '');
  if (!m) return;
  const actual = crypto.createHash(m[1]!.toLowerCase()).update(Buffer.from(text, 'utf8')).digest('hex');
  if (actual !== m[2]!.toLowerCase())
    throw problems.validation(`The descriptor does not match the record's ${file.name} (${m[1]} checksum differs)`, [
      { path: 'descriptor', message: 'not the file the record holds' },
    ]);
}

type ZenodoConfig = Config['zenodo'];

/** Fetch one allowed URL as text: allow-listed host and the API's protocol, redirects checked, bounded in time and size. */
export async function fetchAllowed(url: string, cfg: ZenodoConfig, fetchImpl: typeof fetch = fetch): Promise<string> {
  const protocol = new URL(cfg.apiUrl).protocol;
  const signal = AbortSignal.timeout(cfg.timeoutMs);
  let current = url;
  try {
    for (let hop = 0; hop <= 3; hop++) {
      const u = new URL(current);
      if (u.protocol !== protocol || !cfg.allowedHosts.includes(u.host))
        throw problems.validation(`The import may not fetch from ${u.host} (allowed: ${cfg.allowedHosts.join(', ')})`);
      const res = await fetchImpl(u, { redirect: 'manual', signal, headers: { accept: 'application/json' } });
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        current = new URL(location, u).toString();
        continue;
      }
      if (res.status === 404) throw problems.notFound(`Zenodo has no ${u.pathname}`);
      if (!res.ok) throw problems.unprocessable(`Zenodo answered ${res.status} for ${u.pathname}`);
      const declared = Number(res.headers.get('content-length') ?? '0');
      if (declared > cfg.maxBytes) throw problems.unprocessable(`${u.pathname} is larger than ${cfg.maxBytes} bytes`);
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of res.body ?? []) {
        size += (chunk as Uint8Array).byteLength;
        if (size > cfg.maxBytes) {
          await res.body?.cancel().catch(() => {});
          throw problems.unprocessable(`${u.pathname} is larger than ${cfg.maxBytes} bytes`);
        }
        chunks.push(chunk as Uint8Array);
      }
      return Buffer.concat(chunks).toString('utf8');
    }
    throw problems.unprocessable('Too many redirects');
  } catch (err) {
    if ((err as Error).name === 'TimeoutError' || signal.aborted)
      throw problems.unprocessable(`Zenodo did not answer within ${cfg.timeoutMs} ms`);
    if (err instanceof TypeError)
      throw problems.unprocessable(`Zenodo cannot be reached (${(err.cause as Error | undefined)?.message ?? err.message})`);
    throw err;
  }
}

/** A record and its descriptor file, fetched live. */
export async function fetchRecord(
  ref: string,
  fileName: string | undefined,
  cfg: ZenodoConfig,
  fetchImpl?: typeof fetch,
): Promise<{ record: ZenodoRecord; file: RecordFile; descriptor: string }> {
  const id = recordIdOf(ref);
  const record = parseRecordJson(await fetchAllowed(`${cfg.apiUrl}/api/records/${id}`, cfg, fetchImpl));
  const file = pickDescriptorFile(record, fileName);
  const url = file.url ?? `${cfg.apiUrl}/api/records/${id}/files/${encodeURIComponent(file.name)}/content`;
  const descriptor = await fetchAllowed(url, cfg, fetchImpl);
  return { record, file, descriptor };
}
