import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import type { FileInputMode } from '../schemas/launch-settings.ts';

type InputModeFieldProps = {
  value: FileInputMode;
  onChange: (mode: FileInputMode) => void;
  /** Items chosen, to say what each choice means. */
  fileCount: number;
};

/** How the chosen files bind to jobs: one job per file, or one job reading them all. */
export function InputModeField({ value, onChange, fileCount }: InputModeFieldProps) {
  const labelId = useId();
  const files = fileCount === 1 ? '1 file' : `${fileCount.toLocaleString('en-US')} files`;
  const jobs = fileCount === 1 ? '1 job' : `${fileCount.toLocaleString('en-US')} jobs`;
  const option = (mode: FileInputMode, label: string, hint: string) => (
    <FormControlLabel
      value={mode}
      control={<Radio />}
      label={
        <>
          <Typography variant="body2" component="span" sx={{ fontWeight: 600 }}>
            {label}
          </Typography>
          <Typography variant="body2" component="span" color="text.secondary">
            {' '}
            — {hint}
          </Typography>
        </>
      }
    />
  );
  return (
    <FormControl component="fieldset">
      <FormLabel id={labelId} component="legend" sx={{ mb: 0.5 }}>
        Jobs and files
      </FormLabel>
      <RadioGroup aria-labelledby={labelId} value={value} onChange={(e) => onChange(e.target.value as FileInputMode)}>
        {option(
          'per-file',
          'One job per file',
          fileCount > 0 ? `${jobs} per parameter combination, each reading one file` : 'each job reads one chosen file',
        )}
        {option('all-in-one', 'One job for all files', fileCount > 0 ? `each job reads all ${files}` : 'each job reads every chosen file')}
      </RadioGroup>
    </FormControl>
  );
}
