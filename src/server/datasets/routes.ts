import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BASKET_ADD_ALL_MAX,
  BasketAddResultSchema,
  BasketAddSchema,
  BasketEmptyResultSchema,
  BasketGroupResultSchema,
  BasketGroupUpdateSchema,
  BASKET_PAGE_MAX,
  BASKET_MAX_ITEMS,
  BasketQuerySchema,
  BasketSchema,
  DatasetPageSchema,
  DatasetSearchQuerySchema,
  EsapBasketImportSchema,
  EsapImportResultSchema,
  IrfFindResultSchema,
  IrfFindSchema,
  ProjectListSchema,
  RUCIO_DIDS_MAX,
  RucioAddResultSchema,
  RucioDidsSchema,
  parseRucioDids,
  type DatasetFile,
  type EsapSkipped,
} from '../../contracts/datasets.ts';
import {
  DatasetSourceListSchema,
  RucioBasketAddResultSchema,
  RucioBasketAddSchema,
  RucioDidPageSchema,
  RucioDidParamSchema,
  RucioFileListSchema,
  RucioSearchQuerySchema,
} from '../../contracts/rucio.ts';
import { LocalityAnswerSchema, LocalityRequestSchema } from '../../contracts/locality.ts';
import { ownerKeyOf, type OwnerKey } from '../auth/owner.ts';
import { problems } from '../errors.ts';
import { principalOf, requireAuth, type Services } from '../plugins.ts';
import { basketItemsAtLevels, basketItemsFor, createBasketRepo, type NewBasketItem } from './basket-repo.ts';
import { createDbDatasetCatalogue, fileToItem } from './catalogue.ts';
import { esapCart, mapEsapItem } from './esap.ts';
import { findIrfs } from './irfs.ts';
import { lookupLocality } from './replicas.ts';
import { rucioDidToItem, rucioFromConfig, splitDid, type RucioClient } from './rucio.ts';

const ItemIdParams = z.object({ itemId: z.string().min(1).max(64) });

const ownerOf = (request: FastifyRequest): OwnerKey => ownerKeyOf(principalOf(request));

/** What a change answers with: the basket's first page and figures (a whole basket of 20,000 items is ~10 MB). */
const FIRST_PAGE = { offset: 0, limit: BASKET_PAGE_MAX };

/**
 * Dataset sources ("Find data": the catalogue in the BFF database, and Rucio when configured) and the
 * user's basket (one per user and DiracX instance).
 */
