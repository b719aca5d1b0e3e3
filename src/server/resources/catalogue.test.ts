import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ResourceCatalogueSchema } from '../../contracts/resources.ts';
import type { Queue } from '../../contracts/resources.ts';
import {
  CatalogueError,
  joinWithStatus,
  loadCatalogue,
  parseCatalogue,
  parseRssStatusMap,
  toElementStatus,
  watchCatalogue,
} from './catalogue.ts';
import type { Catalogue } from './catalogue.ts';

const DEMO = fileURLToPath(new URL('../../../config/resources.cfg', import.meta.url));
const lines = (...l: string[]): string => l.join('\n');

function catalogueError(text: string): CatalogueError {
  try {
    parseCatalogue(text, 'test.cfg');
  } catch (err) {
    if (err instanceof CatalogueError) return err;
    throw err;
  }
  throw new Error('expected a CatalogueError');
}

/** A one-site catalogue; `ce` and `queue` are lines inside the CE and queue sections. */
function oneQueue(ce: string[], queue: string[], site: string[] = []): string {
  return lines(
    'Resources {',
    '  Sites {',
    '    LCG {',
    '      LCG.Test.org {',
    ...site,
    '        CEs {',
    '          ce.test.org {',
    ...ce,
    '            Queues {',
    '              q {',
    ...queue,
    '              }',
    '            }',
    '          }',
    '        }',
    '      }',
    '    }',
    '  }',
    '}',
  );
}

function queueOf(text: string): Queue {
  const q = parseCatalogue(text, 'test.cfg').sites[0]?.ces[0]?.queues[0];
  if (!q) throw new Error('no queue');
  return q;
}

