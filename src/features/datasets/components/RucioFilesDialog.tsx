import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { ScrollableTable } from '../../../shared/ui/ScrollableTable.tsx';
import { TableSkeleton } from '../../../shared/ui/TableSkeleton.tsx';
import { rucioQueries } from '../api/rucio-queries.ts';
import { formatBytes, plural } from '../../../shared/lib/format.ts';

type Props = { did: string | null; onClose: () => void };

/** The files of a Rucio DID with size, adler32 and where their replicas are (storage element and state). */
export function RucioFilesDialog({ did, onClose }: Props) {
  const titleId = useId();
  // Keep showing the last DID while the dialog closes.
  const [shown, setShown] = useState(did);
  if (did !== null && did !== shown) setShown(did);
  const { data, error, isPending, refetch } = useQuery({ ...rucioQueries.files(shown ?? ''), enabled: shown !== null });
  let body;
  if (isPending) body = <TableSkeleton rows={6} columns={4} label="Listing the files in Rucio…" />;
  else if (error) body = <ErrorAlert error={error} onRetry={() => void refetch()} />;
  else if (data.files.length === 0) body = <Typography>This DID has no files.</Typography>;
  else
    body = (
      <>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          {plural(data.files.length, 'file')}, {formatBytes(data.totalBytes)}
          {data.truncated ? ' (the list was cut: more files than the portal lists at once)' : ''}
        </Typography>
        <ScrollableTable label="Files">
          <Table size="small" aria-labelledby={titleId}>
            <TableHead>
              <TableRow>
                <TableCell scope="col">File</TableCell>
                <TableCell scope="col" align="right">
                  Size
                </TableCell>
                <TableCell scope="col">Adler-32</TableCell>
                <TableCell scope="col">Replicas</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.files.map((f) => (
                <TableRow key={f.did}>
                  <TableCell component="th" scope="row" sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
                    {f.did}
                  </TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                    {formatBytes(f.bytes)}
                  </TableCell>
                  <TableCell sx={{ fontFamily: 'monospace' }}>{f.adler32 ?? '—'}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    {f.replicas.length ? f.replicas.map((r) => `${r.rse} (${r.state.toLowerCase()})`).join(', ') : 'no replica'}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </ScrollableTable>
      </>
    );
  return (
    <Dialog open={did !== null} onClose={onClose} aria-labelledby={titleId} maxWidth="lg" fullWidth>
      <DialogTitle id={titleId}>Files of {shown}</DialogTitle>
      <DialogContent>{body}</DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
