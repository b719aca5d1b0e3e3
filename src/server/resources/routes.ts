import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BASKET_MAX_ITEMS } from '../../contracts/datasets.ts';
import { compareLocality, LocalitySummarySchema, type SiteLocality } from '../../contracts/locality.ts';
import {
  QueueFitSchema,
  QueueRequirementSchema,
  ResourceCatalogueSchema,
  type QueueFit,
  type ResourceCatalogue,
} from '../../contracts/resources.ts';
import { InputBasketSchema } from '../../contracts/launches.ts';
import { ownerKeyOf } from '../auth/owner.ts';
import { basketItemsAtLevels, basketItemsFor } from '../datasets/basket-repo.ts';
import { lookupLocality } from '../datasets/replicas.ts';
import { rucioFromConfig } from '../datasets/rucio.ts';
import { joinWithStatus, parseRssStatusMap } from '../resources/catalogue.ts';
import { explainFit } from '../resources/matching.ts';
import type { FastifyRequest } from 'fastify';
import { HttpProblem } from '../errors.ts';
import { principalOf, requireAuth, type Services } from '../plugins.ts';

/** The fit request: a job's requirements, and optionally the basket items it reads (to rank queues by data locality). */
const FitRequestSchema = QueueRequirementSchema.extend({
  inputItemIds: z.array(z.string().min(1).max(64)).max(BASKET_MAX_ITEMS).optional(),
  /** A launch on the whole basket (of some data levels): ranked by where those items' data is. */
  inputBasket: InputBasketSchema.optional(),
}).refine((r) => !(r.inputItemIds?.length && r.inputBasket), {
  message: 'Name input items or the whole basket, not both',
  path: ['inputBasket'],
});

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
        // 20,000 input item ids are about 1 MiB of JSON.
        bodyLimit: 2 * 1024 * 1024,
        schema: {
          tags: ['resources'],
          summary:
            "Which queues fit a job's requirements, and why the others do not (DIRAC matching rules + live status); with inputItemIds or inputBasket, ranked by where the input data is",
          security: [{ bearer: [] }],
          body: FitRequestSchema,
          response: {
            200: z.object({
              fitting: z.number().int(),
              queues: z.array(QueueFitSchema),
              /** Present when inputItemIds or inputBasket were given. */
              locality: LocalitySummarySchema.optional(),
            }),
          },
        },
      },
      async (request) => {
        const { inputItemIds, inputBasket, ...requirement } = request.body;
        const p = principalOf(request);
        const inputs =
          inputItemIds && inputItemIds.length > 0
            ? basketItemsFor(services.db, p.sub, p.instance.id, inputItemIds)
            : inputBasket
              ? basketItemsAtLevels(services.db, ownerKeyOf(p), inputBasket.levels, BASKET_MAX_ITEMS).then((b) => b.items)
              : undefined;
        const [cat, locality] = await Promise.all([
          liveCatalogue(request),
          inputs
            ? inputs.then(async (items) => {
                const found = await lookupLocality(
                  { db: services.db, rucio: rucioFromConfig(services.config.datasetSources), catalogue: services.catalogue },
                  items,
                );
                return found.summary;
              })
            : undefined,
        ]);
        const bySite = new Map<string, SiteLocality>(locality?.sites.map((s) => [s.site, s]) ?? []);
        const queues: QueueFit[] = cat.sites.flatMap((site) =>
          site.ces.flatMap((ce) =>
            ce.queues.map((q) => {
              const here = bySite.get(site.name);
              return {
                queueId: q.id,
                site: site.name,
                ce: ce.name,
                queue: q.queue,
                ...explainFit(q, requirement, { site: site.status, ce: ce.status }),
                ...(here ? { locality: here } : {}),
              };
            }),
          ),
        );
        // Ranked by data locality when inputs were named: fitting queues first, each group best placed first.
        if (locality) {
          queues.sort(
            (a, b) => Number(b.fits) - Number(a.fits) || (a.locality && b.locality ? compareLocality(a.locality, b.locality) : 0),
          );
        }
        return { fitting: queues.filter((q) => q.fits).length, queues, ...(locality ? { locality } : {}) };
      },
    );
  };
}
