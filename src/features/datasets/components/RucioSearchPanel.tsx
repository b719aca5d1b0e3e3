import SearchIcon from '@mui/icons-material/Search';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import {
  RucioSearchQuerySchema,
  type RucioBasketAddResult,
  type RucioDidTypeFilter,
  type RucioSearchQueryInput,
} from '../../../contracts/rucio.ts';
import { EmptyState } from '../../../shared/ui/EmptyState.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { ScrollableTable } from '../../../shared/ui/ScrollableTable.tsx';
import { SelectAllCell } from '../../../shared/ui/SelectAllCell.tsx';
import { SelectField, TextInput } from '../../../shared/ui/fields.tsx';
import { TableSkeleton } from '../../../shared/ui/TableSkeleton.tsx';
import { useNotify } from '../../../shared/ui/notify.tsx';
import { visuallyHidden } from '../../../shared/ui/visually-hidden.ts';
import { rucioQueries, useAddRucioSearch } from '../api/rucio-queries.ts';
import { formatBytes, formatCount, plural } from '../../../shared/lib/format.ts';
import { RucioFilesDialog } from './RucioFilesDialog.tsx';

const PER_PAGE = 25;
const TYPES: { value: RucioDidTypeFilter; label: string }[] = [
  { value: 'all', label: 'All types' },
  { value: 'container', label: 'Containers' },
  { value: 'dataset', label: 'Datasets' },
  { value: 'file', label: 'Files' },
];

type Form = { scope: string; name: string; type: RucioDidTypeFilter; project: string; datatype: string };

function addedMessage(r: RucioBasketAddResult): string {
  const parts = [`Added ${plural(r.added, 'DID')} to your basket`];
  if (r.alreadyPresent > 0) parts.push(`${plural(r.alreadyPresent, 'DID')} ${r.alreadyPresent === 1 ? 'was' : 'were'} already in it`);
  if (r.unknown.length > 0) parts.push(`${plural(r.unknown.length, 'DID')} no longer in Rucio`);
  return parts.join('; ');
}

