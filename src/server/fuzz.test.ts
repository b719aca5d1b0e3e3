/**
 * OpenAPI-driven fuzzing (fast-check), bounded for `npm test`: every documented route gets arbitrary path
 * parameters, query strings and JSON bodies, with and without a valid token. No answer may be a 5xx, and every
 * error must be a problem+json body valid against the contract. PORTAL_FUZZ_RUNS raises the runs per route.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBodySchema } from '../contracts/common.ts';
import { problems } from './errors.ts';
import { loadCatalogue } from './resources/catalogue.ts';
import { demoPrincipal, TEST_INSTANCE, type DemoRole } from './testing/principal.ts';
import { accessControlDiracx, unitApp } from './testing/unit-app.ts';

const RUNS = Number(process.env.PORTAL_FUZZ_RUNS ?? 12);

const segment = fc.oneof(
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.integer().map(String),
  fc.uuid(),
  fc.constantFrom('..', '%2e%2e', '%00', "'", '"', '<x>', '9'.repeat(30), 'reschedule').map(encodeURIComponent),
  // sent as they are: an undecodable escape, a lone %, a segment over the router's length limit
  fc.constantFrom('%E0%A4%A', '%', 'x'.repeat(150)),
);
const queryValue = fc.oneof(fc.string({ maxLength: 30 }), fc.integer().map(String), fc.constantFrom('-1', '1e309', 'NaN', '[]', 'true'));
const query = fc.dictionary(
  fc.constantFrom(
    'page',
    'perPage',
    'sort',
    'order',
    'status',
    'days',
    'format',
    'ids',
    'pfn',
    'scope',
    'name',
    'did',
    'from',
    'to',
    'groupBy',
    'q',
  ),
  queryValue,
  { maxKeys: 4 },
);
const body = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.object({ maxDepth: 2 }), fc.constant(undefined));

describe('fuzzing every documented route (bounded)', () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let routes: { method: string; path: string }[] = [];

  beforeAll(async () => {
    ({ app, close } = await unitApp({
      instances: [TEST_INSTANCE],
      diracx: accessControlDiracx,
      config: { scheduleKey: 'k'.repeat(43) + '=' },
      build: { catalogue: await loadCatalogue('config/resources.cfg') },
      verifyToken: async (token) => {
        if (token === 'role-scientist' || token === 'role-pi' || token === 'role-admin') return demoPrincipal(token.slice(5) as DemoRole);
        throw problems.unauthenticated('The access token is invalid');
      },
    }));
    const doc = (await app.inject({ method: 'GET', url: '/bff/openapi.json' })).json<{ paths: Record<string, object> }>();
    routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })));
  });
  afterAll(() => close());

  it('answers arbitrary input without a 5xx, every error a valid problem+json', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(segment, { minLength: 4, maxLength: 4 }),
          query,
          body,
          fc.constantFrom('none', 'role-scientist', 'role-pi', 'role-admin', 'garbage'),
          async (segments, q, payload, token) => {
            let i = 0;
            const path = route.path.replace(/\{\w+\}/g, () => segments[i++ % segments.length]!);
            const search = new URLSearchParams(q as Record<string, string>).toString();
            const res = await app.inject({
              method: route.method as 'GET',
              url: `${path}${search ? `?${search}` : ''}`,
              headers: token === 'none' ? {} : { authorization: `Bearer ${token}` },
              ...(route.method === 'GET' || route.method === 'DELETE' || payload === undefined ? {} : { payload: payload as object }),
            });
            const where = `${route.method} ${route.path} → ${res.statusCode}`;
            if (res.statusCode >= 500) failures.push(`${where}: ${res.body.slice(0, 200)}`);
            if (res.statusCode >= 400) {
              if (!String(res.headers['content-type']).includes('application/problem+json')) failures.push(`${where}: not problem+json`);
              else if (!ApiErrorBodySchema.safeParse(res.json()).success)
                failures.push(`${where}: invalid problem ${res.body.slice(0, 200)}`);
            }
          },
        ),
        { numRuns: RUNS, seed: 1313 },
      );
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
