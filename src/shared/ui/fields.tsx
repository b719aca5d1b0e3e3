import FormControl from '@mui/material/FormControl';
import FormHelperText from '@mui/material/FormHelperText';
import InputLabel from '@mui/material/InputLabel';
import NativeSelect from '@mui/material/NativeSelect';
import OutlinedInput from '@mui/material/OutlinedInput';
import type { SxProps, Theme } from '@mui/material/styles';
import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';

/**
 * Labelled form fields with the look of MUI's outlined TextField, built from its parts.
 * Selects are native `<select>`s: keyboard and screen-reader friendly everywhere, good on
 * phones, and they keep MUI's Select/Menu/Modal code off the first page.
 */
type Common = {
  label: string;
  helperText?: ReactNode;
  error?: boolean;
  disabled?: boolean;
  fullWidth?: boolean;
  sx?: SxProps<Theme>;
};

export type SelectOption = { value: string; label: string };

type SelectFieldProps = Common & {
  value: string;
  onChange: (value: string) => void;
  options: readonly SelectOption[];
};

export function SelectField({ label, value, onChange, options, helperText, error, disabled, fullWidth, sx }: SelectFieldProps) {
  const id = useId();
  const helpId = useId();
  return (
    <FormControl size="small" error={error} disabled={disabled} fullWidth={fullWidth} sx={sx}>
      <InputLabel htmlFor={id} shrink>
        {label}
      </InputLabel>
      <NativeSelect
        value={value}
        onChange={(e) => onChange(e.target.value)}
        input={
          <OutlinedInput id={id} label={label} notched slotProps={{ input: { 'aria-describedby': helperText ? helpId : undefined } }} />
        }
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </NativeSelect>
      {helperText && <FormHelperText id={helpId}>{helperText}</FormHelperText>}
    </FormControl>
  );
}

type TextInputProps = Common & {
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'number' | 'search' | 'date';
  placeholder?: string;
  inputRef?: Ref<HTMLInputElement>;
  /** Extra attributes for the `<input>` (maxLength, min, inputMode…). */
  htmlInput?: InputHTMLAttributes<HTMLInputElement>;
};

export function TextInput({
  label,
  value,
  onChange,
  type = 'text',
  placeholder,
  inputRef,
  htmlInput,
  helperText,
  error,
  disabled,
  fullWidth,
  sx,
}: TextInputProps) {
  const id = useId();
  const helpId = useId();
  return (
    <FormControl size="small" error={error} disabled={disabled} fullWidth={fullWidth} sx={sx}>
      <InputLabel htmlFor={id} shrink={type === 'date' || undefined}>
        {label}
      </InputLabel>
      <OutlinedInput
        id={id}
        label={label}
        notched={type === 'date' || undefined}
        type={type}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        inputRef={inputRef}
        slotProps={{ input: { ...htmlInput, 'aria-describedby': helperText ? helpId : undefined } }}
      />
      {helperText && <FormHelperText id={helpId}>{helperText}</FormHelperText>}
    </FormControl>
  );
}
