import FactCheckIcon from '@mui/icons-material/FactCheck';
import PublishIcon from '@mui/icons-material/Publish';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { MAX_DESCRIPTOR_CHARS, type Application } from '../../../contracts/workflows/applications.ts';
import { TextAreaField } from '../../../shared/ui/TextAreaField.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { useNotify } from '../../../shared/ui/notify.tsx';
import { useAddApplication, useCheckDescriptor } from '../api/catalogue-mutations.ts';
import { ApplicationIdField, useApplicationId } from './ApplicationIdField.tsx';
import { DescriptorPreview } from './DescriptorPreview.tsx';
import { FilePickField } from '../../../shared/ui/FilePickField.tsx';

/**
 * Add a descriptor (a file or pasted JSON): Check (the BFF validates it against the Boutiques schema and
 * names the fields at fault), see the generated form read-only, then Publish or Save as draft, as a new
 * application or as the next version of one with the same id.
 */
export function AddDescriptorPanel({ applications }: { applications: readonly Application[] }) {
  const notify = useNotify();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | undefined>(undefined);
  const check = useCheckDescriptor();
  const add = useAddApplication();
  const preview = check.data;
  const appId = useApplicationId(applications, preview?.descriptor.name);

  const edit = (value: string, file?: string) => {
    setText(value);
    setFileName(file);
    check.reset();
    add.reset();
  };

  const save = (publish: boolean) => {
    if (!preview || !appId.valid) return;
    add.mutate(
      { id: appId.id, as: appId.as, descriptor: text, publish, ...(fileName ? { fileName } : {}) },
      {
        onSuccess: (v) => {
          notify(`${publish ? 'Published' : 'Saved as a draft:'} ${v.name}, version ${v.version} of “${v.appId}”`, 'success');
          edit('');
          appId.reset();
        },
      },
    );
  };

  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <FilePickField
        label="Descriptor file (Boutiques JSON)"
        maxBytes={MAX_DESCRIPTOR_CHARS * 4}
        helperText="Or paste the descriptor below."
        onText={(t, name) => edit(t, name)}
      />
      <TextAreaField
        label="Descriptor JSON"
        value={text}
        onChange={(v) => edit(v, fileName)}
        placeholder={'{"name": "…", "tool-version": "…", "schema-version": "0.5", "command-line": "…", "inputs": […]}'}
        minRows={6}
        maxRows={14}
      />
      <Box>
        <Button
          variant={preview ? 'outlined' : 'contained'}
          startIcon={<FactCheckIcon />}
          loading={check.isPending}
          disabled={text.trim() === ''}
          onClick={() => check.mutate(text)}
        >
          Check
        </Button>
      </Box>
      <Box aria-live="polite">
        {check.error && <ErrorAlert error={check.error} title="The descriptor was refused" />}
        {preview && (
          <Alert severity="success">
            A valid Boutiques descriptor: {preview.descriptor.name} {preview.descriptor['tool-version']} (sha-256{' '}
            <code>{preview.sha256.slice(0, 12)}</code>…). Check its form below, then publish it.
          </Alert>
        )}
      </Box>
      {preview && (
        <>
          <Typography variant="h6" component="h3">
            Preview of the form
          </Typography>
          <DescriptorPreview key={preview.sha256} preview={preview} />
          <ApplicationIdField state={appId} />
          <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap' }}>
            <Button
              variant="contained"
              startIcon={<PublishIcon />}
              loading={add.isPending && add.variables?.publish === true}
              disabled={add.isPending || !appId.valid}
              onClick={() => save(true)}
            >
              Publish
            </Button>
            <Button
              variant="outlined"
              loading={add.isPending && add.variables?.publish === false}
              disabled={add.isPending || !appId.valid}
              onClick={() => save(false)}
            >
              Save as draft
            </Button>
          </Box>
          {add.error && <ErrorAlert error={add.error} title="The descriptor was not added" />}
        </>
      )}
    </Box>
  );
}
