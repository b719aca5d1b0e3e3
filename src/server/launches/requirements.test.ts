import { describe, expect, it } from 'vitest';
import { renderJdl } from '../jdl/render.ts';
import { requirementsToJdl } from './requirements.ts';

describe('requirementsToJdl', () => {
  it('says nothing when nothing is required', () => {
    expect(Object.values(requirementsToJdl({})).filter((v) => v !== undefined)).toEqual([]);
  });

  it('maps an HPC GPU request to DIRAC JDL attributes', () => {
    const attrs = requirementsToJdl({
      cores: 16,
      gpus: 1,
      ramMB: 32000,
      wallTimeMinutes: 24 * 60,
      tags: ['CVMFS'],
      sites: ['LCG.DESY-GPU.de'],
      bannedSites: ['LCG.CERN-HTC.ch'],
    });
    expect(attrs).toEqual({
      NumberOfProcessors: 16,
      Tags: ['CVMFS', 'GPU', 'MultiProcessor'],
      CPUTime: 24 * 60 * 60 * 10,
      MinRAM: 32000,
      Site: ['LCG.DESY-GPU.de'],
      BannedSites: ['LCG.CERN-HTC.ch'],
    });
    expect(renderJdl({ JobName: 'x', ...attrs })).toContain('Tags = {"CVMFS", "GPU", "MultiProcessor"};');
  });

  it('prefers an explicit CPUTime in HS06·s and adds WholeNode', () => {
    expect(requirementsToJdl({ cpuTimeHS06Seconds: 1234, wholeNode: true })).toMatchObject({ CPUTime: 1234, Tags: ['WholeNode'] });
  });

  it('refuses a site name that could inject JDL (renderJdl checks every list item)', () => {
    expect(() => renderJdl({ JobName: 'x', ...requirementsToJdl({ sites: ['A"; Owner = "root'] }) })).toThrow();
  });
});
