import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, plural } from './format.ts';

describe('formatBytes', () => {
  it('counts in SI units, as storage systems do', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1 kB');
    expect(formatBytes(734_003_200)).toBe('734 MB');
    expect(formatBytes(1_800_000_000)).toBe('1.8 GB');
    expect(formatBytes(1_234_567_890)).toBe('1.23 GB');
    expect(formatBytes(3.2e12)).toBe('3.2 TB');
  });

  it('shows a dash when the size is not known', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('plural', () => {
  it('picks the word by the count and groups the digits', () => {
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(0, 'file')).toBe('0 files');
    expect(plural(20_000, 'job')).toBe('20,000 jobs');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});
