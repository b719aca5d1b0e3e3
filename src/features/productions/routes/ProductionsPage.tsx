import FactoryIcon from '@mui/icons-material/Factory';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useSearchParams } from 'react-router';
import { paths } from '../../../shared/lib/paths.ts';
import { useAuth } from '../../../shared/ui/auth-context.tsx';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';
import { QueryStates } from '../../../shared/ui/QueryStates.tsx';
import { productionQueries } from '../api/production-queries.ts';
import { ProductionFiltersBar } from '../components/ProductionFiltersBar.tsx';
import { ProductionsTable } from '../components/ProductionsTable.tsx';
import {
  filtersToParams,
  hasFilters,
  parseProductionFilters,
  PRODUCTIONS_PER_PAGE,
  toListQuery,
  type ProductionFilters,
} from '../schemas/production-filters.ts';

const SCOPE: Record<string, string> = {
  scientist: 'Your productions: everything each of your launches submitted, as one DIRAC JobGroup.',
  pi: 'The productions of the groups you lead, yours included.',
  admin: 'Every production of this DiracX instance.',
};

/** `/productions`: the launches (productions) the user may see, with live progress, pace and filters in the URL. */
export function ProductionsPage() {
  const headingId = useId();
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const filters = parseProductionFilters(params);
  const query = useQuery(productionQueries.list(toListQuery(filters)));
  const { data, isFetching } = query;

  const update = (next: ProductionFilters) => setParams(filtersToParams(next));
  const setFilter = (key: 'owner' | 'workflow' | 'state' | 'from' | 'to', value: string) =>
    update({ ...filters, page: 1, [key]: value || undefined });
  const clear = () => update({ page: 1 });
  const pages = data ? Math.max(1, Math.ceil(data.total / PRODUCTIONS_PER_PAGE)) : 1;

  const body = (
    <QueryStates
      query={query}
      loading={{ rows: 5, columns: 6, label: 'Loading the productions…' }}
      isEmpty={(d) => d.items.length === 0}
      filtered={hasFilters(filters)}
      noMatch={{ title: 'No productions match these filters', onClear: clear }}
      empty={{
        icon: <FactoryIcon />,
        title: 'No productions yet',
        description:
          'Choose a workflow, fill in its parameters and launch it: its jobs are submitted as one production, which you follow here.',
        action: (
          <Button variant="contained" href={paths.workflows.getHref()}>
            Choose a workflow
          </Button>
        ),
      }}
    >
      {(data) => (
        <>
          <ProductionsTable items={data.items} labelledBy={headingId} refreshing={isFetching} />
          {pages > 1 && (
            <Box
              component="nav"
              aria-label="Pages of productions"
              sx={{ display: 'flex', gap: 1.5, alignItems: 'center', justifyContent: 'flex-end', mt: 1.5 }}
            >
              <Button size="small" disabled={filters.page <= 1} onClick={() => update({ ...filters, page: filters.page - 1 })}>
                Previous
              </Button>
              <Typography variant="body2">
                Page {filters.page} of {pages}
              </Typography>
              <Button size="small" disabled={filters.page >= pages} onClick={() => update({ ...filters, page: filters.page + 1 })}>
                Next
              </Button>
            </Box>
          )}
        </>
      )}
    </QueryStates>
  );

  return (
    <>
      <PageHeader title="Productions" description={SCOPE[me?.role ?? 'scientist']} />
      <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: { xs: 2, md: 3 } }}>
        <Typography variant="h6" component="h2" id={headingId} sx={{ mb: 2 }}>
          Productions{data && data.total > 0 ? ` (${data.total.toLocaleString('en-US')})` : ''}
        </Typography>
        <ProductionFiltersBar
          filters={filters}
          owners={data?.owners ?? []}
          workflows={data?.workflows ?? []}
          onChange={setFilter}
          onClear={clear}
        />
        {body}
      </Paper>
    </>
  );
}
