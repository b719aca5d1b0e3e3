import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../plugins.ts';

const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ ok: z.boolean(), dialect: z.string() }),
  instances: z.array(z.object({ id: z.string(), label: z.string(), reachable: z.boolean(), latencyMs: z.number() })),
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
      // Anyone may call it (probes): the reasons of a failure (addresses, driver messages) go to the log only.
      async (request, reply) => {
        const instances = await Promise.all(
          services.config.instances.map(async (i) => {
            const r = await services.diracx(i).ready();
            if (r.error) request.log.warn({ instance: i.id, error: r.error }, 'healthz: DiracX not ready');
            return { id: i.id, label: i.label, reachable: r.ok, latencyMs: r.latencyMs };
          }),
        );
        let database = { ok: true, dialect: services.db.dialect };
        try {
          await services.db.query('SELECT 1 AS one');
        } catch (err) {
          request.log.warn({ error: (err as Error).message }, 'healthz: database query failed');
          database = { ok: false, dialect: services.db.dialect };
        }
        const ok = database.ok && instances.every((i) => i.reachable);
        return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', database, instances });
      },
    );
  };
}
