import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { Controller, get, useFormState, useWatch } from 'react-hook-form';
import type { BoutiquesInput } from '../../../contracts/workflows/descriptor.ts';
import type { WorkflowFormController } from '../hooks/use-workflow-form.ts';
import { sweepStatus, type SweepDraft } from '../schemas/workflow-draft.ts';
import { ChoiceInput, ListInput, NumberInput } from './ParameterInputs.tsx';
import { plural } from '../../../shared/lib/format.ts';

const blank = (v: unknown) => v === undefined || v === null || v === '';

/**
 * The values of one swept parameter: a list, or (numbers) start/step/end, with a live count.
 * Field errors come from the form's schema (paths `sweeps.<id>.start` …, `sweeps.<id>`).
 */
export function SweepEditor({
  controller,
  input,
  labelId,
}: {
  controller: WorkflowFormController;
  input: BoutiquesInput;
  labelId: string;
}) {
  const { form, descriptor } = controller;
  const base = `sweeps.${input.id}` as const;
  const sweep = (useWatch({ control: form.control, name: base }) ?? { on: true, kind: 'list' }) as SweepDraft;
  const { errors } = useFormState({ control: form.control, name: base });
  const sweepError = (get(errors, base) as { message?: string } | undefined)?.message;
  const isNumber = input.type === 'Number';
  const ranges = isNumber && !input['value-choices'];

  let status: { text: string; error: boolean };
  const incomplete =
    sweep.kind === 'range' ? blank(sweep.start) || blank(sweep.step) || blank(sweep.end) : (sweep.values ?? []).length === 0;
  if (sweepError) status = { text: sweepError, error: true };
  else if (incomplete)
    status = { text: sweep.kind === 'range' ? 'Enter the start, step and end' : 'Enter the values, separated by commas', error: false };
  else {
    const s = sweepStatus(descriptor, input.id, sweep);
    status = s.ok ? { text: plural(s.count, 'value'), error: false } : { text: s.message, error: true };
  }

  return (
    <Box role="group" aria-labelledby={labelId} sx={{ display: 'grid', gap: 1.5 }}>
      {ranges && (
        <Controller
          control={form.control}
          name={`${base}.kind`}
          render={({ field }) => (
            <ChoiceInput
              label="Sweep over"
              value={field.value}
              onChange={(v) => field.onChange(v)}
              onBlur={field.onBlur}
              inputRef={field.ref}
              options={[
                { value: 'range', label: 'Start, step and end' },
                { value: 'list', label: 'A list of values' },
              ]}
            />
          )}
        />
      )}
      {sweep.kind === 'range' && ranges ? (
        <Box sx={{ display: 'grid', gap: 1.5, gridTemplateColumns: { xs: '1fr', sm: 'repeat(3, 1fr)' } }}>
          {(['start', 'step', 'end'] as const).map((part) => (
            <Controller
              key={part}
              control={form.control}
              name={`${base}.${part}`}
              render={({ field, fieldState }) => (
                <NumberInput
                  label={part === 'start' ? 'Start' : part === 'step' ? 'Step' : 'End'}
                  value={field.value}
                  onChange={field.onChange}
                  onBlur={field.onBlur}
                  inputRef={field.ref}
                  integer={input.integer}
                  required
                  error={fieldState.error?.message}
                />
              )}
            />
          ))}
        </Box>
      ) : (
        <Controller
          control={form.control}
          name={`${base}.values`}
          render={({ field, fieldState }) => (
            <ListInput
              label="Values"
              value={field.value}
              onChange={(v) => field.onChange(v ?? [])}
              onBlur={field.onBlur}
              inputRef={field.ref}
              numbers={isNumber}
              required
              error={fieldState.error?.message}
              hint={`Separated by commas${input['value-choices'] ? `, from ${input['value-choices'].join(', ')}` : ''}; one job per value (times the other sweeps).`}
            />
          )}
        />
      )}
      <Typography
        variant="body2"
        role="status"
        color={status.error ? 'error' : 'text.secondary'}
        sx={{ fontWeight: status.error ? 600 : 500 }}
      >
        {status.text}
      </Typography>
    </Box>
  );
}
