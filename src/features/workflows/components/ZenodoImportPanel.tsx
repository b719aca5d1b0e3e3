import CloudDownloadIcon from '@mui/icons-material/CloudDownload';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { useState } from 'react';
import {
  MAX_DESCRIPTOR_CHARS,
  MAX_ZENODO_RECORD_CHARS,
  type Application,
  type ZenodoImport,
} from '../../../contracts/workflows/applications.ts';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { SelectField, TextInput } from '../../../shared/ui/fields.tsx';
import { useNotify } from '../../../shared/ui/notify.tsx';
import { useImportZenodo } from '../api/catalogue-mutations.ts';
import { ApplicationIdField, useApplicationId } from './ApplicationIdField.tsx';
import { FilePickField } from '../../../shared/ui/FilePickField.tsx';

type Mode = 'record' | 'export';
type Picked = { text: string; name: string } | null;

/**
 * Import a descriptor from an OSSR/Zenodo record, as a draft: live by DOI or record id (the BFF fetches
 * it from its allow-listed hosts), or offline from the record's "Export → JSON" and the descriptor file
 * (checked against the record's checksum).
 */
export function ZenodoImportPanel({ applications }: { applications: readonly Application[] }) {
  const notify = useNotify();
  const [mode, setMode] = useState<Mode>('record');
  const [record, setRecord] = useState('');
  const [recordJson, setRecordJson] = useState<Picked>(null);
  const [descriptor, setDescriptor] = useState<Picked>(null);
  const [descriptorName, setDescriptorName] = useState<string | undefined>(undefined);
  const zenodo = useImportZenodo();
  const appId = useApplicationId(applications, descriptorName);

  const body = (): Omit<ZenodoImport, 'id' | 'as'> | null => {
    if (mode === 'record') return record.trim() ? { record: record.trim() } : null;
    if (!recordJson || !descriptor) return null;
    return { recordJson: recordJson.text, descriptor: descriptor.text, fileName: descriptor.name };
  };
  const ready = body() !== null && appId.valid;

  const submit = () => {
    const b = body();
    if (!b || !appId.valid) return;
    zenodo.mutate(
      { id: appId.id, as: appId.as, ...b },
      {
        onSuccess: (v) => {
          notify(`Imported ${v.name} as a draft: version ${v.version} of “${v.appId}”. Publish it below.`, 'success');
          setRecord('');
          setRecordJson(null);
          setDescriptor(null);
          appId.reset();
        },
      },
    );
  };

  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <SelectField
        label="Import from"
        value={mode}
        onChange={(v) => {
          setMode(v as Mode);
          zenodo.reset();
        }}
        options={[
          { value: 'record', label: 'A DOI or record id (fetched by the portal)' },
          { value: 'export', label: 'A record export and its descriptor file' },
        ]}
        sx={{ maxWidth: 480 }}
        fullWidth
      />
      {mode === 'record' ? (
        <TextInput
          label="DOI, record id or record URL"
          value={record}
          onChange={setRecord}
          placeholder="10.5281/zenodo.1234567"
          helperText="The portal fetches the record and its .json descriptor from the hosts it is allowed to reach."
          htmlInput={{ maxLength: 512, spellCheck: false }}
          sx={{ maxWidth: 480 }}
          fullWidth
        />
      ) : (
        <>
          <FilePickField
            label="Record export (Zenodo “Export → JSON”)"
            maxBytes={MAX_ZENODO_RECORD_CHARS * 4}
            helperText="Keeps the record's DOI, version, license and creators with the application."
            onText={(text, name) => setRecordJson({ text, name })}
          />
          <FilePickField
            label="Descriptor file from the record"
            maxBytes={MAX_DESCRIPTOR_CHARS * 4}
            helperText="Checked against the checksum the record gives for this file name."
            onText={(text, name) => {
              setDescriptor({ text, name });
              try {
                const parsed: unknown = JSON.parse(text);
                const n = (parsed as { name?: unknown }).name;
                setDescriptorName(typeof n === 'string' ? n : undefined);
              } catch {
                setDescriptorName(undefined);
              }
            }}
          />
        </>
      )}
      <ApplicationIdField state={appId} />
      <Box>
        <Button variant="contained" startIcon={<CloudDownloadIcon />} loading={zenodo.isPending} disabled={!ready} onClick={submit}>
          Import as draft
        </Button>
      </Box>
      {zenodo.error && <ErrorAlert error={zenodo.error} title="The record was not imported" />}
    </Box>
  );
}
