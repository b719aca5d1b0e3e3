/**
 * A tiny stand-in for the BFF in component tests: replaces `globalThis.fetch` with a
 * router of handlers keyed by "METHOD /path" (with `:params`). Unmatched requests get a
 * 501 problem document and are recorded in `unhandled`. `resetBff()` (run after each
 * test by setup.ts) restores the real fetch.
 */
type MockRequest = {
  method: string;
  path: string;
  url: URL;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
};
type HandlerResult = Response | Promise<Response>;
/** A function of the request, a fixed Response (cloned per call), or a JSON body (200). */
type Handler = ((req: MockRequest) => HandlerResult) | Response | object | unknown[];

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  if (status === 204) return new Response(null, { status });
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** An RFC 9457 body as the BFF sends it (ApiErrorBodySchema). */
export function problem(
  status: number,
  code: string,
  message: string,
  extra: { requestId?: string; issues?: { path: string; message: string }[] } = {},
): Response {
  const body = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    code,
    message,
    requestId: extra.requestId ?? 'req-test-1',
    ...(extra.issues ? { issues: extra.issues } : {}),
  };
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } });
}

/** A response that never arrives (until the request is aborted): the loading state. */
export function never(): Promise<Response> {
  return new Promise(() => {});
}

/** A response you release later: `const d = deferred(); … d.resolve(json(x))`. */
export function deferred() {
  let resolve!: (r: Response) => void;
  const promise = new Promise<Response>((r) => {
    resolve = r;
  });
  return { promise, resolve, handler: () => promise };
}

type Route = { method: string; pattern: RegExp; keys: string[]; handler: Handler };

function compile(key: string, handler: Handler): Route {
  const [method, path] = key.trim().split(/\s+/, 2);
  if (!method || !path) throw new Error(`mockBff: route key must be "METHOD /path", got "${key}"`);
  const keys: string[] = [];
  const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_m, name: string) => {
    keys.push(name);
    return '([^/]+)';
  });
  return { method: method.toUpperCase(), pattern: new RegExp(`^${source}$`), keys, handler };
}

const realFetch = globalThis.fetch;
let active: BffMock | null = null;

export type BffMock = {
  /** Every request the SPA made, in order. */
  calls: MockRequest[];
  unhandled: MockRequest[];
  /** Add or override routes (later ones win). */
  use: (routes: Record<string, Handler>) => void;
  /** Requests for one "METHOD /path" pattern. */
  requests: (key: string) => MockRequest[];
};

export function mockBff(routes: Record<string, Handler> = {}): BffMock {
  let table: Route[] = Object.entries(routes).map(([k, h]) => compile(k, h));
  const mock: BffMock = {
    calls: [],
    unhandled: [],
    use(more) {
      table = [...Object.entries(more).map(([k, h]) => compile(k, h)), ...table];
    },
    requests(key) {
      const route = compile(key, null as unknown as Handler);
      return mock.calls.filter((c) => c.method === route.method && route.pattern.test(c.path));
    },
  };

  globalThis.fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost');
    const method = (init.method ?? 'GET').toUpperCase();
    let body: unknown = undefined;
    if (typeof init.body === 'string') {
      try {
        body = JSON.parse(init.body);
      } catch {
        body = init.body;
      }
    }
    const req: MockRequest = {
      method,
      path: url.pathname,
      url,
      params: {},
      query: url.searchParams,
      headers: new Headers(init.headers),
      body,
    };
    mock.calls.push(req);
    const signal = init.signal;
    if (signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');

    const route = table.find((r) => r.method === method && r.pattern.test(url.pathname));
    if (!route) {
      mock.unhandled.push(req);
      return problem(501, 'INTERNAL', `mockBff: no handler for ${method} ${url.pathname}`);
    }
    const match = route.pattern.exec(url.pathname);
    route.keys.forEach((k, i) => {
      req.params[k] = decodeURIComponent(match?.[i + 1] ?? '');
    });
    const result =
      typeof route.handler === 'function'
        ? (route.handler as (r: MockRequest) => HandlerResult)(req)
        : route.handler instanceof Response
          ? route.handler.clone()
          : json(route.handler);
    if (!signal) return result;
    return Promise.race([
      Promise.resolve(result),
      new Promise<Response>((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')), { once: true });
      }),
    ]);
  }) as typeof fetch;

  active = mock;
  return mock;
}

export function resetBff() {
  globalThis.fetch = realFetch;
  active = null;
}

export function currentBff(): BffMock | null {
  return active;
}
