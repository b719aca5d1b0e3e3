import { describe, expect, it } from 'vitest';
import { workflowSummary } from './catalogue.ts';
import { corsika, cta, hello, irf } from './testing/descriptors.ts';

describe('workflowSummary', () => {
  it('summarises a workflow for the catalogue page', () => {
    expect(workflowSummary('corsika', corsika)).toEqual({
      id: 'corsika',
      name: 'CORSIKA air-shower simulation',
      version: '7.7550',
      description: expect.stringContaining('CORSIKA'),
      tags: ['astroparticle', 'air showers', 'simulation'],
      resources: { cores: 1, ramMB: 2048, wallTimeMinutes: 1440, tags: [] },
      hasFileInput: false,
      inputMode: 'none',
      container: { type: 'docker', image: 'harbor.cta-observatory.org/corsika:7.7550' },
      sweepable: ['RUNNR', 'PRMPAR', 'NSHOW', 'ESLOPE', 'OBSLEV'],
    });
    expect(workflowSummary('cta-dl0-dl3', cta)).toMatchObject({
      resources: { cores: 4, ramMB: 8192, wallTimeMinutes: 720 },
      hasFileInput: true,
      inputMode: 'per-file',
    });
    expect(workflowSummary('irf-generation', irf)).toMatchObject({
      resources: { cores: 8, ramMB: 16384, wallTimeMinutes: 1440 },
      inputMode: 'all-in-one',
    });
    expect(workflowSummary('hello-world', hello)).toMatchObject({ container: null, inputMode: 'none' });
  });
});
