import type { z } from 'zod';
import { ApiErrorBodySchema, type ApiErrorCode } from '../../contracts/common.ts';

/** A failed call to the BFF, carrying its problem+json body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode | 'NETWORK';
  readonly requestId?: string;
  readonly issues?: { path: string; message: string }[];
  constructor(
    status: number,
    code: ApiErrorCode | 'NETWORK',
    message: string,
    extra: { requestId?: string; issues?: { path: string; message: string }[] } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.requestId = extra.requestId;
    this.issues = extra.issues;
  }
}

type TokenSource = {
  /** Current access token, or null when signed out. */
  getAccessToken: () => Promise<string | null>;
  /** Called once on a 401: refresh (returns true if a new token is available) or start sign-in. */
  onUnauthenticated: () => Promise<boolean>;
};

let tokens: TokenSource = { getAccessToken: async () => null, onUnauthenticated: async () => false };
export function configureApiAuth(source: TokenSource) {
  tokens = source;
}

type RequestOptions = { signal?: AbortSignal; headers?: Record<string, string>; auth?: boolean };

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  const parsed = ApiErrorBodySchema.safeParse(body);
  if (parsed.success) {
    return new ApiError(res.status, parsed.data.code, parsed.data.message, {
      requestId: parsed.data.requestId,
      issues: parsed.data.issues,
    });
  }
  const fallback =
    res.status === 502 || res.status === 503 || res.status === 504 ? 'UPSTREAM_UNREACHABLE' : res.status >= 500 ? 'INTERNAL' : 'VALIDATION';
  return new ApiError(res.status, fallback, `The portal answered ${res.status} ${res.statusText || ''}`.trim());
}

/** fetch with the bearer token (unless auth is false); a network failure becomes ApiError NETWORK. */
async function authedFetch(path: string, init: RequestInit & { headers: Record<string, string> }, auth: boolean): Promise<Response> {
  if (auth) {
    const token = await tokens.getAccessToken();
    if (token) init.headers.authorization = `Bearer ${token}`;
  }
  try {
    return await fetch(path, { ...init, credentials: 'omit' });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', 'The portal cannot be reached. Check your connection and try again.');
  }
}

/** The BFF's answer when it is 2xx (one retry after a refreshed sign-in on 401); otherwise an ApiError. */
async function fetchOk(method: string, path: string, body: unknown, opts: RequestOptions): Promise<Response> {
  const send = async () => {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return authedFetch(
      path,
      { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: opts.signal },
      opts.auth !== false,
    );
  };
  let res = await send();
  if (res.status === 401 && opts.auth !== false && (await tokens.onUnauthenticated())) res = await send();
  if (!res.ok) throw await toApiError(res);
  return res;
}

/** The parsed body and the HTTP status of a 2xx answer. */
async function requestWithStatus<S extends z.ZodType>(
  method: string,
  path: string,
  schema: S,
  body: unknown,
  opts: RequestOptions = {},
): Promise<{ data: z.output<S>; status: number }> {
  const res = await fetchOk(method, path, body, opts);
  const json: unknown = res.status === 204 ? null : await res.json();
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new ApiError(res.status, 'INTERNAL', `Unexpected response from ${path}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return { data: parsed.data, status: res.status };
}

async function request<S extends z.ZodType>(method: string, path: string, schema: S, body: unknown, opts?: RequestOptions) {
  return (await requestWithStatus(method, path, schema, body, opts)).data;
}

export const api = {
  get: <S extends z.ZodType>(path: string, schema: S, opts?: RequestOptions) => request('GET', path, schema, undefined, opts),
  post: <S extends z.ZodType>(path: string, body: unknown, schema: S, opts?: RequestOptions) => request('POST', path, schema, body, opts),
  /** A POST whose status matters, e.g. an idempotent create: 201/202 when it created, 200 when the key had been used. */
  postWithStatus: <S extends z.ZodType>(path: string, body: unknown, schema: S, opts?: RequestOptions) =>
    requestWithStatus('POST', path, schema, body, opts),
  patch: <S extends z.ZodType>(path: string, body: unknown, schema: S, opts?: RequestOptions) => request('PATCH', path, schema, body, opts),
  delete: <S extends z.ZodType>(path: string, schema: S, opts?: RequestOptions) => request('DELETE', path, schema, undefined, opts),
  /** A file the BFF sends (e.g. CSV): its bytes and the name from content-disposition. */
  download: async (path: string, opts?: RequestOptions): Promise<{ blob: Blob; filename: string | null }> => {
    const res = await fetchOk('GET', path, undefined, { ...opts, headers: { accept: '*/*', ...opts?.headers } });
    const m = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '');
    return { blob: await res.blob(), filename: m?.[1] ?? null };
  },
};

/** Do not retry client errors; retry network/5xx twice. */
export function shouldRetry(failureCount: number, error: unknown) {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}
