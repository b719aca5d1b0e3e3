import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { Site } from '../../../contracts/resources.ts';
import type { WorkflowSummary } from '../../../contracts/workflows/catalogue.ts';
import { SelectField, TextInput, type SelectOption } from '../../../shared/ui/fields.tsx';
import { gbOf, hoursOf, RESOURCE_LIMITS, resourceMinimums, type ResourceField, type ResourcesDraft } from '../schemas/launch-settings.ts';

type ResourcesFieldsProps = {
  value: ResourcesDraft;
  onChange: (field: ResourceField, text: string) => void;
  errors: Partial<Record<ResourceField, string>>;
  /** The workflow's suggested resources (the minimum the BFF asks for). */
  base: WorkflowSummary['resources'];
  /** DIRAC sites to choose from (the resource catalogue's; none while it loads). */
  sites: readonly Site[] | undefined;
};

/** The sites as choices, their status in words; a chosen site missing from the catalogue stays listed. */
function siteOptions(sites: readonly Site[] | undefined, chosen: string): SelectOption[] {
  const options = (sites ?? []).map((s) => {
    const state =
      s.status?.state === 'banned'
        ? ` (banned: ${s.status.reason ?? 'no reason given'})`
        : s.status?.state === 'degraded'
          ? ' (degraded)'
          : '';
    return { value: s.name, label: `${s.name}${state}` };
  });
  if (chosen && !options.some((o) => o.value === chosen)) options.push({ value: chosen, label: chosen });
  return options;
}

/** What each job needs: cores, GPUs, RAM, wall time, extra tags and, optionally, one site. */
export function ResourcesFields({ value, onChange, errors, base, sites }: ResourcesFieldsProps) {
  const mins = resourceMinimums(base);
  const hint = (field: 'cores' | 'gpus' | 'ramGB' | 'wallTimeHours', unit: string, suggested: string | null) =>
    errors[field] ?? `${mins[field]} to ${RESOURCE_LIMITS[field].max}${unit}${suggested ? `; the workflow suggests ${suggested}` : ''}`;
  const number = (
    field: 'cores' | 'gpus' | 'ramGB' | 'wallTimeHours',
    label: string,
    unit: string,
    suggested: string | null,
    integer: boolean,
  ) => (
    <TextInput
      label={label}
      value={value[field]}
      onChange={(v) => onChange(field, v)}
      error={Boolean(errors[field])}
      helperText={hint(field, unit, suggested)}
      htmlInput={{ inputMode: integer ? 'numeric' : 'decimal' }}
      placeholder={field === 'ramGB' || field === 'wallTimeHours' ? 'As the workflow suggests' : undefined}
      fullWidth
    />
  );
  return (
    <Box
      sx={{
        display: 'grid',
        gap: 2,
        gridTemplateColumns: { xs: '1fr', sm: 'repeat(2, minmax(0, 1fr))', lg: 'repeat(4, minmax(0, 1fr))' },
        alignItems: 'start',
      }}
    >
      {number('cores', 'Cores', '', String(base.cores), true)}
      {number('gpus', 'GPUs', '', null, true)}
      {number('ramGB', 'RAM (GB)', ' GB', base.ramMB === null ? null : `${gbOf(base.ramMB)} GB`, false)}
      {number(
        'wallTimeHours',
        'Wall time (hours)',
        ' h',
        base.wallTimeMinutes === null ? null : `${hoursOf(base.wallTimeMinutes)} h`,
        false,
      )}
      <Box sx={{ gridColumn: { sm: 'span 2' } }}>
        <TextInput
          label="Extra tags"
          value={value.extraTags}
          onChange={(v) => onChange('extraTags', v)}
          error={Boolean(errors.extraTags)}
          helperText={
            errors.extraTags ??
            `Job tags a queue must offer, separated by commas (e.g. AVX2).${base.tags.length > 0 ? ` The workflow always asks for ${base.tags.join(', ')}.` : ''}`
          }
          htmlInput={{ maxLength: 300 }}
          fullWidth
        />
      </Box>
      <Box sx={{ gridColumn: { sm: 'span 2' } }}>
        <SelectField
          label="Site"
          value={value.site}
          onChange={(v) => onChange('site', v)}
          options={[{ value: '', label: 'Any site that fits' }, ...siteOptions(sites, value.site)]}
          helperText="Leave it to DIRAC, or send every job to one site."
          fullWidth
        />
      </Box>
      <Typography variant="caption" color="text.secondary" sx={{ gridColumn: '1 / -1' }}>
        The wall time is compared with each queue’s CPU time limit, as DIRAC does when it matches jobs.
      </Typography>
    </Box>
  );
}