describe('the demo catalogue (config/resources.cfg)', () => {
  let demo: Catalogue;
  const queue = (id: string): Queue => {
    const q = demo.sites.flatMap((s) => s.ces.flatMap((c) => c.queues)).find((x) => x.id === id);
    if (!q) throw new Error(`no queue ${id}`);
    return q;
  };

  it('loads without warnings', async () => {
    demo = await loadCatalogue(DEMO);
    expect(demo.warnings).toEqual([]);
    expect(demo.sites.map((s) => [s.name, s.grid, s.kind, s.ces.map((c) => c.name)])).toEqual([
      ['LCG.CERN-HTC.ch', 'LCG', 'HTC', ['ce-htc01.cern.ch', 'ce-htc02.cern.ch']],
      ['LCG.DESY-GPU.de', 'LCG', 'HTC', ['grid-arcgpu01.desy.de', 'grid-arcgpu02.desy.de']],
      ['HPC.MareNostrum.es', 'HPC', 'HPC', ['mn5-login.bsc.es']],
    ]);
  });

  it('maps storage elements to their sites and to disk or tape (DIRAC SEType TXDY)', () => {
    const se = (name: string) => demo.storageElements?.find((s) => s.name === name);
    expect(se('CTA-PIC-TAPE')).toEqual({ name: 'CTA-PIC-TAPE', kind: 'tape', seType: 'T1D0', sites: ['HPC.MareNostrum.es'] });
    expect(se('CTA-DESY-DISK')).toEqual({ name: 'CTA-DESY-DISK', kind: 'disk', seType: 'T0D1', sites: ['LCG.DESY-GPU.de'] });
    expect(se('CTA-DESY-TAPE')?.kind).toBe('tape');
    // Remote to every site: listed under StorageElements only.
    expect(se('CTA-CNAF-DISK')).toMatchObject({ kind: 'disk', sites: [] });
  });

  it('maps site options', () => {
    const cern = demo.sites[0];
    expect(cern).toMatchObject({
      localName: 'CERN-PROD',
      mail: 'batch-support@cern.example',
      coordinates: { longitude: 6.0458, latitude: 46.2325 },
    });
    expect(cern?.ces[0]).toMatchObject({ ceType: 'HTCondorCE', submissionMode: 'Direct', batchSystem: 'Condor' });
  });

  it('resolves an HTC queue with CE-level defaults', () => {
    expect(queue('LCG.CERN-HTC.ch/ce-htc01.cern.ch/long')).toEqual({
      id: 'LCG.CERN-HTC.ch/ce-htc01.cern.ch/long',
      site: 'LCG.CERN-HTC.ch',
      grid: 'LCG',
      ce: 'ce-htc01.cern.ch',
      queue: 'long',
      ceType: 'HTCondorCE',
      batchSystem: 'Condor',
      kind: 'HTC',
      cores: 1,
      wholeNode: false,
      gpus: 0,
      maxRamMB: 2048,
      maxCpuTimeMinutes: 2880,
      si00: 2500,
      // DIRAC: int(60 / 250 * maxCPUTime * SI00), float arithmetic included
      cpuTimeHS06Seconds: 1727999,
      maxWallTimeMinutes: null,
      tags: [],
      requiredTags: [],
      maxTotalJobs: 2000,
      maxWaitingJobs: 200,
      platform: 'x86_64_AlmaLinux_9',
      os: 'AlmaLinux_9',
      architecture: 'x86_64',
      localCEType: 'Pool/Singularity',
    });
    expect(queue('LCG.CERN-HTC.ch/ce-htc02.cern.ch/short').maxCpuTimeMinutes).toBe(240);
  });

  it('resolves GPU queues: CE tags are inherited, NumberOfGPUs is read', () => {
    expect(queue('LCG.DESY-GPU.de/grid-arcgpu01.desy.de/gpu1')).toMatchObject({
      kind: 'HTC',
      cores: 8,
      gpus: 1,
      maxRamMB: 32768,
      maxCpuTimeMinutes: 1440,
      tags: ['GPU', 'MultiProcessor'],
      requiredTags: ['GPU'],
    });
    expect(queue('LCG.DESY-GPU.de/grid-arcgpu02.desy.de/gpu4')).toMatchObject({ cores: 16, gpus: 4, maxRamMB: 65536 });
  });

  it('resolves HPC queues', () => {
    expect(queue('HPC.MareNostrum.es/mn5-login.bsc.es/mc48')).toMatchObject({
      kind: 'HPC',
      cores: 48,
      wholeNode: false,
      maxCpuTimeMinutes: 1440,
      maxWallTimeMinutes: 1440,
      tags: ['MultiProcessor'],
      requiredTags: [],
      batchSystem: 'SLURM',
    });
    expect(queue('HPC.MareNostrum.es/mn5-login.bsc.es/wholenode')).toMatchObject({
      kind: 'HPC',
      cores: 112,
      wholeNode: true,
      maxCpuTimeMinutes: 4320,
      tags: ['MultiProcessor', 'WholeNode'],
      requiredTags: ['WholeNode'],
    });
  });

  it('supports the UI filters "GPU", ">= 16 cores", ">= 24 h"', () => {
    const all = demo.sites.flatMap((s) => s.ces.flatMap((c) => c.queues));
    expect(all.filter((q) => q.gpus > 0).map((q) => q.queue)).toEqual(['gpu1', 'gpu4']);
    expect(all.filter((q) => q.cores >= 16).map((q) => q.queue)).toEqual(['gpu4', 'mc48', 'wholenode']);
    expect(all.filter((q) => (q.maxWallTimeMinutes ?? q.maxCpuTimeMinutes ?? 0) >= 24 * 60).map((q) => q.queue)).toEqual([
      'long',
      'long',
      'gpu1',
      'gpu4',
      'mc48',
      'wholenode',
    ]);
  });
});

