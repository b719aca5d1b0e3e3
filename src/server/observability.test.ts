/**
 * Metrics and traces end to end inside one process: the BFF's real DiracX client talks to a small HTTP
 * double of DiracX (recording the headers it gets), and spans go to a local OTLP/HTTP collector.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from './config.ts';
import { createDiracxClient } from './diracx/client.ts';
import Fastify, { type FastifyRequest } from 'fastify';
import { Counter } from './metrics/registry.ts';
import { createObservability, instrumentApp, routeLabel, startMetricsServer } from './observability.ts';
import { demoPrincipal, TEST_INSTANCE } from './testing/principal.ts';
import { unitApp } from './testing/unit-app.ts';
import { otlpHttpExporter, parseTraceparent } from './tracing/tracer.ts';

interface Recorded {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

async function listen(handler: (rec: Recorded, res: http.ServerResponse) => void) {
  const seen: Recorded[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const rec = { path: req.url ?? '', headers: req.headers, body };
      seen.push(rec);
      handler(rec, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(r)) };
}

// DiracX double: searches answer one page of nothing; the summary fails as an overloaded DiracX would.
const diracx = await listen((rec, res) => {
  if (rec.path.startsWith('/api/jobs/search'))
    res.writeHead(200, { 'content-type': 'application/json', 'content-range': 'jobs */0' }).end('[]');
  else res.writeHead(503, { 'content-type': 'application/json' }).end('{"detail":"busy"}');
});
const collector = await listen((_rec, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
const exporter = otlpHttpExporter({ url: `${collector.url}/v1/traces`, serviceName: 'portal-test', intervalMs: 60_000 });

const METRICS_TOKEN = 'metrics-token-0123456789';
const alice = demoPrincipal('scientist', { ...TEST_INSTANCE, url: diracx.url });
const setup = await unitApp({
  instances: [{ ...TEST_INSTANCE, url: diracx.url }],
  verifyToken: async (token) => {
    if (token !== 'alice-token') throw new Error('unexpected token');
    return { ...alice, token: 'header.eyJzdWIiOiJlc2NhcGU6YWxpY2UifQ.sig' };
  },
  config: { metrics: { token: METRICS_TOKEN } },
  build: { diracx: undefined, spanExporter: exporter },
});
const { app } = setup;
const auth = { authorization: 'Bearer alice-token' };
const scrape = async () => {
  const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.body;
};
/** The value of one sample line, 0 when the series does not exist yet. */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
};

/** Every span the collector received. */
const exported = () =>
  collector.seen
    .filter((r) => r.path === '/v1/traces')
    .flatMap(
      (r) =>
        (JSON.parse(r.body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> }).resourceSpans[0]!
          .scopeSpans[0]!.spans,
    );

beforeAll(() => app.ready());
afterAll(async () => {
  await setup.close();
  await diracx.close();
  await collector.close();
});

describe('/metrics', () => {
  it('accepts every route label the BFF gives, the SPA and static files included', async () => {
    // The SPA's labels were refused (their parentheses), so page loads were not counted and each logged an error.
    const counter = new Counter('portal_test_total', 'test', ['route']);
    for (const url of [undefined, '/favicon.svg', '/assets/index-abc.js', '/bff/v1/jobs/:jobId'])
      counter.inc({ route: routeLabel({ routeOptions: { url } } as FastifyRequest, 200) });
    expect((await counter.render()).slice(2)).toEqual([
      'portal_test_total{route="/ (spa)"} 1',
      'portal_test_total{route="/ (static)"} 1',
      'portal_test_total{route="/assets/*"} 1',
      'portal_test_total{route="/bff/v1/jobs/:jobId"} 1',
    ]);
  });

  it('is refused without the bearer token, and counts requests per route pattern and status class', async () => {
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    const before = await scrape();
    const series = 'portal_http_requests_total{method="GET",route="/bff/v1/jobs/:jobId",status_class="4xx"}';
    for (const id of [101, 202])
      expect((await app.inject({ method: 'GET', url: `/bff/v1/jobs/${id}`, headers: auth })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/bff/v1/jobs', headers: auth })).statusCode).toBe(200);
    const after = await scrape();
    expect(sample(after, series) - sample(before, series)).toBe(2);
    expect(sample(after, 'portal_http_requests_total{method="GET",route="/bff/v1/jobs",status_class="2xx"}')).toBeGreaterThan(0);
    expect(
      sample(after, 'portal_http_request_duration_seconds_count{method="GET",route="/bff/v1/jobs/:jobId",status_class="4xx"}') -
        sample(before, 'portal_http_request_duration_seconds_count{method="GET",route="/bff/v1/jobs/:jobId",status_class="4xx"}'),
    ).toBe(2);
    // Labels carry patterns, never the URL's ids, the user or the token.
    expect(after).not.toMatch(/\b101\b|\b202\b|alice|Bearer/);
  });

  it('times DiracX calls per operation and counts their errors, and reports the database-backed gauges', async () => {
    const before = await scrape();
    expect((await app.inject({ method: 'GET', url: '/bff/v1/jobs/summary', headers: auth })).statusCode).toBe(502);
    const after = await scrape();
    const errors = 'portal_diracx_errors_total{instance="local",operation="summary",outcome="5xx"}';
    expect(sample(after, errors) - sample(before, errors)).toBe(1);
    expect(
      sample(after, 'portal_diracx_request_duration_seconds_count{instance="local",operation="search",outcome="2xx"}'),
    ).toBeGreaterThan(0);
    expect(after).toContain('portal_launch_queue_depth 0');
    expect(sample(after, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(1_000_000);
    expect(sample(after, 'process_resident_memory_bytes')).toBeGreaterThan(sample(after, 'nodejs_heap_size_used_bytes'));
    expect(after).toContain('portal_scheduler_lag_seconds 0');
    expect(after).toContain('# TYPE portal_accounting_watermark_age_seconds gauge');
  });

  it('has a gauge for the accounting watermark age per instance', async () => {
    const second = new Date(Date.now() - 3_600_000).toISOString().slice(0, 19);
    await setup.db.exec('INSERT INTO accounting_watermarks (instance_id, second, jobs_seen, updated_at) VALUES ($1, $2, 0, $3)', [
      'local',
      second,
      new Date().toISOString(),
    ]);
    const age = sample(await scrape(), 'portal_accounting_watermark_age_seconds{instance="local"}');
    expect(age).toBeGreaterThanOrEqual(3600);
    expect(age).toBeLessThan(3600 + 600);
  });

  it('is not served on the main listener in production without a token, and alone on metrics.port', async () => {
    const dev = parseConfig({ instances: [TEST_INSTANCE], metrics: { port: 9464 } });
    expect(dev.metrics).toEqual({ port: 9464 });
    const bare = Fastify();
    instrumentApp(
      bare,
      createObservability({ config: { ...dev, mode: 'production' }, db: setup.db, runningLaunches: () => 0, exporter: null }),
      {
        ...dev,
        mode: 'production',
      },
    );
    expect((await bare.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    await bare.close();
    const server = await startMetricsServer(app.observability, { host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      const ok = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('# TYPE portal_http_requests_total counter');
      expect((await fetch(`${base}/bff/livez`)).status).toBe(404);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('traces', () => {
  it('sends traceparent on every DiracX call and exports the request and DiracX spans as parent and child', async () => {
    const incoming = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const from = diracx.seen.length;
    expect((await app.inject({ method: 'GET', url: '/bff/v1/jobs', headers: { ...auth, traceparent: incoming } })).statusCode).toBe(200);
    const calls = diracx.seen.slice(from);
    expect(calls.length).toBeGreaterThan(0);
    const sent = calls.map((c) => parseTraceparent(c.headers.traceparent));
    for (const ctx of sent) expect(ctx).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', sampled: true });

    await exporter.flush();
    const spans = exported().filter((s) => s.traceId === '0af7651916cd43dd8448eb211c80319c');
    const server = spans.find((s) => s.kind === 2);
    expect(server).toMatchObject({ name: 'GET /bff/v1/jobs', parentSpanId: 'b7ad6b7169203331' });
    const clients = spans.filter((s) => s.kind === 3);
    expect(clients.map((s) => s.name)).toContain('DiracX search');
    for (const c of clients) expect(c.parentSpanId).toBe(server!.spanId);
    // The DiracX call carried the client span's own id, so DiracX's spans hang under it.
    expect(sent.map((c) => c!.spanId).sort()).toEqual(clients.map((c) => c.spanId as string).sort());
    expect(collector.seen.at(-1)!.headers['content-type']).toBe('application/json');
    expect(JSON.stringify(spans)).not.toContain('alice');
  });

  it('puts background work (a scheduler pass, an accounting round) in a span of its own, its DiracX calls inside', async () => {
    const client = createDiracxClient({ ...TEST_INSTANCE, url: diracx.url }, { observe: app.observability.diracxObserver });
    const from = diracx.seen.length;
    await app.observability.inSpan('accounting collection', () => client.searchJobs('service-token', {}, { page: 1, perPage: 1 }));
    await expect(app.observability.inSpan('schedules pass', () => client.summary('service-token', ['Status']))).rejects.toThrow(/busy/);
    await exporter.flush();
    const all = exported();
    const [search, summary] = diracx.seen.slice(from).map((c) => parseTraceparent(c.headers.traceparent)!);
    const round = all.find((s) => s.name === 'accounting collection')!;
    expect(round).toMatchObject({ kind: 1, traceId: search!.traceId, status: { code: 1 } });
    expect(round.parentSpanId).toBeUndefined();
    expect(all.find((s) => s.spanId === search!.spanId)).toMatchObject({ name: 'DiracX search', parentSpanId: round.spanId });
    const pass = all.find((s) => s.name === 'schedules pass')!;
    expect(pass).toMatchObject({ traceId: summary!.traceId, status: { code: 2 } });
    expect(all.find((s) => s.spanId === summary!.spanId)).toMatchObject({ parentSpanId: pass.spanId, status: { code: 2 } });
  });

  it('starts a new trace when none comes in, and records nothing when the caller says "not sampled"', async () => {
    const from = diracx.seen.length;
    await app.inject({ method: 'GET', url: '/bff/v1/jobs', headers: auth });
    await app.inject({
      method: 'GET',
      url: '/bff/v1/jobs',
      headers: { ...auth, traceparent: '00-11111111111111111111111111111111-2222222222222222-00' },
    });
    const [fresh, unsampled] = diracx.seen.slice(from).map((c) => parseTraceparent(c.headers.traceparent)!);
    expect(fresh!.sampled).toBe(true);
    expect(unsampled).toMatchObject({ traceId: '11111111111111111111111111111111', sampled: false });
    await exporter.flush();
    expect(collector.seen.some((r) => r.body.includes('11111111111111111111111111111111'))).toBe(false);
  });
});
