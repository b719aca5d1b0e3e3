import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  OUTPUT_ARCHIVE_MAX_BYTES,
  OUTPUT_ARCHIVE_MAX_FILES,
  OUTPUT_PREVIEW_BYTES,
  OUTPUTS_MAX_FILES,
  OutputFileQuerySchema,
  OutputPreviewSchema,
  OutputsToBasketResultSchema,
  ProductionOutputsSchema,
  productionDataset,
  type ProductionOutputs,
} from '../../contracts/outputs.ts';
import type { RucioFile } from '../../contracts/rucio.ts';
import { ownerKeyOf } from '../auth/owner.ts';
import type { Principal } from '../auth/verify.ts';
import { createBasketRepo, type NewBasketItem } from '../datasets/basket-repo.ts';
import { rucioFromConfig } from '../datasets/rucio.ts';
import { HttpProblem, problems } from '../errors.ts';
import { principalOf, requireAuth, type Services } from '../plugins.ts';
import { localReplica, previewOf, tarStream, toOutput } from './outputs.ts';
import { createProductionRepo } from './repo.ts';

const IdParams = z.object({ productionId: z.uuid() });
const DATA_LEVEL = /\b(DL[0-3])\b/i;

/** A production's results (contracts/outputs.ts): list, preview, download one or all, add to the basket. */
export function productionOutputRoutes(services: Services): FastifyPluginAsyncZod {
  const productions = createProductionRepo(services.db);
  const basket = createBasketRepo(services.db);
  const rucio = rucioFromConfig(services.config.datasetSources);
  const source = services.config.datasetSources.find((s) => s.type === 'rucio');
  const localRses = source?.type === 'rucio' ? source.localRses : {};
  const security = [{ bearer: [] }];

  /** The production (visible to this user, else 404) and the files of its outputs dataset. */
  async function outputsOf(p: Principal, productionId: string) {
    const row = await productions.get(p, productionId);
    if (!row) throw problems.notFound('No such production, or it is not visible to you');
    if (!rucio) throw new HttpProblem(503, 'CATALOGUE_UNREACHABLE', 'No data catalogue (Rucio) is configured: outputs cannot be listed.');
    // Productions are visible within the user's own VO only (repo.ts), so it is the production's VO too.
    const ds = productionDataset(p.vo, row.owner, row.jobGroup);
    let files: RucioFile[] = [];
    let truncated = false;
    try {
      ({ files, truncated } = await rucio.files(ds.scope, ds.name));
    } catch (err) {
      // No dataset yet: no job of the production has registered an output.
      if (!(err instanceof HttpProblem && err.status === 404)) throw err;
    }
    files = [...files].sort((a, b) => a.name.localeCompare(b.name)).slice(0, OUTPUTS_MAX_FILES);
    return { row, dataset: `${ds.scope}:${ds.name}`, datasetName: ds.name, files, truncated };
  }

  async function oneFile(p: Principal, productionId: string, lfn: string) {
    const { files, row } = await outputsOf(p, productionId);
    const file = files.find((f) => f.name === lfn);
    if (!file) throw problems.notFound('This production has no such output');
    const local = localReplica(file, localRses);
    if (!local) throw problems.unprocessable(`${file.name.split('/').pop()} has no replica the portal can read`);
    return { file, local, row };
  }

  const attachment = (name: string) => `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`;

  return async (app) => {
    app.addHook('onRequest', requireAuth(services));

    app.get(
      '/v1/productions/:productionId/outputs',
      {
        schema: {
          tags: ['productions'],
          summary: 'The output files the production’s jobs registered (name, LFN, size, checksum, storage, job), with totals',
          security,
          params: IdParams,
          response: { 200: ProductionOutputsSchema },
        },
      },
      async (request): Promise<ProductionOutputs> => {
        const { dataset, datasetName, files, truncated } = await outputsOf(principalOf(request), request.params.productionId);
        const out = files.map((f) => toOutput(f, datasetName, localRses));
        return {
          dataset,
          files: out,
          totalFiles: out.length,
          totalBytes: out.reduce((s, f) => s + (f.bytes ?? 0), 0),
          truncated: truncated || files.length >= OUTPUTS_MAX_FILES,
        };
      },
    );

    app.get(
      '/v1/productions/:productionId/outputs/preview',
      {
        schema: {
          tags: ['productions'],
          summary: `The first ${OUTPUT_PREVIEW_BYTES / 1024} KiB of one output as text (null for a binary file)`,
          security,
          params: IdParams,
          querystring: OutputFileQuerySchema,
          response: { 200: OutputPreviewSchema },
        },
      },
      async (request) => {
        const { local, file } = await oneFile(principalOf(request), request.params.productionId, request.query.lfn);
        return { lfn: file.name, ...previewOf(local, OUTPUT_PREVIEW_BYTES) };
      },
    );

    app.get(
      '/v1/productions/:productionId/outputs/file',
      {
        schema: {
          tags: ['productions'],
          summary: 'Download one output (streamed)',
          security,
          params: IdParams,
          querystring: OutputFileQuerySchema,
        },
      },
      async (request, reply) => {
        const { local, file } = await oneFile(principalOf(request), request.params.productionId, request.query.lfn);
        const size = fs.statSync(local).size;
        return reply
          .header('content-type', 'application/octet-stream')
          .header('content-length', String(size))
          .header('content-disposition', attachment(file.name.split('/').pop() ?? 'output'))
          .send(fs.createReadStream(local));
      },
    );

    app.get(
      '/v1/productions/:productionId/outputs/archive',
      {
        schema: {
          tags: ['productions'],
          summary: `Download every readable output as one streamed tar (at most ${OUTPUT_ARCHIVE_MAX_FILES} files and ${OUTPUT_ARCHIVE_MAX_BYTES / 1024 ** 3} GiB)`,
          security,
          params: IdParams,
        },
      },
      async (request, reply) => {
        const { files, row, datasetName } = await outputsOf(principalOf(request), request.params.productionId);
        const members = files
          .map((f) => ({ f, path: localReplica(f, localRses) }))
          .filter((m): m is { f: RucioFile; path: string } => m.path !== null);
        if (members.length === 0) throw problems.notFound('This production has no output the portal can read');
        const total = members.reduce((s, m) => s + fs.statSync(m.path).size, 0);
        if (members.length > OUTPUT_ARCHIVE_MAX_FILES || total > OUTPUT_ARCHIVE_MAX_BYTES)
          throw new HttpProblem(
            413,
            'UNPROCESSABLE',
            `${members.length} files of ${total} bytes in all: one archive holds at most ${OUTPUT_ARCHIVE_MAX_FILES} files and ${OUTPUT_ARCHIVE_MAX_BYTES} bytes. Download the files one by one.`,
          );
        const entries = members.map(({ f, path }) => {
          const base = f.name.split('/').pop() ?? 'output';
          const rel = f.name.startsWith(`${datasetName}/`) ? f.name.slice(datasetName.length + 1) : base;
          return { name: rel.length <= 100 ? rel : base, path };
        });
        return reply
          .header('content-type', 'application/x-tar')
          .header('content-disposition', attachment(`${row.jobGroup}-outputs.tar`))
          .send(tarStream(entries));
      },
    );

    app.post(
      '/v1/productions/:productionId/outputs/basket',
      {
        schema: {
          tags: ['productions'],
          summary: 'Add the production’s outputs to your basket (Rucio DIDs), as input of a next launch',
          security,
          params: IdParams,
          response: { 200: OutputsToBasketResultSchema },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const { files, row, datasetName } = await outputsOf(p, request.params.productionId);
        if (files.length === 0) throw problems.unprocessable('This production has no outputs yet');
        const items: NewBasketItem[] = files.map((f) => {
          const name = f.name.split('/').pop() ?? f.name;
          return {
            kind: 'rucio',
            ref: f.did,
            name,
            sizeBytes: f.bytes,
            dataLevel: (DATA_LEVEL.exec(name)?.[1]?.toUpperCase() as 'DL0' | 'DL1' | 'DL2' | 'DL3' | undefined) ?? null,
            projectId: null,
            source: 'rucio',
            meta: { scope: f.scope, lfn: f.name, adler32: f.adler32, production: row.id, jobId: toOutput(f, datasetName, {}).jobId },
          };
        });
        const owner = ownerKeyOf(p);
        const { added, alreadyPresent } = await basket.add(owner, items);
        return { added, alreadyPresent, basket: await basket.get(owner) };
      },
    );
  };
}
