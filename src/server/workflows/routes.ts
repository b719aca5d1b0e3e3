import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ApplicationListSchema,
  ApplicationUploadSchema,
  ApplicationVersionSchema,
  DescriptorCheckSchema,
  DescriptorPreviewSchema,
  StoredDescriptorSchema,
  VersionActionSchema,
  VersionParamsSchema,
  VersionRemovalSchema,
  WorkflowVersionNumberSchema,
  ZenodoImportSchema,
  type Application,
  type Provenance,
} from '../../contracts/workflows/applications.ts';
import { workflowSummary, WorkflowDetailSchema, WorkflowListSchema } from '../../contracts/workflows/catalogue.ts';
import { WorkflowRequestBodySchema, WorkflowValidationResultSchema, checkWorkflowRequest } from '../../contracts/workflows/rules.ts';
import type { Principal } from '../auth/verify.ts';
import { BoutiquesDescriptorSchema } from '../../contracts/workflows/descriptor.ts';
import { problems } from '../errors.ts';
import { principalOf, requireAuth, type Services } from '../plugins.ts';
import { checkDescriptorText, createWorkflowCatalogue, seedWorkflows, type WorkflowCatalogue } from './applications.ts';
import { checkChecksum, fetchRecord, parseRecordJson, pickDescriptorFile, recordProvenance } from './zenodo.ts';

const WorkflowParams = z.object({ id: z.string().min(1).max(64) });
const VersionQuery = z.object({ version: z.coerce.number().pipe(WorkflowVersionNumberSchema).optional() });

/** Managing the catalogue is for administrators (a group with JobAdministrator), whatever the SPA shows. */
function adminOf(p: Principal): Principal {
  if (p.role !== 'admin')
    throw problems.forbidden('Managing the application catalogue is for administrators (a group with JobAdministrator)');
  return p;
}

/**
 * The workflow catalogue (users: published versions, parameter validation) and its administration
 * (upload, OSSR/Zenodo import, preview, publish, disable, remove). The catalogue lives in the database
 * (applications.ts), seeded from `workflowsDir` when this plugin registers (a bad file is logged and
 * skipped, never fatal); `services.workflows` keeps it for the launch and schedule routes.
 */
