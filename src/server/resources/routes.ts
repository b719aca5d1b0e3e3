import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FitResultSchema, QueueRequirementSchema, ResourceCatalogueSchema, type ResourceCatalogue } from '../../contracts/resources.ts';
import { joinWithStatus, parseRssStatusMap } from '../resources/catalogue.ts';
import { explainFit } from '../resources/matching.ts';
import type { FastifyRequest } from 'fastify';
import { HttpProblem } from '../errors.ts';
import { principalOf, requireAuth, type Services } from '../plugins.ts';

const QueueFitSchema = z.object({ queueId: z.string(), site: z.string(), ce: z.string(), queue: z.string() }).extend(FitResultSchema.shape);

export function resourceRoutes(services: Services): FastifyPluginAsyncZod {
  async function liveCatalogue(request: FastifyRequest): Promise<ResourceCatalogue> {
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
    const joined = joinWithStatus(services.catalogue, { site: site ?? null, compute: compute ?? null });
    const load = await siteLoad(request, client, p.token);
    return { ...joined, sites: joined.sites.map((s) => ({ ...s, load: load ? (load.get(s.name) ?? { waiting: 0, running: 0 }) : null })) };
  }

  /** Waiting and running jobs per site, from DiracX's job summary (best effort, like RSS). */
  async function siteLoad(request: FastifyRequest, client: ReturnType<Services['diracx']>, token: string) {
    try {
      const rows = await client.summary(
        token,
        ['Site', 'Status'],
        [{ parameter: 'Status', operator: 'in', values: ['Waiting', 'Matched', 'Running'] }],
      );
      const load = new Map<string, { waiting: number; running: number }>();
      for (const r of rows) {
        const site = String(r.Site ?? '');
        const entry = load.get(site) ?? { waiting: 0, running: 0 };
        if (r.Status === 'Running') entry.running += Number(r.count ?? 0);
        else entry.waiting += Number(r.count ?? 0);
        load.set(site, entry);
      }
      return load;
    } catch (err) {
      request.log.warn({ err: (err as Error).message }, 'job summary unavailable');
      return null;
    }
  }

  return async (app) => {
    app.get(
      '/v1/resources',
      {
        onRequest: requireAuth(services),
        schema: {
          tags: ['resources'],
          summary: 'Sites, CEs and queues with live RSS status',
          security: [{ bearer: [] }],
          response: { 200: ResourceCatalogueSchema },
        },
      },
      async (request) => liveCatalogue(request),
    );

    app.post(
      '/v1/resources/fit',
      {
        onRequest: requireAuth(services),
        schema: {
          tags: ['resources'],
          summary: "Which queues fit a job's requirements, and why the others do not (DIRAC matching rules + live status)",
          security: [{ bearer: [] }],
          body: QueueRequirementSchema,
          response: { 200: z.object({ fitting: z.number().int(), queues: z.array(QueueFitSchema) }) },
        },
      },
      async (request) => {
        const cat = await liveCatalogue(request);
        const queues = cat.sites.flatMap((site) =>
          site.ces.flatMap((ce) =>
            ce.queues.map((q) => ({
              queueId: q.id,
              site: site.name,
              ce: ce.name,
              queue: q.queue,
              ...explainFit(q, request.body, { site: site.status, ce: ce.status }),
            })),
          ),
        );
        return { fitting: queues.filter((q) => q.fits).length, queues };
      },
    );
  };
}
