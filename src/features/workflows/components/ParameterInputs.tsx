import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import InputLabel from '@mui/material/InputLabel';
import NativeSelect from '@mui/material/NativeSelect';
import OutlinedInput from '@mui/material/OutlinedInput';
import Switch from '@mui/material/Switch';
import Box from '@mui/material/Box';
import { useId, useState, type ReactNode, type Ref } from 'react';

/**
 * The labelled inputs of the generated forms, built like shared/ui/fields.tsx (MUI's outlined
 * look from its parts, native selects) with what a generated field needs on top: a required
 * marker, an error that is announced (aria-invalid + aria-describedby to the message), a hint
 * under it, and text kept as typed while the form value is parsed (numbers, lists).
 */

type Common = {
  label: string;
  /** The error, shown above the hint and announced with it. */
  error?: string;
  hint?: ReactNode;
  required?: boolean;
  disabled?: boolean;
  inputRef?: Ref<HTMLInputElement | HTMLSelectElement>;
  onBlur?: () => void;
};

function Help({ id, error, hint }: { id: string; error?: string; hint?: ReactNode }) {
  if (!error && !hint) return null;
  return (
    <FormHelperText id={id} component="div">
      {error && (
        <Box component="span" sx={{ display: 'block', fontWeight: 600 }}>
          {error}
        </Box>
      )}
      {hint && (
        <Box component="span" sx={{ display: 'block', color: error ? 'text.secondary' : undefined }}>
          {hint}
        </Box>
      )}
    </FormHelperText>
  );
}

type TextLikeProps = Common & {
  text: string;
  onText: (text: string) => void;
  placeholder?: string;
  inputMode?: 'text' | 'decimal' | 'numeric';
};

function TextLike({
  label,
  text,
  onText,
  error,
  hint,
  required,
  disabled,
  inputRef,
  onBlur,
  placeholder,
  inputMode = 'text',
}: TextLikeProps) {
  const id = useId();
  const helpId = useId();
  return (
    <FormControl size="small" fullWidth error={Boolean(error)} required={required} disabled={disabled}>
      <InputLabel htmlFor={id} shrink={placeholder ? true : undefined}>
        {label}
      </InputLabel>
      <OutlinedInput
        id={id}
        label={label}
        notched={placeholder ? true : undefined}
        value={text}
        placeholder={placeholder}
        onChange={(e) => onText(e.target.value)}
        onBlur={onBlur}
        inputRef={inputRef as Ref<HTMLInputElement>}
        slotProps={{ input: { inputMode, autoComplete: 'off', spellCheck: false, 'aria-describedby': error || hint ? helpId : undefined } }}
      />
      <Help id={helpId} error={error} hint={hint} />
    </FormControl>
  );
}

/**
 * Text that follows the form value: what the user typed stays as typed while it parses to the
 * value (“1.50” for 1.5); a value changed from outside (reset, restored draft) shows formatted.
 * Derived during render, so an outside change never needs an effect to copy it into state.
 */
function useTypedText<T>(value: T, format: (v: T) => string, parse: (text: string) => T) {
  const [typed, setTyped] = useState<string | null>(null);
  const text = typed !== null && JSON.stringify(parse(typed)) === JSON.stringify(value) ? typed : format(value);
  return [text, setTyped] as const;
}

/**
 * A number typed as text: '' → null (a cleared field: react-hook-form would put the default back
 * for undefined), a number → number, anything else stays text (the schema says "Enter a number").
 */
export function parseNumberText(text: string): number | string | null {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) ? n : text;
}

const formatScalar = (v: unknown) => (v === undefined || v === null ? '' : String(v));

type NumberInputProps = Common & { value: unknown; onChange: (v: number | string | null) => void; integer?: boolean; placeholder?: string };

