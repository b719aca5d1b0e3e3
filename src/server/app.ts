/**
 * buildApp: the whole BFF as a Fastify instance, without listening (tests use
 * app.inject). server.ts adds the listener.
 */
import crypto from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { accountingRoutes } from './accounting/routes.ts';
import { startAccounting } from './accounting/start.ts';
import { createAuditLog } from './audit/log.ts';
import { authRoutes } from './auth/routes.ts';
import { createTokenVerifier, type TokenVerifier } from './auth/verify.ts';
import type { Config, InstanceConfig } from './config.ts';
import { ensureDemoDatasets } from './datasets/demo-seed.ts';
import { datasetRoutes } from './datasets/routes.ts';
import type { Database } from './db/database.ts';
import { migrate } from './db/migrations.ts';
import { rateLimiter } from './rate-limit.ts';
import { createDiracxClient, type DiracxClient } from './diracx/client.ts';
import { frameworkError, installErrorHandling, problems, sendProblem } from './errors.ts';
import { healthRoutes } from './health/routes.ts';
import { jobRoutes } from './jobs/routes.ts';
import { registerJsonParser } from './json-body.ts';
import { stagingRucioFromConfig } from './launches/staging.ts';
import { LaunchRunner } from './launches/engine.ts';
import { loggerOptions } from './logging.ts';
import { createLaunchRepo } from './launches/repo.ts';
import { launchRoutes } from './launches/routes.ts';
import { migrations } from './migrations.ts';
import type { Lifecycle, Services } from './plugins.ts';
import { productionOutputRoutes } from './productions/outputs-routes.ts';
import { productionRoutes } from './productions/routes.ts';
import { watchCatalogue, type Catalogue } from './resources/catalogue.ts';
import { resourceRoutes } from './resources/routes.ts';
import { scheduleRoutes } from './schedules/routes.ts';
import type { Scheduler } from './schedules/scheduler.ts';
import { createObservability, instrumentApp, type Observability } from './observability.ts';
import { registerSpa, responseHeaders } from './spa.ts';
import { exporterFromEnv, type SpanExporter } from './tracing/tracer.ts';
import { workflowRoutes } from './workflows/routes.ts';

/** Orchestrator probes, never rate limited. */
const PROBES = new Set(['/bff/livez', '/bff/readyz', '/bff/healthz']);

