import type { FastifyRequest } from 'fastify';
import type { Catalogue } from './resources/catalogue.ts';
import type { Config, InstanceConfig } from './config.ts';
import type { Database } from './db/database.ts';
import type { AuditLog, SubmissionRepo } from './db/repositories.ts';
import type { DiracxClient } from './diracx/client.ts';
import type { WorkflowCatalogue } from './workflows/catalogue.ts';
import { bearerFrom, type Principal, type TokenVerifier } from './auth/verify.ts';
import { problems } from './errors.ts';

/** Everything a route needs, built once by buildApp. */
export interface Services {
  config: Config;
  db: Database;
  submissions: SubmissionRepo;
  audit: AuditLog;
  diracx: (instance: InstanceConfig) => DiracxClient;
  verifyToken: TokenVerifier;
  catalogue: Catalogue | null;
  /** Boutiques descriptors of `workflowsDir`: loaded at start by the workflow routes plugin unless given (tests). */
  workflows?: WorkflowCatalogue;
  /** The JDL the portal sent for a job of a launch, if it was one. */
  jdlOfLaunchJob?: (instanceId: string, jobId: number) => Promise<string | null>;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** preHandler: verify the bearer token before anything reaches DiracX. */
export function requireAuth(services: Services) {
  return async (request: FastifyRequest) => {
    const token = bearerFrom(request.headers.authorization);
    request.principal = await services.verifyToken(token);
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw problems.unauthenticated('Sign in first');
  return request.principal;
}

/** Who owns what a principal creates (submissions, launches): stored with the record. */
export function ownerOf(p: Principal) {
  return { instanceId: p.instance.id, ownerSub: p.sub, ownerName: p.username, vo: p.vo, group: p.group };
}

export function instanceById(services: Services, id: string): InstanceConfig {
  const inst = services.config.instances.find((i) => i.id === id);
  if (!inst) throw problems.notFound(`No DiracX instance "${id}" is configured`);
  return inst;
}

/** Absolute origin of the portal as the browser sees it. */
export function publicOrigin(services: Services, request: FastifyRequest): string {
  return services.config.publicUrl ?? `${request.protocol}://${request.host}`;
}
