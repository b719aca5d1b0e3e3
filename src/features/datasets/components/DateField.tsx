import FormControl from '@mui/material/FormControl';
import FormHelperText from '@mui/material/FormHelperText';
import InputLabel from '@mui/material/InputLabel';
import OutlinedInput from '@mui/material/OutlinedInput';
import type { SxProps, Theme } from '@mui/material/styles';
import { useId, type ReactNode } from 'react';

type DateFieldProps = {
  label: string;
  /** YYYY-MM-DD or ''. */
  value: string;
  onChange: (value: string) => void;
  min?: string;
  max?: string;
  helperText?: ReactNode;
  error?: boolean;
  sx?: SxProps<Theme>;
};

/** A labelled native date input (the browser's own picker and keyboard entry), outlined like the other fields. */
export function DateField({ label, value, onChange, min, max, helperText, error, sx }: DateFieldProps) {
  const id = useId();
  const helpId = useId();
  return (
    <FormControl size="small" error={error} sx={sx}>
      <InputLabel htmlFor={id} shrink>
        {label}
      </InputLabel>
      <OutlinedInput
        id={id}
        label={label}
        notched
        type="date"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        slotProps={{ input: { min, max, 'aria-describedby': helperText ? helpId : undefined } }}
      />
      {helperText && <FormHelperText id={helpId}>{helperText}</FormHelperText>}
    </FormControl>
  );
}
