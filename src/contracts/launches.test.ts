import { describe, expect, it } from 'vitest';
import { upgradeStoredLaunchRequest } from './launches.ts';
import { upgradeStoredRequirement } from './resources.ts';

describe('stored launches saved before wallTimeMinutes had its name', () => {
  it('read cpuTimeMinutes as wallTimeMinutes (same unit), and leave everything else alone', () => {
    expect(upgradeStoredRequirement({ cores: 2, cpuTimeMinutes: 90 })).toEqual({ cores: 2, wallTimeMinutes: 90 });
    expect(upgradeStoredRequirement({ cpuTimeMinutes: 90, wallTimeMinutes: 60 })).toEqual({ wallTimeMinutes: 60 });
    expect(upgradeStoredRequirement({ wallTimeMinutes: 60 })).toEqual({ wallTimeMinutes: 60 });
    for (const other of [undefined, null, 'x', [1]]) expect(upgradeStoredRequirement(other)).toBe(other);
    expect(upgradeStoredLaunchRequest({ name: 'n', resources: { cpuTimeMinutes: 5 } })).toEqual({
      name: 'n',
      resources: { wallTimeMinutes: 5 },
    });
    expect(upgradeStoredLaunchRequest({ name: 'n' })).toEqual({ name: 'n' });
  });
});
