import DnsIcon from '@mui/icons-material/Dns';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';
import { QueryStates } from '../../../shared/ui/QueryStates.tsx';
import { resourceQueries } from '../api/resource-queries.ts';
import { QueueTable } from '../components/QueueTable.tsx';
import { ResourceFiltersBar } from '../components/ResourceFiltersBar.tsx';
import { FILTER_PARAMS, filterRows, hasActiveFilters, parseResourceFilters, queueRows } from '../schemas/resource-filters.ts';

/** `/resources`: sites → CEs → queues with live status, filtered by what a job needs. */
export function ResourcesPage() {
  const headingId = useId();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = parseResourceFilters(searchParams);
  const active = hasActiveFilters(filters);
  const query = useQuery(resourceQueries.catalogue());
  const { data } = query;

  const rows = useMemo(() => (data ? queueRows(data) : []), [data]);
  const shown = filterRows(rows, filters);

  const setFilter = (key: string, value: string | boolean) =>
    setSearchParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        const text = typeof value === 'boolean' ? (value ? '1' : '') : value;
        if (text === '') next.delete(key);
        else next.set(key, text);
        return next;
      },
      { replace: true },
    );
  const clearFilters = () =>
    setSearchParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        FILTER_PARAMS.forEach((k) => next.delete(k));
        return next;
      },
      { replace: true },
    );

  const siteCount = new Set(shown.map((r) => r.site.name)).size;

  const body = (
    <QueryStates
      query={query}
      loading={{ rows: 6, columns: 8, label: 'Loading the resource catalogue…' }}
      isEmpty={() => shown.length === 0}
      // With queues configured, an empty table means the filters hide them all.
      filtered={rows.length > 0}
      noMatch={{
        title: 'No queues match these filters',
        description: 'Relax a requirement, for example fewer cores or a shorter time, to see more queues.',
        onClear: clearFilters,
      }}
      empty={{
        icon: <DnsIcon />,
        title: 'No resources are configured',
        description: 'This portal has no sites in its resource catalogue yet.',
      }}
    >
      {() => <QueueTable rows={shown} labelledBy={headingId} />}
    </QueryStates>
  );

  return (
    <>
      <PageHeader
        title="Resources"
        description="Where your jobs can run: grid sites, their computing elements (CEs) and batch queues, with what each offers and its live status."
      />
      {data && (!data.rss.site || !data.rss.compute) && (
        <Alert severity="info" sx={{ mb: 2 }}>
          Live status is not available from DiracX right now, so some statuses show as “Status unknown”.
        </Alert>
      )}
      <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: { xs: 2, md: 3 } }}>
        <Box sx={{ display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', flexWrap: 'wrap', gap: 1, mb: 2 }}>
          <Typography variant="h6" component="h2" id={headingId}>
            Queues
          </Typography>
          {data && rows.length > 0 && (
            <Typography variant="body2" color="text.secondary" role="status">
              {active
                ? `${shown.length} of ${rows.length} queues match, at ${siteCount} ${siteCount === 1 ? 'site' : 'sites'}`
                : `${rows.length} queues at ${siteCount} ${siteCount === 1 ? 'site' : 'sites'}`}
            </Typography>
          )}
        </Box>
        <ResourceFiltersBar
          value={{
            gpu: filters.gpu,
            minCores: searchParams.get('minCores') ?? '',
            minHours: searchParams.get('minHours') ?? '',
            kind: filters.kind ?? '',
          }}
          onChange={setFilter}
          onClear={clearFilters}
          active={active}
        />
        {body}
      </Paper>
    </>
  );
}