export function NumberInput({ value, onChange, integer, ...common }: NumberInputProps) {
  const [text, setText] = useTypedText<unknown>(value, formatScalar, parseNumberText);
  return (
    <TextLike
      {...common}
      text={text}
      inputMode={integer ? 'numeric' : 'decimal'}
      onText={(t) => {
        setText(t);
        onChange(parseNumberText(t));
      }}
    />
  );
}

type TextInputProps = Common & { value: unknown; onChange: (v: string | null) => void; placeholder?: string };

export function TextValueInput({ value, onChange, ...common }: TextInputProps) {
  return <TextLike {...common} text={formatScalar(value)} onText={(t) => onChange(t === '' ? null : t)} />;
}

/** "1, 2, 3" ↔ [1, 2, 3]; items that are not numbers stay text for the schema to report. */
export function parseListText(text: string, numbers: boolean): (string | number)[] | null {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) return null;
  return numbers ? items.map((s) => parseNumberText(s) ?? s) : items;
}

const formatList = (v: unknown) => (Array.isArray(v) ? v.join(', ') : formatScalar(v));

type ListInputProps = Common & {
  value: unknown;
  onChange: (v: (string | number)[] | null) => void;
  numbers: boolean;
  placeholder?: string;
};

export function ListInput({ value, onChange, numbers, ...common }: ListInputProps) {
  const [text, setText] = useTypedText<unknown>(value, formatList, (t) => parseListText(t, numbers));
  return (
    <TextLike
      {...common}
      text={text}
      onText={(t) => {
        setText(t);
        onChange(parseListText(t, numbers));
      }}
    />
  );
}

export type ChoiceOption = { value: string | number; label: string };

type ChoiceInputProps = Common & {
  value: unknown;
  onChange: (v: string | number | null) => void;
  options: readonly ChoiceOption[];
  /** Label of the empty option; no empty option when absent. */
  emptyLabel?: string;
};

export function ChoiceInput({
  label,
  value,
  onChange,
  options,
  emptyLabel,
  error,
  hint,
  required,
  disabled,
  inputRef,
  onBlur,
}: ChoiceInputProps) {
  const id = useId();
  const helpId = useId();
  const current = value === undefined || value === null ? '' : String(value);
  return (
    <FormControl size="small" fullWidth error={Boolean(error)} required={required} disabled={disabled}>
      <InputLabel htmlFor={id} shrink>
        {label}
      </InputLabel>
      <NativeSelect
        value={current}
        onChange={(e) => {
          const picked = options.find((o) => String(o.value) === e.target.value);
          onChange(picked ? picked.value : null);
        }}
        onBlur={onBlur}
        inputRef={inputRef as Ref<HTMLSelectElement>}
        input={
          <OutlinedInput id={id} label={label} notched slotProps={{ input: { 'aria-describedby': error || hint ? helpId : undefined } }} />
        }
      >
        {(emptyLabel !== undefined || !options.some((o) => String(o.value) === current)) && <option value="">{emptyLabel ?? ''}</option>}
        {options.map((o) => (
          <option key={String(o.value)} value={String(o.value)}>
            {o.label}
          </option>
        ))}
      </NativeSelect>
      <Help id={helpId} error={error} hint={hint} />
    </FormControl>
  );
}

type FlagInputProps = Common & { value: unknown; onChange: (v: boolean) => void };

export function FlagInput({ label, value, onChange, error, hint, disabled, inputRef, onBlur }: FlagInputProps) {
  const helpId = useId();
  return (
    <FormControl error={Boolean(error)} disabled={disabled} fullWidth>
      <FormControlLabel
        label={label}
        control={
          <Switch
            checked={value === true}
            onChange={(e) => onChange(e.target.checked)}
            onBlur={onBlur}
            slotProps={{
              input: {
                ref: inputRef as Ref<HTMLInputElement>,
                'aria-describedby': error || hint ? helpId : undefined,
                'aria-invalid': error ? true : undefined,
              },
            }}
          />
        }
      />
      <Help id={helpId} error={error} hint={hint} />
    </FormControl>
  );
}
