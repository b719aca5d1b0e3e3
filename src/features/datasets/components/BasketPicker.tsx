import ShoppingBasketIcon from '@mui/icons-material/ShoppingBasket';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Pagination from '@mui/material/Pagination';
import Switch from '@mui/material/Switch';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import type { BasketItem } from '../../../contracts/datasets.ts';
import { paths } from '../../../shared/lib/paths.ts';
import { EmptyState } from '../../../shared/ui/EmptyState.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { ScrollableTable } from '../../../shared/ui/ScrollableTable.tsx';
import { SelectAllCell } from '../../../shared/ui/SelectAllCell.tsx';
import { TableSkeleton } from '../../../shared/ui/TableSkeleton.tsx';
import { basketQueries } from '../api/basket-queries.ts';
import { formatBytes, formatCount, plural } from '../../../shared/lib/format.ts';
import { KIND_LABEL } from './BasketItemsTable.tsx';

const ITEMS_PER_PAGE = 50;

/** Size of the chosen items: "3 items · 2.1 GB" (+ how many have no known size). */
export function basketSelectionText(items: readonly BasketItem[]): string {
  const known = items.filter((i) => i.sizeBytes !== null);
  const bytes = known.reduce((s, i) => s + (i.sizeBytes ?? 0), 0);
  const unknown = items.length - known.length;
  return `${plural(items.length, 'item')} · ${formatBytes(bytes)}${unknown > 0 ? ` (+ ${formatCount(unknown)} of unknown size)` : ''}`;
}

type BasketPickerProps = {
  /** Ids of the chosen basket items (controlled). */
  selected: ReadonlySet<string>;
  onChange: (next: ReadonlySet<string>) => void;
  /** Data levels the caller reads (e.g. a workflow's DL0 input): other items are hidden until "Show all" is on. */
  levels?: readonly string[] | null;
  /** What is wrong with the choice (e.g. "Choose at least one item"), shown above the table. */
  error?: string | null;
  /** Accessible name of the table. */
  tableLabel?: string;
};

/**
 * Choose items from the user's basket (the launch page's input data): a checkbox table with
 * name, level, size and kind, "select all", and a data-level filter with a "show all" switch.
 * An empty basket shows the way to the Basket page.
 */
