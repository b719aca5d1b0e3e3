import RefreshIcon from '@mui/icons-material/Refresh';
import RocketLaunchIcon from '@mui/icons-material/RocketLaunch';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useMemo, type ReactNode } from 'react';
import { useController, useFormState } from 'react-hook-form';
import type { InputBasket, LaunchInputs } from '../../../contracts/launches.ts';
import type { QueueRequirement, Site } from '../../../contracts/resources.ts';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { TextInput } from '../../../shared/ui/fields.tsx';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';
import type { LaunchFormController } from '../hooks/use-launch-form.ts';
import type { LaunchSession } from '../hooks/use-launch-session.ts';
import type { BoutiquesInput } from '../../../contracts/workflows/descriptor.ts';
import { otherFileInputsOf, type LaunchBody } from '../schemas/launch-form.ts';
import { DraftsBar } from './DraftsBar.tsx';
import { InputModeField } from './InputModeField.tsx';
import { LaunchStep, StepTitle } from './LaunchStep.tsx';
import { LaunchSummary } from './LaunchSummary.tsx';
import { ResourcesFields } from './ResourcesFields.tsx';

/** What the launch form gives the basket picker it is handed. */
export type BasketPickerSlot = {
  selected: ReadonlySet<string>;
  onChange: (ids: ReadonlySet<string>) => void;
  /** The whole basket (of some levels) instead of chosen items, read by the BFF; null while items are chosen. */
  wholeBasket: InputBasket | null;
  onWholeBasketChange: (whole: InputBasket | null) => void;
  levels: readonly string[] | null;
  error: string | null;
};

/** What the launch form gives the file select of a File input after the first (one basket file for every job). */
export type FileBindingSlot = {
  input: BoutiquesInput;
  /** The chosen basket item's id; '' for the input's default file (or nothing). */
  value: string;
  onChange: (itemId: string) => void;
};

type LaunchFormProps = {
  launch: LaunchFormController;
  session: LaunchSession;
  /** The way back to the workflow (the page header's action). */
  back: ReactNode;
  /** Other features' parts, composed by the page: the parameter form under this heading… */
  parameters: (heading: ReactNode) => ReactNode;
  /** …the basket picker (only for workflows that read files)… */
  basketPicker: (picker: BasketPickerSlot) => ReactNode;
  /** …a select of one basket file for each File input after the first… */
  fileBinding: (slot: FileBindingSlot) => ReactNode;
  /** …the queues that fit these needs, ranked by where the chosen inputs are… */
  queueFit: (requirement: QueueRequirement, inputs: LaunchInputs) => ReactNode;
  /** The "Stage first" choice for inputs not on disk at the pinned site (shown only when some need staging). */
  stageFirst?: (choice: { site: string; inputs: LaunchInputs; checked: boolean; onChange: (checked: boolean) => void }) => ReactNode;
  /** …and the schedule dialog for this launch. */
  scheduleDialog: (launch: LaunchBody, onClose: () => void) => ReactNode;
  /** The resource catalogue's sites (undefined while it loads). */
  sites: readonly Site[] | undefined;
};

/**
 * The launch page's form, one page in numbered sections:
 *   1. Parameters — the workflow's generated form;
 *   2. Input data — basket items and how they bind to jobs (only for workflows that read files);
 *   3. Resources — what each job needs, with the queues that fit;
 *   4. Summary — production name and `POST /launches/preview`;
 *   5. Submit — `POST /launches`, then the page shows the production's progress.
 */
