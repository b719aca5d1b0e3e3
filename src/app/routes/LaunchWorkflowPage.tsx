import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { BlockSkeleton } from '../../shared/ui/BlockSkeleton.tsx';
import RefreshIcon from '@mui/icons-material/Refresh';
import RocketLaunchIcon from '@mui/icons-material/RocketLaunch';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import type { Draft, DraftContent } from '../../contracts/drafts.ts';
import type { LaunchPreview } from '../../contracts/launches.ts';
import type { WorkflowDetail } from '../../contracts/workflows/catalogue.ts';
import type { FieldIssue } from '../../contracts/workflows/rules.ts';
import { basketQueries } from '../../features/datasets/api/basket-queries.ts';
import { BasketPicker } from '../../features/datasets/components/BasketPicker.tsx';
import { JdlBlock } from '../../shared/ui/JdlBlock.tsx';
import { useCreateLaunch, usePreviewLaunch } from '../../features/launches/api/launch-mutations.ts';
import { InputModeField } from '../../features/launches/components/InputModeField.tsx';
import { DraftsBar, type CurrentDraft } from '../../features/launches/components/DraftsBar.tsx';
import { LaunchStep, StepTitle } from '../../features/launches/components/LaunchStep.tsx';
import { LaunchSummary } from '../../features/launches/components/LaunchSummary.tsx';
import { ResourcesFields } from '../../features/launches/components/ResourcesFields.tsx';
import { useAttemptKey } from '../../features/launches/hooks/use-attempt-key.ts';
import {
  checkResources,
  clearLaunchSettings,
  defaultLaunchName,
  defaultResources,
  issueSection,
  LaunchSettingsSchema,
  loadLaunchSettings,
  nameError,
  normalizeIssuePath,
  readRelaunchState,
  resourcesFromRequirement,
  saveLaunchSettings,
  type LaunchBody,
  type LaunchSettings,
  type Relaunch,
  type ResourceField,
} from '../../features/launches/schemas/launch-settings.ts';
import { productionQueries } from '../../features/productions/api/production-queries.ts';
import { resourceQueries } from '../../features/resources/api/resource-queries.ts';
import { QueueFitPanel } from '../../features/resources/components/QueueFitPanel.tsx';
import { ScheduleDialog } from '../../features/schedules/components/ScheduleDialog.tsx';
import { workflowQueries } from '../../features/workflows/api/workflow-queries.ts';
import { WorkflowForm } from '../../features/workflows/components/WorkflowForm.tsx';
import { placeServerIssues, useWorkflowForm } from '../../features/workflows/hooks/use-workflow-form.ts';
import { draftFromRequest, WorkflowDraftSchema } from '../../features/workflows/schemas/workflow-draft.ts';
import { ApiError } from '../../shared/lib/api-client.ts';
import { paths } from '../../shared/lib/paths.ts';
import { isNotFound } from '../../shared/ui/api-error.ts';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { TextInput } from '../../shared/ui/fields.tsx';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';

/**
 * `/workflows/:workflowId/launch`: one page, numbered sections, nothing lost between them.
 *   1. Parameters — the workflow's generated form (its draft is shared with the workflow page);
 *   2. Input data — basket items and how they bind to jobs (only for workflows that read files);
 *   3. Resources — what each job needs, with the queues that fit;
 *   4. Summary — production name and `POST /launches/preview`;
 *   5. Submit — `POST /launches` with one idempotency key per attempt, then the progress page.
 * The launch page composes the workflows, datasets, resources, jobs and launches features.
 */
