/**
 * The Rucio dataset source: a small client of Rucio's REST API (verified against rucio 41.5.1, see
 * scripts/rucio/API.md) with the BFF's own credential.
 *
 * - Auth: `GET /auth/userpass` with X-Rucio-Account/-Username/-Password; the token comes back in the
 *   `X-Rucio-Auth-Token` header (1 h). It is cached, renewed 5 minutes before it expires, and renewed
 *   once more when Rucio answers 401 (a server restart forgets tokens).
 * - Lists (`application/x-json-stream`) are NDJSON: one JSON value per line; an empty body is an empty list.
 * - A DID becomes a basket item with what Rucio says about it (`rucioDidToItem`).
 * - Failures become problems: Rucio unreachable → 503 CATALOGUE_UNREACHABLE; the portal's credential
 *   refused → 502 CATALOGUE (an operator must fix the configuration); an unknown DID → 404.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { DATA_LEVELS, RUCIO_NAME_PATTERN, RUCIO_SCOPE_PATTERN, type DataLevel } from '../../contracts/datasets.ts';
import {
  RUCIO_MAX_FILES,
  RUCIO_META_KEYS,
  RucioDidParamSchema,
  type RucioDidInfo,
  type RucioDidPage,
  type RucioFile,
  type RucioFileList,
  type RucioSearchQuery,
} from '../../contracts/rucio.ts';
import { HttpProblem, problems } from '../errors.ts';
import type { NewBasketItem } from './basket-repo.ts';
import type { DatasetSourcesConfig } from './sources-config.ts';

export interface RucioSourceConfig {
  url: string;
  label: string;
  account: string;
  username: string;
  /** File holding the password (first line; trailing whitespace ignored). */
  passwordFile: string;
  timeoutMs: number;
}

/** A DID with its metadata (what the basket stores). */
export interface RucioDidDetails extends RucioDidInfo {
  adler32: string | null;
  meta: Record<string, string | number | null>;
}

export interface RucioClient {
  readonly label: string;
  search(query: RucioSearchQuery): Promise<RucioDidPage>;
  /** One DID with its metadata; null when Rucio does not know it. */
  did(scope: string, name: string): Promise<RucioDidDetails | null>;
  /** The files of a DID (containers recursively) with their replicas; 404 when the DID is unknown. */
  files(scope: string, name: string): Promise<RucioFileList>;
  /**
   * One `POST /replicas/list` for these DIDs (files, datasets or containers: Rucio answers per file),
   * read as a stream and cut after `limit` files (`truncated`). Unknown DIDs yield nothing.
   */
  listReplicas(dids: readonly { scope: string; name: string }[], limit: number): Promise<{ files: RucioReplicaFile[]; truncated: boolean }>;
}

/** A file with the RSEs holding an available replica, and each RSE's `rse_type` as Rucio reports it. */
export interface RucioReplicaFile {
  scope: string;
  name: string;
  bytes: number | null;
  rses: { rse: string; type: 'DISK' | 'TAPE' | null }[];
}

/** Split an NDJSON body into values (blank lines ignored). */
export function parseNdjson(body: string): unknown[] {
  const out: unknown[] = [];
  for (const line of body.split('\n')) {
    const t = line.trim();
    if (t) out.push(JSON.parse(t));
  }
  return out;
}

const didLongSchema = z.object({
  scope: z.string(),
  name: z.string(),
  did_type: z.enum(['CONTAINER', 'DATASET', 'FILE']),
  bytes: z.number().int().nullable().optional(),
  length: z.number().int().nullable().optional(),
});
const didSchema = z.object({
  scope: z.string(),
  name: z.string(),
  type: z.enum(['CONTAINER', 'DATASET', 'FILE']),
  bytes: z.number().int().nullable().optional(),
  length: z.number().int().nullable().optional(),
  adler32: z.string().nullable().optional(),
});
const fileSchema = z.object({
  scope: z.string(),
  name: z.string(),
  bytes: z.number().int().nullable().optional(),
  adler32: z.string().nullable().optional(),
  events: z.number().int().nullable().optional(),
});
const replicaSchema = z.object({
  scope: z.string(),
  name: z.string(),
  rses: z.record(z.string(), z.array(z.string())).default({}),
  states: z.record(z.string(), z.string()).default({}),
});
const replicaLineSchema = z.object({
  scope: z.string(),
  name: z.string(),
  bytes: z.number().int().nullable().optional(),
  pfns: z.record(z.string(), z.object({ rse: z.string(), type: z.string().optional() })).default({}),
  rses: z.record(z.string(), z.array(z.string())).default({}),
});
const errorSchema = z.object({ ExceptionClass: z.string().optional(), ExceptionMessage: z.string().optional() });

