import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useForm, useWatch, type FieldPath, type Resolver, type UseFormReturn } from 'react-hook-form';
import type { BoutiquesDescriptor } from '../../../contracts/workflows/descriptor.ts';
import { workflowRequestSchema, type FieldIssue, type WorkflowRequest } from '../../../contracts/workflows/rules.ts';
import {
  clearDraft,
  defaultDraft,
  draftJobCount,
  draftToBody,
  formSections,
  loadDraft,
  saveDraft,
  sweptIds,
  type WorkflowDraft,
} from '../schemas/workflow-draft.ts';

/**
 * The resolver of a workflow form: the draft becomes `{values, sweeps}` and is checked by
 * `workflowRequestSchema(descriptor)` (which uses `descriptorToZod`), the very schema the BFF
 * validates with. Issue paths (`values.NSHOW`, `sweeps.NSHOW.step`) are the form's field names.
 */
export function workflowResolver(d: BoutiquesDescriptor): Resolver<WorkflowDraft, unknown, WorkflowRequest> {
  const inner = zodResolver(workflowRequestSchema(d));
  return (draft, context, options) =>
    inner(draftToBody(d, draft), context, options as unknown as Parameters<typeof inner>[2]) as unknown as ReturnType<
      Resolver<WorkflowDraft, unknown, WorkflowRequest>
    >;
}

export type WorkflowFormController = {
  workflowId: string;
  descriptor: BoutiquesDescriptor;
  form: UseFormReturn<WorkflowDraft, unknown, WorkflowRequest>;
  /** Validate the whole form (and show its errors): the `{values, sweeps}` to launch, or null. */
  validate: () => Promise<WorkflowRequest | null>;
  /** Back to the descriptor's defaults; forgets the saved draft. */
  resetToDefaults: () => void;
  /** Put the BFF's field issues on the fields (see `placeServerIssues`); returns those that belong to no field. */
  placeIssues: (issues: readonly FieldIssue[]) => FieldIssue[];
  /** Call `onChange` after every change of a field; returns the unsubscribe function. */
  subscribe: (onChange: () => void) => () => void;
  /** What the fields hold now (a draft, valid or not). */
  snapshot: () => WorkflowDraft;
};

export type UseWorkflowFormOptions = {
  /** Start from this draft instead of the saved one (e.g. the values of an earlier launch, see `draftFromRequest`). */
  initial?: WorkflowDraft;
  /** Keep the draft in sessionStorage (default); off for a preview of a descriptor that is not in the catalogue. */
  persist?: boolean;
};

/**
 * A workflow's parameter form: react-hook-form with the descriptor's schema and the draft kept in
 * sessionStorage per workflow (it survives a reload or an interrupted session in this tab). The
 * launch page reuses it: `const wf = useWorkflowForm(id, d)`, `<WorkflowForm controller={wf} />`,
 * then `await wf.validate()`; `useWorkflowJobCount(wf)` follows the number of jobs.
 * Nothing here watches the whole form, so typing re-renders only the fields concerned.
 */
export function useWorkflowForm(
  workflowId: string,
  descriptor: BoutiquesDescriptor,
  options: UseWorkflowFormOptions = {},
): WorkflowFormController {
  const defaults = useMemo(() => defaultDraft(descriptor), [descriptor]);
  const resolver = useMemo(() => workflowResolver(descriptor), [descriptor]);
  const persist = options.persist ?? true;
  const [initial] = useState(() => options.initial ?? (persist ? loadDraft(workflowId, descriptor) : null) ?? defaults);
  const [seeded] = useState(() => options.initial !== undefined);
  const form = useForm<WorkflowDraft, unknown, WorkflowRequest>({
    resolver,
    defaultValues: initial,
    mode: 'onTouched',
    reValidateMode: 'onChange',
  });

  useEffect(() => {
    // A draft given by the caller (e.g. a relaunch) replaces the saved one, so a reload keeps it.
    if (seeded && persist) saveDraft(workflowId, descriptor, form.getValues());
  }, [seeded, persist, form, workflowId, descriptor]);

  useEffect(
    () =>
      persist
        ? form.subscribe({ formState: { values: true }, callback: ({ values }) => saveDraft(workflowId, descriptor, values) })
        : undefined,
    [persist, form, workflowId, descriptor],
  );

  const validate = useCallback(
    () =>
      new Promise<WorkflowRequest | null>((resolve) => {
        void form.handleSubmit(
          (request) => resolve(request),
          () => resolve(null),
        )();
      }),
    [form],
  );

  const resetToDefaults = useCallback(() => {
    form.reset(defaults);
    clearDraft(workflowId);
  }, [form, defaults, workflowId]);

  return useMemo(
    () => ({
      workflowId,
      descriptor,
      form,
      validate,
      resetToDefaults,
      placeIssues: (issues: readonly FieldIssue[]) => placeServerIssues({ form, descriptor }, issues),
      subscribe: (onChange: () => void) => form.subscribe({ formState: { values: true }, callback: onChange }),
      snapshot: () => form.getValues(),
    }),
    [workflowId, descriptor, form, validate, resetToDefaults],
  );
}

/** Combinations of the current sweeps (jobs per input-file set), or null while a sweep is incomplete. Re-renders on sweep changes only. */
export function useWorkflowJobCount({ form, descriptor }: Pick<WorkflowFormController, 'form' | 'descriptor'>): number | null {
  const sweeps = useWatch({ control: form.control, name: 'sweeps' });
  return useMemo(() => draftJobCount(descriptor, { values: {}, sweeps: sweeps ?? {} }), [descriptor, sweeps]);
}

/**
 * Put the BFF's field issues (`values.<id>`, `sweeps.<id>[.start|.step|.end|.values]`) on the form's
 * fields and focus the first one in the order the form shows them. Returns the issues that belong
 * to no field of this form (the caller shows them elsewhere). Used by Validate and by the launch page.
 */
export function placeServerIssues(
  { form, descriptor: d }: Pick<WorkflowFormController, 'form' | 'descriptor'>,
  issues: readonly FieldIssue[],
): FieldIssue[] {
  const swept = sweptIds(d, form.getValues());
  const fieldNames = new Set<string>([
    ...d.inputs.filter((i) => i.type !== 'File').map((i) => `values.${i.id}`),
    ...swept.flatMap((id) => [`sweeps.${id}`, `sweeps.${id}.values`, `sweeps.${id}.start`, `sweeps.${id}.step`, `sweeps.${id}.end`]),
  ]);
  const order = formSections(d).flatMap((section) => section.inputs.map((i) => i.id));
  const rank = (path: string) => order.indexOf(path.split('.')[1] ?? '');
  const placed = issues.filter((i) => fieldNames.has(i.path)).sort((a, b) => rank(a.path) - rank(b.path));
  const focusable = placed.find((i) => !/^sweeps\.[^.]+$/.test(i.path));
  for (const issue of placed)
    form.setError(issue.path as FieldPath<WorkflowDraft>, { type: 'server', message: issue.message }, { shouldFocus: issue === focusable });
  return issues.filter((i) => !fieldNames.has(i.path));
}
