import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { SelectField, TextInput } from '../../../shared/ui/fields.tsx';
import type { ProductionFilters } from '../schemas/production-filters.ts';
import { STATE_OPTIONS } from './ProductionStateChip.tsx';

type FilterKey = 'owner' | 'workflow' | 'state' | 'from' | 'to';

type Props = {
  filters: ProductionFilters;
  owners: readonly string[];
  workflows: readonly string[];
  onChange: (key: FilterKey, value: string) => void;
  onClear: () => void;
};

/** Keep the current value selectable even when the list (from the BFF) does not have it. */
const options = (all: string, values: readonly string[], current: string | undefined) => [
  { value: '', label: all },
  ...[...new Set([...values, ...(current ? [current] : [])])].map((v) => ({ value: v, label: v })),
];

/** Owner, workflow, state and creation days; every change goes to the URL. */
export function ProductionFiltersBar({ filters, owners, workflows, onChange, onClear }: Props) {
  const active = Boolean(filters.owner || filters.workflow || filters.state || filters.from || filters.to);
  return (
    <Box role="search" aria-label="Filter productions" sx={{ display: 'flex', flexWrap: 'wrap', gap: 1.5, alignItems: 'center', mb: 2 }}>
      <SelectField
        label="Owner"
        value={filters.owner ?? ''}
        onChange={(v) => onChange('owner', v)}
        options={options('Everyone', owners, filters.owner)}
        sx={{ minWidth: 150 }}
      />
      <SelectField
        label="Workflow"
        value={filters.workflow ?? ''}
        onChange={(v) => onChange('workflow', v)}
        options={options('All workflows', workflows, filters.workflow)}
        sx={{ minWidth: 170 }}
      />
      <SelectField
        label="State"
        value={filters.state ?? ''}
        onChange={(v) => onChange('state', v)}
        options={[{ value: '', label: 'Any state' }, ...STATE_OPTIONS]}
        sx={{ minWidth: 200 }}
      />
      <TextInput label="Created from" type="date" value={filters.from ?? ''} onChange={(v) => onChange('from', v)} sx={{ width: 170 }} />
      <TextInput label="Created to" type="date" value={filters.to ?? ''} onChange={(v) => onChange('to', v)} sx={{ width: 170 }} />
      {active && (
        <Button onClick={onClear} size="small">
          Clear filters
        </Button>
      )}
    </Box>
  );
}
