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
import { useId, useState } from 'react';
import { DataLevelSchema } from '../../../contracts/datasets.ts';
import type { InputBasket } from '../../../contracts/launches.ts';
import { paths } from '../../../shared/lib/paths.ts';
import { EmptyState } from '../../../shared/ui/EmptyState.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { ScrollableTable } from '../../../shared/ui/ScrollableTable.tsx';
import { SelectAllCell } from '../../../shared/ui/SelectAllCell.tsx';
import { TableSkeleton } from '../../../shared/ui/TableSkeleton.tsx';
import { basketQueries } from '../api/basket-queries.ts';
import { formatBytes, formatCount, plural } from '../../../shared/lib/format.ts';
import { BasketItemNameCell, KIND_LABEL } from './BasketItemsTable.tsx';

const ITEMS_PER_PAGE = 50;

type BasketPickerProps = {
  /** Ids of the chosen basket items (controlled). */
  selected: ReadonlySet<string>;
  onChange: (next: ReadonlySet<string>) => void;
  /** Every item of the basket (of the levels shown) instead of chosen ones, read by the BFF; null while items are chosen. */
  wholeBasket: InputBasket | null;
  onWholeBasketChange: (whole: InputBasket | null) => void;
  /** Data levels the caller reads (e.g. a workflow's DL0 input): other items are hidden until "Show all" is on. */
  levels?: readonly string[] | null;
  /** What is wrong with the choice (e.g. "Choose at least one item"), shown above the table. */
  error?: string | null;
  /** Accessible name of the table. */
  tableLabel?: string;
};

/**
 * Choose items from the user's basket (the launch page's input data): a checkbox table with name, level, size and
 * kind, read a page at a time from the BFF (filtered by level there), "select all" on the page, a data-level filter
 * with a "show all" switch, and "use every item" for a basket too big to pick from (the BFF reads the items at
 * launch). An empty basket shows the way to the Basket page.
 */
export function BasketPicker({
  selected,
  onChange,
  wholeBasket,
  onWholeBasketChange,
  levels,
  error,
  tableLabel = 'Basket items for this launch',
}: BasketPickerProps) {
  const errorId = useId();
  const hasLevels = Boolean(levels && levels.length > 0);
  // A whole basket of every level (a draft, a relaunch) starts with the level filter off.
  const [showAll, setShowAll] = useState(() => hasLevels && wholeBasket !== null && !wholeBasket.levels);
  const [page, setPage] = useState(1);
  const filterLevels = hasLevels && !showAll ? levels! : undefined;
  const {
    data,
    error: loadError,
    isPending,
    refetch,
  } = useQuery(basketQueries.page((page - 1) * ITEMS_PER_PAGE, ITEMS_PER_PAGE, filterLevels));

  const items = data?.items ?? [];
  const total = data?.count ?? 0;
  const shownCount = filterLevels ? (data?.matching ?? 0) : total;
  // Items of other levels (known while the level filter is on; the switch stays once turned on).
  const hiddenCount = filterLevels ? total - shownCount : 0;
  const whole = wholeBasket !== null;
  const asWhole = (): InputBasket => (filterLevels ? { levels: filterLevels.map((l) => DataLevelSchema.parse(l)) } : {});

  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChange(next);
  };
  const toggleAll = (select: boolean) => {
    const next = new Set(selected);
    for (const i of items) {
      if (select) next.add(i.id);
      else next.delete(i.id);
    }
    onChange(next);
  };

  if (isPending) return <TableSkeleton rows={4} columns={4} label="Loading your basket…" />;
  if (loadError && !data) return <ErrorAlert error={loadError} title="Your basket could not be loaded" onRetry={() => void refetch()} />;
  if (total === 0)
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
  const shownText = filterLevels ? `${levelText} item` : 'item';
  const pages = Math.max(1, Math.ceil(shownCount / ITEMS_PER_PAGE));
  const first = (page - 1) * ITEMS_PER_PAGE;
  return (
    <Box sx={{ display: 'grid', gap: 1.5 }}>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 1 }}>
        <Typography variant="body2" role="status" sx={{ fontWeight: 600 }}>
          {whole
            ? `Chosen: every ${shownText} in your basket (${formatCount(shownCount)})`
            : selected.size === 0
              ? 'No items chosen yet'
              : `Chosen: ${plural(selected.size, 'item')}`}
        </Typography>
        {hasLevels && (showAll || hiddenCount > 0) && (
          <FormControlLabel
            control={
              <Switch
                checked={showAll}
                onChange={(e) => {
                  setShowAll(e.target.checked);
                  setPage(1);
                  if (whole) onWholeBasketChange(e.target.checked ? {} : { levels: levels!.map((l) => DataLevelSchema.parse(l)) });
                }}
              />
            }
            label={`Show all basket items (not only ${levelText})`}
          />
        )}
      </Box>
      {filterLevels && hiddenCount > 0 && (
        <Typography variant="body2" color="text.secondary">
          Showing the {plural(shownCount, `${levelText} item`)} this workflow reads; {plural(hiddenCount, 'other item')} of other or unknown
          data levels {hiddenCount === 1 ? 'is' : 'are'} hidden.
        </Typography>
      )}
      {shownCount > 0 && (
        <FormControlLabel
          control={<Switch checked={whole} onChange={(e) => onWholeBasketChange(e.target.checked ? asWhole() : null)} />}
          label={`Use every ${shownText} in the basket (${formatCount(shownCount)}), without choosing them one by one`}
        />
      )}
      {error && (
        <Alert severity="error" id={errorId}>
          {error}
        </Alert>
      )}
      {shownCount === 0 ? (
        <Alert severity="info">
          None of your {plural(total, 'basket item')} is {levelText}. Turn on “Show all basket items” to choose others, or add {levelText}{' '}
          data to your basket.
        </Alert>
      ) : (
        <ScrollableTable label={tableLabel} maxHeight={480}>
          <Table size="small" stickyHeader aria-label={tableLabel} aria-describedby={error ? errorId : undefined}>
            <TableHead>
              <TableRow>
                {whole ? (
                  <TableCell padding="checkbox" />
                ) : (
                  <SelectAllCell
                    ids={items.map((i) => i.id)}
                    selected={selected}
                    onChange={toggleAll}
                    label={pages > 1 ? 'Select all items on this page' : 'Select all items shown'}
                  />
                )}
                <TableCell scope="col">Item</TableCell>
                <TableCell scope="col">Level</TableCell>
                <TableCell scope="col" align="right">
                  Size
                </TableCell>
                <TableCell scope="col">Kind</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map((item) => {
                const isSelected = whole || selected.has(item.id);
                return (
                  <TableRow key={item.id} hover selected={isSelected}>
                    <TableCell padding="checkbox">
                      <Checkbox
                        checked={isSelected}
                        disabled={whole}
                        onChange={() => toggle(item.id)}
                        slotProps={{ input: { 'aria-label': `Select ${item.name}` } }}
                      />
                    </TableCell>
                    <BasketItemNameCell item={item} />
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
            {formatCount(first + 1)}–{formatCount(first + items.length)} of {formatCount(shownCount)}
          </Typography>
          <Pagination
            count={pages}
            page={Math.min(page, pages)}
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
