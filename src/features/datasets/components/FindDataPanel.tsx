import SearchIcon from '@mui/icons-material/Search';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Pagination from '@mui/material/Pagination';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import { BASKET_ADD_ALL_MAX, BASKET_ADD_MAX_IDS, type BasketAddResult } from '../../../contracts/datasets.ts';
import { EmptyState } from '../../../shared/ui/EmptyState.tsx';
import { QueryStates } from '../../../shared/ui/QueryStates.tsx';
import { useNotify } from '../../../shared/ui/notify.tsx';
import { useAddToBasket } from '../api/basket-mutations.ts';
import { datasetQueries } from '../api/dataset-queries.ts';
import { formatCount, plural } from '../../../shared/lib/format.ts';
import {
  DATASETS_PER_PAGE,
  FILTER_PARAMS,
  filtersOf,
  hasActiveFilters,
  parseDatasetSearch,
  type FilterParam,
} from '../schemas/dataset-search.ts';
import { DatasetFiltersBar } from './DatasetFiltersBar.tsx';
import { DatasetResultsTable } from './DatasetResultsTable.tsx';

function addedMessage(r: BasketAddResult): string {
  const parts = [`Added ${plural(r.added, 'file')} to your basket`];
  if (r.alreadyPresent > 0) parts.push(`${plural(r.alreadyPresent, 'file')} ${r.alreadyPresent === 1 ? 'was' : 'were'} already in it`);
  if (r.unknownIds.length > 0) parts.push(`${plural(r.unknownIds.length, 'file')} no longer in the catalogue`);
  return parts.join('; ');
}

