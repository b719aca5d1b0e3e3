import { describe, expect, it } from 'vitest';
import { RucioSearchQuerySchema } from '../../contracts/rucio.ts';
import { parseConfig } from '../config.ts';
import { parseNdjson } from './rucio.ts';

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