export function workflowRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    const catalogue: WorkflowCatalogue = services.workflows ?? createWorkflowCatalogue(services.db, app.log);
    services.workflows = catalogue;
    await seedWorkflows(catalogue, services.config.workflowsDir, app.log);

    app.addHook('onRequest', requireAuth(services));

    app.get(
      '/v1/workflows',
      {
        schema: {
          tags: ['workflows'],
          summary: 'The workflow catalogue: each application at its newest published version, with the versions users may pick',
          security: [{ bearer: [] }],
          response: { 200: WorkflowListSchema },
        },
      },
      async () => ({ items: await catalogue.list() }),
    );

    app.get(
      '/v1/workflows/:id',
      {
        schema: {
          tags: ['workflows'],
          summary: 'One workflow with its Boutiques descriptor (the newest published version, or `version`)',
          security: [{ bearer: [] }],
          params: WorkflowParams,
          querystring: VersionQuery,
          response: { 200: WorkflowDetailSchema },
        },
      },
      async (request) => {
        const { entry, ...item } = await catalogue.published(request.params.id, request.query.version);
        return { ...item, descriptor: entry.descriptor };
      },
    );

    app.post(
      '/v1/workflows/:id/validate',
      {
        schema: {
          tags: ['workflows'],
          summary: 'Check parameter values and sweeps against the descriptor (the same rules as the form)',
          description:
            'Answers the number of value combinations (jobs per input-file set), or 400 with field-level issues such as `values.ERANGE_MIN` or `sweeps.NSHOW.step`.',
          security: [{ bearer: [] }],
          params: WorkflowParams,
          querystring: VersionQuery,
          body: WorkflowRequestBodySchema,
          response: { 200: WorkflowValidationResultSchema },
        },
      },
      async (request) => {
        const { entry } = await catalogue.published(request.params.id, request.query.version);
        const check = checkWorkflowRequest(entry.descriptor, request.body);
        if (!check.ok) {
          const first = check.issues[0];
          throw problems.validation(first ? `${first.path}: ${first.message}` : 'Invalid parameters', check.issues);
        }
        return { ok: true as const, jobs: check.jobs };
      },
    );

    // ───────────────────────────── administration ─────────────────────────────
    // Checked on request, before the body is read or validated (as authentication is).
    const adminRoutes: FastifyPluginAsyncZod = async (admin) => {
      admin.addHook('onRequest', async (request) => {
        adminOf(principalOf(request));
      });

      const audit = async (p: Principal, action: string, target: string, detail: object, requestId: string) =>
        services.audit.record({ actorSub: p.sub, actorName: p.username, instanceId: p.instance.id, action, target, detail, requestId });

      admin.get(
        '/v1/admin/applications',
        {
          schema: {
            tags: ['workflows'],
            summary: 'Every application with all its versions (drafts, published, disabled), for administrators',
            security: [{ bearer: [] }],
            response: { 200: ApplicationListSchema },
          },
        },
        async () => {
          const by = new Map<string, Application>();
          for (const v of await catalogue.repo.list()) {
            const a = by.get(v.appId) ?? { id: v.appId, name: v.name, versions: [] };
            a.versions.unshift(v);
            a.name = a.versions[0]!.name;
            by.set(v.appId, a);
          }
          return { items: [...by.values()].sort((a, b) => a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id)) };
        },
      );

      admin.post(
        '/v1/admin/applications/check',
        {
          schema: {
            tags: ['workflows'],
            summary: 'Validate a Boutiques descriptor and preview it (nothing is stored)',
            description: 'Answers the parsed descriptor and its catalogue summary (for the form preview), or 400 with the fields at fault.',
            security: [{ bearer: [] }],
            body: DescriptorCheckSchema,
            response: { 200: DescriptorPreviewSchema },
          },
        },
        async (request) => {
          const c = checkDescriptorText(request.body.descriptor);
          return { sha256: c.sha256, summary: workflowSummary('preview', c.descriptor), descriptor: c.descriptor };
        },
      );

      async function store(
        p: Principal,
        body: { id: string; as: 'new' | 'version' },
        text: string,
        provenance: Provenance,
        requestId: string,
      ) {
        const c = checkDescriptorText(text);
        const v = await catalogue.repo.add({
          appId: body.id,
          as: body.as,
          name: c.descriptor.name,
          toolVersion: c.descriptor['tool-version'],
          sha256: c.sha256,
          descriptorJson: c.canonical,
          provenance,
          createdBy: p.username,
          status: 'draft',
        });
        await audit(p, 'application.add', `${v.appId}@${v.version}`, { sha256: v.sha256, source: provenance.source }, requestId);
        return v;
      }

      admin.post(
        '/v1/admin/applications',
        {
          bodyLimit: 1024 * 1024,
          schema: {
            tags: ['workflows'],
            summary: 'Add an uploaded or pasted descriptor as a new application or as the next version of one (a draft)',
            security: [{ bearer: [] }],
            body: ApplicationUploadSchema,
            response: { 201: ApplicationVersionSchema },
          },
        },
        async (request, reply) => {
          const p = principalOf(request);
          const { fileName } = request.body;
          const v = await store(
            p,
            request.body,
            request.body.descriptor,
            { source: 'upload', ...(fileName ? { fileName } : {}) },
            request.id,
          );
          return reply.code(201).send(v);
        },
      );

      admin.post(
        '/v1/admin/applications/import/zenodo',
        {
          bodyLimit: 3 * 1024 * 1024,
          schema: {
            tags: ['workflows'],
            summary: 'Import a descriptor from an OSSR/Zenodo record (exported JSON + file, or fetched live from an allowed host)',
            description:
              "Offline: `recordJson` (the record's \"Export → JSON\") and `descriptor` (the file's text; checked against the record's checksum when `fileName` is given). Live: `record` (id, DOI or URL), fetched from `zenodo.apiUrl` within the allow-list `zenodo.allowedHosts`.",
            security: [{ bearer: [] }],
            body: ZenodoImportSchema,
            response: { 201: ApplicationVersionSchema },
          },
        },
        async (request, reply) => {
          const p = principalOf(request);
          const b = request.body;
          let text: string;
          let provenance: Provenance;
          if (b.recordJson !== undefined) {
            if (b.descriptor === undefined)
              throw problems.validation('With the record export, also give the descriptor file', [
                { path: 'descriptor', message: 'required' },
              ]);
            const record = parseRecordJson(b.recordJson);
            if (b.fileName) checkChecksum(pickDescriptorFile(record, b.fileName), b.descriptor);
            text = b.descriptor;
            provenance = recordProvenance(record, b.fileName);
          } else if (b.record !== undefined) {
            const live = await fetchRecord(b.record, b.fileName, services.config.zenodo);
            checkChecksum(live.file, live.descriptor);
            text = live.descriptor;
            provenance = recordProvenance(live.record, live.file.name);
          } else {
            throw problems.validation('Give a record id or DOI, or the record export and its descriptor file', [
              { path: 'record', message: 'required (or recordJson + descriptor)' },
            ]);
          }
          return reply.code(201).send(await store(p, b, text, provenance, request.id));
        },
      );

      admin.get(
        '/v1/admin/applications/:appId/versions/:version',
        {
          schema: {
            tags: ['workflows'],
            summary: 'One stored version with its descriptor and summary (e.g. a draft or a Zenodo import, before publishing)',
            description: 'Read-only, any status (removed ones too: launches that used them keep them). 404 for an unknown version.',
            security: [{ bearer: [] }],
            params: VersionParamsSchema,
            response: { 200: StoredDescriptorSchema },
          },
        },
        async (request) => {
          const { appId, version } = request.params;
          const v = await catalogue.repo.get(appId, version);
          if (!v) throw problems.notFound(`There is no version ${version} of "${appId}"`);
          const { descriptorJson, ...stored } = v;
          // Checked when stored; a descriptor today's schema refuses is said so, not a 500.
          const parsed = BoutiquesDescriptorSchema.safeParse(JSON.parse(descriptorJson));
          if (!parsed.success)
            throw problems.unprocessable(
              `Version ${version} of "${appId}" no longer validates: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
            );
          return { sha256: v.sha256, summary: workflowSummary(appId, parsed.data), descriptor: parsed.data, version: stored };
        },
      );

      admin.post(
        '/v1/admin/applications/:appId/versions/:version/:action',
        {
          schema: {
            tags: ['workflows'],
            summary:
              'Publish a version (users can launch it) or disable it (hidden from new launches; pinned launches and schedules keep it)',
            security: [{ bearer: [] }],
            params: VersionParamsSchema.extend({ action: VersionActionSchema }),
            response: { 200: ApplicationVersionSchema },
          },
        },
        async (request) => {
          const p = principalOf(request);
          const { appId, version, action } = request.params;
          const v = await catalogue.repo.setStatus(appId, version, action === 'publish' ? 'published' : 'disabled');
          if (!v) throw problems.notFound(`There is no version ${version} of "${appId}"`);
          await audit(p, `application.${action}`, `${appId}@${version}`, {}, request.id);
          return v;
        },
      );

      admin.delete(
        '/v1/admin/applications/:appId/versions/:version',
        {
          schema: {
            tags: ['workflows'],
            summary: 'Remove a version from every list (launches and schedules that used it keep its descriptor, by hash)',
            security: [{ bearer: [] }],
            params: VersionParamsSchema,
            response: { 200: VersionRemovalSchema },
          },
        },
        async (request) => {
          const p = principalOf(request);
          const { appId, version } = request.params;
          const v = await catalogue.repo.setStatus(appId, version, 'removed');
          if (!v) throw problems.notFound(`There is no version ${version} of "${appId}"`);
          const usedBy = await catalogue.repo.usage(appId, v.sha256);
          await audit(p, 'application.remove', `${appId}@${version}`, usedBy, request.id);
          return { removed: v, usedBy };
        },
      );
    };
    await app.register(adminRoutes);
  };
}
