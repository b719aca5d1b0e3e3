import { useTheme } from '@mui/material/styles';

/** Colours of groupings other than status (Tableau 10: told apart with most colour vision deficiencies). */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const MARGIN = { left: 44, right: 8, top: 8, bottom: 20 };

/** 0, step, 2·step… up to the first multiple of a 1/2/5 step at or above `max` (4 or so gridlines). */
function ticksUpTo(max: number): number[] {
  const raw = Math.max(1, max) / 4;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? raw);
  const top = Math.max(step, Math.ceil(max / step) * step);
  return Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
}

/**
 * Stacked bars as plain SVG: 14 days × a few groups is all the monitor draws, and MUI X Charts
 * (~90 KB gzipped) was a quarter of the monitor's JavaScript (issue #17). The caller names the
 * whole chart (role=img); each segment has a native tooltip.
 */
export function StackedBars({
  width,
  height,
  labels,
  series,
}: {
  width: number;
  height: number;
  labels: readonly string[];
  /** `color: null` takes the next palette colour. */
  series: readonly { label: string; color: string | null; data: readonly number[] }[];
}) {
  const theme = useTheme();
  const totals = labels.map((_, i) => series.reduce((n, s) => n + (s.data[i] ?? 0), 0));
  const ticks = ticksUpTo(Math.max(0, ...totals));
  const top = ticks.at(-1)!;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const y = (v: number) => MARGIN.top + plotH - (v / top) * plotH;
  const band = plotW / Math.max(1, labels.length);
  // every label when they fit (MM-DD ≈ 32 px), else every other one
  const labelEvery = band >= 34 ? 1 : 2;
  // CSS variables (as style, not attributes): the chart follows the colour scheme without a redraw
  const palette = (theme.vars ?? theme).palette;
  const muted = { fill: palette.text.secondary };
  return (
    <svg width={width} height={height} aria-hidden="true" style={{ display: 'block', fontSize: 11 }}>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={MARGIN.left} x2={width - MARGIN.right} y1={y(t)} y2={y(t)} style={{ stroke: palette.divider }} />
          <text x={MARGIN.left - 6} y={y(t)} dy="0.32em" textAnchor="end" style={muted}>
            {t.toLocaleString('en')}
          </text>
        </g>
      ))}
      {labels.map((label, i) => {
        const x = MARGIN.left + i * band;
        let base = 0;
        return (
          <g key={label}>
            {series.map((s, k) => {
              const v = s.data[i] ?? 0;
              if (v === 0) return null;
              const y0 = y(base);
              base += v;
              return (
                <rect
                  key={s.label}
                  x={x + band * 0.15}
                  width={band * 0.7}
                  y={y(base)}
                  height={Math.max(0, y0 - y(base))}
                  style={{ fill: s.color ?? PALETTE[k % PALETTE.length] }}
                >
                  <title>{`${label}: ${s.label} ${v.toLocaleString('en')}`}</title>
                </rect>
              );
            })}
            {i % labelEvery === 0 && (
              <text x={x + band / 2} y={height - 6} textAnchor="middle" style={muted}>
                {label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
