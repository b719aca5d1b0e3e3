import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { Production } from '../../../contracts/productions.ts';
import { paths } from '../../../shared/lib/paths.ts';
import { DateTime } from '../../../shared/ui/DateTime.tsx';
import { ScrollableTable } from '../../../shared/ui/ScrollableTable.tsx';
import { JobCountsBar } from './JobCountsBar.tsx';
import { etaText, throughputText } from './pace.ts';
import { ProductionStateChip } from './ProductionStateChip.tsx';

/** One row per production: name (to its page) and workflow, owner, state, progress bar, pace (throughput, completion), created. */
export function ProductionsTable({
  items,
  labelledBy,
  refreshing,
}: {
  items: readonly Production[];
  labelledBy: string;
  refreshing?: boolean;
}) {
  return (
    <ScrollableTable label="Productions" refreshing={refreshing} refreshingLabel="Refreshing the productions">
      <Table size="small" aria-labelledby={labelledBy}>
        <TableHead>
          <TableRow>
            <TableCell scope="col">Name</TableCell>
            <TableCell scope="col">Owner</TableCell>
            <TableCell scope="col">State</TableCell>
            <TableCell scope="col" sx={{ minWidth: 180 }}>
              Progress
            </TableCell>
            <TableCell scope="col">Pace</TableCell>
            <TableCell scope="col">Created</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map((p) => (
            <TableRow key={p.id} hover>
              {/* Long names and pace texts wrap, so that the table fits its card at 1280 px. */}
              <TableCell component="th" scope="row" sx={{ minWidth: 160, overflowWrap: 'anywhere' }}>
                <Link href={paths.productions.detail.getHref(p.id)} sx={{ fontWeight: 600 }}>
                  {p.name}
                </Link>
                <Typography variant="caption" color="text.secondary" component="div">
                  {p.workflowId}
                </Typography>
              </TableCell>
              <TableCell>{p.owner}</TableCell>
              <TableCell>
                <ProductionStateChip state={p.state} />
              </TableCell>
              <TableCell>
                <JobCountsBar counts={p.counts} total={p.totalJobs} dense />
              </TableCell>
              <TableCell sx={{ minWidth: 110, fontVariantNumeric: 'tabular-nums' }}>
                <div>{throughputText(p)}</div>
                <Typography variant="caption" color="text.secondary" component="div">
                  {etaText(p)}
                </Typography>
              </TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                <DateTime value={p.createdAt} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </ScrollableTable>
  );
}
