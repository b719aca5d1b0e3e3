import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useForm, useWatch, type Resolver } from 'react-hook-form';
import type { Draft, DraftContent } from '../../../contracts/drafts.ts';
import type { Launch, LaunchInputs, LaunchPreview } from '../../../contracts/launches.ts';
import type { WorkflowDetail } from '../../../contracts/workflows/catalogue.ts';
import type { FieldIssue, WorkflowRequest } from '../../../contracts/workflows/rules.ts';
import { ApiError } from '../../../shared/lib/api-client.ts';
import { useCreateLaunch, usePreviewLaunch } from '../api/launch-mutations.ts';
import {
  fileInputOf,
  initialSettings,
  launchSettingsSchema,
  stageAtOf,
  type LaunchBody,
  type LaunchSettingsRequest,
} from '../schemas/launch-form.ts';
import {
  checkResources,
  clearLaunchSettings,
  issueSection,
  saveLaunchSettings,
  type LaunchSettings,
  type Relaunch,
} from '../schemas/launch-settings.ts';
import { normalizeIssuePath } from '../schemas/launch-text.ts';
import { useAttemptKey } from './use-attempt-key.ts';

/**
 * The parameter part of a launch, as the launch form needs it. The workflows feature's form
 * controller (`useWorkflowForm`) is one; the page hands it over (features do not import each other).
 */
export type LaunchParameters = {
  /** Validate every parameter (the fields show what is wrong): `{values, sweeps}`, or null. */
  validate: () => Promise<WorkflowRequest | null>;
  /** Put the BFF's issues about `values.*`/`sweeps.*` on the fields; returns those that fit no field. */
  placeIssues: (issues: readonly FieldIssue[]) => FieldIssue[];
  /** Call `onChange` after every change of a parameter; returns the unsubscribe function. */
  subscribe: (onChange: () => void) => () => void;
  /** The fields' state now, for a draft. */
  snapshot: () => unknown;
};

type Stage = 'summary' | 'submit';

export type UseLaunchFormOptions = {
  workflow: WorkflowDetail;
  parameters: LaunchParameters;
  /** An earlier launch to start from (router state), or a draft the user opened. */
  relaunch: Relaunch | null;
  opened: Draft | null;
  /** The launch was created: the page refreshes lists and shows its progress. */
  onLaunched: (launch: Launch) => void;
};

/**
 * The launch form's state and actions: the settings (react-hook-form + `launchSettingsSchema`,
 * kept in sessionStorage for this tab), the summary from `POST /launches/preview`, and Submit
 * (`POST /launches`, one idempotency key per attempt). Each check puts its message where it
 * belongs (parameters, input data, resources, name) and focuses the first section concerned.
 */