const META_KEYS_KEPT = [
  'project',
  'datatype',
  'run_number',
  'stream_name',
  'prod_step',
  'version',
  'campaign',
  'events',
  'guid',
  'md5',
] as const;

function unreachable(label: string, cause: unknown): HttpProblem {
  return new HttpProblem(
    503,
    'CATALOGUE_UNREACHABLE',
    `${label} is not reachable right now; try again in a moment, or search the portal catalogue.`,
    {
      detail: (cause as Error).message,
      cause,
    },
  );
}

async function rucioError(res: Response): Promise<{ cls: string; message: string }> {
  const text = await res.text().catch(() => '');
  let body: z.infer<typeof errorSchema> = {};
  try {
    body = errorSchema.parse(JSON.parse(text));
  } catch {
    /* not JSON: fall back to the headers */
  }
  return {
    cls: body.ExceptionClass ?? res.headers.get('ExceptionClass') ?? `HTTP ${res.status}`,
    message: body.ExceptionMessage ?? res.headers.get('ExceptionMessage') ?? (text.slice(0, 200) || res.statusText),
  };
}

/** A scope as a URL path segment; refuses what could change the route (the contracts refuse it first). */
function scopeSegment(scope: string): string {
  if (!RUCIO_SCOPE_PATTERN.test(scope)) throw problems.validation(`"${scope.slice(0, 30)}" is not a Rucio scope`);
  return encodeURIComponent(scope);
}
export function didPath(scope: string, name: string): string {
  if (!RUCIO_NAME_PATTERN.test(name)) throw problems.validation('Not a Rucio DID name');
  return `/dids/${scopeSegment(scope)}/${encodeURIComponent(name)}`;
}

/** An authenticated Rucio session (token cached and renewed); the dataset source and the local sites use it. */
export interface RucioSession {
  /**
   * An authenticated call; a 401 renews the token once. Non-2xx answers become problems, except 404 (→ null)
   * and the statuses in `accept` (returned as they are, e.g. 409 for "already exists").
   */
  authed(path: string, init?: RequestInit, accept?: readonly number[]): Promise<Response | null>;
}

export function createRucioSession(cfg: RucioSourceConfig, fetchImpl: typeof fetch = fetch): RucioSession {
  let token: { value: string; renewAt: number } | null = null;
  let pendingToken: Promise<string> | null = null;

  async function call(path: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await fetchImpl(`${cfg.url}${path}`, { ...init, signal: AbortSignal.timeout(cfg.timeoutMs) });
    } catch (err) {
      throw unreachable(cfg.label, err);
    }
  }

  async function newToken(): Promise<string> {
    let password: string;
    try {
      password = fs.readFileSync(cfg.passwordFile, 'utf8').split('\n')[0]!.trimEnd();
    } catch (err) {
      throw new HttpProblem(
        502,
        'CATALOGUE',
        `${cfg.label} cannot be searched: the portal's Rucio password file cannot be read. An administrator must fix the portal configuration.`,
        {
          detail: (err as Error).message,
          cause: err,
        },
      );
    }
    const res = await call('/auth/userpass', {
      headers: { 'X-Rucio-Account': cfg.account, 'X-Rucio-Username': cfg.username, 'X-Rucio-Password': password },
    });
    const value = res.headers.get('x-rucio-auth-token');
    if (!res.ok || !value) {
      const e = await rucioError(res);
      throw new HttpProblem(
        502,
        'CATALOGUE',
        `${cfg.label} refused the portal's credential (account "${cfg.account}", user "${cfg.username}"): ${e.cls}: ${e.message}. An administrator must fix the portal configuration.`,
        {
          upstreamStatus: res.status,
        },
      );
    }
    await res.body?.cancel();
    const expires = Date.parse(res.headers.get('x-rucio-auth-token-expires') ?? '');
    const lifetime = Number.isFinite(expires) ? expires - Date.now() : 3_600_000;
    token = { value, renewAt: Date.now() + Math.max(lifetime - 300_000, lifetime / 2) };
    return value;
  }

  function currentToken(): Promise<string> {
    if (token && Date.now() < token.renewAt) return Promise.resolve(token.value);
    pendingToken ??= newToken().finally(() => (pendingToken = null));
    return pendingToken;
  }

  async function authed(path: string, init: RequestInit = {}, accept: readonly number[] = []): Promise<Response | null> {
    for (let attempt = 0; ; attempt++) {
      const value = await currentToken();
      const res = await call(path, { ...init, headers: { ...(init.headers as Record<string, string>), 'X-Rucio-Auth-Token': value } });
      if (res.status === 401 && attempt === 0) {
        await res.body?.cancel();
        if (token?.value === value) token = null;
        continue;
      }
      if (res.ok || accept.includes(res.status)) return res;
      const e = await rucioError(res);
      if (res.status === 404) return null;
      if (res.status >= 500)
        throw new HttpProblem(502, 'CATALOGUE', `${cfg.label} failed: ${e.cls}: ${e.message}`, { upstreamStatus: res.status });
      throw new HttpProblem(res.status === 401 || res.status === 403 ? 502 : 400, 'CATALOGUE', `${cfg.label}: ${e.cls}: ${e.message}`, {
        upstreamStatus: res.status,
      });
    }
  }

  return { authed };
}