export function LaunchWorkflowPage() {
  const { workflowId = '' } = useParams();
  const location = useLocation();
  const { data, error, isPending, refetch } = useQuery(workflowQueries.detail(workflowId));
  // A draft opened from the portal: the form starts again from it (a new key remounts it).
  const [opened, setOpened] = useState<{ draft: Draft; n: number } | null>(null);
  const [currentDraft, setCurrentDraft] = useState<CurrentDraft | null>(null);
  const back = (
    <Button href={paths.workflows.detail.getHref(workflowId)} startIcon={<ArrowBackIcon />}>
      Back to the workflow
    </Button>
  );

  if (isPending) {
    return (
      <>
        <PageHeader title="Launch" actions={back} />
        <BlockSkeleton label="Loading the workflow…" />
      </>
    );
  }
  if (isNotFound(error)) {
    return (
      <>
        <PageHeader title="Workflow not found" actions={<Button href={paths.workflows.getHref()}>All workflows</Button>} />
        <Alert severity="warning">
          <AlertTitle>There is no workflow “{workflowId}”</AlertTitle>
          It may have been removed from the catalogue. Choose one from the list of workflows.
        </Alert>
      </>
    );
  }
  if (error && !data) {
    return (
      <>
        <PageHeader title="Launch" actions={back} />
        <ErrorAlert error={error} onRetry={() => void refetch()} />
      </>
    );
  }
  const drafts: DraftsState = {
    current: currentDraft,
    setCurrent: setCurrentDraft,
    open: (draft) => {
      setOpened((o) => ({ draft, n: (o?.n ?? 0) + 1 }));
      setCurrentDraft({ id: draft.id, name: draft.name });
    },
  };
  return (
    <LaunchForm
      key={`${data.id}:${opened?.n ?? 0}`}
      workflow={data}
      relaunch={opened ? null : readRelaunchState(location.state, data.id)}
      opened={opened?.draft.workflowId === data.id ? opened.draft : null}
      drafts={drafts}
      back={back}
    />
  );
}

type DraftsState = { current: CurrentDraft | null; setCurrent: (d: CurrentDraft | null) => void; open: (d: Draft) => void };

function initialSettings(workflow: WorkflowDetail, relaunch: Relaunch | null, opened: Draft | null): LaunchSettings {
  const fileMode = workflow.inputMode === 'all-in-one' ? 'all-in-one' : 'per-file';
  const fromDraft = opened ? LaunchSettingsSchema.safeParse(opened.content.settings) : null;
  if (fromDraft?.success) return fromDraft.data;
  if (relaunch) {
    return {
      inputItemIds: relaunch.inputItemIds,
      inputMode: relaunch.inputMode === 'none' ? fileMode : relaunch.inputMode,
      resources: resourcesFromRequirement(relaunch.resources, workflow.resources),
      name: relaunch.name,
    };
  }
  return (
    loadLaunchSettings(workflow.id) ?? {
      inputItemIds: [],
      inputMode: fileMode,
      resources: defaultResources(workflow.resources),
      name: defaultLaunchName(workflow.name),
    }
  );
}

type ShownPreview = { preview: LaunchPreview; settings: string };

