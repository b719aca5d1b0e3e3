import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { problems } from './errors.ts';
import { redactQuery } from './logging.ts';
import { unitApp } from './testing/unit-app.ts';

const instance = { id: 'local', label: 'Local', url: 'http://diracx.test', clientId: 'portal' };

describe('request logs', () => {
  it('redact credential-like query parameters and keep the rest', () => {
    expect(redactQuery('/bff/v1/schedules/authorize/callback?code=abc&state=xyz&x=1')).toBe(
      '/bff/v1/schedules/authorize/callback?code=[redacted]&state=[redacted]&x=1',
    );
    expect(redactQuery('/bff/v1/me?ACCESS_TOKEN=eyJ&access%5Ftoken=eyJ2&page=2')).toBe(
      '/bff/v1/me?ACCESS_TOKEN=[redacted]&access%5Ftoken=[redacted]&page=2',
    );
    expect(redactQuery('/bff/v1/jobs')).toBe('/bff/v1/jobs');
  });

  it('never contain the schedule callback code, a token in a query string or an Authorization header', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const t = await unitApp({
      instances: [instance],
      verifyToken: async () => {
        throw problems.unauthenticated('The access token is invalid');
      },
      build: { logger: { level: 'info', stream } },
    });
    try {
      await t.app.inject({ method: 'GET', url: '/bff/v1/schedules/authorize/callback?code=ONE-TIME-CODE-123&state=STATE-456' });
      await t.app.inject({
        method: 'GET',
        url: '/bff/v1/me?access_token=eyJQUERY.TOKEN.789',
        headers: { authorization: 'Bearer eyJHEADER.TOKEN', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      });
      const log = lines.join('');
      // The request's lines after routing (its completion, with status and time) carry its trace id.
      const parsed = lines.map((l) => JSON.parse(l) as { traceId?: string; msg?: string });
      expect(parsed.find((l) => l.msg === 'request completed' && l.traceId === '0af7651916cd43dd8448eb211c80319c')).toBeDefined();
      expect(log).toContain('/bff/v1/schedules/authorize/callback?code=[redacted]');
      for (const secret of ['ONE-TIME-CODE-123', 'STATE-456', 'eyJQUERY.TOKEN.789', 'eyJHEADER.TOKEN']) expect(log).not.toContain(secret);
    } finally {
      await t.close();
    }
  });
});
