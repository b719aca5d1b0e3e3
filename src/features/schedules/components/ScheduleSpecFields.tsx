import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import { useMemo } from 'react';
import { WEEKDAYS } from '../../../contracts/schedules.ts';
import type { SpecDraft, SpecErrors } from './spec-draft.ts';

const REPEATS: { value: SpecDraft['repeat']; label: string }[] = [
  { value: 'minutes', label: 'Every N minutes' },
  { value: 'hours', label: 'Every N hours' },
  { value: 'daily', label: 'Daily at a time' },
  { value: 'weekly', label: 'Weekly on chosen days' },
  { value: 'cron', label: 'Cron expression' },
];

function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', current, ...all])];
}

/** The recurrence part of a schedule: how often, in which time zone, from when until when, and what to do with missed runs. */
export function ScheduleSpecFields({
  draft,
  errors,
  onChange,
}: {
  draft: SpecDraft;
  errors: SpecErrors;
  onChange: (patch: Partial<SpecDraft>) => void;
}) {
  const zones = useMemo(() => timeZones(draft.timezone), [draft.timezone]);
  const interval = draft.repeat === 'minutes' || draft.repeat === 'hours';
  const atTime = draft.repeat === 'daily' || draft.repeat === 'weekly';
  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
        <TextField
          select
          label="Repeat"
          value={draft.repeat}
          onChange={(e) => onChange({ repeat: e.target.value as SpecDraft['repeat'] })}
          slotProps={{ select: { native: true } }}
          helperText={errors.recurrence}
        >
          {REPEATS.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </TextField>
        {interval && (
          <TextField
            label={draft.repeat === 'minutes' ? 'Every (minutes)' : 'Every (hours)'}
            type="number"
            value={draft.every}
            onChange={(e) => onChange({ every: e.target.value })}
            error={!!errors.every}
            helperText={errors.every}
            slotProps={{ htmlInput: { min: 1, step: 1 } }}
          />
        )}
        {atTime && (
          <TextField
            label="At (time of day)"
            type="time"
            value={draft.time}
            onChange={(e) => onChange({ time: e.target.value })}
            error={!!errors.time}
            helperText={errors.time}
          />
        )}
        {draft.repeat === 'cron' && (
          <TextField
            label="Cron expression"
            value={draft.expression}
            onChange={(e) => onChange({ expression: e.target.value })}
            error={!!errors.expression}
            helperText={errors.expression ?? 'Five fields: minute hour day-of-month month day-of-week, e.g. 0 */6 * * *'}
            slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'monospace' } } }}
          />
        )}
      </Box>
      {draft.repeat === 'weekly' && (
        <FormControl component="fieldset" error={!!errors.days}>
          <FormLabel component="legend">On</FormLabel>
          <FormGroup row>
            {WEEKDAYS.map((day, i) => (
              <FormControlLabel
                key={day}
                label={day}
                control={
                  <Checkbox
                    checked={draft.days.includes(i)}
                    onChange={(e) => onChange({ days: e.target.checked ? [...draft.days, i] : draft.days.filter((d) => d !== i) })}
                  />
                }
              />
            ))}
          </FormGroup>
          {errors.days && <FormHelperText>{errors.days}</FormHelperText>}
        </FormControl>
      )}
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr 1fr' } }}>
        <TextField
          select
          label="Time zone"
          value={draft.timezone}
          onChange={(e) => onChange({ timezone: e.target.value })}
          error={!!errors.timezone}
          helperText={errors.timezone ?? (interval ? 'Intervals count from the start' : undefined)}
          slotProps={{ select: { native: true } }}
        >
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </TextField>
        <TextField
          label="Starts (your local time)"
          type="datetime-local"
          value={draft.startAt}
          onChange={(e) => onChange({ startAt: e.target.value })}
          error={!!errors.startAt}
          helperText={errors.startAt}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField
          label="Ends (optional)"
          type="datetime-local"
          value={draft.endAt}
          onChange={(e) => onChange({ endAt: e.target.value })}
          error={!!errors.endAt}
          helperText={errors.endAt}
          slotProps={{ inputLabel: { shrink: true } }}
        />
      </Box>
      <FormControl component="fieldset">
        <FormLabel component="legend">Runs missed while the portal was down</FormLabel>
        <RadioGroup
          row
          value={draft.missedPolicy}
          onChange={(e) => onChange({ missedPolicy: e.target.value as SpecDraft['missedPolicy'] })}
        >
          <FormControlLabel value="skip" control={<Radio />} label="Skip them" />
          <FormControlLabel value="run-once" control={<Radio />} label="Run once on resume" />
        </RadioGroup>
      </FormControl>
    </Box>
  );
}
