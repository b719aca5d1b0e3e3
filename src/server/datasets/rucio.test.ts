import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRucioDids } from '../../contracts/datasets.ts';
import { RucioDidParamSchema, RucioSearchQuerySchema } from '../../contracts/rucio.ts';
import { parseConfig } from '../config.ts';
import { createRucioClient, parseNdjson } from './rucio.ts';

const instances = [{ id: 'local', label: 'Local', url: 'http://127.0.0.1:8710' }];
const rucio = {
  type: 'rucio',
  url: 'http://127.0.0.1:8714/',
  account: 'root',
  auth: { method: 'userpass', username: 'ddmlab', passwordFile: '/run/secrets/rucio' },
};

describe('Rucio NDJSON answers', () => {
  it('parses one value per line, an empty body as no values', () => {
    expect(parseNdjson('"a"\n{"b":1}\n\n')).toEqual(['a', { b: 1 }]);
    expect(parseNdjson('')).toEqual([]);
    expect(() => parseNdjson('{"a":\n')).toThrow();
  });
});

describe('dataset sources configuration', () => {
  it('defaults to the portal catalogue', () => {
    expect(parseConfig({ instances }).datasetSources).toEqual([{ type: 'catalogue', label: 'Portal catalogue' }]);
  });
  it('takes one Rucio source with a password file, and trims its URL', () => {
    const cfg = parseConfig({ instances, datasetSources: [{ type: 'catalogue' }, rucio] });
    expect(cfg.datasetSources[1]).toMatchObject({ type: 'rucio', label: 'Rucio', url: 'http://127.0.0.1:8714', timeoutMs: 15_000 });
  });
  it('names the bad field', () => {
    expect(() => parseConfig({ instances, datasetSources: [rucio, rucio] })).toThrow(/datasetSources: at most one source of each type/);
    expect(() => parseConfig({ instances, datasetSources: [{ ...rucio, auth: { method: 'userpass', username: 'x' } }] })).toThrow(
      /datasetSources\.0\.auth\.passwordFile/,
    );
    expect(() => parseConfig({ instances, datasetSources: [{ ...rucio, url: 'ftp://x' }] })).toThrow(/datasetSources\.0\.url/);
  });
});

describe('Rucio search query', () => {
  it('defaults the pattern and refuses what Rucio would misread', () => {
    expect(RucioSearchQuerySchema.parse({ scope: 'cta', name: '' })).toMatchObject({ name: '*', type: 'all', page: 1, perPage: 25 });
    expect(RucioSearchQuerySchema.safeParse({ scope: 'cta', name: 'a&b' }).success).toBe(false);
    expect(RucioSearchQuerySchema.safeParse({ scope: 'cta', project: 'x=y' }).success).toBe(false);
    expect(RucioSearchQuerySchema.safeParse({ scope: 'cta', page: 101, perPage: 100 }).success).toBe(false);
  });
});

describe('Rucio DIDs cannot change the upstream route', () => {
  const bad = ['..:accounts', '.:accounts', 'cta:..', 'cta:.', 'cta:a/../b', 'cta:../x', 'cta:x/..', 'cta:x/./y'];
  it.each(bad)('refuses %j at the boundary (route parameter and pasted DIDs)', (did) => {
    expect(RucioDidParamSchema.safeParse({ did }).success).toBe(false);
    expect(parseRucioDids(did).dids).toEqual([]);
  });
  it('keeps names with dots that are not path segments', () => {
    expect(RucioDidParamSchema.safeParse({ did: 'cta:run..v2.fits' }).success).toBe(true);
    expect(RucioDidParamSchema.safeParse({ did: 'my.scope:a/b.c' }).success).toBe(true);
  });
  it('the client itself never builds a path that leaves /dids/ (a second layer)', async () => {
    const urls: string[] = [];
    const fakeFetch = (async (url: string) => {
      urls.push(url);
      return new Response(null, {
        status: 200,
        headers: { 'X-Rucio-Auth-Token': 't', 'X-Rucio-Auth-Token-Expires': 'Sat, 01 Jan 2100 00:00:00 UTC' },
      });
    }) as unknown as typeof fetch;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rucio-'));
    fs.writeFileSync(path.join(dir, 'pw'), 'secret\n');
    const cfg = parseConfig({ instances, datasetSources: [{ ...rucio, auth: { ...rucio.auth, passwordFile: path.join(dir, 'pw') } }] })
      .datasetSources[0];
    const client = createRucioClient(cfg as never, fakeFetch);
    for (const [scope, name] of [
      ['..', 'accounts'],
      ['cta', '..'],
    ]) {
      await expect(client.did(scope!, name!)).rejects.toMatchObject({ status: 400 });
      await expect(client.files(scope!, name!)).rejects.toMatchObject({ status: 400 });
    }
    await expect(client.search({ scope: '..', name: '*', type: 'all', page: 1, perPage: 25 } as never)).rejects.toMatchObject({
      status: 400,
    });
    expect(urls).toEqual([]);
  });
});
