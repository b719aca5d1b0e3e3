import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { useEffect, useRef, useState } from 'react';
import {
  DATA_LEVELS,
  DATASET_QUERY_MAX_LENGTH,
  type DataLevel,
  type DatasetSearchQuery,
  type ProjectSummary,
} from '../../../contracts/datasets.ts';
import { SelectField, TextInput } from '../../../shared/ui/fields.tsx';
import { formatCount } from '../../../shared/lib/format.ts';
import type { FilterParam } from '../schemas/dataset-search.ts';
import { DateField } from './DateField.tsx';

export const LEVEL_LABEL: Record<DataLevel, string> = {
  DL0: 'DL0 · raw data',
  DL1: 'DL1 · calibrated images',
  DL2: 'DL2 · reconstructed events',
  DL3: 'DL3 · gamma-like event lists',
};

const SORTS = [
  { value: 'observationDate:desc', label: 'Newest observations first' },
  { value: 'observationDate:asc', label: 'Oldest observations first' },
  { value: 'name:asc', label: 'Name (A to Z)' },
  { value: 'name:desc', label: 'Name (Z to A)' },
  { value: 'sizeBytes:desc', label: 'Largest first' },
  { value: 'sizeBytes:asc', label: 'Smallest first' },
];

type Props = {
  search: DatasetSearchQuery;
  /** The "to" date as typed (shown even when it is ignored for being before "from"). */
  rawTo: string;
  ignoredTo: boolean;
  projects: readonly ProjectSummary[] | undefined;
  projectsPending: boolean;
  projectsError: boolean;
  onChange: (key: FilterParam | 'sort', value: string) => void;
  onClear: () => void;
  active: boolean;
};

/** Free text waits for a pause in typing (or Enter) before it searches. */
const TEXT_DELAY_MS = 350;

export function DatasetFiltersBar({
  search,
  rawTo,
  ignoredTo,
  projects,
  projectsPending,
  projectsError,
  onChange,
  onClear,
  active,
}: Props) {
  const [text, setText] = useState(search.q ?? '');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // What this field last put in the URL: its own echo must not overwrite what is being typed since.
  const sent = useRef(search.q ?? '');
  // Follow the URL when it changes from elsewhere (Clear filters, back button).
  useEffect(() => {
    const q = search.q ?? '';
    if (q === sent.current) return;
    sent.current = q;
    setText(q);
  }, [search.q]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const send = (value: string) => {
    clearTimeout(timer.current);
    sent.current = value.trim();
    onChange('q', value.trim());
  };
  const typeText = (value: string) => {
    setText(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => send(value), TEXT_DELAY_MS);
  };

  const projectOptions = [{ value: '', label: projectsPending ? 'All projects (loading the list…)' : 'All projects' }];
  for (const p of projects ?? []) projectOptions.push({ value: p.projectId, label: `${p.projectId} (${formatCount(p.files)} files)` });
  if (search.projectId && !projects?.some((p) => p.projectId === search.projectId))
    projectOptions.push({ value: search.projectId, label: search.projectId });

  return (
    <Box
      component="form"
      role="search"
      aria-label="Search the catalogue"
      onSubmit={(e) => {
        e.preventDefault();
        send(text);
      }}
      sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', gap: 2, mb: 2 }}
    >
      <SelectField
        label="Project"
        value={search.projectId ?? ''}
        onChange={(v) => onChange('projectId', v)}
        options={projectOptions}
        error={projectsError}
        helperText={projectsError ? 'The project list could not be loaded' : undefined}
        sx={{ minWidth: 280 }}
      />
      <SelectField
        label="Data level"
        value={search.dataLevel ?? ''}
        onChange={(v) => onChange('dataLevel', v)}
        options={[{ value: '', label: 'All levels' }, ...DATA_LEVELS.map((l) => ({ value: l, label: LEVEL_LABEL[l] }))]}
        sx={{ minWidth: 230 }}
      />
      <DateField
        label="Observed from"
        value={search.from ?? ''}
        max={search.to}
        onChange={(v) => onChange('from', v)}
        sx={{ width: 170 }}
      />
      <DateField
        label="Observed until"
        value={rawTo}
        min={search.from}
        onChange={(v) => onChange('to', v)}
        error={ignoredTo}
        helperText={ignoredTo ? 'Before “Observed from”: ignored' : undefined}
        sx={{ width: 170 }}
      />
      <TextInput
        label="Name or LFN contains"
        type="search"
        value={text}
        onChange={typeText}
        htmlInput={{ maxLength: DATASET_QUERY_MAX_LENGTH }}
        sx={{ minWidth: 240, flex: '1 1 240px' }}
      />
      <SelectField
        label="Sort by"
        value={`${search.sort}:${search.dir}`}
        onChange={(v) => onChange('sort', v)}
        options={SORTS}
        sx={{ minWidth: 230 }}
      />
      {active && (
        <Button onClick={onClear} sx={{ mt: 0.5 }}>
          Clear filters
        </Button>
      )}
    </Box>
  );
}
