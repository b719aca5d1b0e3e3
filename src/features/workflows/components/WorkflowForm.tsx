import FactCheckIcon from '@mui/icons-material/FactCheck';
import InsertDriveFileIcon from '@mui/icons-material/InsertDriveFile';
import RestartAltIcon from '@mui/icons-material/RestartAlt';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { memo, useId, useState, type ReactNode } from 'react';
import { useFormState, type FieldErrors } from 'react-hook-form';
import { workflowSummary } from '../../../contracts/workflows/catalogue.ts';
import { hintsOf, type BoutiquesInput } from '../../../contracts/workflows/descriptor.ts';
import type { FieldIssue } from '../../../contracts/workflows/rules.ts';
import { MAX_COMBINATIONS } from '../../../contracts/workflows/sweeps.ts';
import { ApiError } from '../../../shared/lib/api-client.ts';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { useValidateWorkflow } from '../api/use-validate-workflow.ts';
import { useWorkflowJobCount, type WorkflowFormController } from '../hooks/use-workflow-form.ts';
import { formSections } from '../schemas/workflow-draft.ts';
import { ParameterField } from './ParameterField.tsx';
import { plural } from '../../../shared/lib/format.ts';

function countErrors(errors: unknown): number {
  if (!errors || typeof errors !== 'object') return 0;
  const e = errors as Record<string, unknown>;
  if (typeof e.message === 'string') return 1;
  return Object.entries(e).reduce((n, [k, v]) => (k === 'ref' || k === 'root' ? n : n + countErrors(v)), 0);
}

/**
 * What happens to a File input. The launch binds basket items to the descriptor's first File input (the BFF's
 * `fileInputId`); any other one is given one chosen basket file (`fileBindings`), else its default file, else nothing.
 */
function fileInputText(input: BoutiquesInput, bound: boolean, mode: string): string {
  if (bound)
    return `Chosen from your basket when you launch${mode === 'per-file' ? ': one job per file.' : mode === 'all-in-one' ? ': every job reads all chosen files.' : '.'}`;
  const fallback = input['default-value'];
  return typeof fallback === 'string' && fallback !== ''
    ? `One file for every job: choose it from your basket under “Input data”, or every job is given “${fallback}” (the descriptor’s default).`
    : 'One file for every job: choose it from your basket under “Input data”, or it is left out of the command line.';
}

function FileInputNote({
  input,
  bound,
  mode,
  levels,
}: {
  input: BoutiquesInput;
  bound: boolean;
  mode: string;
  levels: string[] | undefined;
}) {
  return (
    <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'flex-start', p: 1.5, bgcolor: 'action.hover', borderRadius: 1 }}>
      <Box aria-hidden sx={{ color: 'text.secondary', display: 'flex', pt: 0.25 }}>
        <InsertDriveFileIcon fontSize="small" />
      </Box>
      <Box>
        <Typography variant="body2" sx={{ fontWeight: 600 }}>
          {input.name}
          {levels ? ` (${levels.join(', ')})` : ''}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {input.description ? `${input.description} ` : ''}
          {fileInputText(input, bound, mode)}
        </Typography>
      </Box>
    </Box>
  );
}

function JobSummary({ controller, wording }: { controller: WorkflowFormController; wording: 'launch' | 'parameters' }) {
  const { descriptor } = controller;
  const jobCount = useWorkflowJobCount(controller);
  const summary = workflowSummary(controller.workflowId, descriptor);
  let text: string;
  let error = false;
  if (jobCount === null) text = 'Complete the sweeps to see how many jobs this launch creates.';
  else if (jobCount > MAX_COMBINATIONS) {
    text = `These sweeps make ${plural(jobCount, 'job', 'jobs')}; at most ${MAX_COMBINATIONS.toLocaleString('en-US')} per launch. Sweep fewer values.`;
    error = true;
  } else {
    const files =
      summary.inputMode === 'per-file' ? ' per input file' : summary.inputMode === 'all-in-one' ? ', each reading all chosen files' : '';
    text = `${wording === 'launch' ? 'This launch will create' : 'These parameters make'} ${plural(jobCount, 'job', 'jobs')}${files}.`;
  }
  return (
    <Typography role="status" variant="body1" color={error ? 'error' : 'text.primary'} sx={{ fontWeight: 600 }}>
      {text}
    </Typography>
  );
}

type WorkflowFormProps = {
  controller: WorkflowFormController;
  /** Extra buttons next to Validate (the launch page adds its own). */
  actions?: ReactNode;
  /** The form's heading (an h2; default "Parameters"), e.g. with a step number on the launch page. */
  heading?: ReactNode;
  /**
   * How the live job count is worded: "This launch will create N jobs" (default), or "These
   * parameters make N jobs" where the page shows the launch's own total elsewhere (the launch page).
   */
  jobCountWording?: 'launch' | 'parameters';
  /** Shown under the heading, before the fields (the launch page's version picker). */
  intro?: ReactNode;
};

/**
 * The parameter form generated from a workflow's Boutiques descriptor: one fieldset per group,
 * fields by input type, Sweep switches, the number of jobs, Reset to defaults and Validate (the
 * BFF checks the values with the same schema and its issues land on the fields).
 */
