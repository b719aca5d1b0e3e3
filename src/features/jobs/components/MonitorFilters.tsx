import SearchIcon from '@mui/icons-material/Search';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import OutlinedInput from '@mui/material/OutlinedInput';
import Select from '@mui/material/Select';
import TextField from '@mui/material/TextField';
import { memo, useState, type FormEvent } from 'react';
import { JOB_STATUSES, type JobStatus } from '../../../contracts/jobs.ts';
import { JobFiltersSchema, type JobFilters } from '../../../contracts/monitor.ts';

type TextKey = 'q' | 'minorStatus' | 'site' | 'jobGroup' | 'owner';
const TEXT_FIELDS: { key: TextKey; label: string }[] = [
  { key: 'q', label: 'Search (job id or name)' },
  { key: 'minorStatus', label: 'Minor status' },
  { key: 'site', label: 'Site' },
  { key: 'jobGroup', label: 'JobGroup' },
  { key: 'owner', label: 'Owner' },
];

/** `datetime-local` value (local time) ↔ ISO instant (UTC) in the URL. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

type Draft = Record<TextKey, string> & { submittedAfter: string; submittedBefore: string };
const draftOf = (f: JobFilters): Draft => ({
  q: f.q ?? '',
  minorStatus: f.minorStatus ?? '',
  site: f.site ?? '',
  jobGroup: f.jobGroup ?? '',
  owner: f.owner ?? '',
  submittedAfter: toLocalInput(f.submittedAfter),
  submittedBefore: toLocalInput(f.submittedBefore),
});

type MonitorFiltersProps = {
  filters: JobFilters;
  /** PIs and admins may filter by owner. */
  canFilterOwner: boolean;
  onChange: (filters: JobFilters) => void;
};

/**
 * The monitor's filters. Status applies at once; the text and time fields apply
 * on Enter or "Apply" (validated with the contract's schema, errors on the field).
 */
export const MonitorFilters = memo(function MonitorFilters({ filters, canFilterOwner, onChange }: MonitorFiltersProps) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(filters));
  const [errors, setErrors] = useState<Partial<Record<keyof Draft, string>>>({});
  const [synced, setSynced] = useState(filters);
  if (synced !== filters) {
    // The URL changed (back button, summary chip, clear): show what it says.
    setSynced(filters);
    setDraft(draftOf(filters));
    setErrors({});
  }

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const next = {
      ...filters,
      ...Object.fromEntries(TEXT_FIELDS.map(({ key }) => [key, draft[key].trim() || undefined])),
      submittedAfter: fromLocalInput(draft.submittedAfter),
      submittedBefore: fromLocalInput(draft.submittedBefore),
    };
    const parsed = JobFiltersSchema.safeParse(next);
    const fieldErrors: Partial<Record<keyof Draft, string>> = {};
    if (!parsed.success) for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0]) as keyof Draft] = issue.message;
    if (next.submittedAfter && next.submittedBefore && next.submittedAfter >= next.submittedBefore)
      fieldErrors.submittedBefore = 'must be later than "submitted after"';
    setErrors(fieldErrors);
    if (parsed.success && Object.keys(fieldErrors).length === 0) onChange(parsed.data);
  };

  const statuses = filters.status ?? [];
  return (
    <Box
      component="form"
      role="search"
      aria-label="Filter jobs"
      onSubmit={apply}
      noValidate
      sx={{ display: 'flex', flexWrap: 'wrap', gap: 1.5, alignItems: 'flex-start', mb: 2 }}
    >
      <FormControl size="small" sx={{ minWidth: 180 }}>
        <InputLabel id="monitor-status-label">Status</InputLabel>
        <Select<JobStatus[]>
          labelId="monitor-status-label"
          multiple
          value={statuses}
          onChange={(e) => {
            const v = e.target.value;
            const list = (typeof v === 'string' ? v.split(',') : v) as JobStatus[];
            onChange({ ...filters, status: list.length ? list : undefined });
          }}
          input={<OutlinedInput label="Status" />}
          renderValue={(sel) => (sel.length > 2 ? `${sel.length} statuses` : sel.join(', '))}
        >
          {JOB_STATUSES.map((s) => (
            <MenuItem key={s} value={s} dense>
              <Checkbox size="small" checked={statuses.includes(s)} />
              <ListItemText primary={s} />
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      {TEXT_FIELDS.filter((f) => f.key !== 'owner' || canFilterOwner).map(({ key, label }) => (
        <TextField
          key={key}
          size="small"
          label={label}
          value={draft[key]}
          onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))}
          error={Boolean(errors[key])}
          helperText={errors[key]}
          sx={{ width: key === 'q' ? 220 : 150 }}
        />
      ))}
      {(['submittedAfter', 'submittedBefore'] as const).map((key) => (
        <TextField
          key={key}
          size="small"
          type="datetime-local"
          label={key === 'submittedAfter' ? 'Submitted after' : 'Submitted before'}
          value={draft[key]}
          onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))}
          error={Boolean(errors[key])}
          helperText={errors[key]}
          slotProps={{ inputLabel: { shrink: true } }}
          sx={{ width: 210 }}
        />
      ))}
      <Button type="submit" variant="outlined" startIcon={<SearchIcon />} sx={{ height: 40 }}>
        Apply
      </Button>
    </Box>
  );
});
