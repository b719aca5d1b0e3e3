import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import { useId, useMemo, useState } from 'react';
import { RUCIO_DIDS_MAX, parseRucioDids, type RucioAddResult } from '../../../contracts/datasets.ts';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { useNotify } from '../../../shared/ui/notify.tsx';
import { useAddRucioDids } from '../api/basket-mutations.ts';
import { plural } from '../../../shared/lib/format.ts';
import { TextAreaField } from '../../../shared/ui/TextAreaField.tsx';

type Props = { open: boolean; onClose: () => void };

const EXAMPLE = 'ESCAPE_CTA_LAPP:gamma_20deg_0deg_run100.simtel.zst\nLOFAR_ASTRON_GRANGE:L770123_SB244_uv.MS.tar';

function addedText({ added, alreadyPresent }: Pick<RucioAddResult, 'added' | 'alreadyPresent'>) {
  const already = alreadyPresent > 0 ? `; ${plural(alreadyPresent, 'DID')} ${alreadyPresent === 1 ? 'was' : 'were'} already in it` : '';
  return `Added ${plural(added, 'DID')} to your basket${already}`;
}

/**
 * Paste Rucio DIDs (`scope:name`, one per line or comma-separated). Lines that are not DIDs are
 * listed with their line numbers and the text stays, so they can be fixed and sent again
 * (DIDs already added are then counted as already in the basket).
 */
export function RucioDidsDialog({ open, onClose }: Props) {
  const titleId = useId();
  const notify = useNotify();
  const add = useAddRucioDids();
  const [text, setText] = useState('');
  const [result, setResult] = useState<RucioAddResult | null>(null);
  const preview = useMemo(() => parseRucioDids(text), [text]);

  const finish = () => {
    add.reset();
    setResult(null);
    setText('');
    onClose();
  };
  const close = () => {
    if (!add.isPending) finish();
  };

  const submit = () => {
    setResult(null);
    add.mutate(text, {
      onSuccess: (r) => {
        if (r.invalid.length === 0) {
          notify(addedText(r), 'success');
          finish();
        } else {
          setResult(r);
        }
      },
    });
  };

  const found = preview.dids.length;
  const problems = preview.invalid.length;
  const helper =
    text.trim() === ''
      ? 'One scope:name per line, or several separated by commas. Lines starting with # are ignored.'
      : `${plural(found, 'DID')} found${problems ? `, ${plural(problems, 'entry', 'entries')} with problems` : ''}${found > RUCIO_DIDS_MAX ? ` (at most ${RUCIO_DIDS_MAX} at once)` : ''}`;

  return (
    <Dialog open={open} onClose={close} aria-labelledby={titleId} maxWidth="md" fullWidth>
      <DialogTitle id={titleId}>Paste Rucio DIDs</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          Add files or datasets of the ESCAPE data lake by their Rucio data identifier, <code>scope:name</code>.
        </DialogContentText>
        <Box sx={{ pt: 1 }}>
          <TextAreaField label="Rucio DIDs" value={text} onChange={setText} placeholder={EXAMPLE} helperText={helper} autoFocus />
        </Box>
        {add.isError && <ErrorAlert error={add.error} title="Nothing was added" sx={{ mt: 2 }} />}
        {result && (
          <Alert severity="warning" sx={{ mt: 2 }} role="status">
            <AlertTitle>{addedText(result)}. These lines were not added:</AlertTitle>
            <Box component="ul" aria-label="Lines that are not DIDs" sx={{ m: 0, pl: 2.5 }}>
              {result.invalid.map((p, i) => (
                <li key={`${p.line}-${i}`}>
                  <Typography variant="body2">
                    <strong>Line {p.line}:</strong> <code>{p.text}</code> — {p.message}
                  </Typography>
                </li>
              ))}
            </Box>
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>{result ? 'Close' : 'Cancel'}</Button>
        <Button variant="contained" onClick={submit} loading={add.isPending} disabled={text.trim() === '' || found > RUCIO_DIDS_MAX}>
          Add to basket
        </Button>
      </DialogActions>
    </Dialog>
  );
}
