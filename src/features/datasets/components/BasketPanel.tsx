import ShoppingBasketIcon from '@mui/icons-material/ShoppingBasket';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Pagination from '@mui/material/Pagination';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { BasketGroupSchema, type BasketItem } from '../../../contracts/datasets.ts';
import { EmptyState } from '../../../shared/ui/EmptyState.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { TextInput } from '../../../shared/ui/fields.tsx';
import { useNotify } from '../../../shared/ui/notify.tsx';
import { TableSkeleton } from '../../../shared/ui/TableSkeleton.tsx';
import { useFindIrfs, useGroupBasketItems, useRemoveBasketItem } from '../api/basket-mutations.ts';
import { BASKET_PANEL_PAGE as ITEMS_PER_PAGE, basketQueries } from '../api/basket-queries.ts';
import { formatBytes, formatCount, plural } from '../../../shared/lib/format.ts';
import { BasketItemsTable } from './BasketItemsTable.tsx';
import { EmptyBasketDialog } from './EmptyBasketDialog.tsx';

type Props = { onPasteRucio: () => void; onImportEsap: () => void };

/** The user's basket: summary, items (grouping, removal), and the ways to fill or empty it. */
export function BasketPanel({ onPasteRucio, onImportEsap }: Props) {
  const headingId = useId();
  const notify = useNotify();
  const [page, setPage] = useState(1);
  const { data, error, isPending, isFetching, refetch } = useQuery(basketQueries.page((page - 1) * ITEMS_PER_PAGE, ITEMS_PER_PAGE));
  const remove = useRemoveBasketItem();
  const group = useGroupBasketItems();
  const irfs = useFindIrfs();
  const [removing, setRemoving] = useState<ReadonlySet<string>>(new Set());
  // Selected items by id (kept across pages: their data level decides the IRF action).
  const [selected, setSelected] = useState<ReadonlyMap<string, BasketItem>>(new Map());
  const [label, setLabel] = useState('');
  const [labelError, setLabelError] = useState<string | null>(null);
  const [confirmEmpty, setConfirmEmpty] = useState(false);

  // The BFF sends one page; the count, sizes and groups are the whole basket's.
  const shown = useMemo(() => data?.items ?? [], [data]);
  const total = data?.count ?? 0;
  const pages = Math.max(1, Math.ceil(total / ITEMS_PER_PAGE));
  const current = Math.min(page, pages);
  // The basket shrank below this page (items removed here or in another tab): go to its last page.
  if (data && current !== page) setPage(current);
  const live = useMemo(() => new Set(selected.keys()), [selected]);
  const selectedDl3 = useMemo(() => [...selected.values()].filter((i) => i.dataLevel === 'DL3').map((i) => i.id), [selected]);
  const groupCounts = useMemo(() => data?.groups ?? [], [data]);
  const groups = useMemo(() => groupCounts.map((g) => g.name), [groupCounts]);

  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Map(prev);
      const item = shown.find((i) => i.id === id);
      if (next.has(id)) next.delete(id);
      else if (item) next.set(id, item);
      return next;
    });
  const toggleAll = (select: boolean) =>
    setSelected((prev) => {
      const next = new Map(prev);
      for (const i of shown) {
        if (select) next.set(i.id, i);
        else next.delete(i.id);
      }
      return next;
    });

  const removeItem = (item: BasketItem) => {
    setRemoving((prev) => new Set(prev).add(item.id));
    remove.mutate(item.id, {
      onSuccess: () => {
        notify(`Removed ${item.name} from your basket`, 'success');
        setSelected((prev) => {
          const next = new Map(prev);
          next.delete(item.id);
          return next;
        });
      },
      onSettled: () =>
        setRemoving((prev) => {
          const next = new Set(prev);
          next.delete(item.id);
          return next;
        }),
    });
  };

  const applyGroup = (value: string | null) => {
    setLabelError(null);
    let groupLabel: string | null = null;
    if (value !== null) {
      const parsed = BasketGroupSchema.safeParse(value);
      if (!parsed.success) {
        setLabelError(parsed.error.issues[0]?.message ?? 'invalid label');
        return;
      }
      groupLabel = parsed.data;
    }
    group.mutate(
      { itemIds: [...live], group: groupLabel },
      {
        onSuccess: (r) => {
          notify(
            groupLabel
              ? `Grouped ${plural(r.updated, 'item')} under “${groupLabel}”`
              : `Took ${plural(r.updated, 'item')} out of their group`,
            'success',
          );
          setSelected(new Map());
          setLabel('');
        },
      },
    );
  };

  const findIrfs = () =>
    irfs.mutate(selectedDl3, {
      onSuccess: (r) => {
        const missing =
          r.withoutIrf.length > 0 ? `; no IRF for ${plural(r.withoutIrf.length, 'file')} (${r.withoutIrf.slice(0, 3).join(', ')})` : '';
        notify(
          r.irfs === 0
            ? `No IRF matches the ${plural(r.dl3Files, 'DL3 file')}`
            : `Found ${plural(r.irfs, 'IRF')} for ${plural(r.dl3Files, 'DL3 file')}: ${plural(r.added, 'added', 'added')}, ${formatCount(r.alreadyPresent)} already in the basket${missing}`,
          r.irfs === 0 ? 'warning' : 'success',
        );
      },
    });

  let body;
  if (isPending) body = <TableSkeleton rows={4} columns={6} label="Loading your basket…" />;
  else if (error && !data) body = <ErrorAlert error={error} onRetry={() => void refetch()} />;
  else if (data.count === 0)
    body = (
      <EmptyState
        icon={<ShoppingBasketIcon />}
        title="Your basket is empty"
        description="Select files in “Find data” above and add them, paste Rucio DIDs, or import the basket you filled in ESAP. The basket is kept for you between sessions."
      />
    );
  else
    body = (
      <>
        <Box sx={{ height: 4 }}>{isFetching && <LinearProgress aria-label="Refreshing the basket" />}</Box>
        {live.size > 0 && (
          <Box
            component="form"
            aria-label="Group the selected items"
            onSubmit={(e) => {
              e.preventDefault();
              applyGroup(label);
            }}
            sx={{
              display: 'flex',
              flexWrap: 'wrap',
              alignItems: 'flex-start',
              gap: 1.5,
              mb: 2,
              p: 1.5,
              bgcolor: 'action.hover',
              borderRadius: 1,
            }}
          >
            <Typography variant="body2" sx={{ alignSelf: 'center', fontWeight: 600 }}>
              {plural(live.size, 'item')} selected
            </Typography>
            <TextInput
              label="Group label"
              value={label}
              onChange={(v) => {
                setLabel(v);
                setLabelError(null);
              }}
              placeholder={groups[0] ?? 'e.g. Crab ON runs'}
              htmlInput={{ maxLength: 64, list: groups.length ? `${headingId}-groups` : undefined }}
              error={labelError !== null}
              helperText={labelError ?? undefined}
              sx={{ minWidth: 220 }}
            />
            {groups.length > 0 && (
              <datalist id={`${headingId}-groups`}>
                {groups.map((g) => (
                  <option key={g} value={g} />
                ))}
              </datalist>
            )}
            <Button
              type="submit"
              variant="contained"
              loading={group.isPending && group.variables?.group !== null}
              disabled={group.isPending}
            >
              Group selected
            </Button>
            <Button
              onClick={() => applyGroup(null)}
              loading={group.isPending && group.variables?.group === null}
              disabled={group.isPending}
            >
              Remove from group
            </Button>
            {selectedDl3.length > 0 && (
              <Button onClick={findIrfs} loading={irfs.isPending} disabled={irfs.isPending}>
                Find IRFs for the {plural(selectedDl3.length, 'selected DL3 file')}
              </Button>
            )}
            <Button onClick={() => setSelected(new Map())}>Clear selection</Button>
            {group.isError && <ErrorAlert error={group.error} title="The group was not changed" sx={{ flexBasis: '100%' }} />}
          </Box>
        )}
        <BasketItemsTable
          items={shown}
          labelledBy={headingId}
          selected={live}
          onToggle={toggle}
          onToggleAll={toggleAll}
          onRemove={removeItem}
          removing={removing}
        />
        {pages > 1 && (
          <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', flexWrap: 'wrap', gap: 1, mt: 2 }}>
            <Typography variant="body2" color="text.secondary">
              {formatCount((current - 1) * ITEMS_PER_PAGE + 1)}–{formatCount((current - 1) * ITEMS_PER_PAGE + shown.length)} of{' '}
              {formatCount(total)}
            </Typography>
            <Pagination
              count={pages}
              page={current}
              onChange={(_e, p) => setPage(p)}
              color="primary"
              shape="rounded"
              aria-label="Pages of the basket"
            />
          </Box>
        )}
      </>
    );

  const summary = data
    ? data.count === 0
      ? 'Empty'
      : `${plural(data.count, 'item')} · ${formatBytes(data.totalBytes)}${data.unknownSizeCount > 0 ? ` (+ ${formatCount(data.unknownSizeCount)} of unknown size)` : ''}`
    : null;

  return (
    <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: { xs: 2, md: 3 } }}>
      <Box sx={{ display: 'flex', alignItems: 'flex-start', justifyContent: 'space-between', flexWrap: 'wrap', gap: 2, mb: 2 }}>
        <Box>
          <Typography variant="h6" component="h2" id={headingId}>
            Your basket
          </Typography>
          {summary && (
            <Typography variant="body2" color="text.secondary" role="status">
              {summary}
            </Typography>
          )}
        </Box>
        <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }}>
          <Button variant="outlined" onClick={onPasteRucio}>
            Paste Rucio DIDs
          </Button>
          <Button variant="outlined" onClick={onImportEsap}>
            Import ESAP basket
          </Button>
          <Button color="error" onClick={() => setConfirmEmpty(true)} disabled={!data || data.count === 0}>
            Empty basket
          </Button>
        </Box>
      </Box>
      {data && data.count > 0 && groups.length > 0 && (
        <Alert severity="info" variant="outlined" sx={{ mb: 2 }}>
          Groups: {groupCounts.map((g) => `${g.name} (${formatCount(g.count)})`).join(', ')}
        </Alert>
      )}
      {body}
      <EmptyBasketDialog open={confirmEmpty} count={data?.count ?? 0} onClose={() => setConfirmEmpty(false)} />
    </Paper>
  );
}
