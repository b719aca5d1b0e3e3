import FormControl from '@mui/material/FormControl';
import FormHelperText from '@mui/material/FormHelperText';
import InputLabel from '@mui/material/InputLabel';
import OutlinedInput from '@mui/material/OutlinedInput';
import { useId, type ReactNode } from 'react';

type TextAreaFieldProps = {
  label: string;
  value: string;
  onChange: (value: string) => void;
  minRows?: number;
  maxRows?: number;
  placeholder?: string;
  helperText?: ReactNode;
  error?: boolean;
  disabled?: boolean;
  autoFocus?: boolean;
};

/** A labelled multi-line text field (monospace: DIDs and JSON line up). */
export function TextAreaField({
  label,
  value,
  onChange,
  minRows = 6,
  maxRows = 16,
  placeholder,
  helperText,
  error,
  disabled,
  autoFocus,
}: TextAreaFieldProps) {
  const id = useId();
  const helpId = useId();
  return (
    <FormControl fullWidth error={error} disabled={disabled}>
      <InputLabel htmlFor={id} shrink>
        {label}
      </InputLabel>
      <OutlinedInput
        id={id}
        label={label}
        notched
        multiline
        minRows={minRows}
        maxRows={maxRows}
        value={value}
        placeholder={placeholder}
        autoFocus={autoFocus}
        onChange={(e) => onChange(e.target.value)}
        slotProps={{ input: { spellCheck: false, 'aria-describedby': helperText ? helpId : undefined } }}
        sx={{ fontFamily: 'monospace', fontSize: 14 }}
      />
      {helperText && <FormHelperText id={helpId}>{helperText}</FormHelperText>}
    </FormControl>
  );
}