export function datasetRoutes(services: Services): FastifyPluginAsyncZod {
  const catalogue = createDbDatasetCatalogue(services.db);
  const basket = createBasketRepo(services.db);
  const security = [{ bearer: [] }];
  const sources = services.config.datasetSources;
  const rucio = rucioFromConfig(sources);
  const need = (): RucioClient => {
    if (!rucio) throw problems.notFound('No Rucio server is configured in this portal');
    return rucio;
  };

  return async (app) => {
    // onRequest, not preHandler: refuse unauthenticated requests before their body (up to 8 MiB) is read and validated.
    app.addHook('onRequest', requireAuth(services));

    app.get(
      '/v1/datasets/projects',
      {
        schema: {
          tags: ['datasets'],
          summary: 'Projects of the dataset catalogue, with file counts, sizes and data levels',
          security,
          response: { 200: ProjectListSchema },
        },
      },
      async () => ({ items: await catalogue.projects() }),
    );

    app.get(
      '/v1/datasets/files',
      {
        schema: {
          tags: ['datasets'],
          summary: 'Search the dataset catalogue (server-side filters, sorting and paging)',
          security,
          querystring: DatasetSearchQuerySchema,
          response: { 200: DatasetPageSchema },
        },
      },
      async (request) => catalogue.search(request.query),
    );

    app.get(
      '/v1/basket',
      {
        schema: {
          tags: ['basket'],
          summary: "Your basket on this DiracX instance: one page of items (the whole basket without limit) and the whole basket's figures",
          security,
          querystring: BasketQuerySchema,
          response: { 200: BasketSchema },
        },
      },
      async (request) => basket.get(ownerOf(request), request.query),
    );

    app.post(
      '/v1/basket/items',
      {
        schema: {
          tags: ['basket'],
          summary: `Add catalogue files by id, or every file matching a search (at most ${BASKET_ADD_ALL_MAX})`,
          security,
          body: BasketAddSchema,
          response: { 200: BasketAddResultSchema },
        },
      },
      async (request) => {
        const owner = ownerOf(request);
        let files: DatasetFile[];
        let unknownIds: string[] = [];
        if ('fileIds' in request.body) {
          files = await catalogue.getMany(request.body.fileIds);
          const known = new Set(files.map((f) => f.id));
          unknownIds = [...new Set(request.body.fileIds.filter((id) => !known.has(id)))];
          if (files.length === 0) throw problems.notFound('None of these files is in the catalogue');
        } else {
          const { total, files: matches } = await catalogue.matching(request.body.query, BASKET_ADD_ALL_MAX);
          if (total > BASKET_ADD_ALL_MAX) {
            throw problems.validation(
              `${total.toLocaleString('en')} files match this search; "add all" takes at most ${BASKET_ADD_ALL_MAX.toLocaleString('en')}. Narrow the search (project, data level, dates) and try again.`,
              [{ path: 'body.query', message: `${total} matches, more than ${BASKET_ADD_ALL_MAX}` }],
            );
          }
          if (total === 0) throw problems.validation('No file matches this search, so nothing was added');
          files = matches;
        }
        const { added, alreadyPresent } = await basket.add(owner, files.map(fileToItem));
        request.log.info({ added, alreadyPresent }, 'basket: catalogue files added');
        return { added, alreadyPresent, unknownIds, basket: await basket.get(owner, FIRST_PAGE) };
      },
    );

    app.post(
      '/v1/basket/locality',
      {
        // 20,000 item ids are about 1 MiB of JSON.
        bodyLimit: 2 * 1024 * 1024,
        schema: {
          tags: ['basket'],
          summary:
            'Where the files of these basket items (all, or all of some data levels, when none are named) have replicas (SE, disk or tape, site), and per site what must be staged or transferred; one page of the files',
          security,
          body: LocalityRequestSchema,
          response: { 200: LocalityAnswerSchema },
        },
      },
      async (request) => {
        const owner = ownerOf(request);
        const { itemIds, levels, page, perPage } = request.body;
        const items = itemIds
          ? await basketItemsFor(services.db, owner.ownerSub, owner.instanceId, itemIds)
          : (await basketItemsAtLevels(services.db, owner, levels, BASKET_MAX_ITEMS)).items;
        if (itemIds && items.length === 0) throw problems.notFound('None of these items is in your basket');
        const { summary, files } = await lookupLocality({ db: services.db, rucio, catalogue: services.catalogue }, items);
        const start = (page - 1) * perPage;
        return { summary, files: files.slice(start, start + perPage), page, perPage, total: files.length };
      },
    );

    app.post(
      '/v1/basket/irfs',
      {
        bodyLimit: 2 * 1024 * 1024,
        schema: {
          tags: ['basket'],
          summary:
            'Find the instrument response functions (IRFs) of these DL3 basket items (same array configuration, validity period covering the observation) and add them to the basket',
          security,
          body: IrfFindSchema,
          response: { 200: IrfFindResultSchema },
        },
      },
      async (request) => {
        const owner = ownerOf(request);
        const items = await basketItemsFor(services.db, owner.ownerSub, owner.instanceId, request.body.itemIds);
        if (items.length === 0) throw problems.notFound('None of these items is in your basket');
        const match = await findIrfs(services.db, items);
        if (match.dl3Files === 0) {
          throw problems.validation('None of the selected items is a DL3 file of the catalogue: IRFs are found for DL3 files', [
            { path: 'body.itemIds', message: 'no DL3 catalogue file selected' },
          ]);
        }
        const { added, alreadyPresent } = match.irfs.length ? await basket.add(owner, match.irfs) : { added: 0, alreadyPresent: 0 };
        request.log.info({ dl3: match.dl3Files, irfs: match.irfs.length, added }, 'basket: IRFs found');
        return {
          dl3Files: match.dl3Files,
          irfs: match.irfs.length,
          added,
          alreadyPresent,
          withoutIrf: match.withoutIrf.slice(0, 20),
          basket: await basket.get(owner, FIRST_PAGE),
        };
      },
    );

    app.post(
      '/v1/basket/rucio',
      {
        schema: {
          tags: ['basket'],
          summary:
            'Add Rucio DIDs pasted as text (one scope:name per line, or comma-separated); invalid lines are reported with their line numbers',
          security,
          body: RucioDidsSchema,
          response: { 200: RucioAddResultSchema },
        },
      },
      async (request) => {
        const owner = ownerOf(request);
        const { dids, invalid } = parseRucioDids(request.body.dids);
        if (dids.length > RUCIO_DIDS_MAX) {
          throw problems.validation(`${dids.length} DIDs were pasted; at most ${RUCIO_DIDS_MAX} can be added at once`, [
            { path: 'body.dids', message: `more than ${RUCIO_DIDS_MAX} DIDs` },
          ]);
        }
        if (dids.length === 0 && invalid.length === 0) {
          throw problems.validation('Paste at least one Rucio DID (scope:name)', [{ path: 'body.dids', message: 'no DID found' }]);
        }
        const items: NewBasketItem[] = dids.map((d) => ({
          kind: 'rucio',
          ref: d.did,
          name: d.name,
          sizeBytes: null,
          dataLevel: null,
          projectId: null,
          source: 'rucio',
          meta: { scope: d.scope },
        }));
        const { added, alreadyPresent } = items.length ? await basket.add(owner, items) : { added: 0, alreadyPresent: 0 };
        return { added, alreadyPresent, invalid, basket: await basket.get(owner, FIRST_PAGE) };
      },
    );

    app.post(
      '/v1/basket/esap',
      {
        // ESAP baskets of a few thousand items are bigger than the default 1 MiB.
        bodyLimit: 8 * 1024 * 1024,
        schema: {
          tags: ['basket'],
          summary:
            'Import an ESAP shopping basket (JSON of the ESAP user profile, or its shopping_cart); items that cannot be used are reported',
          security,
          body: EsapBasketImportSchema,
          response: { 200: EsapImportResultSchema },
        },
      },
      async (request) => {
        const owner = ownerOf(request);
        const cart = esapCart(request.body);
        const items: NewBasketItem[] = [];
        const skipped: EsapSkipped[] = [];
        cart.forEach((entry, index) => {
          const mapped = mapEsapItem(entry);
          if (mapped.ok) items.push(mapped.item);
          else skipped.push({ index, reason: mapped.reason });
        });
        const { added, alreadyPresent } = items.length ? await basket.add(owner, items) : { added: 0, alreadyPresent: 0 };
        request.log.info({ added, alreadyPresent, skipped: skipped.length }, 'basket: ESAP basket imported');
        return { added, alreadyPresent, skipped, basket: await basket.get(owner, FIRST_PAGE) };
      },
    );

    app.patch(
      '/v1/basket/items',
      {
        schema: {
          tags: ['basket'],
          summary: 'Put items under a group label (or take them out of their group with null)',
          security,
          body: BasketGroupUpdateSchema,
          response: { 200: BasketGroupResultSchema },
        },
      },
      async (request) => {
        const owner = ownerOf(request);
        const updated = await basket.setGroup(owner, request.body.itemIds, request.body.group);
        if (updated === 0) throw problems.notFound('None of these items is in your basket');
        return { updated, basket: await basket.get(owner, FIRST_PAGE) };
      },
    );

    app.delete(
      '/v1/basket/items/:itemId',
      {
        schema: {
          tags: ['basket'],
          summary: 'Remove one item from your basket',
          security,
          params: ItemIdParams,
          response: { 200: BasketSchema },
        },
      },
      async (request) => {
        const owner = ownerOf(request);
        if (!(await basket.remove(owner, request.params.itemId)))
          throw problems.notFound('This item is not in your basket (it may have been removed already)');
        return basket.get(owner, FIRST_PAGE);
      },
    );

    app.delete(
      '/v1/basket',
      { schema: { tags: ['basket'], summary: 'Empty your basket', security, response: { 200: BasketEmptyResultSchema } } },
      async (request) => {
        const owner = ownerOf(request);
        const removed = await basket.clear(owner);
        return { removed, basket: await basket.get(owner, FIRST_PAGE) };
      },
    );

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
      async () => ({
        items: sources.map((s) => ({ type: s.type, label: s.label })),
        rucioDefaultScope: sources.find((s) => s.type === 'rucio')?.defaultScope ?? null,
      }),
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
          basket: await basket.get(owner, FIRST_PAGE),
        };
      },
    );
  };
}