describe('DIRAC queue semantics', () => {
  it('a queue inherits every CE option it does not set, and overrides the rest', () => {
    const q = queueOf(oneQueue(['CEType = HTCondorCE', 'MaxRAM = 4096', 'maxCPUTime = 100', 'SI00 = 250'], ['maxCPUTime = 200']));
    expect(q).toMatchObject({ maxRamMB: 4096, maxCpuTimeMinutes: 200, si00: 250, cpuTimeHS06Seconds: 12000 });
  });

  it('Tag and RequiredTag are the union of CE and queue lists; cores > 1 adds MultiProcessor', () => {
    const q = queueOf(
      oneQueue(
        ['CEType = AREX', 'Tag = GPU, Fast', 'RequiredTag = GPU'],
        ['Tag = Fast, Big', 'RequiredTag = Big', 'NumberOfProcessors = 4'],
      ),
    );
    expect(q.tags).toEqual(['Big', 'Fast', 'GPU', 'MultiProcessor']);
    expect(q.requiredTags).toEqual(['Big', 'GPU']);
  });

  it('defaults: 1 core, no RAM limit (MaxRAM = 0 means unset), no CPU time', () => {
    const q = queueOf(oneQueue(['CEType = HTCondorCE', 'MaxRAM = 0'], []));
    expect(q).toMatchObject({ cores: 1, gpus: 0, maxRamMB: null, maxCpuTimeMinutes: null, cpuTimeHS06Seconds: null, platform: null });
  });

  it('the GPU tag alone counts as one GPU', () => {
    expect(queueOf(oneQueue(['CEType = AREX'], ['Tag = GPU'])).gpus).toBe(1);
  });

  it('NumberOfGPUs without the GPU tag warns (DIRAC would not send GPU jobs there)', () => {
    const c = parseCatalogue(oneQueue(['CEType = AREX'], ['NumberOfGPUs = 2']), 'test.cfg');
    expect(c.sites[0]?.ces[0]?.queues[0]?.gpus).toBe(2);
    expect(c.warnings).toEqual([
      'test.cfg: line 10: Resources/Sites/LCG/LCG.Test.org/CEs/ce.test.org/Queues/q/NumberOfGPUs = 2 but the queue has no GPU tag: DIRAC matches GPU jobs by Tag = GPU',
    ]);
  });

  it('platform: Platform wins, else <architecture>_<OS>, architecture defaulting to x86_64', () => {
    expect(queueOf(oneQueue(['CEType = X', 'OS = EL9', 'Platform = Linux_x86_64_glibc-2.34'], [])).platform).toBe(
      'Linux_x86_64_glibc-2.34',
    );
    expect(queueOf(oneQueue(['CEType = X', 'OS = EL9', 'architecture = aarch64'], [])).platform).toBe('aarch64_EL9');
    expect(queueOf(oneQueue(['CEType = X', 'OS = EL9'], [])).platform).toBe('x86_64_EL9');
  });

  it('the CE list and the CEs sections are cross-checked', () => {
    const c = parseCatalogue(oneQueue(['CEType = X'], [], ['CE = other.test.org']), 'test.cfg');
    expect(c.warnings).toEqual([
      'test.cfg: line 5: Resources/Sites/LCG/LCG.Test.org/CE lists other.test.org but there is no such section under CEs',
      'test.cfg: line 5: Resources/Sites/LCG/LCG.Test.org/CE does not list ce.test.org (described under CEs)',
    ]);
  });

  it('accepts a bare top-level Sites section', () => {
    const c = parseCatalogue(lines('Sites {', '  LCG {', '    LCG.A.ch {', '    }', '  }', '}'), 'bare.cfg');
    expect(c.sites.map((s) => [s.name, s.kind, s.ces])).toEqual([['LCG.A.ch', 'HTC', []]]);
    expect(c.warnings).toEqual(['bare.cfg: line 3: Sites/LCG/LCG.A.ch: site has no CEs section']);
  });
});

