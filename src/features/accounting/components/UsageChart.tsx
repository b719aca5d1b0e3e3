import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { BarChart } from '@mui/x-charts/BarChart';
import { useId, useState } from 'react';
import type { AccountingMetric, AccountingReport } from '../../../contracts/accounting.ts';
import { ChartFrame } from '../../../shared/ui/ChartFrame.tsx';
import { bucketLabel, formatValue, GROUP_BY_LABEL, METRIC_LABEL, topSeries } from './labels.ts';

type UsageChartProps = { report: AccountingReport; metric: AccountingMetric };

/** Stacked bars of one metric per bucket, one colour per key; the same figures as a table on demand. */
export function UsageChart({ report, metric }: UsageChartProps) {
  const captionId = useId();
  const tableId = useId();
  const [showTable, setShowTable] = useState(false);
  const series = topSeries(report, metric);
  const labels = report.buckets.map((b) => bucketLabel(report.bucket, b));
  const caption = `${METRIC_LABEL[metric]} per ${report.bucket} by ${GROUP_BY_LABEL[report.groupBy].toLowerCase()}, stacked (UTC), ${labels[0] ?? ''} to ${labels[labels.length - 1] ?? ''}.`;
  return (
    <Box component="figure" aria-labelledby={captionId} sx={{ m: 0 }}>
      <Typography component="figcaption" id={captionId} variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {caption}
      </Typography>
      <ChartFrame height={360} minWidth={160}>
        {(width) => (
          <BarChart
            width={width}
            height={360}
            skipAnimation
            xAxis={[{ scaleType: 'band', data: labels, tickLabelPlacement: 'middle' }]}
            yAxis={[
              {
                label: METRIC_LABEL[metric],
                width: 72,
                valueFormatter: (v: number) => v.toLocaleString('en-GB', { maximumSignificantDigits: 3 }),
                ...(metric === 'jobs' ? { tickMinStep: 1 } : {}),
              },
            ]}
            series={series.map((s) => ({
              id: s.key,
              label: s.key,
              data: s.data,
              stack: 'total',
              valueFormatter: (v: number | null) => (v === null ? '' : formatValue(metric, v)),
            }))}
            margin={{ left: 8, right: 16, top: 16, bottom: 8 }}
          />
        )}
      </ChartFrame>
      <Button size="small" onClick={() => setShowTable((v) => !v)} aria-expanded={showTable} aria-controls={tableId} sx={{ mt: 2 }}>
        {showTable ? 'Hide the chart data' : 'Show the chart data as a table'}
      </Button>
      {showTable && (
        <TableContainer id={tableId} tabIndex={0} role="region" aria-label="Chart data (scrollable)" sx={{ maxHeight: 360, mt: 1 }}>
          <Table size="small" stickyHeader aria-label={`Chart data: ${caption}`}>
            <TableHead>
              <TableRow>
                <TableCell component="th" scope="col">
                  {report.bucket[0]!.toUpperCase() + report.bucket.slice(1)}
                </TableCell>
                {series.map((s) => (
                  <TableCell key={s.key} component="th" scope="col" align="right">
                    {s.key}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {labels.map((label, i) => (
                <TableRow key={report.buckets[i]}>
                  <TableCell component="th" scope="row">
                    {label}
                  </TableCell>
                  {series.map((s) => (
                    <TableCell key={s.key} align="right">
                      {formatValue(metric, s.data[i] ?? 0)}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </Box>
  );
}
