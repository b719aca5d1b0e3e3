import { BarChart } from '@mui/x-charts/BarChart';
import type { BreakdownEntry } from '../../../contracts/productions.ts';
import { ChartFrame } from '../../../shared/ui/ChartFrame.tsx';

const KEY_AXIS_WIDTH = 190;

/** Failed jobs per reason or site as horizontal bars (the table beside it carries the same numbers). */
export default function FailureBarChart({ entries, label }: { entries: readonly BreakdownEntry[]; label: string }) {
  const top = entries.slice(0, 8);
  const height = Math.max(120, 40 + top.length * 32);
  return (
    // The key axis and margins take 214 px: leave the bars some room too.
    <ChartFrame height={height} minWidth={KEY_AXIS_WIDTH + 24 + 40}>
      {(width) => (
        <BarChart
          layout="horizontal"
          width={width}
          height={height}
          yAxis={[
            {
              scaleType: 'band',
              data: top.map(({ key }) => (key === null ? 'Unknown' : key.length > 28 ? `${key.slice(0, 27)}…` : key)),
              width: KEY_AXIS_WIDTH,
            },
          ]}
          xAxis={[{ tickMinStep: 1, label: 'failed jobs' }]}
          series={[{ data: top.map((e) => e.count), label, color: '#d32f2f' }]}
          hideLegend
          disableKeyboardNavigation
          margin={{ left: 8, right: 16, top: 8, bottom: 8 }}
        />
      )}
    </ChartFrame>
  );
}