declare module 'fastify' {
  interface FastifyInstance {
    /** The launch runner of this BFF (tests abandon it to play a replica that died mid-launch). */
    launchRunner: LaunchRunner;
    /** Set by server.ts on SIGTERM: readiness then fails so load balancers stop sending new requests. */
    lifecycle: Lifecycle;
    /** Metrics and traces (server.ts serves metrics.port from it). */
    observability: Observability;
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
  /** Where spans go; default: the OTEL_EXPORTER_OTLP_* environment (none when unset). */
  spanExporter?: SpanExporter | null;
}

export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const { config, db } = opts;
  // Production is https-only (publicUrl is checked), so browsers may pin it; not in development (http on loopback).
  const hsts =
    config.mode === 'production' && config.hstsMaxAgeSeconds > 0 ? `max-age=${config.hstsMaxAgeSeconds}; includeSubDomains` : null;
  const app = Fastify({
    logger:
      opts.logger === false ? false : loggerOptions(config.logLevel, opts.logger === true || opts.logger === undefined ? {} : opts.logger),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(given) ? given : crypto.randomUUID();
    },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Errors found before routing (a bad or too long URL) skip hooks and the error handler: answer them as
    // problem+json with the same headers as any other response, without echoing the URL.
    frameworkErrors: (err, request, reply) => {
      responseHeaders(request, reply, hsts);
      return sendProblem(reply, request, frameworkError(err));
    },
  }).withTypeProvider<ZodTypeProvider>();
  registerJsonParser(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await migrate(db, migrations, { logger: { info: (obj, msg) => app.log.info(obj, msg) } });
  await ensureDemoDatasets(db, { count: config.demoDatasets, logger: { info: (obj, msg) => app.log.info(obj, msg) } });

  const launches = createLaunchRepo(db);
  const launchRunner = new LaunchRunner(launches, {
    leaseTtlMs: config.launchLeaseSeconds * 1000,
    staging: {
      rucio: stagingRucioFromConfig(config.datasetSources),
      timeoutMs: config.stagingTimeoutSeconds * 1000,
      pollMs: config.stagingPollSeconds * 1000,
    },
    log: { info: (o, m) => app.log.info(o, m), warn: (o, m) => app.log.warn(o, m) },
  });
  const observability = createObservability({
    config,
    db,
    runningLaunches: () => launchRunner.runningCount,
    exporter:
      opts.spanExporter !== undefined
        ? opts.spanExporter
        : exporterFromEnv(process.env, (err) => app.log.warn({ err: err.message }, 'trace export failed')),
  });
  app.decorate('observability', observability);
  instrumentApp(app, observability, config);

  const clients = new Map<string, DiracxClient>();
  const diracx =
    opts.diracx ??
    ((instance: InstanceConfig) => {
      let c = clients.get(instance.id);
      if (!c) {
        c = createDiracxClient(instance, {
          timeoutMs: config.upstreamTimeoutMs,
          perUserConcurrency: config.diracxPerUserConcurrency,
          observe: observability.diracxObserver,
        });
        clients.set(instance.id, c);
      }
      return c;
    });
  // A given catalogue (tests) is fixed; the configured file is read again when it changes.
  let catalogueSource: { readonly current: Catalogue | null } = { current: opts.catalogue ?? null };
  if (opts.catalogue === undefined && config.resourceCatalogue) {
    const watched = await watchCatalogue(config.resourceCatalogue, {
      intervalMs: config.resourceCatalogueRefreshSeconds * 1000,
      log: { info: (o, m) => app.log.info(o, m), warn: (o, m) => app.log.warn(o, m) },
    });
    for (const w of watched.current.warnings) app.log.warn(w);
    app.addHook('onClose', async () => watched.stop());
    catalogueSource = watched;
  }
  app.decorate('launchRunner', launchRunner);
  const lifecycle: Lifecycle = { draining: false };
  app.decorate('lifecycle', lifecycle);
  app.addHook('onClose', async () => {
    // Let in-flight launches finish (bounded): what is left stays resumable and another replica takes it over.
    const running = launchRunner.runningCount;
    const finished = await launchRunner.drain(config.shutdownGraceMs);
    if (running > 0 && finished) app.log.info({ running }, 'in-flight launches finished');
    else if (running > 0) app.log.warn({ running, graceMs: config.shutdownGraceMs }, 'in-flight launches left to another replica');
  });
  const accounting = startAccounting({ config, db, diracx, log: app.log, inSpan: observability.inSpan });
  app.addHook('onClose', () => accounting.stop());
  const limitError = (err: unknown) =>
    app.log.warn({ err }, 'could not share the rate-limit counts (limits count in this replica only meanwhile)');
  const services: Services = {
    config,
    db,
    diracx,
    verifyToken: opts.verifyToken ?? createTokenVerifier(config.instances),
    get catalogue() {
      return catalogueSource.current;
    },
    audit: createAuditLog(db, (entry) => app.log.info({ audit: entry }, 'audit')),
    launches,
    launchRunner,
    lifecycle,
    userRateLimit: rateLimiter(config.rateLimitPerUserPerMinute, { shared: { db, scope: 'user', onError: limitError } }),
    inSpan: observability.inSpan,
  };
  const ipRateLimit = rateLimiter(config.rateLimitPerIpPerMinute, { shared: { db, scope: 'ip', onError: limitError } });
  app.addHook('onClose', () => Promise.all([services.userRateLimit.close(), ipRateLimit.close()]).then(() => undefined));

  app.addHook('onSend', async (request, reply, payload) => {
    responseHeaders(request, reply, hsts);
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
      // Per client address, before the token is even verified; probes are exempt (orchestrators poll them from one address).
      bff.addHook('onRequest', async (request) => {
        if (PROBES.has(request.url.split('?')[0]!)) return;
        const wait = ipRateLimit.take(request.ip);
        if (wait) throw problems.rateLimited('Too many requests from this address', wait);
      });
      // One plugin per domain (<domain>/routes.ts). Workflows registers before the launch domains: it loads the catalogue they use.
      const domains = [
        healthRoutes(services),
        authRoutes(services),
        jobRoutes(services),
        resourceRoutes(services),
        workflowRoutes(services),
        datasetRoutes(services),
        launchRoutes(services),
        productionRoutes(services),
        productionOutputRoutes(services),
        accountingRoutes(services),
        scheduleRoutes(services, { start: opts.startScheduler === true, ...(opts.schedulerRef ? { ref: opts.schedulerRef } : {}) }),
      ];
      for (const domain of domains) await bff.register(domain);
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
