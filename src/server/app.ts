/**
 * buildApp: the whole BFF as a Fastify instance, without listening (tests use
 * app.inject). server.ts adds the listener.
 */
import crypto from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { createTokenVerifier, type TokenVerifier } from './auth/verify.ts';
import type { Config, InstanceConfig } from './config.ts';
import type { Database } from './db/database.ts';
import { migrate } from './db/migrations.ts';
import { createAuditLog, createSubmissionRepo } from './db/repositories.ts';
import { createDiracxClient, type DiracxClient } from './diracx/client.ts';
import { ensureDemoDatasets } from './datasets/demo-seed.ts';
import { installErrorHandling, problems, sendProblem } from './errors.ts';
import type { Services } from './plugins.ts';
import { loadCatalogue, type Catalogue } from './resources/catalogue.ts';
import { authRoutes } from './routes/auth.ts';
import { datasetRoutes } from './routes/datasets.ts';
import { rucioRoutes } from './routes/rucio.ts';
import { draftRoutes } from './routes/drafts.ts';
import { healthRoutes } from './routes/health.ts';
import { jobRoutes } from './routes/jobs.ts';
import { monitorRoutes } from './routes/monitor.ts';
import { resourceRoutes } from './routes/resources.ts';
import { workflowRoutes } from './routes/workflows.ts';
import { launchRoutes } from './routes/launches.ts';
import { productionRoutes } from './routes/productions.ts';
import { createProductionRepo } from './productions/repo.ts';
import { accountingRoutes } from './routes/accounting.ts';
import { startAccounting } from './accounting/start.ts';
import { basketItemsFor } from './datasets/basket-repo.ts';
import { LaunchRunner } from './launches/engine.ts';
import { createLaunchRepo } from './launches/repo.ts';
import { adaptWorkflow } from './launches/workflow-adapter.ts';
import { API_CSP, registerSpa, securityHeaders } from './spa.ts';
import { schedulesPlugin } from './schedules/module.ts';
import type { Scheduler } from './schedules/scheduler.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The launch runner of this BFF (tests abandon it to play a replica that died mid-launch). */
    launchRunner: LaunchRunner;
  }
}

export interface BuildOptions {
  config: Config;
  db: Database;
  /** Replace the DiracX client (unit tests use a narrow double; production never does). */
  diracx?: (instance: InstanceConfig) => DiracxClient;
  verifyToken?: TokenVerifier;
  catalogue?: Catalogue | null;
  logger?: boolean | Record<string, unknown>;
  serveSpa?: boolean;
  /** Run the schedules loop (server.ts does; tests call the scheduler's tick() through schedulerRef). */
  startScheduler?: boolean;
  schedulerRef?: { current?: Scheduler };
}

export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const { config, db } = opts;
  const app = Fastify({
    logger:
      opts.logger === undefined
        ? { level: config.logLevel, redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' } }
        : opts.logger,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(given) ? given : crypto.randomUUID();
    },
    trustProxy: false,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await migrate(db, { logger: { info: (obj, msg) => app.log.info(obj, msg) } });
  await ensureDemoDatasets(db, { count: config.demoDatasets, logger: { info: (obj, msg) => app.log.info(obj, msg) } });

  const clients = new Map<string, DiracxClient>();
  const diracx =
    opts.diracx ??
    ((instance: InstanceConfig) => {
      let c = clients.get(instance.id);
      if (!c) {
        c = createDiracxClient(instance, { timeoutMs: config.upstreamTimeoutMs });
        clients.set(instance.id, c);
      }
      return c;
    });
  let catalogue: Catalogue | null = opts.catalogue === undefined ? null : opts.catalogue;
  if (opts.catalogue === undefined) {
    catalogue = await loadCatalogue(config.resourceCatalogue);
    for (const w of catalogue.warnings) app.log.warn(w);
  }
  const launches = createLaunchRepo(db);
  const launchRunner = new LaunchRunner(launches, {
    leaseTtlMs: config.launchLeaseSeconds * 1000,
    log: { info: (o, m) => app.log.info(o, m), warn: (o, m) => app.log.warn(o, m) },
  });
  app.decorate('launchRunner', launchRunner);
  app.addHook('onClose', async () => {
    await launchRunner.idle();
  });
  const accounting = startAccounting({ config, db, diracx, log: app.log });
  app.addHook('onClose', () => accounting.stop());
  const services: Services = {
    config,
    db,
    submissions: createSubmissionRepo(db),
    audit: createAuditLog(db),
    diracx,
    verifyToken: opts.verifyToken ?? createTokenVerifier(config.instances),
    catalogue,
    jdlOfLaunchJob: (instanceId, jobId) => launches.jdlForJob(instanceId, jobId),
  };

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', API_CSP);
    securityHeaders(reply);
    if (request.url.startsWith('/bff/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  installErrorHandling(app);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'ESCAPE Batch Portal BFF',
        version: '0.1.0',
        description: 'Everything the portal UI does, for scripts too: send the same DiracX access token as a Bearer token.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (DiracX access token)' } } },
    },
    transform: jsonSchemaTransform,
  });

  await app.register(
    async (bff) => {
      await bff.register(healthRoutes(services));
      await bff.register(authRoutes(services));
      await bff.register(jobRoutes(services));
      await bff.register(monitorRoutes(services));
      await bff.register(resourceRoutes(services));
      await bff.register(workflowRoutes(services));
      await bff.register(datasetRoutes(services));
      await bff.register(rucioRoutes(services));
      await bff.register(draftRoutes(services));
      await bff.register(
        launchRoutes(services, {
          launches,
          runner: launchRunner,
          workflowFor: (id) => {
            const entry = services.workflows?.get(id);
            return entry ? adaptWorkflow(entry) : undefined;
          },
          basketItems: async (p, ids) =>
            (await basketItemsFor(db, p.sub, p.instance.id, ids)).map((i) => ({
              id: i.id,
              kind: i.kind,
              ref: i.ref,
              name: i.name,
              sizeBytes: i.sizeBytes,
            })),
        }),
      );
      await bff.register(
        productionRoutes(services, {
          productions: createProductionRepo(db),
          launches,
          resume: (p, launchId, jobGroup) => {
            if (!launchRunner.isRunning(launchId)) void launchRunner.start(launchId, jobGroup, p.token, diracx(p.instance));
          },
        }),
      );
      await bff.register(accountingRoutes(services));
      await bff.register(
        schedulesPlugin(services, {
          launches,
          runner: launchRunner,
          start: opts.startScheduler === true,
          ...(opts.schedulerRef ? { ref: opts.schedulerRef } : {}),
        }),
      );
      bff.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/bff' },
  );

  const sendIndex = opts.serveSpa === false ? null : await registerSpa(app, config.staticDir);
  app.setNotFoundHandler((request, reply) => {
    const pathOnly = request.url.split('?')[0] ?? '/';
    if (
      sendIndex &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      !pathOnly.startsWith('/bff/') &&
      !pathOnly.startsWith('/assets/')
    )
      return sendIndex(reply);
    return sendProblem(reply, request, problems.notFound(`No route ${request.method} ${pathOnly}`));
  });

  return app;
}
