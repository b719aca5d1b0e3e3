import { render } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BreakdownEntry } from '../../../contracts/productions.ts';
import FailureBarChart from './FailureBarChart.tsx';
import ProgressLineChart from './ProgressLineChart.tsx';

const ENTRIES: BreakdownEntry[] = [
  { key: 'Application Finished With Errors', count: 3 },
  { key: 'Stalled', count: 1 },
];
const POINTS = [
  { time: '2026-12-01T10:00:00Z', submitted: 2, started: 0, done: 0, failed: 0 },
  { time: '2026-12-01T10:05:00Z', submitted: 2, started: 2, done: 1, failed: 1 },
];

/** A ResizeObserver that reports one fixed content width, as the browser would after layout. */
function layOutAt(width: number) {
  vi.stubGlobal(
    'ResizeObserver',
    class {
      constructor(private readonly callback: ResizeObserverCallback) {}
      observe(target: Element) {
        this.callback([{ target, contentRect: { width } as DOMRectReadOnly } as ResizeObserverEntry], this as unknown as ResizeObserver);
      }
      unobserve() {}
      disconnect() {}
    },
  );
}

const negativeRects = (container: HTMLElement) =>
  [...container.querySelectorAll('rect')].filter((r) => Number(r.getAttribute('width')) < 0 || Number(r.getAttribute('height')) < 0);

describe('charts drawn before their container has a width', () => {
  let consoleError: ReturnType<typeof vi.spyOn>;
  beforeAll(() => {
    consoleError = vi.spyOn(console, 'error');
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    consoleError.mockClear();
  });

  it.each([
    ['not laid out yet (0 px)', 0],
    ['narrower than its axes (146 px: the "-68" of the flaky e2e)', 146],
  ])('draw nothing while the container is %s', (_what, width) => {
    layOutAt(width);
    const bars = render(<FailureBarChart entries={ENTRIES} label="By minor status" />);
    const lines = render(<ProgressLineChart points={POINTS} />);
    for (const { container } of [bars, lines]) {
      expect(negativeRects(container)).toEqual([]);
      expect(container.querySelector('svg')).toBeNull();
    }
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('draws at the measured width once there is room, with no negative rect', () => {
    layOutAt(600);
    const { container } = render(<FailureBarChart entries={ENTRIES} label="By minor status" />);
    const svg = container.querySelector('svg');
    expect(svg).not.toBeNull();
    expect(svg!.getAttribute('viewBox')).toMatch(/^0 0 600 /);
    expect(container.querySelectorAll('rect').length).toBeGreaterThan(0);
    expect(negativeRects(container)).toEqual([]);
    expect(consoleError).not.toHaveBeenCalled();
  });
});
