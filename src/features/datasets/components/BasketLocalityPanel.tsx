import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { LaunchInputs } from '../../../contracts/launches.ts';
import type { LocalitySummary } from '../../../contracts/locality.ts';
import { formatBytes, plural } from '../../../shared/lib/format.ts';
import { AVAILABILITY_TEXT, replicaText, siteLocalityPhrases } from '../../../shared/lib/locality-text.ts';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { ScrollableTable } from '../../../shared/ui/ScrollableTable.tsx';
import { basketQueries } from '../api/basket-queries.ts';

const PER_PAGE = 25;

/** "12 files, 31.2 GB: 7 on disk, 5 only on tape (14.8 GB, staging needed), 1 without a replica". */
export function localityHeadline(s: LocalitySummary): string {
  const parts = [`${plural(s.diskFiles, 'file')} on disk`];
  if (s.tapeOnlyFiles > 0) parts.push(`${plural(s.tapeOnlyFiles, 'file')} only on tape (${formatBytes(s.tapeOnlyBytes)}, staging needed)`);
  if (s.noReplicaFiles > 0) parts.push(`${plural(s.noReplicaFiles, 'file')} without a replica`);
  if (s.unknownFiles > 0) parts.push(`${plural(s.unknownFiles, 'file')} of unknown place`);
  const size = s.unknownSizeFiles > 0 ? `${formatBytes(s.bytes)} known` : formatBytes(s.bytes);
  return `${plural(s.files, 'file')}, ${size} in all: ${parts.join(', ')}`;
}

type Props = {
  /** Chosen items, or the whole basket (of some levels); by default the whole basket. */
  inputs?: LaunchInputs;
  headingComponent?: 'h2' | 'h3';
};

const WHOLE_BASKET: LaunchInputs = { basket: {} };

/**
 * "Where is the data?": total volume, per site what running there needs (read in place, stage from tape,
 * transfer), and per file its replicas (storage element, disk or tape, site). `POST /basket/locality`.
 */
export function BasketLocalityPanel({ inputs = WHOLE_BASKET, headingComponent = 'h2' }: Props) {
  const headingId = useId();
  const [page, setPage] = useState(0);
  const empty = 'itemIds' in inputs && inputs.itemIds.length === 0;
  const { data, error, isPending, isFetching, refetch } = useQuery({
    ...basketQueries.locality(inputs, page + 1, PER_PAGE),
    enabled: !empty,
  });

  let body;
  if (empty) {
    body = (
      <Typography variant="body2" color="text.secondary">
        Choose basket items to see where their data is.
      </Typography>
    );
  } else if (isPending) {
    body = (
      <Typography variant="body2" color="text.secondary" role="status" aria-busy="true">
        Looking up where the files are…
      </Typography>
    );
  } else if (error && !data) {
    body = <ErrorAlert error={error} title="Could not look up where the files are" onRetry={() => void refetch()} />;
  } else if (data.total === 0) {
    body = (
      <Typography variant="body2" color="text.secondary">
        The basket is empty.
      </Typography>
    );
  } else {
    const s = data.summary;
    body = (
      <Box sx={{ display: 'grid', gap: 1.5 }}>
        <Typography variant="body2" role="status" sx={{ fontWeight: 600 }}>
          {localityHeadline(s)}
        </Typography>
        {s.warnings.map((w) => (
          <Alert key={w} severity="warning">
            {w}
          </Alert>
        ))}
        {s.sites.length > 0 && (
          <ScrollableTable label="What each site needs">
            <Table size="small" aria-label="What each site needs">
              <TableHead>
                <TableRow>
                  <TableCell>Site</TableCell>
                  <TableCell>To run there</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {s.sites.map((site) => (
                  <TableRow key={site.site}>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>{site.site}</TableCell>
                    <TableCell>{siteLocalityPhrases(site).join('; ')}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </ScrollableTable>
        )}
        <ScrollableTable label="Replicas of each file" refreshing={isFetching} refreshingLabel="Updating the replicas">
          <Table size="small" aria-label="Replicas of each file">
            <TableHead>
              <TableRow>
                <TableCell>File</TableCell>
                <TableCell align="right">Size</TableCell>
                <TableCell>Replicas (storage element, disk or tape, site)</TableCell>
                <TableCell>Status</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.files.map((f) => (
                <TableRow key={f.ref}>
                  <TableCell sx={{ overflowWrap: 'anywhere', minWidth: 160 }}>{f.name}</TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                    {formatBytes(f.bytes)}
                  </TableCell>
                  <TableCell>
                    {f.replicas.length === 0 ? (
                      '—'
                    ) : (
                      <Box component="ul" sx={{ m: 0, pl: 2 }}>
                        {f.replicas.map((r) => (
                          <li key={r.se}>{replicaText(r)}</li>
                        ))}
                      </Box>
                    )}
                  </TableCell>
                  <TableCell>{AVAILABILITY_TEXT[f.availability]}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </ScrollableTable>
        {data.total > PER_PAGE && (
          <TablePagination
            component="div"
            count={data.total}
            page={page}
            rowsPerPage={PER_PAGE}
            rowsPerPageOptions={[PER_PAGE]}
            onPageChange={(_e, p) => setPage(p)}
          />
        )}
      </Box>
    );
  }

  return (
    <Box component="section" aria-labelledby={headingId} sx={{ mt: 2 }}>
      <Typography id={headingId} variant="subtitle1" component={headingComponent} sx={{ fontWeight: 600, mb: 1 }}>
        Where the data is
      </Typography>
      {body}
    </Box>
  );
}
