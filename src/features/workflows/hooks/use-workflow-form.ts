import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useForm, useWatch, type Resolver, type UseFormReturn } from 'react-hook-form';
import { workflowRequestSchema, type BoutiquesDescriptor, type WorkflowRequest } from '../../../contracts/workflows.ts';
import { clearDraft, defaultDraft, draftJobCount, draftToBody, loadDraft, saveDraft, type WorkflowDraft } from '../schemas/workflow-draft.ts';

/**
 * The resolver of a workflow form: the draft becomes `{values, sweeps}` and is checked by
 * `workflowRequestSchema(descriptor)` (which uses `descriptorToZod`), the very schema the BFF
 * validates with. Issue paths (`values.NSHOW`, `sweeps.NSHOW.step`) are the form's field names.
 */
export function workflowResolver(d: BoutiquesDescriptor): Resolver<WorkflowDraft, unknown, WorkflowRequest> {
  const inner = zodResolver(workflowRequestSchema(d));
  return (draft, context, options) =>
    inner(draftToBody(d, draft), context, options as unknown as Parameters<typeof inner>[2]) as unknown as ReturnType<Resolver<WorkflowDraft, unknown, WorkflowRequest>>;
}

export type WorkflowFormController = {
  workflowId: string;
  descriptor: BoutiquesDescriptor;
  form: UseFormReturn<WorkflowDraft, unknown, WorkflowRequest>;
  /** Validate the whole form (and show its errors): the `{values, sweeps}` to launch, or null. */
  validate: () => Promise<WorkflowRequest | null>;
  /** Back to the descriptor's defaults; forgets the saved draft. */
  resetToDefaults: () => void;
};

/**
 * A workflow's parameter form: react-hook-form with the descriptor's schema and the draft kept in
 * sessionStorage per workflow (it survives a reload or an interrupted session in this tab). The
 * launch page reuses it: `const wf = useWorkflowForm(id, d)`, `<WorkflowForm controller={wf} />`,
 * then `await wf.validate()`; `useWorkflowJobCount(wf)` follows the number of jobs.
 * Nothing here watches the whole form, so typing re-renders only the fields concerned.
 */
export function useWorkflowForm(workflowId: string, descriptor: BoutiquesDescriptor): WorkflowFormController {
  const defaults = useMemo(() => defaultDraft(descriptor), [descriptor]);
  const resolver = useMemo(() => workflowResolver(descriptor), [descriptor]);
  const [initial] = useState(() => loadDraft(workflowId, descriptor) ?? defaults);
  const form = useForm<WorkflowDraft, unknown, WorkflowRequest>({
    resolver,
    defaultValues: initial,
    mode: 'onTouched',
    reValidateMode: 'onChange',
  });

  useEffect(() => {
    const subscription = form.watch((draft) => saveDraft(workflowId, descriptor, draft as WorkflowDraft));
    return () => subscription.unsubscribe();
  }, [form, workflowId, descriptor]);

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

  return useMemo(() => ({ workflowId, descriptor, form, validate, resetToDefaults }), [workflowId, descriptor, form, validate, resetToDefaults]);
}

/** Combinations of the current sweeps (jobs per input-file set), or null while a sweep is incomplete. Re-renders on sweep changes only. */
export function useWorkflowJobCount({ form, descriptor }: Pick<WorkflowFormController, 'form' | 'descriptor'>): number | null {
  const sweeps = useWatch({ control: form.control, name: 'sweeps' });
  return useMemo(() => draftJobCount(descriptor, { values: {}, sweeps: sweeps ?? {} }), [descriptor, sweeps]);
}
