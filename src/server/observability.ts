/**
 * Metrics and traces wired into the BFF (docs/operations.md#metrics-and-traces): one server span and one
 * latency observation per request, one client span and one observation per DiracX call (which carries the
 * span's `traceparent`), and `/metrics` on the main listener (token or development) or on its own port.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { CallObserver } from './diracx/client.ts';
import { problems, sendProblem } from './errors.ts';
import { createPortalMetrics, statusClass, type PortalMetrics } from './metrics/portal.ts';
import { EXPOSITION_CONTENT_TYPE } from './metrics/registry.ts';
import { formatTraceparent, parseTraceparent, SpanKind, Tracer, type Span, type SpanExporter } from './tracing/tracer.ts';

declare module 'fastify' {
  interface FastifyRequest {
    span?: Span;
  }
}

export interface Observability {
  metrics: PortalMetrics;
  tracer: Tracer;
  /** Give to each DiracX client: times the call, counts errors, adds `traceparent`. */
  diracxObserver: CallObserver;
  /** The bearer token `/metrics` asks for, or null. */
  metricsToken: string | null;
  /** Run background work (a scheduler pass, an accounting round) in a span of its own, its DiracX calls inside. */
  inSpan: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

export function createObservability(deps: {
  config: Config;
  db: Database;
  runningLaunches: () => number;
  exporter: SpanExporter | null;
}): Observability {
  const metrics = createPortalMetrics({ db: deps.db, runningLaunches: deps.runningLaunches });
  const tracer = new Tracer(deps.exporter);
  const { token, tokenFile } = deps.config.metrics;
  const metricsToken = token ?? (tokenFile ? fs.readFileSync(path.resolve(tokenFile), 'utf8').trim() : null);
  const diracxObserver: CallObserver = ({ instance, operation, method }) => {
    const span = tracer.startSpan(`DiracX ${operation}`, SpanKind.CLIENT);
    span.setAttribute('http.request.method', method).setAttribute('diracx.instance', instance).setAttribute('diracx.operation', operation);
    const t0 = performance.now();
    return {
      headers: { traceparent: formatTraceparent(span.context) },
      end(outcome) {
        let label: string;
        if ('status' in outcome) {
          label = statusClass(outcome.status);
          span.setAttribute('http.response.status_code', outcome.status);
          if (outcome.status >= 500) span.fail(`DiracX answered ${outcome.status}`);
        } else {
          label = 'unreachable';
          span.fail('DiracX unreachable');
        }
        metrics.diracx(instance, operation, label, (performance.now() - t0) / 1000);
        span.end();
      },
    };
  };
  const inSpan = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const span = tracer.startSpan(name, SpanKind.INTERNAL);
    try {
      return await tracer.run(span, fn);
    } catch (err) {
      span.fail((err as Error).message ?? String(err));
      throw err;
    } finally {
      span.end();
    }
  };
  return { metrics, tracer, diracxObserver, metricsToken, inSpan };
}

/**
 * The route label: the matched pattern for BFF routes; static files and the SPA's index collapse into two
 * labels (file names change with every build), and requests no route matched into one.
 */
export function routeLabel(request: FastifyRequest, status: number): string {
  const url = request.routeOptions.url;
  if (url === undefined) return status === 404 ? 'unmatched' : '/ (spa)';
  if (url.startsWith('/bff/') || url === '/metrics') return url;
  return url.startsWith('/assets/') ? '/assets/*' : '/ (static)';
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(a, b);
}

/** Hooks for every request (register before any route), and `/metrics` on this listener when allowed. */
export function instrumentApp(app: FastifyInstance, obs: Observability, config: Config) {
  app.addHook('onRequest', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const span = obs.tracer.startSpan(`${request.method} ${route}`, SpanKind.SERVER, parseTraceparent(request.headers.traceparent));
    span.setAttribute('http.request.method', request.method).setAttribute('http.route', route);
    request.span = span;
    // The request's log lines carry its trace id, to go from a log line to its trace and back.
    request.log = reply.log = request.log.child({ traceId: span.context.traceId });
    // Everything this request does (hooks, handler, DiracX calls) runs with its span as the current one.
    obs.tracer.run(span, done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    obs.metrics.request(request.method, routeLabel(request, status), status, reply.elapsedTime / 1000);
    request.span?.setAttribute('http.response.status_code', status);
    if (status >= 500) request.span?.fail(`answered ${status}`);
    request.span?.end();
    done();
  });
  app.addHook('onClose', async () => {
    await obs.tracer.exporter?.flush();
  });

  // Development listens on loopback only: /metrics is open there unless a token is set. Production serves
  // it on this listener (the one behind the ingress) only with a token; metrics.port is the other way.
  if (config.mode === 'production' && !obs.metricsToken) return;
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (obs.metricsToken && !tokenMatches(request.headers.authorization, obs.metricsToken))
      return sendProblem(reply, request, problems.unauthenticated('/metrics needs the metrics bearer token'));
    return reply
      .header('content-type', EXPOSITION_CONTENT_TYPE)
      .header('cache-control', 'no-store')
      .send(await obs.metrics.registry.render());
  });
}

/** `/metrics` alone on its own port (metrics.port): what a ServiceMonitor scrapes, never behind the ingress. */
export function startMetricsServer(obs: Observability, opts: { host: string; port: number }): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const pathOnly = (req.url ?? '/').split('?')[0];
    if (pathOnly !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (obs.metricsToken && !tokenMatches(req.headers.authorization, obs.metricsToken)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('unauthorized\n');
      return;
    }
    obs.metrics.registry.render().then(
      (text) =>
        res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? '' : text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve(server));
  });
}
