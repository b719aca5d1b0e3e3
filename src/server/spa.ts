/**
 * Serves the built SPA with a strict Content-Security-Policy. index.html gets
 * a fresh nonce per response (MUI's emotion styles carry it); no inline script
 * is allowed at all. Hashed assets are immutable for a year and sent
 * pre-compressed (brotli or gzip) when the browser accepts it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export function cspFor(nonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * The headers of every response: request id, CSP (API default unless the SPA set its own), security headers,
 * HSTS when given (production), no-store for /bff.
 */
export function responseHeaders(request: FastifyRequest, reply: FastifyReply, hsts: string | null) {
  reply.header('x-request-id', request.id);
  if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', API_CSP);
  securityHeaders(reply);
  if (hsts) reply.header('strict-transport-security', hsts);
  if (request.url.startsWith('/bff/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
}

export function securityHeaders(reply: FastifyReply) {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('x-frame-options', 'DENY');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
}

/** Registers static assets; returns a function that sends index.html, or null when there is no build. */
export async function registerSpa(app: FastifyInstance, staticDir: string): Promise<((reply: FastifyReply) => FastifyReply) | null> {
  const root = path.resolve(staticDir);
  const indexFile = path.join(root, 'index.html');
  if (!fs.existsSync(indexFile)) {
    app.log.warn({ staticDir: root }, 'no SPA build found (run `npm run build`); serving the API only');
    return null;
  }
  const template = fs.readFileSync(indexFile, 'utf8');
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: false,
    wildcard: false,
    // The build writes .br and .gz beside each text asset (vite.config.ts); Accept-Encoding picks one.
    preCompressed: true,
    // Source maps are kept out of dist/ by the build; refuse any that land there anyway. index.html is a
    // template (its CSP nonce is filled in per response), so it is only ever sent by sendIndex.
    allowedPath: (pathName) => !pathName.endsWith('.map') && pathName !== '/index.html',
    setHeaders(res, filePath) {
      res.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.header('content-security-policy', API_CSP);
    },
  });
  return (reply) => {
    const nonce = crypto.randomBytes(16).toString('base64');
    securityHeaders(reply);
    return reply
      .code(200)
      .header('content-security-policy', cspFor(nonce))
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(template.replaceAll('__CSP_NONCE__', nonce));
  };
}
