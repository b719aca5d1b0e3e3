/**
 * What the BFF's request logs may show. Authorization headers and cookies are redacted by path; URLs are
 * logged with the values of credential-like query parameters replaced (an access token some script put in a
 * query string, the schedule authorization callback's one-time `code` and `state`).
 */
import type { FastifyRequest } from 'fastify';

const SECRET_PARAMS = new Set(['code', 'state', 'access_token', 'refresh_token', 'id_token', 'token', 'client_secret', 'password']);
export const REDACTED = '[redacted]';

/** The URL with the values of credential-like query parameters replaced; the path is kept as it is. */
export function redactQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // an undecodable name is kept raw
      }
      return eq >= 0 && SECRET_PARAMS.has(name.toLowerCase()) ? `${rawName}=${REDACTED}` : pair;
    });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}

/** Fastify logger options: level, redaction and the request serializer. `overrides` (tests) win. */
export function loggerOptions(level: string, overrides: Record<string, unknown> = {}) {
  return {
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: REDACTED },
    serializers: {
      req: (req: FastifyRequest) => ({
        method: req.method,
        url: redactQuery(req.url),
        host: req.host,
        remoteAddress: req.ip,
      }),
    },
    ...overrides,
  };
}