describe('kind rule', () => {
  const kind = (ce: string[], queue: string[], site: string[] = []): string => queueOf(oneQueue(ce, queue, site)).kind;

  it('cloud CE types are cloud', () => {
    expect(kind(['CEType = Cloud'], [])).toBe('cloud');
    expect(kind(['CEType = VMDIRAC'], ['NumberOfProcessors = 64'])).toBe('cloud');
  });

  it('whole-node, MPI or many cores is HPC', () => {
    expect(kind(['CEType = SSH'], ['WholeNode = yes'])).toBe('HPC');
    expect(kind(['CEType = SSH'], ['Tag = WholeNode'])).toBe('HPC');
    expect(kind(['CEType = SSH'], ['Tag = MPI'])).toBe('HPC');
    expect(kind(['CEType = SSH'], ['NumberOfProcessors = 32'])).toBe('HPC');
    expect(kind(['CEType = SSH'], ['NumberOfProcessors = 31'])).toBe('HTC');
  });

  it('an explicit Kind wins: queue, then CE, then site (any case)', () => {
    expect(kind(['CEType = Cloud', 'Kind = hpc'], [])).toBe('HPC');
    expect(kind(['CEType = Cloud', 'Kind = hpc'], ['Kind = HTC'])).toBe('HTC');
    expect(kind(['CEType = HTCondorCE'], [], ['Kind = Cloud'])).toBe('cloud');
    expect(kind(['CEType = HTCondorCE', 'Kind = HTC'], ['NumberOfProcessors = 128'], ['Kind = HPC'])).toBe('HTC');
  });

  it('a site is mixed when its queues differ, unless it sets Kind', () => {
    const text = lines(
      'Resources {',
      'Sites {',
      'LCG {',
      'LCG.Mix.org {',
      'CEs {',
      'a.org {',
      'CEType = HTCondorCE',
      'Queues {',
      'small {',
      '}',
      'big {',
      'NumberOfProcessors = 64',
      '}',
      '}',
      '}',
      '}',
      '}',
      '}',
      '}',
      '}',
    );
    expect(parseCatalogue(text, 't').sites[0]?.kind).toBe('mixed');
    expect(parseCatalogue(text.replace('CEs {', 'Kind = HTC\nCEs {'), 't').sites[0]?.kind).toBe('HTC');
  });

  it('an unknown Kind is an error', () => {
    expect(catalogueError(oneQueue(['CEType = X'], ['Kind = GPU'])).message).toBe(
      'test.cfg: line 10: Resources/Sites/LCG/LCG.Test.org/CEs/ce.test.org/Queues/q/Kind: "GPU" is not one of HTC, HPC, cloud',
    );
  });
});

describe('bad files fail with the path, the line and the option', () => {
  it('a malformed number', () => {
    const err = catalogueError(oneQueue(['CEType = X'], ['MaxRAM = 2 GB']));
    expect(err).toMatchObject({ source: 'test.cfg', line: 10, option: 'Resources/Sites/LCG/LCG.Test.org/CEs/ce.test.org/Queues/q/MaxRAM' });
    expect(err.message).toBe(
      'test.cfg: line 10: Resources/Sites/LCG/LCG.Test.org/CEs/ce.test.org/Queues/q/MaxRAM: "2 GB" is not a whole number of MB',
    );
  });

  it('an inline comment in a number gets a hint', () => {
    expect(catalogueError(oneQueue(['CEType = X'], ['maxCPUTime = 2880 # 48h'])).message).toMatch(
      /line 10: .*\/maxCPUTime: "2880 # 48h" is not a number of minutes \(DIRAC cfg has no inline comments/,
    );
  });

  it('a bad value inherited from the CE names the CE option and its line', () => {
    const err = catalogueError(oneQueue(['CEType = X', 'NumberOfProcessors = 0'], []));
    expect(err.message).toBe(
      'test.cfg: line 8: Resources/Sites/LCG/LCG.Test.org/CEs/ce.test.org/NumberOfProcessors: "0" is not a whole number of cores ≥ 1',
    );
  });

  it('booleans must be booleans', () => {
    expect(catalogueError(oneQueue(['CEType = X'], ['WholeNode = maybe'])).message).toMatch(/WholeNode: "maybe" is not a boolean/);
  });

  it('negative numbers', () => {
    expect(catalogueError(oneQueue(['CEType = X'], ['maxCPUTime = -5'])).message).toMatch(
      /maxCPUTime: "-5" is not a number of minutes ≥ 0/,
    );
  });

  it('a CE without CEType', () => {
    expect(catalogueError(oneQueue([], [])).message).toBe(
      'test.cfg: line 6: Resources/Sites/LCG/LCG.Test.org/CEs/ce.test.org: CE has no CEType (DIRAC needs it to submit pilots)',
    );
  });

  it('a site name that does not follow <Grid>.<Name>.<country>', () => {
    const text = oneQueue(['CEType = X'], []).replace('LCG.Test.org', 'EGI.Test.org');
    expect(catalogueError(text).message).toMatch(
      /^test.cfg: line 4: Resources\/Sites\/LCG\/EGI.Test.org: site name must be <Grid>.<Name>.<country> with Grid = "LCG"/,
    );
  });

  it('a CE defined at two sites', () => {
    const site = (name: string) => [`${name} {`, 'CEs {', 'ce.x.org {', 'CEType = X', '}', '}', '}'];
    const text = lines('Resources {', 'Sites {', 'LCG {', ...site('LCG.A.org'), ...site('LCG.B.org'), '}', '}', '}');
    expect(catalogueError(text).message).toBe(
      'test.cfg: line 13: Resources/Sites/LCG/LCG.B.org/CEs/ce.x.org: CE is also defined for site LCG.A.org (line 6); CE names must be unique because RSS statuses are keyed by CE name',
    );
  });

  it('no Resources/Sites section', () => {
    expect(catalogueError('Resources {\n}').message).toBe(
      'test.cfg: no "Resources/Sites" section: copy the Resources/Sites section of a DIRAC CS',
    );
  });

  it('a syntax error', () => {
    const err = catalogueError('Resources {\n  Sites {\n}');
    expect(err.line).toBe(3);
    expect(err.message).toBe('test.cfg: line 3: section "Resources" opened at line 1 is never closed');
  });

  it('a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    await expect(loadCatalogue(join(dir, 'nope.cfg'))).rejects.toThrow(/nope\.cfg: cannot read the resource catalogue: ENOENT/);
    const bad = join(dir, 'bad.cfg');
    writeFileSync(bad, oneQueue(['CEType = X'], ['MaxTotalJobs = lots']));
    await expect(loadCatalogue(bad)).rejects.toThrow(
      `${bad}: line 10: Resources/Sites/LCG/LCG.Test.org/CEs/ce.test.org/Queues/q/MaxTotalJobs: "lots" is not a whole number of jobs`,
    );
  });
});

