import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../plugins.ts';

const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ ok: z.boolean(), dialect: z.string(), error: z.string().optional() }),
  instances: z.array(
    z.object({ id: z.string(), label: z.string(), reachable: z.boolean(), latencyMs: z.number(), error: z.string().optional() }),
  ),
});

const ProbeSchema = z.object({ status: z.enum(['ok', 'draining', 'unavailable']), error: z.string().optional() });

export function healthRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    // Kubernetes probes: cheap and independent of DiracX, so DiracX being down neither restarts nor
    // unroutes every replica (the SPA shows that state itself). /healthz stays the full report.
    app.get(
      '/livez',
      { schema: { tags: ['health'], summary: 'Liveness: the process answers', response: { 200: ProbeSchema } } },
      async () => ({ status: 'ok' as const }),
    );
    app.get(
      '/readyz',
      {
        schema: {
          tags: ['health'],
          summary: 'Readiness: the database answers and the BFF is not shutting down',
          response: { 200: ProbeSchema, 503: ProbeSchema },
        },
      },
      async (_request, reply) => {
        if (services.lifecycle.draining) return reply.code(503).send({ status: 'draining' });
        try {
          await services.db.query('SELECT 1 AS one');
        } catch {
          return reply.code(503).send({ status: 'unavailable', error: 'the database does not answer' });
        }
        return { status: 'ok' as const };
      },
    );
    app.get(
      '/healthz',
      { schema: { tags: ['health'], summary: 'BFF health, with DiracX reachability', response: { 200: HealthSchema, 503: HealthSchema } } },
      async (_request, reply) => {
        const instances = await Promise.all(
          services.config.instances.map(async (i) => {
            const r = await services.diracx(i).ready();
            return { id: i.id, label: i.label, reachable: r.ok, latencyMs: r.latencyMs, ...(r.error ? { error: r.error } : {}) };
          }),
        );
        let database: { ok: boolean; dialect: string; error?: string } = { ok: true, dialect: services.db.dialect };
        try {
          await services.db.query('SELECT 1 AS one');
        } catch (err) {
          database = { ok: false, dialect: services.db.dialect, error: (err as Error).message };
        }
        const ok = database.ok && instances.every((i) => i.reachable);
        return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', database, instances });
      },
    );
  };
}