export function BasketPicker({ selected, onChange, levels, error, tableLabel = 'Basket items' }: BasketPickerProps) {
  const errorId = useId();
  const { data, error: loadError, isPending, refetch } = useQuery(basketQueries.current());
  const [showAll, setShowAll] = useState(false);
  const [page, setPage] = useState(1);

  const items = useMemo(() => data?.items ?? [], [data]);
  const filtering = Boolean(levels && levels.length > 0) && !showAll;
  const matching = useMemo(
    () => (levels && levels.length > 0 ? items.filter((i) => i.dataLevel !== null && levels.includes(i.dataLevel)) : items),
    [items, levels],
  );
  const shown = filtering ? matching : items;
  const hiddenCount = items.length - matching.length;
  const chosen = useMemo(() => items.filter((i) => selected.has(i.id)), [items, selected]);
  const chosenHidden = useMemo(() => {
    if (!filtering) return 0;
    const visible = new Set(matching.map((i) => i.id));
    return chosen.filter((i) => !visible.has(i.id)).length;
  }, [filtering, matching, chosen]);

  const pages = Math.max(1, Math.ceil(shown.length / ITEMS_PER_PAGE));
  const current = Math.min(page, pages);
  const pageItems = shown.slice((current - 1) * ITEMS_PER_PAGE, current * ITEMS_PER_PAGE);

  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChange(next);
  };
  const toggleAll = (select: boolean) => {
    const next = new Set(selected);
    for (const i of shown) {
      if (select) next.add(i.id);
      else next.delete(i.id);
    }
    onChange(next);
  };

  if (isPending) return <TableSkeleton rows={4} columns={4} label="Loading your basket…" />;
  if (loadError && !data) return <ErrorAlert error={loadError} title="Your basket could not be loaded" onRetry={() => void refetch()} />;
  if (items.length === 0)
    return (
      <>
        {error && (
          <Alert severity="error" id={errorId} sx={{ mb: 2 }}>
            {error}
          </Alert>
        )}
        <EmptyState
          icon={<ShoppingBasketIcon />}
          headingComponent="h3"
          title="Your basket is empty"
          description="This workflow reads files from your basket. Find data and add it to your basket first; your choices here are kept while you do."
          action={
            <Button variant="contained" href={paths.basket.getHref()}>
              Go to the basket
            </Button>
          }
        />
      </>
    );

  const levelText = levels?.join(', ') ?? '';
  return (
    <Box sx={{ display: 'grid', gap: 1.5 }}>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 1 }}>
        <Typography variant="body2" role="status" sx={{ fontWeight: 600 }}>
          {chosen.length === 0 ? 'No items chosen yet' : `Chosen: ${basketSelectionText(chosen)}`}
          {chosenHidden > 0 ? ` (${formatCount(chosenHidden)} hidden by the level filter)` : ''}
        </Typography>
        {levels && levels.length > 0 && hiddenCount > 0 && (
          <FormControlLabel
            control={
              <Switch
                checked={showAll}
                onChange={(e) => {
                  setShowAll(e.target.checked);
                  setPage(1);
                }}
              />
            }
            label={`Show all basket items (not only ${levelText})`}
          />
        )}
      </Box>
      {filtering && hiddenCount > 0 && (
        <Typography variant="body2" color="text.secondary">
          Showing the {plural(matching.length, `${levelText} item`)} this workflow reads; {plural(hiddenCount, 'other item')} of other or
          unknown data levels {hiddenCount === 1 ? 'is' : 'are'} hidden.
        </Typography>
      )}
      {error && (
        <Alert severity="error" id={errorId}>
          {error}
        </Alert>
      )}
      {shown.length === 0 ? (
        <Alert severity="info">
          None of your {plural(items.length, 'basket item')} is {levelText}. Turn on “Show all basket items” to choose others, or add{' '}
          {levelText} data to your basket.
        </Alert>
      ) : (
        <ScrollableTable label={tableLabel} maxHeight={480}>
          <Table size="small" stickyHeader aria-label={tableLabel} aria-describedby={error ? errorId : undefined}>
            <TableHead>
              <TableRow>
                <SelectAllCell
                  ids={shown.map((i) => i.id)}
                  selected={selected}
                  onChange={toggleAll}
                  label={shown.length > ITEMS_PER_PAGE ? `Select all ${formatCount(shown.length)} items shown` : 'Select all items shown'}
                />
                <TableCell scope="col">Item</TableCell>
                <TableCell scope="col">Level</TableCell>
                <TableCell scope="col" align="right">
                  Size
                </TableCell>
                <TableCell scope="col">Kind</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {pageItems.map((item) => {
                const isSelected = selected.has(item.id);
                return (
                  <TableRow key={item.id} hover selected={isSelected}>
                    <TableCell padding="checkbox">
                      <Checkbox
                        checked={isSelected}
                        onChange={() => toggle(item.id)}
                        slotProps={{ input: { 'aria-label': `Select ${item.name}` } }}
                      />
                    </TableCell>
                    <TableCell component="th" scope="row" sx={{ maxWidth: 520 }}>
                      <Typography variant="body2" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
                        {item.name}
                      </Typography>
                      {item.ref !== item.name && (
                        <Typography variant="caption" color="text.secondary" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
                          {item.ref}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>{item.dataLevel ?? '—'}</TableCell>
                    <TableCell align="right" sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                      {item.sizeBytes === null ? <span title="Size not known">—</span> : formatBytes(item.sizeBytes)}
                    </TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>{KIND_LABEL[item.kind]}</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </ScrollableTable>
      )}
      {pages > 1 && (
        <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', flexWrap: 'wrap', gap: 1 }}>
          <Typography variant="body2" color="text.secondary">
            {formatCount((current - 1) * ITEMS_PER_PAGE + 1)}–{formatCount((current - 1) * ITEMS_PER_PAGE + pageItems.length)} of{' '}
            {formatCount(shown.length)}
          </Typography>
          <Pagination
            count={pages}
            page={current}
            onChange={(_e, p) => setPage(p)}
            color="primary"
            shape="rounded"
            aria-label="Pages of basket items"
          />
        </Box>
      )}
    </Box>
  );
}
