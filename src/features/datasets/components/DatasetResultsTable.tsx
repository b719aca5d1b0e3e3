import Checkbox from '@mui/material/Checkbox';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { DatasetFile } from '../../../contracts/datasets.ts';
import { formatBytes } from '../../../shared/lib/format.ts';
import { ScrollableTable } from '../../../shared/ui/ScrollableTable.tsx';
import { SelectAllCell } from '../../../shared/ui/SelectAllCell.tsx';

type Props = {
  files: readonly DatasetFile[];
  labelledBy: string;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onTogglePage: (select: boolean) => void;
};

/** One page of catalogue files, each with a checkbox; the header checkbox selects the page. */
export function DatasetResultsTable({ files, labelledBy, selected, onToggle, onTogglePage }: Props) {
  return (
    <ScrollableTable label="Matching files">
      <Table size="small" aria-labelledby={labelledBy}>
        <TableHead>
          <TableRow>
            <SelectAllCell ids={files.map((f) => f.id)} selected={selected} onChange={onTogglePage} label="Select page" />
            <TableCell scope="col">Name</TableCell>
            <TableCell scope="col">Project</TableCell>
            <TableCell scope="col">Level</TableCell>
            <TableCell scope="col" align="right">
              Size
            </TableCell>
            <TableCell scope="col">Observed</TableCell>
            <TableCell scope="col">Storage element</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {files.map((f) => {
            const isSelected = selected.has(f.id);
            return (
              <TableRow key={f.id} hover selected={isSelected}>
                <TableCell padding="checkbox">
                  <Checkbox
                    checked={isSelected}
                    onChange={() => onToggle(f.id)}
                    slotProps={{ input: { 'aria-label': `Select ${f.name}` } }}
                  />
                </TableCell>
                <TableCell component="th" scope="row">
                  <Typography variant="body2" sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
                    {f.name}
                  </Typography>
                  <Typography variant="caption" color="text.secondary" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
                    {f.lfn}
                  </Typography>
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  {f.projectId}
                  {f.telescope && (
                    <Typography variant="caption" color="text.secondary" component="div">
                      {f.telescope}
                      {f.runNumber !== undefined ? ` · run ${f.runNumber}` : ''}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>{f.dataLevel}</TableCell>
                <TableCell align="right" sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                  {formatBytes(f.sizeBytes)}
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{f.observationDate}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{f.storageElement}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </ScrollableTable>
  );
}
