import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ResourceCatalogueSchema } from '../../contracts/resources.ts';
import { joinWithStatus, parseRssStatusMap } from '../resources/catalogue.ts';
import { HttpProblem } from '../errors.ts';
import { principalOf, requireAuth, type Services } from '../plugins.ts';

export function resourceRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/resources',
      { preHandler: requireAuth(services), schema: { tags: ['resources'], summary: 'Sites, CEs and queues with live RSS status', security: [{ bearer: [] }], response: { 200: ResourceCatalogueSchema } } },
      async (request) => {
        const p = principalOf(request);
        if (!services.catalogue) throw new HttpProblem(503, 'INTERNAL', 'No resource catalogue is configured on this portal');
        const client = services.diracx(p.instance);
        // Live status is best effort: the catalogue is still shown when RSS is down.
        const [site, compute] = await Promise.all(
          (['site', 'compute'] as const).map((kind) =>
            client.rss(p.token, kind).then(parseRssStatusMap, (err: unknown) => {
              request.log.warn({ err: (err as Error).message, kind }, 'RSS status unavailable');
              return null;
            }),
          ),
        );
        return joinWithStatus(services.catalogue, { site: site ?? null, compute: compute ?? null });
      },
    );
  };
}