describe('joinWithStatus', () => {
  it('joins site statuses by site name and CE statuses by CE name', async () => {
    const catalogue = await loadCatalogue(DEMO);
    const site = parseRssStatusMap({
      'LCG.CERN-HTC.ch': { all: { allowed: true, warnings: null } },
      'LCG.DESY-GPU.de': { all: { allowed: true, warnings: 'Degraded' } },
      'Some.Other.site': { all: { allowed: false, reason: 'Banned' } },
    });
    const compute = parseRssStatusMap({
      'ce-htc01.cern.ch': { all: { allowed: true } },
      'ce-htc02.cern.ch': { all: { allowed: true, warnings: 'schedd overloaded' } },
      'grid-arcgpu02.desy.de': { all: { allowed: false, reason: 'Downtime: driver upgrade' } },
      'mn5-login.bsc.es': { all: { allowed: 'maybe' } },
    });
    const joined = joinWithStatus(catalogue, { site, compute });
    expect(ResourceCatalogueSchema.parse(joined)).toEqual(joined);
    expect(joined.rss).toEqual({ site: true, compute: true });
    expect(joined.sites.map((s) => [s.name, s.status])).toEqual([
      ['LCG.CERN-HTC.ch', { state: 'active', allowed: true }],
      ['LCG.DESY-GPU.de', { state: 'degraded', allowed: true, warnings: ['Degraded'] }],
      ['HPC.MareNostrum.es', null],
    ]);
    expect(joined.sites.flatMap((s) => s.ces.map((c) => [c.name, c.status]))).toEqual([
      ['ce-htc01.cern.ch', { state: 'active', allowed: true }],
      ['ce-htc02.cern.ch', { state: 'degraded', allowed: true, warnings: ['schedd overloaded'] }],
      ['grid-arcgpu01.desy.de', null],
      ['grid-arcgpu02.desy.de', { state: 'banned', allowed: false, reason: 'Downtime: driver upgrade' }],
      // an entry without the DiracX shape is dropped
      ['mn5-login.bsc.es', null],
    ]);
    expect(joined.sites[0]?.ces[0]?.queues).toEqual(catalogue.sites[0]?.ces[0]?.queues);
  });

  it('every status is null when RSS is unavailable', async () => {
    const joined = joinWithStatus(await loadCatalogue(DEMO), { site: null, compute: null });
    expect(joined.rss).toEqual({ site: false, compute: false });
    expect(joined.sites.every((s) => s.status === null && s.ces.every((c) => c.status === null))).toBe(true);
  });

  it('parseRssStatusMap rejects non-objects and ignores prototype names', () => {
    expect(parseRssStatusMap(null)).toBeNull();
    expect(parseRssStatusMap([])).toBeNull();
    expect(parseRssStatusMap('x')).toBeNull();
    const map = parseRssStatusMap(JSON.parse('{"__proto__": {"all": {"allowed": true}}}'));
    expect(Object.keys(map ?? {})).toEqual(['__proto__']);
    const joined = joinWithStatus({ sites: [] }, { site: map, compute: {} });
    expect(joined.sites).toEqual([]);
  });

  it('toElementStatus normalises DiracX warnings (string, list, empty) and the default reason', () => {
    expect(toElementStatus({ allowed: true, warnings: ['a', ''] })).toEqual({ state: 'degraded', allowed: true, warnings: ['a'] });
    expect(toElementStatus({ allowed: true, warnings: '' })).toEqual({ state: 'active', allowed: true });
    const banned = parseRssStatusMap({ x: { all: { allowed: false } } });
    expect(banned?.['x'] && toElementStatus(banned['x'].all)).toEqual({ state: 'banned', allowed: false, reason: 'Unknown' });
  });
});

