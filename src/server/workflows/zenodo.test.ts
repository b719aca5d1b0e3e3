/**
 * OSSR/Zenodo import. There is no internet here: the live fetch is tested against a local HTTP server
 * standing in for zenodo.org (a narrow double serving a record, its file, a redirect, an oversized file and a
 * server that never answers), configured as the import's API and only allowed host.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problems } from '../errors.ts';
import { demoPrincipal, TEST_INSTANCE, type DemoRole } from '../testing/principal.ts';
import { unitApp } from '../testing/unit-app.ts';
import { recordIdOf } from './zenodo.ts';

const DESCRIPTOR = JSON.stringify({
  ...(JSON.parse(fs.readFileSync(path.resolve('workflows/hello-world.json'), 'utf8')) as object),
  name: 'OSSR greeter',
  'tool-version': '2.1',
});
const md5 = (text: string) => crypto.createHash('md5').update(text).digest('hex');
const as = (role: DemoRole) => ({ authorization: `Bearer role-${role}` });

function record(base: string, id: number, files: { key: string; text?: string; url?: string }[]) {
  return {
    id,
    doi: `10.5281/zenodo.${id}`,
    links: { self_html: `${base}/records/${id}` },
    metadata: {
      title: 'OSSR greeter',
      version: 'v2.1',
      license: { id: 'mit' },
      creators: [{ name: 'Doe, Jane', affiliation: 'ESCAPE' }, { name: 'Roe, Richard' }],
    },
    files: files.map((f) => ({
      key: f.key,
      size: f.text?.length ?? 0,
      checksum: f.text === undefined ? undefined : `md5:${md5(f.text)}`,
      links: { self: f.url ?? `${base}/api/records/${id}/files/${f.key}/content` },
    })),
  };
}

describe('OSSR/Zenodo import', () => {
  let server: http.Server;
  let base: string;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  const hits: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = req.url ?? '';
      hits.push(url);
      const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (url === '/api/records/101') return json(record(base, 101, [{ key: 'greeter.json', text: DESCRIPTOR }, { key: 'README.md' }]));
      if (url === '/api/records/101/files/greeter.json/content') return res.end(DESCRIPTOR);
      // a file link on a host that is not allowed
      if (url === '/api/records/102') return json(record(base, 102, [{ key: 'd.json', url: 'http://169.254.169.254/latest/meta-data' }]));
      // a redirect to a host that is not allowed
      if (url === '/api/records/103') return json(record(base, 103, [{ key: 'd.json' }]));
      if (url === '/api/records/103/files/d.json/content') return res.writeHead(302, { location: 'http://evil.test/d.json' }).end();
      // a file larger than the bound, without a content-length
      if (url === '/api/records/104') return json(record(base, 104, [{ key: 'd.json' }]));
      if (url === '/api/records/104/files/d.json/content') {
        res.writeHead(200);
        for (let i = 0; i < 64; i++) res.write('x'.repeat(1024));
        return res.end();
      }
      // never answers
      if (url === '/api/records/105') return;
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    base = `http://${host}`;
    ({ app, close } = await unitApp({
      instances: [TEST_INSTANCE],
      config: { zenodo: { apiUrl: base, allowedHosts: [host], timeoutMs: 1000, maxBytes: 32 * 1024 } },
      verifyToken: async (token) => {
        if (!token.startsWith('role-')) throw problems.unauthenticated('The access token is invalid');
        return demoPrincipal(token.slice(5) as DemoRole);
      },
    }));
  });
  afterAll(async () => {
    await close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const importZenodo = (payload: object) =>
    app.inject({ method: 'POST', url: '/bff/v1/admin/applications/import/zenodo', headers: as('admin'), payload });

  it('reads record ids, Zenodo DOIs and record URLs, and refuses anything else', () => {
    expect(recordIdOf('1234567')).toBe('1234567');
    expect(recordIdOf('10.5281/zenodo.1234567')).toBe('1234567');
    expect(recordIdOf('https://doi.org/10.5281/zenodo.42')).toBe('42');
    expect(recordIdOf('https://zenodo.org/records/42')).toBe('42');
    expect(() => recordIdOf('10.1000/other.42')).toThrow(/Zenodo record id/);
    expect(() => recordIdOf('../../etc')).toThrow(/Zenodo record id/);
  });

  it('offline: the record export and the descriptor file, with provenance; a file that is not the record’s is refused', async () => {
    const exported = JSON.stringify(record('https://zenodo.org', 555, [{ key: 'greeter.json', text: DESCRIPTOR }]));
    const res = await importZenodo({
      id: 'ossr-greeter',
      as: 'new',
      recordJson: exported,
      descriptor: DESCRIPTOR,
      fileName: 'greeter.json',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      appId: 'ossr-greeter',
      version: 1,
      status: 'draft',
      toolVersion: '2.1',
      provenance: {
        source: 'zenodo',
        recordId: '555',
        doi: '10.5281/zenodo.555',
        recordVersion: 'v2.1',
        license: 'mit',
        creators: ['Doe, Jane', 'Roe, Richard'],
        url: 'https://zenodo.org/records/555',
        fileName: 'greeter.json',
      },
    });
    const tampered = await importZenodo({
      id: 'ossr-greeter',
      as: 'version',
      recordJson: exported,
      descriptor: DESCRIPTOR.replace('OSSR greeter', 'Other'),
      fileName: 'greeter.json',
    });
    expect(tampered.statusCode).toBe(400);
    expect(tampered.json().message).toContain('does not match the record');
    const notRecord = await importZenodo({ id: 'x', as: 'new', recordJson: '{"hello": 1}', descriptor: DESCRIPTOR });
    expect(notRecord.statusCode).toBe(400);
    expect(notRecord.json().message).toBe('This is not a Zenodo record export (JSON)');
  });

  it('live: fetches the record by DOI from the allowed host and picks its only .json file', async () => {
    const res = await importZenodo({ id: 'live-greeter', as: 'new', record: '10.5281/zenodo.101' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ provenance: { source: 'zenodo', recordId: '101', fileName: 'greeter.json', license: 'mit' } });
    expect(hits).toEqual(expect.arrayContaining(['/api/records/101', '/api/records/101/files/greeter.json/content']));
  });

  it('live: never fetches outside the allow-list (file links, redirects), and bounds size and time', async () => {
    const link = await importZenodo({ id: 'l2', as: 'new', record: '102' });
    expect(link.statusCode).toBe(400);
    expect(link.json().message).toContain('may not fetch from 169.254.169.254');
    const redirect = await importZenodo({ id: 'l3', as: 'new', record: '103' });
    expect(redirect.statusCode).toBe(400);
    expect(redirect.json().message).toContain('may not fetch from evil.test');
    const big = await importZenodo({ id: 'l4', as: 'new', record: '104' });
    expect(big.statusCode).toBe(422);
    expect(big.json().message).toContain('larger than 32768 bytes');
    const slow = await importZenodo({ id: 'l5', as: 'new', record: '105' });
    expect(slow.statusCode).toBe(422);
    expect(slow.json().message).toBe('Zenodo did not answer within 1000 ms');
    const missing = await importZenodo({ id: 'l6', as: 'new', record: '999' });
    expect(missing.statusCode).toBe(404);
  });

  it('is for administrators only', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/bff/v1/admin/applications/import/zenodo',
      headers: as('scientist'),
      payload: { id: 'x', as: 'new', record: '101' },
    });
    expect(res.statusCode).toBe(403);
  });
});
