import { BarChart } from '@mui/x-charts/BarChart';
import type { BreakdownEntry } from '../../../contracts/productions.ts';

/** Failed jobs per reason or site as horizontal bars (the table beside it carries the same numbers). */
export default function FailureBarChart({ entries, label }: { entries: readonly BreakdownEntry[]; label: string }) {
  const top = entries.slice(0, 8);
  return (
    <BarChart
      layout="horizontal"
      height={Math.max(120, 40 + top.length * 32)}
      yAxis={[
        {
          scaleType: 'band',
          data: top.map(({ key }) => (key === null ? 'Unknown' : key.length > 28 ? `${key.slice(0, 27)}…` : key)),
          width: 190,
        },
      ]}
      xAxis={[{ tickMinStep: 1, label: 'failed jobs' }]}
      series={[{ data: top.map((e) => e.count), label, color: '#d32f2f' }]}
      hideLegend
      disableKeyboardNavigation
      margin={{ left: 8, right: 16, top: 8, bottom: 8 }}
    />
  );
}