export function LaunchForm({
  launch,
  session,
  back,
  parameters,
  basketPicker,
  fileBinding,
  queueFit,
  stageFirst,
  scheduleDialog,
  sites,
}: LaunchFormProps) {
  const { workflow, form, files, summary, submission } = launch;
  const { control } = form;
  const name = useController({ control, name: 'name' });
  const chosen = useController({ control, name: 'inputItemIds' });
  const wholeBasket = useController({ control, name: 'inputBasket' });
  const inputMode = useController({ control, name: 'inputMode' });
  const resources = useController({ control, name: 'resources' });
  const bindings = useController({ control, name: 'fileBindings' });
  const otherFileInputs = useMemo(() => otherFileInputsOf(workflow), [workflow]);
  const { errors } = useFormState({ control });
  const selected = useMemo(() => new Set(chosen.field.value), [chosen.field.value]);

  let n = 0;
  const step = () => ++n;
  return (
    <>
      <PageHeader
        title={`Launch ${workflow.name}`}
        documentTitle={`Launch ${workflow.name}`}
        description="Set the parameters, choose the input data and the resources, check the summary, then submit: the portal creates the jobs as one production and shows its progress."
        actions={back}
      />
      <DraftsBar
        workflowId={workflow.id}
        current={session.drafts.current}
        snapshot={launch.snapshot}
        defaultName={name.field.value}
        onSaved={session.drafts.setCurrent}
        onOpen={session.drafts.open}
        onDeleted={session.drafts.deleted}
      />
      {session.opened && (
        <Alert severity="info" sx={{ mb: 2 }}>
          Opened the draft “{session.opened.name}”. Change what you need, then save it again or submit.
        </Alert>
      )}
      {session.relaunch && (
        <Alert severity="info" sx={{ mb: 2 }}>
          Filled in from an earlier launch. Change what you need, then submit.
        </Alert>
      )}
      <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: 'minmax(0, 1fr)' }}>
        <Paper variant="outlined" sx={{ p: { xs: 2, md: 3 } }}>
          {parameters(<StepTitle n={step()}>Parameters</StepTitle>)}
        </Paper>

        {files && (
          <LaunchStep
            n={step()}
            title="Input data"
            headingId={launch.headingIds.inputs}
            description={`“${files.input.name}”${files.levels ? ` (${files.levels.join(', ')})` : ''}: choose the basket items the jobs read.`}
          >
            <Box sx={{ display: 'grid', gap: 2.5 }}>
              {basketPicker({
                selected,
                onChange: (ids) => chosen.field.onChange([...ids]),
                wholeBasket: wholeBasket.field.value,
                onWholeBasketChange: (whole) => {
                  wholeBasket.field.onChange(whole);
                  form.clearErrors('inputItemIds');
                },
                levels: files.levels,
                error: chosen.fieldState.error?.message ?? null,
              })}
              <InputModeField value={inputMode.field.value} onChange={inputMode.field.onChange} fileCount={launch.chosenIds.length} />
              {otherFileInputs.map((input) => (
                <Box key={input.id}>
                  {fileBinding({
                    input,
                    value: bindings.field.value[input.id] ?? '',
                    onChange: (itemId) => bindings.field.onChange({ ...bindings.field.value, [input.id]: itemId }),
                  })}
                </Box>
              ))}
            </Box>
          </LaunchStep>
        )}

        <LaunchStep
          n={step()}
          title="Resources"
          headingId={launch.headingIds.resources}
          description="What each job needs, prefilled with the workflow’s suggestion. The queues that can run such jobs are listed below."
        >
          <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: 'minmax(0, 1fr)' }}>
            <ResourcesFields
              value={resources.field.value}
              onChange={(field, text) => {
                form.clearErrors('root.resources');
                resources.field.onChange({ ...resources.field.value, [field]: text });
              }}
              errors={launch.resources.errors}
              base={workflow.resources}
              sites={sites}
            />
            {errors.root?.resources && (
              <Alert severity="error">
                <AlertTitle>The portal refused these resources</AlertTitle>
                {errors.root.resources.message}
              </Alert>
            )}
            {queueFit(launch.resources.requirement, launch.inputs)}
            {stageFirst &&
              launch.resources.requirement.sites?.length === 1 &&
              (launch.wholeBasket || launch.chosenIds.length > 0) &&
              stageFirst({
                site: launch.resources.requirement.sites[0]!,
                inputs: launch.inputs,
                checked: launch.stageFirst,
                onChange: launch.setStageFirst,
              })}
          </Box>
        </LaunchStep>

        <LaunchStep
          n={step()}
          title="Summary"
          description="The production’s name, and what the portal will submit: checked by the portal with everything above."
        >
          <Box sx={{ display: 'grid', gap: 2.5, gridTemplateColumns: 'minmax(0, 1fr)' }}>
            <TextInput
              label="Production name"
              value={name.field.value}
              onChange={name.field.onChange}
              inputRef={name.field.ref}
              error={name.fieldState.error !== undefined}
              helperText={
                name.fieldState.error?.message ??
                'Required. Letters, digits, spaces, “.”, “_” and “-”; it also names the JobGroup of the jobs.'
              }
              htmlInput={{ maxLength: 64, 'aria-required': true, autoComplete: 'off' }}
              sx={{ maxWidth: 560 }}
              fullWidth
            />
            <Box>
              <Button
                variant="outlined"
                startIcon={<RefreshIcon />}
                onClick={launch.updateSummary}
                loading={summary.updating && !submission.submitting}
                disabled={submission.submitting}
              >
                Update summary
              </Button>
            </Box>
            {summary.failure !== null && <ErrorAlert error={summary.failure} title="The summary could not be made" />}
            <LaunchSummary preview={summary.preview} stale={summary.stale} updating={summary.updating} />
          </Box>
        </LaunchStep>

        <LaunchStep
          n={step()}
          title="Submit"
          description="The summary is updated first; then the portal submits the jobs in the background and shows their progress."
        >
          <Box sx={{ display: 'grid', gap: 2 }}>
            <Box id={submission.alertId} tabIndex={-1} sx={{ display: 'grid', gap: 2, '&:focus': { outline: 'none' } }}>
              {submission.blocked.length > 0 && (
                <Alert severity="error">
                  <AlertTitle>Not submitted yet</AlertTitle>
                  <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
                    {submission.blocked.map((b) => (
                      <li key={b}>{b}</li>
                    ))}
                  </Box>
                </Alert>
              )}
              {submission.failure !== null && (
                <Box>
                  <ErrorAlert error={submission.failure} title="The launch was not submitted" />
                  <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
                    Everything you entered is kept. Fix what is marked, or press Submit again to retry: a retry of the same launch is never
                    submitted twice.
                  </Typography>
                </Box>
              )}
            </Box>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }}>
              <Button
                variant="contained"
                size="large"
                startIcon={<RocketLaunchIcon />}
                onClick={launch.submit}
                loading={submission.submitting}
                disabled={submission.submitting}
              >
                Submit
              </Button>
              <Button variant="outlined" size="large" onClick={() => void launch.schedule()} disabled={submission.submitting}>
                Schedule…
              </Button>
              <Typography variant="body2" color="text.secondary" role="status">
                {submission.submitting ? 'Submitting the launch…' : ''}
              </Typography>
            </Box>
          </Box>
        </LaunchStep>
      </Box>
      {launch.scheduling && scheduleDialog(launch.scheduling, launch.closeSchedule)}
    </>
  );
}
