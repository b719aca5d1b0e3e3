import { describe, expect, it } from 'vitest';
import { parseCatalogue } from '../server/resources/catalogue.ts';
import { parseJdl } from './jdl.ts';
import { matchQueue, requirementOfJdl, wallLimitSeconds } from './match.ts';
import fs from 'node:fs';

const catalogue = parseCatalogue(fs.readFileSync('config/resources.cfg', 'utf8'), 'config/resources.cfg');
const queuesOf = (site: string) => catalogue.sites.find((s) => s.name === site)!.ces.flatMap((ce) => ce.queues);
const htc = queuesOf('LCG.CERN-HTC.ch');
const gpu = queuesOf('LCG.DESY-GPU.de');

describe('matching a JDL against a local site', () => {
  it('reads DIRAC requirements from the JDL', () => {
    const jdl = parseJdl(
      '[ NumberOfProcessors = 4; Tags = {"GPU", "MultiProcessor"}; CPUTime = 7200; MinRAM = 8192; Site = {"A.B.c", "D.E.f"}; BannedSites = "X.Y.z"; ]',
    );
    expect(requirementOfJdl(jdl)).toEqual({
      cores: 4,
      tags: ['GPU', 'MultiProcessor'],
      cpuTimeHS06Seconds: 7200,
      ramMB: 8192,
      sites: ['A.B.c', 'D.E.f'],
      bannedSites: ['X.Y.z'],
    });
  });

  it('puts a plain job on the HTC site, and keeps it off the GPU site (RequiredTag GPU)', () => {
    const jdl = parseJdl('[ Executable = "echo"; CPUTime = 3000; ]');
    expect(matchQueue(htc, jdl)).toMatchObject({ queue: { id: 'LCG.CERN-HTC.ch/ce-htc01.cern.ch/short' } });
    const off = matchQueue(gpu, jdl);
    expect(off.queue).toBeNull();
    expect('reasons' in off && off.reasons.join(' ')).toMatch(/queue requires tag GPU/);
  });

  it('does not refuse a job for its InputData: where its data is does not restrict the match (issue #16)', () => {
    // DIRAC's optimizers use InputData to choose sites; a local site serves the job wherever its replicas are.
    const jdl = parseJdl('[ Executable = "echo"; CPUTime = 3000; InputData = {"/cta/prod/2026/P/DL0/run_023000.0000.fits.fz"}; ]');
    expect(requirementOfJdl(jdl)).toEqual({ cpuTimeHS06Seconds: 3000 });
    expect(matchQueue(htc, jdl)).toMatchObject({ queue: { id: 'LCG.CERN-HTC.ch/ce-htc01.cern.ch/short' } });
  });

  it('puts a GPU job on the GPU site only', () => {
    const jdl = parseJdl('[ Executable = "train"; Tags = {"GPU"}; NumberOfProcessors = 8; MinRAM = 16000; ]');
    expect(matchQueue(gpu, jdl)).toMatchObject({ queue: { id: 'LCG.DESY-GPU.de/grid-arcgpu01.desy.de/gpu1' } });
    expect(matchQueue(htc, jdl).queue).toBeNull();
  });

  it('honours Site, BannedSites, MinRAM and CPUTime against the queue limit', () => {
    expect(matchQueue(htc, parseJdl('[ Site = "LCG.DESY-GPU.de"; ]')).queue).toBeNull();
    expect(matchQueue(htc, parseJdl('[ BannedSites = {"LCG.CERN-HTC.ch"}; ]')).queue).toBeNull();
    expect(matchQueue(htc, parseJdl('[ MinRAM = 4096; ]')).queue).toBeNull();
    // 48 h at 10 HS06 per core fits the long queue only; more than any queue allows fits none
    expect(matchQueue(htc, parseJdl('[ CPUTime = 1000000; ]'))).toMatchObject({ queue: { queue: 'long' } });
    expect(matchQueue(htc, parseJdl('[ CPUTime = 99000000; ]')).queue).toBeNull();
  });

  it('turns CPUTime into a wall-clock limit capped by the queue', () => {
    const short = htc.find((q) => q.queue === 'short')!;
    expect(wallLimitSeconds(short, parseJdl('[ CPUTime = 20; ]'))).toBe(2);
    expect(wallLimitSeconds(short, parseJdl('[ CPUTime = 3000; ]'))).toBe(300);
    expect(wallLimitSeconds(short, parseJdl('[ Executable = "x"; ]'))).toBe(240 * 60);
    expect(wallLimitSeconds(short, parseJdl('[ CPUTime = 99000000; ]'))).toBe(240 * 60);
  });
});
