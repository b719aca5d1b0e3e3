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
import { useId, useState } from 'react';
import { EsapBasketImportSchema, type EsapImportResult } from '../../../contracts/datasets.ts';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { useImportEsapBasket } from '../api/basket-mutations.ts';
import { FilePickField } from '../../../shared/ui/FilePickField.tsx';
import { plural } from '../../../shared/lib/format.ts';
import { TextAreaField } from '../../../shared/ui/TextAreaField.tsx';

type Props = { open: boolean; onClose: () => void };

/** The largest file read in the browser (the BFF accepts 8 MiB). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

/**
 * Import an ESAP shopping basket: the JSON of the ESAP user profile (`/esap-api/accounts/user-profiles/`)
 * or its `shopping_cart`, from a file or pasted. The summary lists what was imported and, with reasons,
 * what was skipped.
 */
export function EsapImportDialog({ open, onClose }: Props) {
  const titleId = useId();
  const importBasket = useImportEsapBasket();
  const [text, setText] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const [result, setResult] = useState<EsapImportResult | null>(null);

  const close = () => {
    if (importBasket.isPending) return;
    importBasket.reset();
    setText('');
    setLocalError(null);
    setResult(null);
    onClose();
  };

  const submit = () => {
    setLocalError(null);
    setResult(null);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      setLocalError(`This is not valid JSON: ${(err as Error).message}`);
      return;
    }
    const shape = EsapBasketImportSchema.safeParse(json);
    if (!shape.success) {
      setLocalError(
        'This JSON is not an ESAP basket: expected the user profile (with "shopping_cart"), the user-profiles answer (with "results") or the shopping_cart array.',
      );
      return;
    }
    importBasket.mutate(shape.data, { onSuccess: setResult });
  };

  return (
    <Dialog open={open} onClose={close} aria-labelledby={titleId} maxWidth="md" fullWidth>
      <DialogTitle id={titleId}>Import an ESAP basket</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          Bring the shopping basket you filled in the ESCAPE Scientific Analysis Platform: Rucio items become Rucio DIDs, items of other
          archives are kept as references.
        </DialogContentText>
        <Box sx={{ mb: 2 }}>
          <FilePickField
            label="ESAP basket file (JSON)"
            maxBytes={MAX_FILE_BYTES}
            helperText="Or paste the JSON below."
            readText={(name) => `Read ${name}; you can check or edit it below.`}
            onText={(t) => {
              setText(t);
              setLocalError(null);
              setResult(null);
            }}
          />
        </Box>
        <TextAreaField
          label="ESAP basket JSON"
          value={text}
          onChange={(v) => {
            setText(v);
            setLocalError(null);
          }}
          placeholder={'{"results": [{"user_name": "…", "shopping_cart": [{"item_data": "{\\"archive\\": \\"rucio\\", …}"}]}]}'}
          error={localError !== null}
          minRows={5}
          maxRows={12}
        />
        {localError && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {localError}
          </Alert>
        )}
        {importBasket.isError && <ErrorAlert error={importBasket.error} title="Nothing was imported" sx={{ mt: 2 }} />}
        {result && <EsapSummary result={result} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>{result ? 'Done' : 'Cancel'}</Button>
        <Button variant="contained" onClick={submit} loading={importBasket.isPending} disabled={text.trim() === ''}>
          Import
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function EsapSummary({ result }: { result: EsapImportResult }) {
  const { added, alreadyPresent, skipped } = result;
  const title = [
    `Imported ${plural(added, 'item')}`,
    ...(alreadyPresent > 0 ? [`${plural(alreadyPresent, 'item')} already in your basket`] : []),
    ...(skipped.length > 0 ? [`${plural(skipped.length, 'item')} skipped`] : []),
  ].join(' · ');
  return (
    <Alert severity={skipped.length > 0 ? 'warning' : 'success'} sx={{ mt: 2 }} role="status">
      <AlertTitle>{title}</AlertTitle>
      {skipped.length > 0 && (
        <Box component="ul" aria-label="Skipped items" sx={{ m: 0, pl: 2.5 }}>
          {skipped.map((s) => (
            <li key={s.index}>
              <Typography variant="body2">
                <strong>Item {s.index + 1}:</strong> {s.reason}
              </Typography>
            </li>
          ))}
        </Box>
      )}
    </Alert>
  );
}
