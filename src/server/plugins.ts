import type { FastifyRequest } from 'fastify';
import type { AuditLog } from './audit/log.ts';
import { bearerFrom, type Principal, type TokenVerifier } from './auth/verify.ts';
import type { Config, InstanceConfig } from './config.ts';
import type { Database } from './db/database.ts';
import type { DiracxClient } from './diracx/client.ts';
import { problems } from './errors.ts';
import type { LaunchRunner } from './launches/engine.ts';
import type { LaunchRepo } from './launches/repo.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { Catalogue } from './resources/catalogue.ts';
import type { WorkflowCatalogue } from './workflows/applications.ts';

/**
 * Everything the domains' route plugins share, built once by buildApp. Each domain's `routes.ts`
 * exports one `<domain>Routes(services)` plugin and builds its own repositories from `db`.
 */
export interface Services {
  config: Config;
  db: Database;
  diracx: (instance: InstanceConfig) => DiracxClient;
  verifyToken: TokenVerifier;
  /** The resource catalogue (sites, CEs, queues), or null when none is configured. */
  catalogue: Catalogue | null;
  /** The application catalogue (database; seeded from `workflowsDir`): set by the workflow routes plugin unless given. */
  workflows?: WorkflowCatalogue;
  audit: AuditLog;
  /** Launches and the one runner submitting their jobs in the background (launches, productions, schedules). */
  launches: LaunchRepo;
  launchRunner: LaunchRunner;
  lifecycle: Lifecycle;
  /** Requests per signed-in user (instance + sub), checked right after the token (rate-limit.ts). */
  userRateLimit: RateLimiter;
  /** Background work in a trace span of its own (observability.ts). */
  inSpan: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

/** Process state the probes report: draining from SIGTERM until exit (server.ts). */
export interface Lifecycle {
  draining: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/**
 * Verify the bearer token before anything else: register it as an `onRequest` hook (never preHandler), so an
 * unauthenticated request is refused before its body is read, size-checked or validated (no 400/413 with
 * field messages to anonymous callers), and before anything reaches DiracX.
 */
export function requireAuth(services: Services) {
  return async (request: FastifyRequest) => {
    const token = bearerFrom(request.headers.authorization);
    const principal = await services.verifyToken(token);
    const wait = services.userRateLimit.take(`${principal.instance.id}\n${principal.sub}`);
    if (wait) throw problems.rateLimited('Too many requests from this account', wait);
    request.principal = principal;
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw problems.unauthenticated('Sign in first');
  return request.principal;
}

export function instanceById(services: Services, id: string): InstanceConfig {
  const inst = services.config.instances.find((i) => i.id === id);
  if (!inst) throw problems.notFound(`No DiracX instance "${id}" is configured`);
  return inst;
}

const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/**
 * Absolute origin of the portal as the browser sees it, for URLs the BFF hands out (OIDC discovery, the
 * schedule authorization redirect): the configured `publicUrl`, never the request's Host header, which
 * anyone can set (a shared cache could then send users' codes and tokens elsewhere). Without `publicUrl`
 * (development) only a loopback Host is accepted; any other deployment must configure it.
 */
export function publicOrigin(services: Services, request: FastifyRequest): string {
  if (services.config.publicUrl) return services.config.publicUrl;
  if (!LOOPBACK_HOST.test(request.host)) {
    throw problems.validation(
      'This portal has no publicUrl (PORTAL_PUBLIC_URL) configured, so it builds absolute URLs only for loopback addresses',
    );
  }
  return `${request.protocol}://${request.host}`;
}
