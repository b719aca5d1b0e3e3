import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DATA_LEVELS, type DataLevel } from '../../contracts/datasets.ts';
import {
  DatasetSourceListSchema,
  RucioBasketAddResultSchema,
  RucioBasketAddSchema,
  RucioDidPageSchema,
  RucioDidParamSchema,
  RucioFileListSchema,
  RucioSearchQuerySchema,
} from '../../contracts/rucio.ts';
import { createBasketRepo, type BasketRepo, type NewBasketItem } from '../datasets/basket-repo.ts';
import { createRucioClient, type RucioClient, type RucioDidDetails } from '../datasets/rucio.ts';
import { problems } from '../errors.ts';
import { requireAuth, type Services } from '../plugins.ts';
import { ownerOf } from './datasets.ts';

export interface RucioRouteOptions {
  /** Replace the Rucio client (tests); by default built from `datasetSources` in the config. */
  rucio?: RucioClient | null;
  basket?: BasketRepo;
}

function splitDid(did: string): { scope: string; name: string } | null {
  const i = did.indexOf(':');
  return RucioDidParamSchema.safeParse({ did }).success ? { scope: did.slice(0, i), name: did.slice(i + 1) } : null;
}

const dataLevelOf = (datatype: unknown): DataLevel | null => {
  const up = typeof datatype === 'string' ? datatype.toUpperCase() : '';
  return (DATA_LEVELS as readonly string[]).includes(up) ? (up as DataLevel) : null;
};

/** A Rucio DID as a basket item: kind `rucio`, ref `scope:name`, with what Rucio says about it. */
export function rucioDidToItem(d: RucioDidDetails): NewBasketItem {
  const project = d.meta.project;
  return {
    kind: 'rucio',
    ref: d.did,
    name: d.name,
    sizeBytes: d.bytes,
    dataLevel: dataLevelOf(d.meta.datatype),
    projectId: typeof project === 'string' ? project : null,
    source: 'rucio',
    meta: { ...d.meta, scope: d.scope, didType: d.type, files: d.length, adler32: d.adler32 },
  };
}

/** Dataset sources, and the Rucio source: search DIDs, list files with replicas, add DIDs to the basket. */
export function rucioRoutes(services: Services, opts: RucioRouteOptions = {}): FastifyPluginAsyncZod {
  const sources = services.config.datasetSources;
  const rucioCfg = sources.find((s) => s.type === 'rucio');
  const rucio =
    opts.rucio !== undefined
      ? opts.rucio
      : rucioCfg
        ? createRucioClient({
            url: rucioCfg.url,
            label: rucioCfg.label,
            account: rucioCfg.account,
            username: rucioCfg.auth.username,
            passwordFile: rucioCfg.auth.passwordFile,
            timeoutMs: rucioCfg.timeoutMs,
          })
        : null;
  const basket = opts.basket ?? createBasketRepo(services.db);
  const security = [{ bearer: [] }];
  const need = (): RucioClient => {
    if (!rucio) throw problems.notFound('No Rucio server is configured in this portal');
    return rucio;
  };

  return async (app) => {
    app.addHook('onRequest', requireAuth(services));

    app.get(
      '/v1/datasets/sources',
      {
        schema: {
          tags: ['datasets'],
          summary: 'The dataset sources "Find data" can search (portal catalogue, Rucio)',
          security,
          response: { 200: DatasetSourceListSchema },
        },
      },
      async () => ({ items: sources.map((s) => ({ type: s.type, label: s.label })), rucioDefaultScope: rucioCfg?.defaultScope ?? null }),
    );

    app.get(
      '/v1/datasets/rucio/dids',
      {
        schema: {
          tags: ['datasets'],
          summary: 'Search Rucio DIDs by scope, name pattern (* wildcard), type and metadata (paged; Rucio does not count matches)',
          security,
          querystring: RucioSearchQuerySchema,
          response: { 200: RucioDidPageSchema },
        },
      },
      async (request) => need().search(request.query),
    );

    app.get(
      '/v1/datasets/rucio/files',
      {
        schema: {
          tags: ['datasets'],
          summary: 'The files of a Rucio DID (containers recursively) with size, adler32 and replicas per storage element',
          security,
          querystring: RucioDidParamSchema,
          response: { 200: RucioFileListSchema },
        },
      },
      async (request) => {
        const { scope, name } = splitDid(request.query.did)!;
        return need().files(scope, name);
      },
    );

    app.post(
      '/v1/basket/rucio-search',
      {
        schema: {
          tags: ['basket'],
          summary: 'Add DIDs found in a Rucio search; each is looked up in Rucio and stored with its size and metadata',
          security,
          body: RucioBasketAddSchema,
          response: { 200: RucioBasketAddResultSchema },
        },
      },
      async (request) => {
        const client = need();
        const owner = ownerOf(request);
        const unknown: string[] = [];
        const items: NewBasketItem[] = [];
        const wanted = [...new Set(request.body.dids)];
        // A few lookups at a time: each DID is two small Rucio calls.
        for (let i = 0; i < wanted.length; i += 8) {
          const found = await Promise.all(
            wanted.slice(i, i + 8).map(async (did) => {
              const parts = splitDid(did);
              return { did, details: parts ? await client.did(parts.scope, parts.name) : null };
            }),
          );
          for (const f of found) {
            if (f.details) items.push(rucioDidToItem(f.details));
            else unknown.push(f.did);
          }
        }
        if (items.length === 0)
          throw problems.notFound(`${client.label} does not know ${unknown.length === 1 ? unknown[0] : 'any of these DIDs'}`);
        const { added, alreadyPresent } = await basket.add(owner, items);
        request.log.info({ added, alreadyPresent, unknown: unknown.length }, 'basket: Rucio DIDs added');
        return {
          added,
          alreadyPresent: alreadyPresent + (request.body.dids.length - wanted.length),
          unknown,
          basket: await basket.get(owner),
        };
      },
    );
  };
}
