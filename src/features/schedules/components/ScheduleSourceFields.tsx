import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import { DATA_LEVELS } from '../../../contracts/datasets.ts';
import type { SourceDraft, SourceErrors } from './source-draft.ts';

const QUERY_KINDS: { value: Exclude<SourceDraft['mode'], 'snapshot'>; label: string }[] = [
  { value: 'catalogue', label: 'Portal catalogue' },
  { value: 'rucio', label: 'Rucio' },
  { value: 'zooniverse', label: 'Zooniverse (new classifications)' },
];

/**
 * What each run reads: the basket items chosen on the launch page (a snapshot), or a saved query whose new
 * files each run takes. `editing`: a snapshot stays a snapshot and a query a query (only the query changes).
 */
export function ScheduleSourceFields({
  draft,
  errors,
  onChange,
  snapshotCount,
  editing,
}: {
  draft: SourceDraft;
  errors: SourceErrors;
  onChange: (patch: Partial<SourceDraft>) => void;
  /** Basket items chosen for the launch (create), or null when editing. */
  snapshotCount: number | null;
  editing: boolean;
}) {
  const query = draft.mode !== 'snapshot';
  const field = (key: keyof SourceDraft, label: string, extra: { helperText?: string; type?: string; required?: boolean } = {}) => (
    <TextField
      label={label}
      value={draft[key]}
      onChange={(e) => onChange({ [key]: e.target.value })}
      error={!!errors[key]}
      helperText={errors[key] ?? extra.helperText}
      required={extra.required}
      type={extra.type}
      slotProps={extra.type === 'date' ? { inputLabel: { shrink: true } } : undefined}
    />
  );
  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      {!editing && (
        <FormControl component="fieldset">
          <FormLabel component="legend">Input files of each run</FormLabel>
          <RadioGroup
            value={query ? 'query' : 'snapshot'}
            onChange={(e) => onChange({ mode: e.target.value === 'query' ? 'catalogue' : 'snapshot' })}
          >
            <FormControlLabel
              value="snapshot"
              control={<Radio />}
              label={`The ${snapshotCount ?? 0} basket item${snapshotCount === 1 ? '' : 's'} chosen here, again at every run`}
            />
            <FormControlLabel
              value="query"
              control={<Radio />}
              label="A saved query: each run takes only the files that are new since the last successful run"
            />
          </RadioGroup>
        </FormControl>
      )}
      {query && (
        <>
          {editing && (
            <Alert severity="info">Files processed by earlier runs are not taken again, even if the edited query still matches them.</Alert>
          )}
          <TextField
            select
            label="Search in"
            value={draft.mode}
            onChange={(e) => onChange({ mode: e.target.value as SourceDraft['mode'] })}
            slotProps={{ select: { native: true } }}
          >
            {QUERY_KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </TextField>
          {draft.mode === 'catalogue' && (
            <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
              {field('projectId', 'Project', { helperText: 'e.g. CTA-LST1-2026-0042; empty: every project' })}
              <TextField
                select
                label="Data level"
                value={draft.dataLevel}
                onChange={(e) => onChange({ dataLevel: e.target.value as SourceDraft['dataLevel'] })}
                slotProps={{ select: { native: true } }}
              >
                <option value="">Any</option>
                {DATA_LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </TextField>
              {field('from', 'Observed from', { type: 'date' })}
              {field('to', 'Observed until', { type: 'date' })}
              {field('q', 'Name contains')}
            </Box>
          )}
          {draft.mode === 'rucio' && (
            <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 2fr' } }}>
              {field('scope', 'Rucio scope', { required: true })}
              {field('name', 'Dataset, container or name pattern', {
                required: true,
                helperText: 'A dataset or container (its files), or a pattern with * (matching files)',
              })}
            </Box>
          )}
          {draft.mode === 'zooniverse' && (
            <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
              {field('zooProject', 'Zooniverse project id', { required: true, helperText: 'e.g. from an item imported from ESAP' })}
              {field('zooWorkflow', 'Workflow id (optional)')}
            </Box>
          )}
          {field('maxFiles', 'At most files per run (optional)', {
            type: 'number',
            helperText: 'Beyond it, the rest waits for the next runs; empty: the portal’s limit',
          })}
        </>
      )}
    </Box>
  );
}
