import { LineChart } from '@mui/x-charts/LineChart';
import type { ProgressPoint } from '../../../contracts/productions.ts';
import { ChartFrame } from '../../../shared/ui/ChartFrame.tsx';

const SERIES = [
  { key: 'submitted', label: 'Submitted', color: '#757575' },
  { key: 'started', label: 'Started', color: '#1976d2' },
  { key: 'done', label: 'Done', color: '#2e7d32' },
  { key: 'failed', label: 'Failed', color: '#d32f2f' },
] as const;

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Cumulative submitted / started / done / failed jobs over time. */
export default function ProgressLineChart({ points }: { points: readonly ProgressPoint[] }) {
  return (
    <ChartFrame height={280} minWidth={160}>
      {(width) => (
        <LineChart
          width={width}
          height={280}
          // Read again each time the production changes: the drawing animation, restarted each time, left the
          // lines undrawn for a moment (e2e screenshots caught the chart empty twice) and would flash for a reader.
          skipAnimation
          xAxis={[{ scaleType: 'time', data: points.map((p) => new Date(p.time)), valueFormatter: (d: Date) => timeFormat.format(d) }]}
          yAxis={[{ tickMinStep: 1, label: 'jobs' }]}
          series={SERIES.map((s) => ({
            data: points.map((p) => p[s.key]),
            label: s.label,
            color: s.color,
            showMark: false,
            curve: 'stepAfter' as const,
          }))}
          margin={{ left: 8, right: 24, top: 16, bottom: 8 }}
          disableKeyboardNavigation
        />
      )}
    </ChartFrame>
  );
}
