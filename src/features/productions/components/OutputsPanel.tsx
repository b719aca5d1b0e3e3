import AddShoppingCartIcon from '@mui/icons-material/AddShoppingCart';
import DownloadIcon from '@mui/icons-material/Download';
import FolderZipIcon from '@mui/icons-material/FolderZip';
import Inventory2OutlinedIcon from '@mui/icons-material/Inventory2Outlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { OUTPUT_PREVIEW_BYTES, type ProductionOutput } from '../../../contracts/outputs.ts';
import { downloadFromBff } from '../../../shared/lib/download.ts';
import { formatBytes } from '../../../shared/lib/format.ts';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { QueryStates } from '../../../shared/ui/QueryStates.tsx';
import { ScrollableTable } from '../../../shared/ui/ScrollableTable.tsx';
import { TextPreview } from '../../../shared/ui/TextPreview.tsx';
import { visuallyHidden } from '../../../shared/ui/visually-hidden.ts';
import { useAddOutputsToBasket } from '../api/production-mutations.ts';
import { productionQueries } from '../api/production-queries.ts';

const base = (productionId: string) => `/bff/v1/productions/${encodeURIComponent(productionId)}/outputs`;

function PreviewDialog({ productionId, file, onClose }: { productionId: string; file: ProductionOutput; onClose: () => void }) {
  const titleId = useId();
  const { data, error, isPending, refetch } = useQuery(productionQueries.outputPreview(productionId, file.lfn));
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} maxWidth="md" fullWidth>
      <DialogTitle id={titleId} sx={{ wordBreak: 'break-all' }}>
        {file.name}
      </DialogTitle>
      <DialogContent>
        {isPending ? (
          <Skeleton variant="rounded" height={200} role="status" aria-busy="true" aria-label={`Loading ${file.name}`} />
        ) : error ? (
          <ErrorAlert error={error} onRetry={() => void refetch()} />
        ) : data.text === null ? (
          <Typography variant="body2">This is a binary file: download it to read it.</Typography>
        ) : (
          <TextPreview label={`Contents of ${file.name}`} maxHeight="60vh">
            {data.text || '(empty)'}
            {data.truncated ? `\n… (only the first ${OUTPUT_PREVIEW_BYTES / 1024} KiB of ${formatBytes(data.bytes)} are shown)` : ''}
          </TextPreview>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * A production's results: the OutputData its jobs registered in Rucio (name, size, checksum, storage, job), a
 * preview of text files, downloads one by one or all as one tar, and "Add outputs to basket" for a next launch.
 * `version` changes with the job counts (new outputs appear as jobs finish).
 */
export function OutputsPanel({
  productionId,
  version,
  onAddedToBasket,
}: {
  productionId: string;
  version: string;
  onAddedToBasket?: () => void;
}) {
  const headingId = useId();
  const query = useQuery(productionQueries.outputs(productionId, version));
  const add = useAddOutputsToBasket(productionId, onAddedToBasket);
  const [preview, setPreview] = useState<ProductionOutput | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const download = (path: string, name: string) => {
    setDownloadError(null);
    downloadFromBff(path, name).catch(setDownloadError);
  };
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-labelledby={headingId}
      sx={{ p: { xs: 2, md: 3 }, display: 'grid', gap: 2, gridTemplateColumns: 'minmax(0, 1fr)' }}
    >
      <Typography id={headingId} variant="h6" component="h2">
        Outputs
      </Typography>
      <QueryStates
        query={query}
        loading={{ label: 'Loading the outputs…', rows: 3, columns: 5 }}
        isEmpty={(d) => d.files.length === 0}
        empty={{
          title: 'No outputs yet',
          description: 'Files the jobs register as output data appear here once the jobs are done.',
          icon: <Inventory2OutlinedIcon />,
        }}
      >
        {(data) => (
          <>
            <Typography variant="body2">
              {data.totalFiles.toLocaleString('en-US')} {data.totalFiles === 1 ? 'file' : 'files'}, {formatBytes(data.totalBytes)} in{' '}
              <Box component="span" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
                {data.dataset}
              </Box>
              {data.truncated ? ' (the list stops here)' : ''}
            </Typography>
            <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }}>
              <Button
                variant="outlined"
                startIcon={<FolderZipIcon />}
                onClick={() => download(`${base(productionId)}/archive`, 'outputs.tar')}
              >
                Download all (.tar)
              </Button>
              <Button variant="outlined" startIcon={<AddShoppingCartIcon />} disabled={add.isPending} onClick={() => add.mutate()}>
                Add outputs to basket
              </Button>
            </Box>
            {add.isSuccess && (
              <Alert severity="success" role="status">
                {add.data.added} added to your basket
                {add.data.alreadyPresent ? `, ${add.data.alreadyPresent} already there` : ''}: choose them as input of your next launch.
              </Alert>
            )}
            {add.isError && <ErrorAlert error={add.error} title="The outputs were not added to your basket" />}
            {Boolean(downloadError) && <ErrorAlert error={downloadError} title="The download failed" />}
            <ScrollableTable label="Outputs">
              <Table size="small" aria-labelledby={headingId}>
                <TableHead>
                  <TableRow>
                    <TableCell>Name</TableCell>
                    <TableCell align="right">Size</TableCell>
                    <TableCell>Checksum (adler32)</TableCell>
                    <TableCell>Stored at</TableCell>
                    <TableCell align="right">Job</TableCell>
                    <TableCell>
                      <Box component="span" sx={visuallyHidden}>
                        Actions
                      </Box>
                    </TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {data.files.map((f) => (
                    <TableRow key={f.lfn}>
                      <TableCell sx={{ fontFamily: 'monospace', wordBreak: 'break-all', minWidth: 160 }} title={f.lfn}>
                        {f.name}
                      </TableCell>
                      <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                        {formatBytes(f.bytes)}
                      </TableCell>
                      <TableCell sx={{ fontFamily: 'monospace' }}>{f.adler32 ?? '—'}</TableCell>
                      <TableCell>{f.rses.join(', ') || '—'}</TableCell>
                      <TableCell align="right">{f.jobId ?? '—'}</TableCell>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>
                        <Button size="small" disabled={!f.readable} onClick={() => setPreview(f)} aria-label={`Preview ${f.name}`}>
                          Preview
                        </Button>
                        <Button
                          size="small"
                          startIcon={<DownloadIcon />}
                          disabled={!f.readable}
                          aria-label={`Download ${f.name}`}
                          onClick={() => download(`${base(productionId)}/file?lfn=${encodeURIComponent(f.lfn)}`, f.name)}
                        >
                          Download
                        </Button>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </ScrollableTable>
          </>
        )}
      </QueryStates>
      {preview && <PreviewDialog productionId={productionId} file={preview} onClose={() => setPreview(null)} />}
    </Paper>
  );
}
