import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableFooter from '@mui/material/TableFooter';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import type { AccountingReport } from '../../../contracts/accounting.ts';
import { ScrollableTable } from '../../../shared/ui/ScrollableTable.tsx';
import { formatValue, GROUP_BY_LABEL } from './labels.ts';

type UsageTotalsTableProps = { report: AccountingReport; labelledBy: string };

/** Totals over the range per key, largest first, and the grand total. */
export function UsageTotalsTable({ report, labelledBy }: UsageTotalsTableProps) {
  return (
    // On a phone the totals scroll sideways: a focusable, named region (axe: scrollable-region-focusable).
    <ScrollableTable label="Usage totals">
      <Table size="small" aria-labelledby={labelledBy}>
        <TableHead>
          <TableRow>
            <TableCell component="th" scope="col">
              {GROUP_BY_LABEL[report.groupBy]}
            </TableCell>
            <TableCell component="th" scope="col" align="right">
              Jobs
            </TableCell>
            <TableCell component="th" scope="col" align="right">
              CPU hours
            </TableCell>
            <TableCell component="th" scope="col" align="right">
              Wall-clock hours
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {report.totals.map((t) => (
            <TableRow key={t.key} hover>
              <TableCell component="th" scope="row" sx={{ wordBreak: 'break-all' }}>
                {t.key}
              </TableCell>
              <TableCell align="right">{formatValue('jobs', t.jobs)}</TableCell>
              <TableCell align="right">{formatValue('cpuHours', t.cpuHours)}</TableCell>
              <TableCell align="right">{formatValue('wallHours', t.wallHours)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
        <TableFooter>
          <TableRow>
            <TableCell component="th" scope="row" sx={{ fontWeight: 600, color: 'text.primary' }}>
              Total
            </TableCell>
            <TableCell align="right" sx={{ fontWeight: 600, color: 'text.primary' }} data-testid="total-jobs">
              {formatValue('jobs', report.total.jobs)}
            </TableCell>
            <TableCell align="right" sx={{ fontWeight: 600, color: 'text.primary' }}>
              {formatValue('cpuHours', report.total.cpuHours)}
            </TableCell>
            <TableCell align="right" sx={{ fontWeight: 600, color: 'text.primary' }}>
              {formatValue('wallHours', report.total.wallHours)}
            </TableCell>
          </TableRow>
        </TableFooter>
      </Table>
    </ScrollableTable>
  );
}
