import Box from '@mui/material/Box';
import FormHelperText from '@mui/material/FormHelperText';
import Typography from '@mui/material/Typography';
import { useId, useState } from 'react';
import { readTextFile } from '../lib/download.ts';
import { formatBytes } from '../lib/format.ts';

type FilePickFieldProps = {
  label: string;
  /** Largest file read in the browser (bytes); the BFF checks its own limits again. */
  maxBytes: number;
  onText: (text: string, fileName: string) => void;
  helperText: string;
  /** What to say once a file is read (default "Read <name>."). */
  readText?: (fileName: string) => string;
};

/** A labelled file input whose text is handed to the caller (a descriptor, a Zenodo record export, an ESAP basket). */
export function FilePickField({ label, maxBytes, onText, helperText, readText = (name) => `Read ${name}.` }: FilePickFieldProps) {
  const id = useId();
  const helpId = useId();
  const [status, setStatus] = useState<{ error: boolean; text: string } | null>(null);
  const read = async (file: File | undefined) => {
    setStatus(null);
    if (!file) return;
    if (file.size > maxBytes) {
      setStatus({ error: true, text: `${file.name} is larger than ${formatBytes(maxBytes)}.` });
      return;
    }
    try {
      onText(await readTextFile(file), file.name);
      setStatus({ error: false, text: readText(file.name) });
    } catch (err) {
      setStatus({ error: true, text: `${file.name} could not be read: ${(err as Error).message}` });
    }
  };
  return (
    <Box>
      <Typography component="label" htmlFor={id} variant="subtitle2" sx={{ display: 'block', mb: 0.5 }}>
        {label}
      </Typography>
      <input
        id={id}
        type="file"
        accept=".json,application/json"
        aria-describedby={helpId}
        onChange={(e) => void read(e.target.files?.[0])}
      />
      <FormHelperText id={helpId} error={status?.error}>
        {status?.text ?? helperText}
      </FormHelperText>
    </Box>
  );
}