/** "Find data": catalogue search (filters in the URL), paged results with selection, and the add buttons. */
export function FindDataPanel() {
  const headingId = useId();
  const notify = useNotify();
  const [searchParams, setSearchParams] = useSearchParams();
  const { search, ignoredTo } = parseDatasetSearch(searchParams);
  const active = hasActiveFilters(search);
  const projects = useQuery(datasetQueries.projects());
  const query = useQuery(datasetQueries.search(search));
  const { data, isFetching, isPlaceholderData } = query;
  const add = useAddToBasket();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  const update = (mutate: (params: URLSearchParams) => void) =>
    setSearchParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        mutate(next);
        return next;
      },
      { replace: true },
    );
  const setFilter = (key: FilterParam | 'sort', value: string) => {
    update((next) => {
      if (key === 'sort') {
        const [sort = 'observationDate', dir = 'desc'] = value.split(':');
        next.set('sort', sort);
        next.set('dir', dir);
      } else if (value === '') next.delete(key);
      else next.set(key, value);
      next.delete('page');
    });
    if (key !== 'sort') setSelected(new Set());
  };
  const clearFilters = () => {
    update((next) => {
      FILTER_PARAMS.forEach((k) => next.delete(k));
      next.delete('page');
    });
    setSelected(new Set());
  };
  const goTo = (page: number) =>
    setSearchParams((prev) => {
      const next = new URLSearchParams(prev);
      if (page <= 1) next.delete('page');
      else next.set('page', String(page));
      return next;
    });

  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const togglePage = (select: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      for (const f of data?.items ?? []) {
        if (select) next.add(f.id);
        else next.delete(f.id);
      }
      return next;
    });

  const addSelected = () =>
    add.mutate(
      { fileIds: [...selected] },
      {
        onSuccess: (r) => {
          notify(addedMessage(r), 'success');
          setSelected(new Set());
        },
      },
    );
  const addAll = () => add.mutate({ query: filtersOf(search) }, { onSuccess: (r) => notify(addedMessage(r), 'success') });

  const total = data?.total ?? 0;
  const tooMany = total > BASKET_ADD_ALL_MAX;
  const pages = Math.ceil(total / DATASETS_PER_PAGE);

  const body = (
    <QueryStates
      query={query}
      loading={{ rows: 8, columns: 6, label: 'Searching the catalogue…' }}
      isEmpty={(d) => d.total === 0}
      filtered={active}
      noMatch={{
        icon: <SearchIcon />,
        title: 'No files match these filters',
        description: 'Try another project or data level, a wider date range or a shorter search text.',
        onClear: clearFilters,
      }}
      empty={{
        icon: <SearchIcon />,
        title: 'The catalogue is empty',
        description: "No datasets have been registered in this portal's catalogue yet.",
      }}
    >
      {(data) =>
        data.items.length === 0 ? (
          <EmptyState
            title={`There is no page ${search.page}`}
            description={`${plural(data.total, 'file')} match; they fit on fewer pages.`}
            action={<Button onClick={() => goTo(1)}>Go to the first page</Button>}
          />
        ) : (
          <>
            <Box sx={{ height: 4 }}>{isFetching && isPlaceholderData && <LinearProgress aria-label="Loading results" />}</Box>
            <DatasetResultsTable
              files={data.items}
              labelledBy={headingId}
              selected={selected}
              onToggle={toggle}
              onTogglePage={togglePage}
            />
            <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', flexWrap: 'wrap', gap: 1, mt: 2 }}>
              <Typography variant="body2" color="text.secondary">
                {formatCount((search.page - 1) * DATASETS_PER_PAGE + 1)}–
                {formatCount((search.page - 1) * DATASETS_PER_PAGE + data.items.length)} of {formatCount(data.total)}
              </Typography>
              {pages > 1 && (
                <Pagination
                  count={pages}
                  page={Math.min(search.page, pages)}
                  onChange={(_e, p) => goTo(p)}
                  color="primary"
                  shape="rounded"
                  aria-label="Pages of matching files"
                />
              )}
            </Box>
          </>
        )
      }
    </QueryStates>
  );

  return (
    <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: { xs: 2, md: 3 }, mb: 3 }}>
      <Box sx={{ display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', flexWrap: 'wrap', gap: 1, mb: 2 }}>
        <Typography variant="h6" component="h2" id={headingId}>
          Find data
        </Typography>
        {data && (
          <Typography variant="body2" color="text.secondary" role="status">
            {plural(data.total, 'file')} {active ? 'match' : 'in the catalogue'}
          </Typography>
        )}
      </Box>
      <DatasetFiltersBar
        search={search}
        rawTo={searchParams.get('to') ?? ''}
        ignoredTo={ignoredTo}
        projects={projects.data?.items}
        projectsPending={projects.isPending}
        projectsError={projects.isError}
        onChange={setFilter}
        onClear={clearFilters}
        active={active}
      />
      <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 1.5, mb: 1 }}>
        <Button
          variant="contained"
          onClick={addSelected}
          disabled={selected.size === 0 || selected.size > BASKET_ADD_MAX_IDS || add.isPending}
          loading={add.isPending && add.variables && 'fileIds' in add.variables}
        >
          Add selected{selected.size > 0 ? ` (${formatCount(selected.size)})` : ''}
        </Button>
        <Button
          variant="outlined"
          onClick={addAll}
          disabled={!data || total === 0 || tooMany || add.isPending}
          loading={add.isPending && add.variables && 'query' in add.variables}
        >
          {data && total > 0 ? `Add all ${formatCount(total)} matches` : 'Add all matches'}
        </Button>
        {selected.size > 0 && (
          <Button size="small" onClick={() => setSelected(new Set())}>
            Clear selection
          </Button>
        )}
        {tooMany && (
          <Typography variant="body2" color="text.secondary">
            “Add all” takes at most {formatCount(BASKET_ADD_ALL_MAX)} files: narrow the search first.
          </Typography>
        )}
        {selected.size > BASKET_ADD_MAX_IDS && (
          <Typography variant="body2" color="error">
            Select at most {formatCount(BASKET_ADD_MAX_IDS)} files at once.
          </Typography>
        )}
      </Box>
      {body}
    </Paper>
  );
}
