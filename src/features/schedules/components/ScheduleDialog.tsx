import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState } from 'react';
import type { z } from 'zod';
import type { Schedule, ScheduledLaunchSchema } from '../../../contracts/schedules.ts';
import { ApiError } from '../../../shared/lib/api-client.ts';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { useCreateSchedule, useUpdateSchedule } from '../api/schedule-mutations.ts';
import { scheduleQueries } from '../api/schedule-queries.ts';
import { ScheduleSourceFields } from './ScheduleSourceFields.tsx';
import { ScheduleSpecFields } from './ScheduleSpecFields.tsx';
import { checkSourceDraft, sourceDraftOf, type SourceDraft } from './source-draft.ts';
import { checkDraft, draftOf, fieldOf, newDraft, type SpecDraft, type SpecErrors } from './spec-draft.ts';

export type ScheduleDialogMode = { kind: 'create'; launch: z.input<typeof ScheduledLaunchSchema> } | { kind: 'edit'; schedule: Schedule };

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** Create (from a launch) or edit a schedule: name, recurrence, and the next runs as the BFF computes them. */
export function ScheduleDialog({ mode, onClose }: { mode: ScheduleDialogMode; onClose: () => void }) {
  const titleId = useId();
  const create = useCreateSchedule();
  const update = useUpdateSchedule(mode.kind === 'edit' ? mode.schedule.id : '');
  const [name, setName] = useState(mode.kind === 'edit' ? mode.schedule.name : mode.launch.name);
  const [draft, setDraft] = useState<SpecDraft>(() => (mode.kind === 'edit' ? draftOf(mode.schedule.spec) : newDraft()));
  const [source, setSource] = useState<SourceDraft>(() => sourceDraftOf(mode.kind === 'edit' ? mode.schedule.source : undefined));
  const [tried, setTried] = useState(false);
  const checked = useMemo(() => checkDraft(draft), [draft]);
  const checkedSource = useMemo(() => checkSourceDraft(source), [source]);
  // A workflow that reads no files has nothing to query.
  const readsFiles = ((mode.kind === 'create' ? mode.launch.inputMode : mode.schedule.launch.inputMode) ?? 'none') !== 'none';
  const debounced = useDebounced(checked.spec, 300);
  const preview = useQuery({
    ...scheduleQueries.preview(debounced ?? checked.spec ?? { recurrence: { kind: 'daily', time: '00:00' }, timezone: 'UTC', startAt: '' }),
    enabled: debounced !== null && checked.spec !== null,
  });
  const serverErrors: SpecErrors = {};
  const previewError = preview.error instanceof ApiError ? preview.error : null;
  for (const issue of previewError?.issues ?? []) serverErrors[fieldOf(issue.path)] ??= issue.message;
  const errors = { ...serverErrors, ...checked.errors };
  const nameError = !name.trim()
    ? 'give the schedule a name'
    : !NAME_RE.test(name.trim()) || name.length > 64
      ? 'letters, digits, spaces, ".", "_" and "-" only (at most 64)'
      : null;
  const mutation = mode.kind === 'create' ? create : update;

  const save = () => {
    setTried(true);
    if (nameError || !checked.spec || Object.keys(errors).length > 0 || !checkedSource.source) return;
    if (mode.kind === 'create') create.mutate({ name: name.trim(), launch: mode.launch, spec: checked.spec, source: checkedSource.source });
    else
      update.mutate(
        { name: name.trim(), spec: checked.spec, ...(checkedSource.source.kind === 'snapshot' ? {} : { source: checkedSource.source }) },
        { onSuccess: onClose },
      );
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} maxWidth="md" fullWidth>
      <DialogTitle id={titleId}>{mode.kind === 'create' ? 'Schedule this launch' : `Edit schedule “${mode.schedule.name}”`}</DialogTitle>
      <DialogContent>
        <Box sx={{ display: 'grid', gap: 2, pt: 1 }}>
          {mode.kind === 'create' && (
            <Typography variant="body2" color="text.secondary">
              The portal submits this launch at every run, also while you are away. To allow that, you are sent once to DiracX to authorize
              unattended runs for your group; you can pause, revoke or delete the schedule at any time.
            </Typography>
          )}
          {mode.kind === 'create' && mode.launch.stageAt && (
            <Alert severity="warning">
              “Stage first” is not available for schedules yet (a scheduled run has no staging phase): uncheck it on the launch page to
              schedule this launch.
            </Alert>
          )}
          <TextField
            label="Schedule name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={tried && !!nameError}
            helperText={tried ? nameError : undefined}
            required
          />
          {readsFiles && (mode.kind === 'create' || source.mode !== 'snapshot') && (
            <ScheduleSourceFields
              draft={source}
              errors={tried ? checkedSource.errors : {}}
              onChange={(patch) => setSource((d) => ({ ...d, ...patch }))}
              snapshotCount={mode.kind === 'create' ? (mode.launch.inputItemIds?.length ?? 0) : null}
              editing={mode.kind === 'edit'}
            />
          )}
          <ScheduleSpecFields draft={draft} errors={errors} onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))} />
          <Box role="status" aria-live="polite">
            {preview.data && Object.keys(errors).length === 0 && (
              <Alert severity="info">
                <strong>Runs {preview.data.description}.</strong> Next:{' '}
                {preview.data.nextRuns.length
                  ? preview.data.nextRuns
                      .slice(0, 3)
                      .map((t) => new Date(t).toLocaleString())
                      .join(' · ')
                  : 'none (the schedule has ended)'}
              </Alert>
            )}
            {previewError && !previewError.issues?.length && (
              <ErrorAlert error={previewError} title="The recurrence could not be checked" />
            )}
          </Box>
          {mutation.error && (
            <ErrorAlert
              error={mutation.error}
              title={mode.kind === 'create' ? 'The schedule was not created' : 'The schedule was not saved'}
            />
          )}
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={save} loading={mutation.isPending}>
          {mode.kind === 'create' ? 'Create and authorize' : 'Save'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