/** "Find data" in Rucio: DIDs by scope, name pattern, type and metadata; files and replicas per DID; add to the basket. */
export function RucioSearchPanel({ label, defaultScope }: { label: string; defaultScope: string | null }) {
  const headingId = useId();
  const notify = useNotify();
  const [form, setForm] = useState<Form>({ scope: defaultScope ?? '', name: '', type: 'all', project: '', datatype: '' });
  const [issues, setIssues] = useState<Partial<Record<keyof Form, string>>>({});
  const [query, setQuery] = useState<RucioSearchQueryInput | null>(defaultScope ? { scope: defaultScope, perPage: PER_PAGE } : null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [filesOf, setFilesOf] = useState<string | null>(null);
  const add = useAddRucioSearch();
  const { data, error, isPending, isFetching, isPlaceholderData, refetch } = useQuery({
    ...rucioQueries.search(query ?? { scope: '' }),
    enabled: query !== null,
  });

  const set = (key: keyof Form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const candidate = {
      scope: form.scope,
      name: form.name,
      type: form.type,
      project: form.project || undefined,
      datatype: form.datatype || undefined,
      perPage: PER_PAGE,
    };
    const parsed = RucioSearchQuerySchema.safeParse(candidate);
    if (!parsed.success) {
      setIssues(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setIssues({});
    setSelected(new Set());
    setQuery(candidate);
  };
  const goTo = (page: number) => setQuery((q) => (q ? { ...q, page } : q));
  const toggle = (did: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(did)) next.delete(did);
      else next.add(did);
      return next;
    });
  const addSelected = () =>
    add.mutate([...selected], {
      onSuccess: (r) => {
        notify(addedMessage(r), 'success');
        setSelected(new Set());
      },
    });

  const page = Number(query?.page ?? 1);
  let body: ReactNode;
  if (query === null)
    body = (
      <EmptyState
        icon={<SearchIcon />}
        title={`Search ${label}`}
        description="Enter a scope (and optionally a name pattern with * wildcards), then Search."
      />
    );
  else if (isPending) body = <TableSkeleton rows={6} columns={5} label={`Searching ${label}…`} />;
  else if (error && !data) body = <ErrorAlert error={error} onRetry={() => void refetch()} />;
  else if (data.items.length === 0)
    body = (
      <EmptyState
        icon={<SearchIcon />}
        title={page > 1 ? `There is no page ${page}` : 'No DID matches'}
        description="Check the scope, use * in the name pattern (e.g. prod5b*), or remove metadata filters."
        action={page > 1 ? <Button onClick={() => goTo(1)}>Go to the first page</Button> : undefined}
      />
    );
  else {
    body = (
      <>
        <ScrollableTable label="Matching DIDs" refreshing={isFetching && isPlaceholderData} refreshingLabel="Loading results">
          <Table size="small" aria-labelledby={headingId}>
            <TableHead>
              <TableRow>
                <SelectAllCell
                  ids={data.items.map((d) => d.did)}
                  selected={selected}
                  onChange={(select) =>
                    setSelected((prev) => {
                      const next = new Set(prev);
                      for (const d of data.items) {
                        if (select) next.add(d.did);
                        else next.delete(d.did);
                      }
                      return next;
                    })
                  }
                  label="Select page"
                />
                <TableCell scope="col">DID</TableCell>
                <TableCell scope="col">Type</TableCell>
                <TableCell scope="col" align="right">
                  Files
                </TableCell>
                <TableCell scope="col" align="right">
                  Size
                </TableCell>
                <TableCell scope="col">
                  <Box component="span" sx={visuallyHidden}>
                    Details
                  </Box>
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.items.map((d) => (
                <TableRow key={d.did} hover selected={selected.has(d.did)}>
                  <TableCell padding="checkbox">
                    <Checkbox
                      checked={selected.has(d.did)}
                      onChange={() => toggle(d.did)}
                      slotProps={{ input: { 'aria-label': `Select ${d.did}` } }}
                    />
                  </TableCell>
                  <TableCell component="th" scope="row" sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
                    {d.did}
                  </TableCell>
                  <TableCell>{d.type.toLowerCase()}</TableCell>
                  <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                    {d.length === null ? '—' : formatCount(d.length)}
                  </TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                    {formatBytes(d.bytes)}
                  </TableCell>
                  <TableCell>
                    <Button size="small" onClick={() => setFilesOf(d.did)} aria-label={`Files and replicas of ${d.did}`}>
                      Files
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </ScrollableTable>
        <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', flexWrap: 'wrap', gap: 1, mt: 2 }}>
          <Typography variant="body2" color="text.secondary">
            Page {page} · {formatCount((page - 1) * PER_PAGE + 1)}–{formatCount((page - 1) * PER_PAGE + data.items.length)}
            {data.hasMore ? ' (more on the next page)' : ''}
          </Typography>
          <Box sx={{ display: 'flex', gap: 1 }} role="navigation" aria-label="Pages of matching DIDs">
            <Button size="small" variant="outlined" disabled={page <= 1} onClick={() => goTo(page - 1)}>
              Previous page
            </Button>
            <Button size="small" variant="outlined" disabled={!data.hasMore} onClick={() => goTo(page + 1)}>
              Next page
            </Button>
          </Box>
        </Box>
      </>
    );
  }

  return (
    <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: { xs: 2, md: 3 }, mb: 3 }}>
      <Typography variant="h6" component="h2" id={headingId} sx={{ mb: 2 }}>
        Find data in {label}
      </Typography>
      <Box
        component="form"
        onSubmit={submit}
        noValidate
        aria-label={`Search ${label}`}
        sx={{ display: 'flex', flexWrap: 'wrap', gap: 1.5, alignItems: 'flex-start', mb: 2 }}
      >
        <TextInput
          label="Scope"
          value={form.scope}
          onChange={set('scope')}
          error={!!issues.scope}
          helperText={issues.scope}
          sx={{ width: 120 }}
        />
        <TextInput
          label="Name pattern"
          value={form.name}
          onChange={set('name')}
          placeholder="prod5b*"
          error={!!issues.name}
          helperText={issues.name ?? '* matches anything'}
          sx={{ width: 220 }}
        />
        <SelectField
          label="DID type"
          value={form.type}
          onChange={(v) => setForm((f) => ({ ...f, type: v as RucioDidTypeFilter }))}
          options={TYPES}
          sx={{ width: 150 }}
        />
        <TextInput
          label="Project (metadata)"
          value={form.project}
          onChange={set('project')}
          error={!!issues.project}
          helperText={issues.project}
          sx={{ width: 190 }}
        />
        <TextInput
          label="Data type (metadata)"
          value={form.datatype}
          onChange={set('datatype')}
          error={!!issues.datatype}
          helperText={issues.datatype}
          sx={{ width: 200 }}
        />
        <Button type="submit" variant="outlined" startIcon={<SearchIcon />} sx={{ mt: 0.25 }}>
          Search
        </Button>
      </Box>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 1.5, mb: 1 }}>
        <Button variant="contained" onClick={addSelected} disabled={selected.size === 0 || add.isPending} loading={add.isPending}>
          Add selected{selected.size > 0 ? ` (${formatCount(selected.size)})` : ''}
        </Button>
        {selected.size > 0 && (
          <Button size="small" onClick={() => setSelected(new Set())}>
            Clear selection
          </Button>
        )}
      </Box>
      {body}
      <RucioFilesDialog did={filesOf} onClose={() => setFilesOf(null)} />
    </Paper>
  );
}