export function WorkflowForm({ controller, actions, heading = 'Parameters', jobCountWording = 'launch', intro }: WorkflowFormProps) {
  const { form, descriptor: d, workflowId } = controller;
  const headingId = useId();
  const mutation = useValidateWorkflow(workflowId);
  const [accepted, setAccepted] = useState<number | null>(null);
  const [unplaced, setUnplaced] = useState<FieldIssue[]>([]);
  const summary = workflowSummary(workflowId, d);

  const placeIssues = (issues: FieldIssue[]) => setUnplaced(controller.placeIssues(issues));

  const onValidate = form.handleSubmit(
    async (request) => {
      setAccepted(null);
      setUnplaced([]);
      try {
        const result = await mutation.mutateAsync(request);
        setAccepted(result.jobs);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'VALIDATION' && err.issues) placeIssues(err.issues);
      }
    },
    () => {
      setAccepted(null);
      mutation.reset();
    },
  );

  const reset = () => {
    controller.resetToDefaults();
    setAccepted(null);
    setUnplaced([]);
    mutation.reset();
  };

  const serverRefused = mutation.error instanceof ApiError && mutation.error.code === 'VALIDATION';

  return (
    <Box component="form" noValidate onSubmit={(e) => void onValidate(e)} aria-labelledby={headingId}>
      <Typography id={headingId} variant="h6" component="h2" sx={{ mb: 2 }}>
        {heading}
      </Typography>
      {intro}
      <FormSections controller={controller} />

      <Box sx={{ mt: 3, display: 'grid', gap: 2 }}>
        <JobSummary controller={controller} wording={jobCountWording} />
        <Box aria-live="polite">
          <FormStatus controller={controller} unplaced={unplaced} serverRefused={serverRefused} />
          {mutation.error && !serverRefused && (
            <ErrorAlert error={mutation.error} title="The values could not be checked" onRetry={() => void onValidate()} />
          )}
          {accepted !== null && (
            <Alert severity="success">
              The portal accepted these values: {plural(accepted, 'job', 'jobs')}
              {summary.inputMode === 'per-file' ? ' per input file' : ''}.
            </Alert>
          )}
        </Box>
        <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', alignItems: 'center' }}>
          <ValidateButton controller={controller} />
          <Button type="button" onClick={reset} startIcon={<RestartAltIcon />}>
            Reset to defaults
          </Button>
          {actions}
        </Box>
      </Box>
    </Box>
  );
}

function ValidateButton({ controller }: { controller: WorkflowFormController }) {
  const { isSubmitting } = useFormState({ control: controller.form.control });
  return (
    <Button
      type="submit"
      variant="contained"
      disabled={isSubmitting}
      startIcon={isSubmitting ? <CircularProgress size={16} color="inherit" aria-hidden /> : <FactCheckIcon />}
    >
      {isSubmitting ? 'Validating…' : 'Validate'}
    </Button>
  );
}

function IssueList({ issues }: { issues: FieldIssue[] }) {
  return (
    <Box component="ul" sx={{ m: 0, mt: 1, pl: 2.5 }}>
      {issues.map((i) => (
        <li key={`${i.path}:${i.message}`}>
          <strong>{i.path}: </strong>
          {i.message}
        </li>
      ))}
    </Box>
  );
}

/** After Validate: how many fields are marked, plus the server's issues that belong to no field. */
function FormStatus({
  controller,
  unplaced,
  serverRefused,
}: {
  controller: WorkflowFormController;
  unplaced: FieldIssue[];
  serverRefused: boolean;
}) {
  const { errors, isSubmitting, submitCount } = useFormState({ control: controller.form.control });
  const marked = countErrors(errors as FieldErrors);
  if (isSubmitting || (submitCount === 0 && unplaced.length === 0)) return null;
  if (marked === 0 && unplaced.length === 0) return null;
  return (
    <Alert severity="error" role="alert">
      <AlertTitle>{serverRefused ? 'The portal refused some values' : 'Some values need attention'}</AlertTitle>
      {marked > 0 && `${plural(marked, 'field is', 'fields are')} marked above${unplaced.length > 0 ? '; also:' : '.'}`}
      {unplaced.length > 0 && <IssueList issues={unplaced} />}
    </Alert>
  );
}

/**
 * The generated form as it will look, read-only (the administrators' preview of a descriptor before
 * it is published): the same fieldsets, every control disabled, no Validate.
 */
export function WorkflowFormPreview({ controller, label }: { controller: WorkflowFormController; label: string }) {
  return (
    <Box component="fieldset" disabled aria-label={label} sx={{ border: 0, m: 0, p: 0, minWidth: 0 }}>
      <FormSections controller={controller} />
    </Box>
  );
}

/** The fieldsets; memoised so that typing re-renders only the field concerned, not the whole form. */
const FormSections = memo(function FormSections({ controller }: { controller: WorkflowFormController }) {
  const { descriptor: d, workflowId } = controller;
  const summary = workflowSummary(workflowId, d);
  const levels = hintsOf(d)['escape:input-data-levels'];
  const boundFile = d.inputs.find((i) => i.type === 'File')?.id;
  return (
    <Box sx={{ display: 'grid', gap: 2.5 }}>
      {formSections(d).map((section) => (
        <Paper
          key={section.id}
          variant="outlined"
          component="fieldset"
          sx={{ m: 0, p: { xs: 2, md: 2.5 }, pt: { xs: 1, md: 1.5 }, minWidth: 0 }}
        >
          <Typography component="legend" variant="subtitle1" sx={{ px: 0.75, fontWeight: 600 }}>
            {section.name}
          </Typography>
          {section.description && (
            <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
              {section.description}
            </Typography>
          )}
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: 'repeat(2, minmax(0, 1fr))' }, alignItems: 'start' }}>
            {section.inputs.map((input) =>
              input.type === 'File' ? (
                <Box key={input.id} sx={{ gridColumn: '1 / -1' }}>
                  <FileInputNote input={input} bound={input.id === boundFile} mode={summary.inputMode} levels={levels?.[input.id]} />
                </Box>
              ) : (
                <ParameterField key={input.id} controller={controller} input={input} />
              ),
            )}
          </Box>
        </Paper>
      ))}
    </Box>
  );
});