export function useLaunchForm({ workflow, parameters, relaunch, opened, onLaunched }: UseLaunchFormOptions) {
  const files = fileInputOf(workflow);
  const [defaultValues] = useState(() => initialSettings(workflow, relaunch, opened));
  const resolver = useMemo<Resolver<LaunchSettings, unknown, LaunchSettingsRequest>>(
    () => zodResolver(launchSettingsSchema(workflow)),
    [workflow],
  );
  const form = useForm<LaunchSettings, unknown, LaunchSettingsRequest>({
    defaultValues,
    resolver,
    // Messages appear after the first Update summary / Submit, then follow each change.
    mode: 'onSubmit',
    reValidateMode: 'onChange',
    // The first section that needs attention is focused below (the parameters focus their own field).
    shouldFocusError: false,
  });

  // This tab keeps the settings across a reload (a relaunch or an opened draft included, from the start).
  useEffect(() => {
    saveLaunchSettings(workflow.id, form.getValues());
    return form.subscribe({ formState: { values: true }, callback: ({ values }) => saveLaunchSettings(workflow.id, values) });
  }, [form, workflow.id]);

  const [chosen, inputBasket, inputMode, resourcesDraft, name, stageFirst, fileBindings] = useWatch({
    control: form.control,
    name: ['inputItemIds', 'inputBasket', 'inputMode', 'resources', 'name', 'stageFirst', 'fileBindings'],
  });
  const chosenIds = useMemo(() => (files && !inputBasket ? chosen : []), [files, inputBasket, chosen]);
  const inputs = useMemo<LaunchInputs>(
    () => (files && inputBasket ? { basket: inputBasket } : { itemIds: chosenIds }),
    [files, inputBasket, chosenIds],
  );
  const resources = useMemo(() => checkResources(resourcesDraft, workflow.resources), [resourcesDraft, workflow.resources]);

  // The summary shown, and whether anything changed since (any parameter change counts: one re-render, not one per keystroke).
  const stageAt = stageAtOf(stageFirst, resources.requirement);
  const fingerprint = JSON.stringify({
    ids: chosenIds,
    basket: inputBasket,
    mode: inputMode,
    req: resources.requirement,
    name,
    stageAt,
    bound: fileBindings,
  });
  const [shown, setShown] = useState<{ preview: LaunchPreview; fingerprint: string } | null>(null);
  const [paramsChanged, setParamsChanged] = useState(false);
  useEffect(() => parameters.subscribe(() => setParamsChanged(true)), [parameters]);

  const [failure, setFailure] = useState<{ error: unknown; stage: Stage } | null>(null);
  const [blocked, setBlocked] = useState<string[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const [scheduling, setScheduling] = useState<LaunchBody | null>(null);
  const busy = useRef(false);
  const inputsHeadingId = useId();
  const resourcesHeadingId = useId();
  const submitAlertId = useId();
  const previewMutation = usePreviewLaunch();
  const createMutation = useCreateLaunch();
  const attempt = useAttemptKey();

  const focusHeading = (id: string) => document.getElementById(id)?.focus();
  const validateSettings = () =>
    new Promise<LaunchSettingsRequest | null>((resolve) => {
      void form.handleSubmit(resolve, () => resolve(null))();
    });

  /** Check every section; the request body, or null (each section shows what is wrong; Submit also lists it). */
  const buildBody = async (stage: Stage): Promise<LaunchBody | null> => {
    const request = await parameters.validate();
    const settings = await validateSettings();
    const invalid = (field: 'inputItemIds' | 'resources' | 'name') => form.getFieldState(field).invalid;
    const problems: string[] = [];
    if (!request) problems.push('Some parameters need attention (section 1).');
    if (invalid('inputItemIds')) problems.push('Choose the input files in “Input data”.');
    if (invalid('resources')) problems.push('Some resources are out of bounds (see “Resources”).');
    if (invalid('name')) problems.push(`Production name: ${form.getFieldState('name').error?.message ?? 'invalid'}.`);
    setBlocked(stage === 'submit' ? problems : []);
    if (!request || !settings) {
      // The parameter form focuses its first invalid field itself; otherwise go to the first section that needs attention.
      if (request) {
        if (invalid('inputItemIds')) focusHeading(inputsHeadingId);
        else if (invalid('resources')) focusHeading(resourcesHeadingId);
        else if (invalid('name')) form.setFocus('name');
      }
      return null;
    }
    // The version shown is the one launched (a version disabled meanwhile is refused, naming workflowVersion); a relaunch
    // shown with its own descriptor pins it by hash (it keeps working if that version is disabled or removed meanwhile).
    const pinned = relaunch?.descriptorSha256 !== undefined && relaunch.descriptorSha256 === workflow.sha256;
    return {
      workflowId: workflow.id,
      workflowVersion: workflow.catalogueVersion,
      ...(pinned ? { descriptorSha256: relaunch.descriptorSha256 } : {}),
      values: request.values,
      sweeps: request.sweeps,
      ...settings,
    };
  };

  /** Put a BFF refusal where it belongs: values.* on the parameters, inputItemIds on the input data, name on its field. */
  const showFailure = (error: unknown, stage: Stage) => {
    setFailure({ error, stage });
    let focused = false;
    if (error instanceof ApiError && error.issues && error.issues.length > 0) {
      const issues = error.issues.map((i) => ({ path: normalizeIssuePath(i.path), message: i.message }));
      const of = (section: ReturnType<typeof issueSection>) => issues.filter((i) => issueSection(i.path) === section);
      const params = of('parameters');
      if (params.length > 0) focused = parameters.placeIssues(params).length < params.length;
      const inputs = of('inputs');
      if (inputs.length > 0) {
        form.setError('inputItemIds', { type: 'server', message: `${error.message}${inputs.map((i) => ` (${i.message})`).join('')}` });
        if (!focused) focusHeading(inputsHeadingId);
        focused = true;
      }
      const [nameIssue] = of('name');
      if (nameIssue) {
        form.setError('name', { type: 'server', message: nameIssue.message });
        if (!focused) form.setFocus('name');
        focused = true;
      }
      const res = of('resources');
      if (res.length > 0) {
        form.setError('root.resources', { type: 'server', message: res.map((i) => `${i.path}: ${i.message}`).join('; ') });
        if (!focused) focusHeading(resourcesHeadingId);
        focused = true;
      }
    }
    // Otherwise the refusal is read out where it is shown (an alert); after Submit, focus goes there too.
    if (!focused && stage === 'submit') requestAnimationFrame(() => document.getElementById(submitAlertId)?.focus());
  };

  const preview = async (body: LaunchBody, stage: Stage): Promise<boolean> => {
    const made = fingerprint;
    setParamsChanged(false);
    try {
      const result = await previewMutation.mutateAsync({ idempotencyKey: attempt.keyFor(body), ...body });
      setShown({ preview: result, fingerprint: made });
      return true;
    } catch (err) {
      showFailure(err, stage);
      return false;
    }
  };

  const run = async (stage: Stage) => {
    if (busy.current) return;
    busy.current = true;
    setFailure(null);
    if (stage === 'submit') setSubmitting(true);
    try {
      const body = await buildBody(stage);
      if (!body || !(await preview(body, stage)) || stage === 'summary') return;
      try {
        const { launch } = await createMutation.mutateAsync({ idempotencyKey: attempt.keyFor(body), ...body });
        attempt.succeeded();
        clearLaunchSettings(workflow.id);
        onLaunched(launch);
      } catch (err) {
        showFailure(err, 'submit');
      }
    } finally {
      busy.current = false;
      setSubmitting(false);
    }
  };

  return {
    workflow,
    form,
    /** The input-file parameter, or null for a workflow that reads no files. */
    files,
    /** The chosen items (none while the whole basket is chosen: `wholeBasket`). */
    chosenIds,
    /** The whole basket (of some levels) is the input, read by the BFF; null when items are chosen. */
    wholeBasket: files ? inputBasket : null,
    /** What the jobs read, for the locality panels: the chosen items, or the whole basket of the workflow's levels. */
    inputs,
    /** The resources as typed → the requirement (for the queue panel) and the out-of-bounds fields. */
    resources,
    /** "Stage first" chosen (it applies only while one site is pinned); kept in drafts and relaunched. */
    stageFirst,
    setStageFirst: (checked: boolean) => form.setValue('stageFirst', checked, { shouldDirty: true }),
    summary: {
      preview: shown?.preview ?? null,
      stale: shown !== null && (paramsChanged || shown.fingerprint !== fingerprint),
      updating: previewMutation.isPending,
      failure: failure?.stage === 'summary' ? failure.error : null,
    },
    submission: { submitting, blocked, failure: failure?.stage === 'submit' ? failure.error : null, alertId: submitAlertId },
    headingIds: { inputs: inputsHeadingId, resources: resourcesHeadingId },
    updateSummary: () => void run('summary'),
    submit: () => void run('submit'),
    /** "Schedule…": the same checks as Submit, then the schedule dialog with this launch. */
    scheduling,
    schedule: async () => setScheduling(await buildBody('submit')),
    closeSchedule: () => setScheduling(null),
    /** The page as a draft (the parameter fields' state is plain JSON). */
    snapshot: (): DraftContent => ({ form: parameters.snapshot() as DraftContent['form'], settings: form.getValues() }),
  };
}

export type LaunchFormController = ReturnType<typeof useLaunchForm>;
