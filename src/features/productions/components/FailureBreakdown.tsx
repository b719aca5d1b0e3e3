import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { lazy, Suspense, useId } from 'react';
import type { BreakdownEntry } from '../../../contracts/productions.ts';

// MUI X Charts only load with this page's chart, never with the shell.
const FailureBarChart = lazy(() => import('./FailureBarChart.tsx'));

type Props = {
  title: string;
  /** Column header for the key ("Minor status", "Site"). */
  keyLabel: string;
  entries: readonly BreakdownEntry[];
  /** The jobs monitor, filtered to the failed jobs of this key (null: DiracX has no value); no link without it. */
  hrefFor?: (key: string | null) => string;
};

/** Failed jobs by one attribute: a chart, and a table whose rows link to those jobs and say what a key means when known. */
export function FailureBreakdown({ title, keyLabel, entries, hrefFor }: Props) {
  const headingId = useId();
  return (
    <Box component="section" aria-labelledby={headingId} sx={{ minWidth: 0 }}>
      <Typography id={headingId} variant="subtitle1" component="h3" sx={{ fontWeight: 600, mb: 1 }}>
        {title}
      </Typography>
      {entries.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          No failed jobs.
        </Typography>
      ) : (
        <>
          <Box aria-hidden>
            <Suspense fallback={<Skeleton variant="rounded" height={120} />}>
              <FailureBarChart entries={entries} label={title} />
            </Suspense>
          </Box>
          <Table size="small" aria-labelledby={headingId}>
            <TableHead>
              <TableRow>
                <TableCell scope="col">{keyLabel}</TableCell>
                <TableCell scope="col" align="right">
                  Failed jobs
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {entries.map((e) => (
                <TableRow key={e.key ?? ''}>
                  <TableCell component="th" scope="row" sx={{ overflowWrap: 'anywhere' }}>
                    {e.key ?? 'Unknown'}
                    {e.reason && (
                      <Typography component="span" variant="body2" color="text.secondary" sx={{ display: 'block' }}>
                        {e.reason}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                    {hrefFor ? (
                      <Link href={hrefFor(e.key)} aria-label={`Show the ${e.count} failed jobs: ${e.key ?? 'Unknown'}`}>
                        {e.count.toLocaleString('en-US')}
                      </Link>
                    ) : (
                      e.count.toLocaleString('en-US')
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </Box>
  );
}
