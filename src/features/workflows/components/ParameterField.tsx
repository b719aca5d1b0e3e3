import Box from '@mui/material/Box';
import FormControlLabel from '@mui/material/FormControlLabel';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { Controller, useWatch } from 'react-hook-form';
import { COMMAND_TEXT_HELP } from '../../../contracts/text.ts';
import { choiceLabel, isSweepable, type BoutiquesDescriptor, type BoutiquesInput } from '../../../contracts/workflows/descriptor.ts';
import { canBeUnavailable, unmetRequirement } from '../../../contracts/workflows/rules.ts';
import type { WorkflowFormController } from '../hooks/use-workflow-form.ts';
import { dependentFields, sweptIds, type WorkflowDraft } from '../schemas/workflow-draft.ts';
import { ChoiceInput, FlagInput, ListInput, NumberInput, TextValueInput } from './ParameterInputs.tsx';
import { SweepEditor } from './SweepEditor.tsx';

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 10 });

/** "Whole number from 1 to 100,000", "Greater than 0, at most 100,000,000,000", "2 to 4 values". */
export function constraintHint(input: BoutiquesInput): string | null {
  const parts: string[] = [];
  if (input.type === 'Number' && !input['value-choices']) {
    const { minimum: min, maximum: max } = input;
    const kind = input.integer ? (input.list ? 'Whole numbers' : 'Whole number') : input.list ? 'Numbers' : 'Number';
    if (min !== undefined && max !== undefined && !input['exclusive-minimum'] && !input['exclusive-maximum'])
      parts.push(`${kind} from ${fmt(min)} to ${fmt(max)}`);
    else {
      const bounds: string[] = [];
      if (min !== undefined) bounds.push(input['exclusive-minimum'] ? `greater than ${fmt(min)}` : `at least ${fmt(min)}`);
      if (max !== undefined) bounds.push(input['exclusive-maximum'] ? `less than ${fmt(max)}` : `at most ${fmt(max)}`);
      parts.push(bounds.length ? `${kind}, ${bounds.join(', ')}` : input.integer ? kind : '');
    }
  }
  if (input.list) {
    const min = input['min-list-entries'];
    const max = input['max-list-entries'];
    const count =
      min !== undefined && max !== undefined
        ? `${min} to ${max} values`
        : min !== undefined
          ? `at least ${min}`
          : max !== undefined
            ? `at most ${max} values`
            : '';
    const choices = input['value-choices'] ? `from ${input['value-choices'].join(', ')}` : '';
    parts.push(['Separated by commas', choices, count].filter(Boolean).join('; '));
  }
  const text = parts.filter(Boolean).join('. ');
  return text ? `${text}.` : null;
}

function Hint({ input, extra }: { input: BoutiquesInput; extra?: string | null }) {
  const constraint = constraintHint(input);
  const lines = [input.description, constraint, extra].filter(Boolean);
  if (lines.length === 0) return null;
  return <>{lines.join(' ')}</>;
}

function defaultPlaceholder(d: BoutiquesDescriptor, input: BoutiquesInput): string | undefined {
  const v = input['default-value'];
  if (v === undefined || input.type === 'Flag') return undefined;
  return `${Array.isArray(v) ? v.join(', ') : choiceLabel(d, input.id, v as string | number)} (default)`;
}

type ParameterFieldProps = {
  controller: WorkflowFormController;
  input: BoutiquesInput;
};

/** Why an input is unavailable (its `requires-inputs` are off, another input disables it); watches the values only when it can be. */
function useDisabledReason({ form, descriptor: d }: WorkflowFormController, input: BoutiquesInput): string | null {
  const depends = canBeUnavailable(d, input.id);
  const values = useWatch({ control: form.control, name: 'values', disabled: !depends }) as WorkflowDraft['values'] | undefined;
  const sweeps = useWatch({ control: form.control, name: 'sweeps', disabled: !depends }) as WorkflowDraft['sweeps'] | undefined;
  if (!depends) return null;
  return unmetRequirement(d, values ?? {}, sweptIds(d, { values: values ?? {}, sweeps: sweeps ?? {} }), input.id);
}

/** One descriptor input as a form field (by type), with its Sweep switch when the workflow allows it. */
export function ParameterField({ controller, input }: ParameterFieldProps) {
  const { form, descriptor: d } = controller;
  const labelId = useId();
  const sweepable = isSweepable(d, input.id);
  const sweepOn = useWatch({ control: form.control, name: `sweeps.${input.id}.on`, disabled: !sweepable });
  const swept = sweepable && sweepOn === true;
  const disabledReason = useDisabledReason(controller, input);
  const name = `values.${input.id}` as const;
  const deps = dependentFields(d, input.id);
  const required = !input.optional;
  const disabled = disabledReason !== null;

  const valueField = (
    <Controller
      control={form.control}
      name={name}
      rules={{ deps }}
      render={({ field, fieldState }) => {
        const common = {
          label: input.name,
          error: fieldState.error?.message,
          required: required && input.type !== 'Flag',
          disabled,
          inputRef: field.ref,
          onBlur: field.onBlur,
          hint: (
            <Hint input={input} extra={disabledReason ?? (input.type === 'String' && !input['value-choices'] ? COMMAND_TEXT_HELP : null)} />
          ),
        };
        if (input.type === 'Flag') return <FlagInput {...common} value={field.value} onChange={field.onChange} />;
        const choices = input['value-choices'];
        if (choices && !input.list) {
          const hasDefault = input['default-value'] !== undefined;
          return (
            <ChoiceInput
              {...common}
              value={field.value}
              onChange={field.onChange}
              options={choices.map((c) => ({ value: c, label: choiceLabel(d, input.id, c) }))}
              emptyLabel={input.optional ? 'Not set' : hasDefault ? undefined : 'Choose…'}
            />
          );
        }
        if (input.list)
          return (
            <ListInput
              {...common}
              value={field.value}
              onChange={field.onChange}
              numbers={input.type === 'Number'}
              placeholder={defaultPlaceholder(d, input)}
            />
          );
        if (input.type === 'Number')
          return (
            <NumberInput
              {...common}
              value={field.value}
              onChange={field.onChange}
              integer={input.integer}
              placeholder={defaultPlaceholder(d, input)}
            />
          );
        return <TextValueInput {...common} value={field.value} onChange={field.onChange} placeholder={defaultPlaceholder(d, input)} />;
      }}
    />
  );

  if (!sweepable) return <Box>{valueField}</Box>;

  return (
    <Box sx={{ border: swept ? 1 : 0, borderColor: 'divider', borderRadius: 1, p: swept ? 1.5 : 0 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 1, mb: swept ? 1 : 0.5 }}>
        {swept && (
          <Typography id={labelId} variant="subtitle2" component="span">
            {input.name}: sweep
          </Typography>
        )}
        <Controller
          control={form.control}
          name={`sweeps.${input.id}.on`}
          render={({ field }) => (
            <FormControlLabel
              sx={{ ml: 'auto', mr: 0 }}
              label={<Typography variant="body2">Sweep</Typography>}
              control={
                <Switch
                  size="small"
                  checked={field.value === true}
                  onChange={(e) => field.onChange(e.target.checked)}
                  onBlur={field.onBlur}
                  disabled={disabled}
                  slotProps={{ input: { ref: field.ref, 'aria-label': `Sweep ${input.name}` } }}
                />
              }
            />
          )}
        />
      </Box>
      {swept ? <SweepEditor controller={controller} input={input} labelId={labelId} /> : valueField}
    </Box>
  );
}