function LaunchForm({
  workflow,
  relaunch,
  opened,
  drafts,
  back,
}: {
  workflow: WorkflowDetail;
  relaunch: Relaunch | null;
  opened: Draft | null;
  drafts: DraftsState;
  back: ReactNode;
}) {
  const d = workflow.descriptor;
  const navigate = useNavigate();
  const location = useLocation();
  const inputsHeadingId = useId();
  const resourcesHeadingId = useId();
  const nameRef = useRef<HTMLInputElement>(null);
  const submitAlertRef = useRef<HTMLDivElement>(null);

  // A relaunch prefills the form and the settings once; then it is dropped from history, so a reload keeps later edits.
  const [initialDraft] = useState(() =>
    relaunch ? draftFromRequest(d, relaunch) : opened ? WorkflowDraftSchema.safeParse(opened.content.form).data : undefined,
  );
  const [fromRelaunch] = useState(relaunch !== null);
  const controller = useWorkflowForm(workflow.id, d, { initial: initialDraft });
  const [settings, setSettings] = useState<LaunchSettings>(() => initialSettings(workflow, relaunch, opened));
  useEffect(() => {
    if (relaunch) void navigate(location.pathname, { replace: true, state: null });
    // Only on arrival: the prefill is already in state, and later renders must not navigate again.
  }, []);
  useEffect(() => saveLaunchSettings(workflow.id, settings), [workflow.id, settings]);

  const fileInput = d.inputs.find((i) => i.type === 'File') ?? null;
  const hasFiles = workflow.hasFileInput && fileInput !== null;
  const levels = fileInput ? (d.custom?.['escape:input-data-levels']?.[fileInput.id] ?? null) : null;

  // Input data: only items still in the basket count.
  const basket = useQuery({ ...basketQueries.current(), enabled: hasFiles });
  const selected = useMemo(() => new Set(settings.inputItemIds), [settings.inputItemIds]);
  const liveIds = useMemo(() => {
    if (!basket.data) return settings.inputItemIds;
    return basket.data.items.filter((i) => selected.has(i.id)).map((i) => i.id);
  }, [basket.data, selected, settings.inputItemIds]);

  // Resources.
  const resources = useMemo(() => checkResources(settings.resources, workflow.resources), [settings.resources, workflow.resources]);
  const catalogue = useQuery(resourceQueries.catalogue());
  const siteOptions = useMemo(() => {
    const options = (catalogue.data?.sites ?? []).map((s) => {
      const state =
        s.status?.state === 'banned'
          ? ` (banned: ${s.status.reason ?? 'no reason given'})`
          : s.status?.state === 'degraded'
            ? ' (degraded)'
            : '';
      return { value: s.name, label: `${s.name}${state}` };
    });
    if (settings.resources.site && !options.some((o) => o.value === settings.resources.site))
      options.push({ value: settings.resources.site, label: settings.resources.site });
    return options;
  }, [catalogue.data, settings.resources.site]);

  // Problems to show, by section.
  const [inputError, setInputError] = useState<string | null>(null);
  const [nameServerError, setNameServerError] = useState<string | null>(null);
  const [resourceIssues, setResourceIssues] = useState<FieldIssue[]>([]);
  const [nameTouched, setNameTouched] = useState(false);
  const [blocked, setBlocked] = useState<string[]>([]);
  const [failure, setFailure] = useState<{ error: unknown; stage: 'summary' | 'submit' } | null>(null);

  const previewMutation = usePreviewLaunch();
  const createMutation = useCreateLaunch();
  const queryClient = useQueryClient();
  const attempt = useAttemptKey();
  const [shown, setShown] = useState<ShownPreview | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const busy = useRef(false);

  // Any parameter change makes the summary out of date (one re-render, not one per keystroke).
  const [paramsChanged, setParamsChanged] = useState(false);
  useEffect(() => {
    const subscription = controller.form.watch(() => setParamsChanged(true));
    return () => subscription.unsubscribe();
  }, [controller.form]);

  const settingsFingerprint = JSON.stringify({
    ids: hasFiles ? liveIds : [],
    mode: settings.inputMode,
    req: resources.requirement,
    name: settings.name,
  });
  const stale = shown !== null && (paramsChanged || shown.settings !== settingsFingerprint);
  const localNameError = nameError(settings.name);
  const shownNameError = nameServerError ?? (nameTouched ? localNameError : null);

  const update = (patch: Partial<LaunchSettings>) => setSettings((s) => ({ ...s, ...patch }));
  const setResource = (field: ResourceField, text: string) => {
    setResourceIssues([]);
    setSettings((s) => ({ ...s, resources: { ...s.resources, [field]: text } }));
  };
  const focusHeading = (id: string) => document.getElementById(id)?.focus();

  /** Check every section; the request body, or null (each section shows what is wrong; Submit also lists it). */
  const buildBody = async (stage: 'summary' | 'submit'): Promise<LaunchBody | null> => {
    const problems: string[] = [];
    const request = await controller.validate();
    if (!request) problems.push('Some parameters need attention (section 1).');
    let inputsMissing = false;
    if (hasFiles && liveIds.length === 0) {
      inputsMissing = true;
      setInputError(`Choose at least one basket item for “${fileInput?.name ?? 'the input files'}”: this workflow reads input files.`);
      problems.push('Choose the input files in “Input data”.');
    }
    const resourcesBad = Object.keys(resources.errors).length > 0;
    if (resourcesBad) problems.push('Some resources are out of bounds (see “Resources”).');
    setNameTouched(true);
    if (localNameError) problems.push(`Production name: ${localNameError}.`);
    setBlocked(stage === 'submit' ? problems : []);
    if (!request || problems.length > 0) {
      // The form focuses its first invalid field itself; otherwise go to the first section that needs attention.
      if (request) {
        if (inputsMissing) focusHeading(inputsHeadingId);
        else if (resourcesBad) focusHeading(resourcesHeadingId);
        else if (localNameError) nameRef.current?.focus();
      }
      return null;
    }
    return {
      name: settings.name,
      workflowId: workflow.id,
      values: request.values,
      sweeps: request.sweeps,
      inputItemIds: hasFiles ? liveIds : [],
      inputMode: hasFiles ? settings.inputMode : 'none',
      resources: resources.requirement,
    };
  };

  /** Put a BFF refusal where it belongs: values.* on the form's fields, inputItemIds on the input data, name on its field. */
  const showFailure = (error: unknown, stage: 'summary' | 'submit') => {
    setFailure({ error, stage });
    let focused = false;
    if (error instanceof ApiError && error.issues && error.issues.length > 0) {
      const issues = error.issues.map((i) => ({ path: normalizeIssuePath(i.path), message: i.message }));
      const params = issues.filter((i) => issueSection(i.path) === 'parameters');
      if (params.length > 0) {
        const unplaced = placeServerIssues(controller, params);
        focused = unplaced.length < params.length;
      }
      const inputs = issues.filter((i) => issueSection(i.path) === 'inputs');
      if (inputs.length > 0) {
        setInputError(`${error.message}${inputs.map((i) => ` (${i.message})`).join('')}`);
        if (!focused) focusHeading(inputsHeadingId);
        focused = true;
      }
      const name = issues.find((i) => issueSection(i.path) === 'name');
      if (name) {
        setNameServerError(name.message);
        if (!focused) nameRef.current?.focus();
        focused = true;
      }
      const res = issues.filter((i) => issueSection(i.path) === 'resources');
      setResourceIssues(res);
      if (res.length > 0 && !focused) {
        focusHeading(resourcesHeadingId);
        focused = true;
      }
    }
    // Otherwise the refusal is read out where it is shown (an alert); after Submit, focus goes there too.
    if (!focused && stage === 'submit') requestAnimationFrame(() => submitAlertRef.current?.focus());
  };

  const preview = async (body: LaunchBody, stage: 'summary' | 'submit'): Promise<boolean> => {
    const fingerprint = settingsFingerprint;
    setParamsChanged(false);
    try {
      const result = await previewMutation.mutateAsync({ idempotencyKey: attempt.keyFor(body), ...body });
      setShown({ preview: result, settings: fingerprint });
      return true;
    } catch (err) {
      showFailure(err, stage);
      return false;
    }
  };

  const run = async (stage: 'summary' | 'submit') => {
    if (busy.current) return;
    busy.current = true;
    setFailure(null);
    setNameServerError(null);
    if (stage === 'submit') setSubmitting(true);
    try {
      const body = await buildBody(stage);
      if (!body) return;
      if (!(await preview(body, stage)) || stage === 'summary') return;
      try {
        const launch = await createMutation.mutateAsync({ idempotencyKey: attempt.keyFor(body), ...body });
        attempt.succeeded();
        clearLaunchSettings(workflow.id);
        void queryClient.invalidateQueries({ queryKey: productionQueries.lists() });
        void navigate(paths.productions.detail.getHref(launch.id));
      } catch (err) {
        showFailure(err, 'submit');
      }
    } finally {
      busy.current = false;
      setSubmitting(false);
    }
  };

  let n = 0;
  const next = () => ++n;
  const parametersStep = next();
  const inputsStep = hasFiles ? next() : 0;
  const resourcesStep = next();
  const summaryStep = next();
  const submitStep = next();

  // "Schedule…": the same checks as Submit, then the schedule dialog with this launch.
  const [scheduling, setScheduling] = useState<LaunchBody | null>(null);
  const openSchedule = async () => setScheduling(await buildBody('submit'));

  const summaryFailure = failure?.stage === 'summary' ? failure.error : null;
  const submitFailure = failure?.stage === 'submit' ? failure.error : null;

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
        current={drafts.current}
        snapshot={(): DraftContent => ({ form: controller.form.getValues() as DraftContent['form'], settings })}
        defaultName={settings.name}
        onSaved={drafts.setCurrent}
        onOpen={drafts.open}
        onDeleted={(id) => drafts.current?.id === id && drafts.setCurrent(null)}
      />
      {opened && (
        <Alert severity="info" sx={{ mb: 2 }}>
          Opened the draft “{opened.name}”. Change what you need, then save it again or submit.
        </Alert>
      )}
      {fromRelaunch && (
        <Alert severity="info" sx={{ mb: 2 }}>
          Filled in from an earlier launch. Change what you need, then submit.
        </Alert>
      )}
      <Box sx={{ display: 'grid', gap: 3 }}>
        <Paper variant="outlined" sx={{ p: { xs: 2, md: 3 } }}>
          <WorkflowForm
            controller={controller}
            heading={<StepTitle n={parametersStep}>Parameters</StepTitle>}
            jobCountWording="parameters"
          />
        </Paper>

        {hasFiles && fileInput && (
          <LaunchStep
            n={inputsStep}
            title="Input data"
            headingId={inputsHeadingId}
            description={`“${fileInput.name}”${levels ? ` (${levels.join(', ')})` : ''}: choose the basket items the jobs read.`}
          >
            <Box sx={{ display: 'grid', gap: 2.5 }}>
              <BasketPicker
                selected={selected}
                onChange={(ids) => {
                  update({ inputItemIds: [...ids] });
                  if (ids.size > 0) setInputError(null);
                }}
                levels={levels}
                error={inputError}
                tableLabel="Basket items for this launch"
              />
              <InputModeField value={settings.inputMode} onChange={(inputMode) => update({ inputMode })} fileCount={liveIds.length} />
            </Box>
          </LaunchStep>
        )}

        <LaunchStep
          n={resourcesStep}
          title="Resources"
          headingId={resourcesHeadingId}
          description="What each job needs, prefilled with the workflow’s suggestion. The queues that can run such jobs are listed below."
        >
          <Box sx={{ display: 'grid', gap: 3 }}>
            <ResourcesFields
              value={settings.resources}
              onChange={setResource}
              errors={resources.errors}
              base={workflow.resources}
              sites={siteOptions}
            />
            {resourceIssues.length > 0 && (
              <Alert severity="error">
                <AlertTitle>The portal refused these resources</AlertTitle>
                {resourceIssues.map((i) => `${i.path}: ${i.message}`).join('; ')}
              </Alert>
            )}
            <QueueFitPanel requirement={resources.requirement} />
          </Box>
        </LaunchStep>

        <LaunchStep
          n={summaryStep}
          title="Summary"
          description="The production’s name, and what the portal will submit: checked by the portal with everything above."
        >
          <Box sx={{ display: 'grid', gap: 2.5 }}>
            <TextInput
              label="Production name"
              value={settings.name}
              onChange={(name) => {
                setNameServerError(null);
                update({ name });
              }}
              inputRef={nameRef}
              error={shownNameError !== null}
              helperText={shownNameError ?? 'Required. Letters, digits, spaces, “.”, “_” and “-”; it also names the JobGroup of the jobs.'}
              htmlInput={{ maxLength: 64, 'aria-required': true, autoComplete: 'off' }}
              sx={{ maxWidth: 560 }}
              fullWidth
            />
            <Box>
              <Button
                variant="outlined"
                startIcon={<RefreshIcon />}
                onClick={() => void run('summary')}
                loading={previewMutation.isPending && !submitting}
                disabled={submitting}
              >
                Update summary
              </Button>
            </Box>
            {summaryFailure !== null && <ErrorAlert error={summaryFailure} title="The summary could not be made" />}
            <LaunchSummary
              preview={shown?.preview ?? null}
              stale={stale}
              updating={previewMutation.isPending}
              renderJdl={(jdl, labelledBy) => <JdlBlock jdl={jdl} labelledBy={labelledBy} />}
            />
          </Box>
        </LaunchStep>

        <LaunchStep
          n={submitStep}
          title="Submit"
          description="The summary is updated first; then the portal submits the jobs in the background and shows their progress."
        >
          <Box sx={{ display: 'grid', gap: 2 }}>
            <Box ref={submitAlertRef} tabIndex={-1} sx={{ display: 'grid', gap: 2, '&:focus': { outline: 'none' } }}>
              {blocked.length > 0 && (
                <Alert severity="error">
                  <AlertTitle>Not submitted yet</AlertTitle>
                  <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
                    {blocked.map((b) => (
                      <li key={b}>{b}</li>
                    ))}
                  </Box>
                </Alert>
              )}
              {submitFailure !== null && (
                <Box>
                  <ErrorAlert error={submitFailure} title="The launch was not submitted" />
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
                onClick={() => void run('submit')}
                loading={submitting}
                disabled={submitting}
              >
                Submit
              </Button>
              <Button variant="outlined" size="large" onClick={() => void openSchedule()} disabled={submitting}>
                Schedule…
              </Button>
              <Typography variant="body2" color="text.secondary" role="status">
                {submitting ? 'Submitting the launch…' : ''}
              </Typography>
            </Box>
          </Box>
        </LaunchStep>
      </Box>
      {scheduling && <ScheduleDialog mode={{ kind: 'create', launch: scheduling }} onClose={() => setScheduling(null)} />}
    </>
  );
}
