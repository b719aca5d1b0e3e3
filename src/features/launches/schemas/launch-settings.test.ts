import { describe, expect, it } from 'vitest';
import { defaultResources, RESOURCE_LIMITS, resourceMinimums } from './launch-settings.ts';

describe('defaultResources', () => {
  it("raises a workflow's suggestion below a field's lower bound to that bound, so the defaults can be submitted", () => {
    // Hello world's descriptor suggests 300 s = 0.08 h of wall time and 0.5 GB of RAM.
    const base = { cores: 1, ramGB: 0.25, wallTimeHours: 0.08, tags: [] };
    const d = defaultResources(base);
    expect(Number(d.wallHours)).toBe(RESOURCE_LIMITS.wallHours.min);
    expect(Number(d.ramGB)).toBe(RESOURCE_LIMITS.ramGB.min);
    for (const field of ['cores', 'ramGB', 'wallHours'] as const)
      expect(Number(d[field])).toBeGreaterThanOrEqual(resourceMinimums(base)[field]);
  });

  it('keeps suggestions above the bounds and leaves unknown ones empty', () => {
    expect(defaultResources({ cores: 8, ramGB: 16, wallTimeHours: 24, tags: ['GPU'] })).toMatchObject({
      cores: '8',
      ramGB: '16',
      wallHours: '24',
      gpus: '1',
    });
    expect(defaultResources({ cores: 1, ramGB: null, wallTimeHours: null, tags: [] })).toMatchObject({
      ramGB: '',
      wallHours: '',
      gpus: '0',
    });
  });
});
