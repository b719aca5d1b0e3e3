import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { formatMinutes, formatNumber } from '../../../shared/ui/format.ts';
import { ScrollableTable } from '../../../shared/ui/ScrollableTable.tsx';
import { liveStatus, type QueueRow } from '../schemas/resource-filters.ts';

function formatRam(mb: number | null): string {
  if (mb === null) return '—';
  return mb >= 1024 ? `${formatNumber(mb / 1024)} GB` : `${mb} MB`;
}

const KIND_TEXT = { HTC: 'HTC', HPC: 'HPC', cloud: 'Cloud' } as const;

/** One row per queue: site and CE, the queue and what it offers (first: what a user picks by), then its live status. */
export function QueueTable({ rows, labelledBy }: { rows: readonly QueueRow[]; labelledBy: string }) {
  return (
    <ScrollableTable label="Queue table">
      <Table size="small" aria-labelledby={labelledBy}>
        <TableHead>
          <TableRow>
            <TableCell scope="col">Site · CE</TableCell>
            <TableCell scope="col">Queue</TableCell>
            <TableCell scope="col">Kind</TableCell>
            <TableCell scope="col" align="right">
              Cores
            </TableCell>
            <TableCell scope="col" align="right">
              GPUs
            </TableCell>
            <TableCell scope="col" align="right">
              RAM
            </TableCell>
            <TableCell scope="col">Time limits</TableCell>
            <TableCell scope="col">Tags</TableCell>
            <TableCell scope="col">Status</TableCell>
            <TableCell scope="col">Site load</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(({ site, ce, queue }) => {
            const status = liveStatus(site.status, ce.status);
            return (
              <TableRow key={queue.id} hover>
                <TableCell>
                  <Typography variant="body2" sx={{ fontWeight: 600 }}>
                    {site.name}
                    {site.localName && (
                      <Typography component="span" variant="caption" color="text.secondary">
                        {' '}
                        · {site.localName}
                      </Typography>
                    )}
                  </Typography>
                  <Typography variant="caption" color="text.secondary" component="div" sx={{ whiteSpace: 'nowrap' }}>
                    {[ce.name, ce.ceType, ce.batchSystem].filter(Boolean).join(' · ')}
                  </Typography>
                </TableCell>
                <TableCell component="th" scope="row">
                  {queue.queue}
                  {queue.wholeNode && (
                    <Typography variant="caption" color="text.secondary" component="div">
                      whole node
                    </Typography>
                  )}
                </TableCell>
                <TableCell>{KIND_TEXT[queue.kind]}</TableCell>
                <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                  {queue.cores}
                </TableCell>
                <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                  {queue.gpus}
                </TableCell>
                <TableCell align="right" sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                  {formatRam(queue.maxRamMB)}
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                  <Typography variant="body2">CPU {formatMinutes(queue.maxCpuTimeMinutes)}</Typography>
                  {queue.maxWallTimeMinutes !== null && (
                    <Typography variant="body2" color="text.secondary">
                      wall {formatMinutes(queue.maxWallTimeMinutes)}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  {queue.tags.length === 0 ? (
                    '—'
                  ) : (
                    <Box
                      component="ul"
                      aria-label="Tags"
                      sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5, listStyle: 'none', m: 0, p: 0 }}
                    >
                      {queue.tags.map((tag) => (
                        <li key={tag}>
                          <Chip label={tag} size="small" variant="outlined" />
                        </li>
                      ))}
                    </Box>
                  )}
                </TableCell>
                <TableCell>
                  <Chip
                    label={status.label}
                    title={status.label}
                    size="small"
                    color={status.tone}
                    variant={status.tone === 'default' ? 'outlined' : 'filled'}
                    sx={{ maxWidth: 200, fontWeight: 600 }}
                  />
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                  {site.load ? `${formatNumber(site.load.waiting)} waiting · ${formatNumber(site.load.running)} running` : '—'}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </ScrollableTable>
  );
}
