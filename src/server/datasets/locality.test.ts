import { describe, expect, it } from 'vitest';
import type { StorageElement } from '../../contracts/locality.ts';
import { storageMap, summarizeLocality, type LookedUpFile } from './locality.ts';

const SES: StorageElement[] = [
  { name: 'DESY-DISK', kind: 'disk', seType: 'T0D1', sites: ['LCG.DESY.de'] },
  { name: 'PIC-DISK', kind: 'disk', seType: 'T0D1', sites: ['HPC.BSC.es'] },
  { name: 'PIC-TAPE', kind: 'tape', seType: 'T1D0', sites: ['HPC.BSC.es'] },
  { name: 'CNAF-DISK', kind: 'disk', seType: 'T0D1', sites: [] },
];
const SITES = ['LCG.CERN.ch', 'LCG.DESY.de', 'HPC.BSC.es'];
const map = storageMap(SES);
const GB = 1_000_000_000;
const file = (ref: string, bytes: number | null, ses: string[] | null): LookedUpFile => ({
  itemId: `item-${ref}`,
  ref,
  name: ref,
  bytes,
  source: 'catalogue',
  replicas: ses === null ? null : ses.map((se) => map.replica(se)),
});

describe('storage map', () => {
  it('takes the kind from the catalogue, else from Rucio, else disk (DIRAC default)', () => {
    expect(map.replica('PIC-TAPE', 'DISK')).toEqual({ se: 'PIC-TAPE', kind: 'tape', sites: ['HPC.BSC.es'] });
    expect(map.replica('ELSEWHERE-TAPE', 'TAPE')).toEqual({ se: 'ELSEWHERE-TAPE', kind: 'tape', sites: [] });
    expect(map.replica('ELSEWHERE', null)).toEqual({ se: 'ELSEWHERE', kind: 'disk', sites: [] });
  });
});

describe('summarizeLocality', () => {
  const looked = [
    file('/a', 2 * GB, ['DESY-DISK']), // disk at DESY only
    file('/b', 3 * GB, ['PIC-TAPE']), // tape only, at BSC
    file('/c', 1 * GB, ['PIC-TAPE', 'PIC-DISK']), // tape and disk at BSC
    file('/d', 4 * GB, ['CNAF-DISK']), // disk at no site
    file('/e', null, []), // no replica
    file('/f', 5, null), // unknown (ESAP)
    file('/a', 2 * GB, ['DESY-DISK']), // the same file through another item: counted once
  ];
  const { summary, files } = summarizeLocality(looked, SITES, { rucioCalls: 2, warnings: ['w'] });

  it('gives each file its availability and replicas, disk first', () => {
    expect(files.map((f) => [f.ref, f.availability])).toEqual([
      ['/a', 'disk'],
      ['/b', 'tape'],
      ['/c', 'disk'],
      ['/d', 'disk'],
      ['/e', 'none'],
      ['/f', 'unknown'],
    ]);
    expect(files[2]!.replicas.map((r) => `${r.se}:${r.kind}`)).toEqual(['PIC-DISK:disk', 'PIC-TAPE:tape']);
  });

  it('totals volume, disk, tape-only and missing files', () => {
    expect(summary).toMatchObject({
      files: 6,
      bytes: 10 * GB + 5,
      unknownSizeFiles: 1,
      diskFiles: 3,
      tapeOnlyFiles: 1,
      tapeOnlyBytes: 3 * GB,
      noReplicaFiles: 1,
      unknownFiles: 1,
      rucioCalls: 2,
      warnings: ['w'],
    });
    expect(summary.storage.find((s) => s.se === 'PIC-TAPE')).toEqual({
      se: 'PIC-TAPE',
      kind: 'tape',
      sites: ['HPC.BSC.es'],
      files: 2,
      bytes: 4 * GB,
    });
  });

  it('says per site what is read in place, staged and transferred, best placed first', () => {
    expect(summary.sites).toEqual([
      // BSC: /c on disk; /b on its tape (staged); /a and /d transferred.
      {
        site: 'HPC.BSC.es',
        localFiles: 1,
        localBytes: 1 * GB,
        stageFiles: 1,
        stageBytes: 3 * GB,
        transferFiles: 2,
        transferBytes: 6 * GB,
        transferFromTapeFiles: 0,
      },
      // DESY: /a on disk; /b (tape elsewhere), /c, /d transferred.
      {
        site: 'LCG.DESY.de',
        localFiles: 1,
        localBytes: 2 * GB,
        stageFiles: 0,
        stageBytes: 0,
        transferFiles: 3,
        transferBytes: 8 * GB,
        transferFromTapeFiles: 1,
      },
      {
        site: 'LCG.CERN.ch',
        localFiles: 0,
        localBytes: 0,
        stageFiles: 0,
        stageBytes: 0,
        transferFiles: 4,
        transferBytes: 10 * GB,
        transferFromTapeFiles: 1,
      },
    ]);
  });
});
