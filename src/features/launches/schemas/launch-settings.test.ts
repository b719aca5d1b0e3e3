import { describe, expect, it } from 'vitest';
import { makeLaunch } from '../testing/launch-fixtures.ts';
import { defaultResources, relaunchStateFor, RESOURCE_LIMITS, resourceMinimums, StoredLaunchSettingsSchema } from './launch-settings.ts';

describe('defaultResources', () => {
  it("raises a workflow's suggestion below a field's lower bound to that bound, so the defaults can be submitted", () => {
    // Hello world's descriptor suggests 300 s = 5 min of wall time and 0.5 GB of RAM.
    const base = { cores: 1, ramMB: 256, wallTimeMinutes: 5, tags: [] };
    const d = defaultResources(base);
    expect(Number(d.wallTimeHours)).toBe(RESOURCE_LIMITS.wallTimeHours.min);
    expect(Number(d.ramGB)).toBe(RESOURCE_LIMITS.ramGB.min);
    for (const field of ['cores', 'ramGB', 'wallTimeHours'] as const)
      expect(Number(d[field])).toBeGreaterThanOrEqual(resourceMinimums(base)[field]);
  });

  it('keeps suggestions above the bounds and leaves unknown ones empty', () => {
    expect(defaultResources({ cores: 8, ramMB: 16384, wallTimeMinutes: 1440, tags: ['GPU'] })).toMatchObject({
      cores: '8',
      ramGB: '16',
      wallTimeHours: '24',
      gpus: '1',
    });
    expect(defaultResources({ cores: 1, ramMB: null, wallTimeMinutes: null, tags: [] })).toMatchObject({
      ramGB: '',
      wallTimeHours: '',
      gpus: '0',
    });
  });
});

describe('settings saved before the wall time was renamed', () => {
  it('opens an old draft (or sessionStorage) whose wall time field is wallHours', () => {
    const old = {
      inputItemIds: ['i1'],
      inputMode: 'per-file',
      resources: { cores: '4', gpus: '0', ramGB: '8', wallHours: '12', extraTags: '', site: '' },
      name: 'old draft',
    };
    expect(StoredLaunchSettingsSchema.parse(old).resources).toEqual({
      cores: '4',
      gpus: '0',
      ramGB: '8',
      wallTimeHours: '12',
      extraTags: '',
      site: '',
    });
  });

  it('relaunches an old launch whose request has cpuTimeMinutes', () => {
    const launch = makeLaunch();
    const old = { ...launch, request: { ...(launch.request as object), resources: { cores: 2, ramMB: 4096, cpuTimeMinutes: 2880 } } };
    expect(relaunchStateFor(old)?.relaunch.resources).toEqual({ cores: 2, ramMB: 4096, wallTimeMinutes: 2880 });
  });

  it('keeps the descriptor hash the launch recorded, so the relaunch uses exactly that descriptor', () => {
    const sha = 'a'.repeat(64);
    expect(relaunchStateFor({ ...makeLaunch(), descriptorSha256: sha })?.relaunch.descriptorSha256).toBe(sha);
    // A launch made before versions (no hash) still relaunches, on the version shown.
    const before = relaunchStateFor({ ...makeLaunch(), descriptorSha256: null });
    expect(before).not.toBeNull();
    expect(before?.relaunch.descriptorSha256).toBeUndefined();
  });
});