describe('storage elements', () => {
  it('takes an SE without SEType as disk, and warns about an SE a site lists but StorageElements lacks', () => {
    const text = lines(
      'Resources {',
      '  Sites {',
      '    LCG {',
      '      LCG.Test.org {',
      '        SE = A-DISK, B-TAPE, C-ANY',
      '        CEs {',
      '          ce.test.org {',
      '            CEType = HTCondorCE',
      '            Queues {',
      '              q {',
      '                maxCPUTime = 60',
      '              }',
      '            }',
      '          }',
      '        }',
      '      }',
      '    }',
      '  }',
      '  StorageElements {',
      '    A-DISK {',
      '      BackendType = dCache',
      '    }',
      '    B-TAPE {',
      '      SEType = T1D1',
      '    }',
      '  }',
      '}',
    );
    const cat = parseCatalogue(text, 'test.cfg');
    expect(cat.storageElements).toEqual([
      { name: 'A-DISK', kind: 'disk', seType: null, sites: ['LCG.Test.org'] },
      { name: 'B-TAPE', kind: 'tape', seType: 'T1D1', sites: ['LCG.Test.org'] },
      { name: 'C-ANY', kind: 'disk', seType: null, sites: ['LCG.Test.org'] },
    ]);
    expect(cat.warnings).toEqual([expect.stringContaining('SE lists C-ANY but Resources/StorageElements has no such section')]);
  });
});

describe('the catalogue file of a running BFF (watchCatalogue)', () => {
  it('reads a changed file again, and keeps the last good catalogue when the new one does not parse', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-watch-'));
    const file = join(dir, 'resources.cfg');
    const siteNamed = (name: string) => oneQueue(['CEType = HTCondorCE'], ['maxCPUTime = 60']).replace(/LCG\.Test\.org/g, name);
    writeFileSync(file, siteNamed('LCG.First.org'));
    const logged: string[] = [];
    const log = {
      info: (_o: object, m: string) => logged.push(m),
      warn: (o: object, m: string) => logged.push(`${m}: ${JSON.stringify(o)}`),
    };
    const source = await watchCatalogue(file, { intervalMs: 0, log });
    try {
      expect(source.current.sites.map((s) => s.name)).toEqual(['LCG.First.org']);
      await source.check(); // unchanged: nothing read
      expect(logged).toEqual([]);
      writeFileSync(file, `${siteNamed('LCG.Second.org')}\n`);
      await source.check();
      expect(source.current.sites.map((s) => s.name)).toEqual(['LCG.Second.org']);
      expect(logged).toEqual(['resource catalogue reloaded']);
      writeFileSync(file, 'Resources {\n  Sites {\n'); // a bad edit
      await source.check();
      expect(source.current.sites.map((s) => s.name)).toEqual(['LCG.Second.org']);
      expect(logged[1]).toMatch(/^resource catalogue not reloaded: keeping the previous one: .*resources\.cfg/);
    } finally {
      source.stop();
    }
  });
});
