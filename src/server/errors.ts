import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ApiErrorBody, ApiErrorCode } from '../contracts/common.ts';
import { DatabaseUnreachableError } from './db/unreachable.ts';

const TITLES: Record<ApiErrorCode, string> = {
  VALIDATION: 'Invalid request',
  UNAUTHENTICATED: 'Sign-in required',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict',
  UNPROCESSABLE: 'Cannot be processed',
  UPSTREAM: 'DiracX refused the request',
  UPSTREAM_UNREACHABLE: 'DiracX is unreachable',
  RATE_LIMITED: 'Too many requests',
  INTERNAL: 'Internal error',
  CATALOGUE: 'The data catalogue refused the request',
  CATALOGUE_UNREACHABLE: 'The data catalogue is unreachable',
  DATABASE_UNREACHABLE: "The portal's database is unreachable",
};

/** An error the BFF means to show: becomes a problem+json response. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly detail?: string;
  readonly issues?: { path: string; message: string }[];
  readonly upstreamStatus?: number;
  /** Sent as Retry-After (429, 503). */
  readonly retryAfterSeconds?: number;
  constructor(
    status: number,
    code: ApiErrorCode,
    message: string,
    extra: {
      detail?: string;
      issues?: { path: string; message: string }[];
      upstreamStatus?: number;
      retryAfterSeconds?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: extra.cause });
    this.name = 'HttpProblem';
    this.status = status;
    this.code = code;
    this.detail = extra.detail;
    this.issues = extra.issues;
    this.upstreamStatus = extra.upstreamStatus;
    this.retryAfterSeconds = extra.retryAfterSeconds;
  }
}

export const problems = {
  unauthenticated: (message: string) => new HttpProblem(401, 'UNAUTHENTICATED', message),
  forbidden: (message: string) => new HttpProblem(403, 'FORBIDDEN', message),
  notFound: (message: string) => new HttpProblem(404, 'NOT_FOUND', message),
  validation: (message: string, issues?: { path: string; message: string }[]) => new HttpProblem(400, 'VALIDATION', message, { issues }),
  conflict: (message: string) => new HttpProblem(409, 'CONFLICT', message),
  unprocessable: (message: string) => new HttpProblem(422, 'UNPROCESSABLE', message),
  rateLimited: (message: string, retryAfterSeconds: number) =>
    new HttpProblem(429, 'RATE_LIMITED', `${message}; try again in ${retryAfterSeconds} s`, { retryAfterSeconds }),
};

export function problemBody(p: HttpProblem, requestId: string): ApiErrorBody {
  return {
    type: `https://escape-portal.invalid/problems/${p.code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[p.code],
    status: p.status,
    ...(p.detail ? { detail: p.detail } : {}),
    code: p.code,
    message: p.message,
    requestId,
    ...(p.issues ? { issues: p.issues } : {}),
    ...(p.upstreamStatus ? { upstreamStatus: p.upstreamStatus } : {}),
  };
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, p: HttpProblem) {
  if (p.status === 401) reply.header('www-authenticate', 'Bearer');
  if (p.retryAfterSeconds) reply.header('retry-after', String(p.retryAfterSeconds));
  return reply.code(p.status).type('application/problem+json').send(problemBody(p, request.id));
}

function toProblem(err: unknown, request: FastifyRequest): HttpProblem {
  if (err instanceof HttpProblem) return err;
  // The portal's own database is down or restarting: nothing was done, the request can be sent again.
  if (err instanceof DatabaseUnreachableError) {
    request.log.warn({ err: err.message }, 'database unreachable');
    return new HttpProblem(503, 'DATABASE_UNREACHABLE', "The portal's database is not reachable right now; try again in a moment", {
      retryAfterSeconds: 5,
    });
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation.map((v) => {
      const where = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const ctx = (err as FastifyError & { validationContext?: string }).validationContext ?? 'body';
      return { path: where ? `${ctx}.${where}` : ctx, message: v.message ?? 'invalid' };
    });
    const first = issues[0];
    return new HttpProblem(400, 'VALIDATION', first ? `${first.path}: ${first.message}` : 'Invalid request', { issues });
  }
  // A value the JDL module refused (it names the attribute): the user's input, not a portal fault.
  if (err instanceof Error && err.name === 'JdlError') {
    const attribute = (err as Error & { attribute?: string }).attribute ?? 'JDL';
    return new HttpProblem(400, 'VALIDATION', err.message, { issues: [{ path: attribute, message: err.message }] });
  }
  // Likewise a value the command line cannot hold (a workflow input, or a basket item bound to one).
  if (err instanceof Error && err.name === 'CommandLineError') {
    const inputId = (err as Error & { inputId?: string | null }).inputId;
    return new HttpProblem(
      400,
      'VALIDATION',
      err.message,
      inputId ? { issues: [{ path: `values.${inputId}`, message: err.message }] } : {},
    );
  }
  if (isResponseSerializationError(err)) {
    request.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
    return new HttpProblem(500, 'INTERNAL', 'The portal produced an invalid response');
  }
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code: ApiErrorCode =
      fe.statusCode === 404
        ? 'NOT_FOUND'
        : fe.statusCode === 429
          ? 'RATE_LIMITED'
          : fe.statusCode === 401
            ? 'UNAUTHENTICATED'
            : fe.statusCode === 403
              ? 'FORBIDDEN'
              : 'VALIDATION';
    return new HttpProblem(fe.statusCode, code, fe.message);
  }
  request.log.error({ err }, 'unhandled error');
  return new HttpProblem(500, 'INTERNAL', 'Something went wrong in the portal; the request id identifies it in the logs');
}

/** A framework error found before routing (FST_ERR_BAD_URL, FST_ERR_MAX_PARAM_LENGTH, …), as a problem that does not echo the URL. */
export function frameworkError(err: FastifyError): HttpProblem {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return new HttpProblem(414, 'VALIDATION', 'A segment of the URL is too long');
  if (err.code === 'FST_ERR_BAD_URL') return new HttpProblem(400, 'VALIDATION', 'The URL is not valid');
  const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  return new HttpProblem(status, 'VALIDATION', 'The request cannot be routed');
}

export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err, request, reply) => {
    const p = toProblem(err, request);
    if (p.status >= 500) request.log.warn({ code: p.code, status: p.status }, p.message);
    return sendProblem(reply, request, p);
  });
}
