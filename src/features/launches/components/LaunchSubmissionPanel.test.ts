import { describe, expect, it } from 'vitest';
import { showSweep } from './LaunchSubmissionPanel.tsx';

describe('showSweep', () => {
  it('reads a list, a range and a long list as words, not JSON', () => {
    expect(showSweep({ kind: 'list', values: ['Hello', 'Ciao'] })).toBe('Hello, Ciao (2 values)');
    expect(showSweep({ kind: 'range', start: 1, step: 0.5, end: 3 })).toBe('1 to 3 in steps of 0.5 (5 values)');
    const many = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(showSweep({ kind: 'list', values: many })).toBe('1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, … (20 values)');
  });

  it('shows anything else as it was recorded', () => {
    expect(showSweep({ kind: 'grid', values: [] })).toBe('{"kind":"grid","values":[]}');
  });
});