export function createRucioClient(cfg: RucioSourceConfig, fetchImpl: typeof fetch = fetch): RucioClient {
  const { authed } = createRucioSession(cfg, fetchImpl);

  async function ndjson(res: Response): Promise<unknown[]> {
    const text = await res.text();
    try {
      return parseNdjson(text);
    } catch (err) {
      throw new HttpProblem(502, 'CATALOGUE', `${cfg.label} sent an answer the portal cannot read`, {
        detail: (err as Error).message,
        cause: err,
      });
    }
  }

  function parseEach<T>(schema: z.ZodType<T>, values: unknown[]): T[] {
    return values.map((v) => {
      const r = schema.safeParse(v);
      if (!r.success)
        throw new HttpProblem(502, 'CATALOGUE', `${cfg.label} sent an answer the portal cannot read`, { detail: r.error.message });
      return r.data;
    });
  }

  /** NDJSON values of a streamed body, stopping (and cancelling the body) after `limit` values. */
  async function ndjsonStream(res: Response, limit: number): Promise<{ values: unknown[]; truncated: boolean }> {
    const values: unknown[] = [];
    if (!res.body) return { values, truncated: false };
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let rest = '';
    const take = (line: string): boolean => {
      const t = line.trim();
      if (!t) return true;
      if (values.length >= limit) return false;
      try {
        values.push(JSON.parse(t));
      } catch (err) {
        throw new HttpProblem(502, 'CATALOGUE', `${cfg.label} sent an answer the portal cannot read`, {
          detail: (err as Error).message,
          cause: err,
        });
      }
      return true;
    };
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const lines = (rest + value).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) if (!take(line)) return { values, truncated: true };
        // A single line longer than 1 MiB is not a replica record.
        if (rest.length > 1_048_576) throw new HttpProblem(502, 'CATALOGUE', `${cfg.label} sent an answer the portal cannot read`);
      }
      return { values, truncated: !take(rest) };
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }

  return {
    label: cfg.label,

    async listReplicas(dids, limit) {
      for (const d of dids) didPath(d.scope, d.name);
      if (dids.length === 0 || limit <= 0) return { files: [], truncated: dids.length > 0 };
      const res = await authed('/replicas/list', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dids: dids.map((d) => ({ scope: d.scope, name: d.name })), all_states: false }),
      });
      if (!res) return { files: [], truncated: false };
      const { values, truncated } = await ndjsonStream(res, limit);
      const files = parseEach(replicaLineSchema, values).map((r): RucioReplicaFile => {
        const types = new Map<string, string | undefined>();
        for (const p of Object.values(r.pfns)) types.set(p.rse, p.type);
        return {
          scope: r.scope,
          name: r.name,
          bytes: r.bytes ?? null,
          rses: Object.keys(r.rses).map((rse) => {
            const t = types.get(rse);
            return { rse, type: t === 'DISK' || t === 'TAPE' ? t : null };
          }),
        };
      });
      return { files, truncated };
    },

    async search(q) {
      const params = new URLSearchParams({ type: q.type, name: q.name, long: '1', limit: String(q.page * q.perPage + 1) });
      for (const key of RUCIO_META_KEYS) {
        const v = q[key];
        if (v) params.set(key, v);
      }
      const res = await authed(`/dids/${scopeSegment(q.scope)}/dids/search?${params}`);
      // Unknown scope: Rucio answers 404 ScopeNotFound; show it as no match.
      const all = res ? parseEach(didLongSchema, await ndjson(res)) : [];
      const start = (q.page - 1) * q.perPage;
      const items = all.slice(start, start + q.perPage).map((d) => ({
        scope: d.scope,
        name: d.name,
        did: `${d.scope}:${d.name}`,
        type: d.did_type,
        bytes: d.bytes ?? null,
        length: d.did_type === 'FILE' ? 1 : (d.length ?? null),
      }));
      return { items, page: q.page, perPage: q.perPage, hasMore: all.length > start + q.perPage };
    },

    async did(scope, name) {
      const res = await authed(didPath(scope, name));
      if (!res) return null;
      const d = didSchema.parse(await res.json());
      const metaRes = await authed(`${didPath(scope, name)}/meta`);
      const raw = metaRes ? z.record(z.string(), z.unknown()).parse(await metaRes.json()) : {};
      const meta: Record<string, string | number | null> = {};
      for (const key of META_KEYS_KEPT) {
        const v = raw[key];
        if (typeof v === 'string' || typeof v === 'number') meta[key] = v;
      }
      return {
        scope: d.scope,
        name: d.name,
        did: `${d.scope}:${d.name}`,
        type: d.type,
        bytes: d.bytes ?? null,
        length: d.type === 'FILE' ? 1 : (d.length ?? null),
        adler32: d.adler32 ?? null,
        meta,
      };
    },

    async files(scope, name) {
      const did = `${scope}:${name}`;
      const head = await authed(didPath(scope, name));
      if (!head) throw problems.notFound(`${cfg.label} does not know ${did}`);
      await head.body?.cancel();
      const listRes = await authed(`${didPath(scope, name)}/files`);
      const listed = listRes ? parseEach(fileSchema, await ndjson(listRes)) : [];
      const truncated = listed.length > RUCIO_MAX_FILES;
      const files = listed.slice(0, RUCIO_MAX_FILES);
      const repRes = await authed('/replicas/list', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dids: [{ scope, name }], all_states: false }),
      });
      const replicas = new Map<string, z.infer<typeof replicaSchema>>();
      for (const r of repRes ? parseEach(replicaSchema, await ndjson(repRes)) : []) replicas.set(`${r.scope}:${r.name}`, r);
      let totalBytes = 0;
      const out: RucioFile[] = files.map((f) => {
        const key = `${f.scope}:${f.name}`;
        const r = replicas.get(key);
        totalBytes += f.bytes ?? 0;
        return {
          scope: f.scope,
          name: f.name,
          did: key,
          bytes: f.bytes ?? null,
          adler32: f.adler32 ?? null,
          events: f.events ?? null,
          replicas: r ? Object.entries(r.rses).map(([rse, pfns]) => ({ rse, state: r.states[rse] ?? 'UNKNOWN', pfns })) : [],
        };
      });
      return { did, files: out, totalBytes, truncated };
    },
  };
}

