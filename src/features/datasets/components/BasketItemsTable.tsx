import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { BasketItem, BasketItemKind } from '../../../contracts/datasets.ts';
import { ScrollableTable } from '../../../shared/ui/ScrollableTable.tsx';
import { SelectAllCell } from '../../../shared/ui/SelectAllCell.tsx';
import { visuallyHidden } from '../../../shared/ui/visually-hidden.ts';
import { formatBytes } from '../../../shared/lib/format.ts';

export const KIND_LABEL: Record<BasketItemKind, string> = { lfn: 'DIRAC LFN', rucio: 'Rucio DID', esap: 'ESAP item' };

type Props = {
  items: readonly BasketItem[];
  labelledBy: string;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: (select: boolean) => void;
  onRemove: (item: BasketItem) => void;
  removing: ReadonlySet<string>;
};

/** A basket item's name and reference, the row header of the basket's tables. */
export function BasketItemNameCell({ item }: { item: Pick<BasketItem, 'name' | 'ref'> }) {
  return (
    // A floor for the name: at 390 px the fixed columns squeezed it to a few letters a line; the table scrolls instead.
    <TableCell component="th" scope="row" sx={{ minWidth: 200, maxWidth: 520 }}>
      <Typography variant="body2" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
        {item.name}
      </Typography>
      {item.ref !== item.name && (
        <Typography variant="caption" color="text.secondary" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
          {item.ref}
        </Typography>
      )}
    </TableCell>
  );
}

/** The basket's items: what each one is (kind, in words), where it comes from, size, group; remove one. */
export function BasketItemsTable({ items, labelledBy, selected, onToggle, onToggleAll, onRemove, removing }: Props) {
  return (
    <ScrollableTable label="Basket items">
      <Table size="small" aria-labelledby={labelledBy}>
        <TableHead>
          <TableRow>
            <SelectAllCell ids={items.map((i) => i.id)} selected={selected} onChange={onToggleAll} label="Select all items shown" />
            <TableCell scope="col">Item</TableCell>
            <TableCell scope="col">Kind</TableCell>
            <TableCell scope="col">Level</TableCell>
            <TableCell scope="col" align="right">
              Size
            </TableCell>
            <TableCell scope="col">Project / source</TableCell>
            <TableCell scope="col">Group</TableCell>
            <TableCell scope="col">
              <Box component="span" sx={visuallyHidden}>
                Actions
              </Box>
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map((item) => {
            const isSelected = selected.has(item.id);
            const archive = typeof item.meta.archive === 'string' ? item.meta.archive : null;
            return (
              <TableRow key={item.id} hover selected={isSelected}>
                <TableCell padding="checkbox">
                  <Checkbox
                    checked={isSelected}
                    onChange={() => onToggle(item.id)}
                    slotProps={{ input: { 'aria-label': `Select ${item.name}` } }}
                  />
                </TableCell>
                <BasketItemNameCell item={item} />
                <TableCell>
                  <Chip size="small" variant="outlined" label={KIND_LABEL[item.kind]} />
                </TableCell>
                <TableCell>{item.dataLevel ?? '—'}</TableCell>
                <TableCell align="right" sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                  {item.sizeBytes === null ? <span title="Size not known">—</span> : formatBytes(item.sizeBytes)}
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  {item.projectId ??
                    (item.source === 'esap' ? `ESAP${archive ? ` · ${archive}` : ''}` : item.source === 'rucio' ? 'Pasted DID' : '—')}
                </TableCell>
                <TableCell>{item.group ? <Chip size="small" label={item.group} /> : '—'}</TableCell>
                <TableCell padding="checkbox" sx={{ pr: 1 }}>
                  <Tooltip title="Remove from basket">
                    <span>
                      <IconButton
                        aria-label={`Remove ${item.name}`}
                        onClick={() => onRemove(item)}
                        disabled={removing.has(item.id)}
                        size="small"
                      >
                        <DeleteOutlineIcon fontSize="small" />
                      </IconButton>
                    </span>
                  </Tooltip>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </ScrollableTable>
  );
}
