import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import Switch from '@mui/material/Switch';
import { QUEUE_KINDS } from '../../../contracts/resources.ts';
import { SelectField, TextInput } from '../../../shared/ui/fields.tsx';

type Raw = { gpu: boolean; minCores: string; minHours: string; kind: string };

type Props = {
  value: Raw;
  onChange: (key: keyof Raw, value: string | boolean) => void;
  onClear: () => void;
  active: boolean;
};

const KIND_LABEL: Record<string, string> = {
  HTC: 'HTC (high-throughput)',
  HPC: 'HPC (many cores / whole nodes)',
  cloud: 'Cloud (virtual machines)',
};

/** "What does my job need?" controls for the resource catalogue. */
export function ResourceFiltersBar({ value, onChange, onClear, active }: Props) {
  return (
    <Box role="search" aria-label="Filter queues" sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 2, mb: 2 }}>
      <FormControlLabel control={<Switch checked={value.gpu} onChange={(e) => onChange('gpu', e.target.checked)} />} label="GPU only" />
      <TextInput
        label="Min. cores"
        type="number"
        value={value.minCores}
        onChange={(v) => onChange('minCores', v)}
        htmlInput={{ min: 1, step: 1, inputMode: 'numeric' }}
        sx={{ width: 140 }}
      />
      <TextInput
        label="Min. time (hours)"
        type="number"
        value={value.minHours}
        onChange={(v) => onChange('minHours', v)}
        htmlInput={{ min: 0, step: 1, inputMode: 'decimal' }}
        sx={{ width: 170 }}
      />
      <SelectField
        label="Kind"
        value={value.kind}
        onChange={(v) => onChange('kind', v)}
        options={[{ value: '', label: 'Any kind' }, ...QUEUE_KINDS.map((k) => ({ value: k, label: KIND_LABEL[k] ?? k }))]}
        sx={{ minWidth: 220 }}
      />
      {active && (
        <Button onClick={onClear} size="small">
          Clear filters
        </Button>
      )}
    </Box>
  );
}