/** `scope:name` split in two, or null when it is not a valid DID. */
export function splitDid(did: string): { scope: string; name: string } | null {
  const i = did.indexOf(':');
  return RucioDidParamSchema.safeParse({ did }).success ? { scope: did.slice(0, i), name: did.slice(i + 1) } : null;
}

const dataLevelOf = (datatype: unknown): DataLevel | null => {
  const up = typeof datatype === 'string' ? datatype.toUpperCase() : '';
  return (DATA_LEVELS as readonly string[]).includes(up) ? (up as DataLevel) : null;
};

/** A Rucio DID as a basket item: kind `rucio`, ref `scope:name`, with what Rucio says about it. */
export function rucioDidToItem(d: RucioDidDetails): NewBasketItem {
  const project = d.meta.project;
  return {
    kind: 'rucio',
    ref: d.did,
    name: d.name,
    sizeBytes: d.bytes,
    dataLevel: dataLevelOf(d.meta.datatype),
    projectId: typeof project === 'string' ? project : null,
    source: 'rucio',
    meta: { ...d.meta, scope: d.scope, didType: d.type, files: d.length, adler32: d.adler32 },
  };
}

/** The configured Rucio source's connection settings, or null. */
export function rucioSourceConfig(sources: DatasetSourcesConfig): RucioSourceConfig | null {
  const cfg = sources.find((s) => s.type === 'rucio');
  return cfg
    ? {
        url: cfg.url,
        label: cfg.label,
        account: cfg.account,
        username: cfg.auth.username,
        passwordFile: cfg.auth.passwordFile,
        timeoutMs: cfg.timeoutMs,
      }
    : null;
}

const clients = new WeakMap<DatasetSourcesConfig, RucioClient | null>();

/** The one Rucio client of a configuration (one token cache shared by the dataset and resource routes), or null. */
export function rucioFromConfig(sources: DatasetSourcesConfig): RucioClient | null {
  if (clients.has(sources)) return clients.get(sources) ?? null;
  const cfg = rucioSourceConfig(sources);
  const client = cfg ? createRucioClient(cfg) : null;
  clients.set(sources, client);
  return client;
}
