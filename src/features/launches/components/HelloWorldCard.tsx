import RocketLaunchIcon from '@mui/icons-material/RocketLaunch';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useCallback, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { Launch } from '../../../contracts/launches.ts';
import type { WorkflowDetail } from '../../../contracts/workflows/catalogue.ts';
import { MAX_TEXT_VALUE } from '../../../contracts/workflows/input-value.ts';
import type { workflowRequestSchema } from '../../../contracts/workflows/rules.ts';
import { ApiError } from '../../../shared/lib/api-client.ts';
import { paths } from '../../../shared/lib/paths.ts';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { SelectField, TextInput } from '../../../shared/ui/fields.tsx';
import { useQuickLaunch } from '../api/launch-mutations.ts';
import { useAttemptKey } from '../hooks/use-attempt-key.ts';
import type { LaunchBody } from '../schemas/launch-form.ts';
import { defaultLaunchName, normalizeIssuePath } from '../schemas/launch-text.ts';

/** The two parameters of the `hello-world` workflow (workflows/hello-world.json). */
type Field = 'GREETING' | 'MESSAGE';
const FIELDS: readonly string[] = ['GREETING', 'MESSAGE'] satisfies Field[];

type Rules = { workflowRequestSchema: typeof workflowRequestSchema };
/**
 * The descriptor's rules (zod schemas for values and sweeps) load when the form is first used, not
 * with the home page (first page budget): the defaults are valid, so there is nothing to say before.
 */
const loadRules = (): Promise<Rules> => import('../../../contracts/workflows/rules.ts');

type HelloWorldCardProps = {
  /** The `hello-world` workflow: its descriptor gives the greetings and checks the values, as the BFF does. */
  workflow: WorkflowDetail;
  /** Jobs were submitted: the page refreshes what lists them (recent jobs). */
  onJobsSubmitted?: () => void;
};

/**
 * Quick launch of the "Hello world" workflow: pick a greeting and a message, one click, and the
 * job's id once the BFF has submitted it. An ordinary launch (`POST /launches`) with one
 * idempotency key per attempt: a double click, or a retry after an error with the same values,
 * sends the same key so the BFF submits once; the key is renewed after a success (or new values).
 */
export function HelloWorldCard({ workflow, onJobsSubmitted }: HelloWorldCardProps) {
  const d = workflow.descriptor;
  const headingId = useId();
  const input = (id: Field) => d.inputs.find((i) => i.id === id);
  const greetings = (input('GREETING')?.['value-choices'] ?? []).map(String);
  const defaultMessage = String(input('MESSAGE')?.['default-value'] ?? '');
  const [rules, setRules] = useState<Rules | null>(null);
  const ensureRules = useCallback(async () => {
    const loaded = rules ?? (await loadRules());
    setRules((r) => r ?? loaded);
    return loaded;
  }, [rules]);
  const schema = useMemo(() => rules?.workflowRequestSchema(d) ?? null, [rules, d]);

  const [greeting, setGreeting] = useState(() => String(input('GREETING')?.['default-value'] ?? greetings[0] ?? ''));
  const [message, setMessage] = useState('');
  const [result, setResult] = useState<{ launch: Launch; created: boolean } | null>(null);
  const inFlight = useRef(false);
  const messageRef = useRef<HTMLInputElement>(null);
  const attempt = useAttemptKey();
  const mutation = useQuickLaunch();

  // A blank message takes the descriptor's default ("world").
  const values = { GREETING: greeting, MESSAGE: message === '' ? undefined : message };
  const fingerprint = JSON.stringify(values);
  const [sentFingerprint, setSentFingerprint] = useState<string | null>(null);
  const parsed = schema?.safeParse({ values, sweeps: {} });
  // Field messages: the descriptor's checks, then the BFF's for the values that were sent (not for later edits).
  const errors: Partial<Record<Field, string>> = {};
  const serverIssues = fingerprint === sentFingerprint && mutation.error instanceof ApiError ? (mutation.error.issues ?? []) : [];
  for (const issue of [
    ...(parsed?.error?.issues ?? []).map((i) => ({ path: i.path.join('.'), message: i.message })),
    ...serverIssues.map((i) => ({ path: normalizeIssuePath(i.path), message: i.message })),
  ]) {
    const field = issue.path.split('.').pop() ?? '';
    if (FIELDS.includes(field)) errors[field as Field] ??= issue.message;
  }

  const submit = async () => {
    const checked = parsed ?? (await ensureRules()).workflowRequestSchema(d).safeParse({ values, sweeps: {} });
    if (!checked.success) {
      messageRef.current?.focus();
      return;
    }
    if (inFlight.current) return;
    const body: LaunchBody = {
      name: defaultLaunchName(workflow.name),
      workflowId: workflow.id,
      values: checked.data.values,
      sweeps: {},
      inputItemIds: [],
      inputMode: 'none',
      resources: {},
    };
    inFlight.current = true;
    setSentFingerprint(fingerprint);
    setResult(null);
    mutation.mutate(
      { idempotencyKey: attempt.keyFor(body), ...body },
      {
        onSuccess: (res) => {
          attempt.succeeded();
          setResult(res);
          if (res.launch.jobIds.length > 0) onJobsSubmitted?.();
        },
        onSettled: () => {
          inFlight.current = false;
        },
      },
    );
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit();
  };

  const preview = `${greeting}, ${message === '' ? defaultMessage : message}!`;
  const messageHelp = errors.MESSAGE ?? `The job prints “${preview}”. Leave empty for “${defaultMessage}”.`;

  return (
    <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: { xs: 2, md: 3 } }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, mb: 0.5 }}>
        <Box aria-hidden sx={{ display: 'flex', color: 'primary.main' }}>
          <RocketLaunchIcon />
        </Box>
        <Typography variant="h6" component="h2" id={headingId}>
          Hello world
        </Typography>
      </Box>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2.5 }}>
        Check that everything works end to end: this sends a tiny job to the grid that prints a greeting.
      </Typography>

      <Box component="form" noValidate onSubmit={onSubmit} onFocus={() => void ensureRules()} aria-labelledby={headingId}>
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '180px 1fr' }, alignItems: 'start' }}>
          <SelectField
            label="Greeting"
            value={greeting}
            onChange={(v) => {
              setGreeting(v);
              void ensureRules();
            }}
            options={greetings.map((g) => ({ value: g, label: g }))}
            error={Boolean(errors.GREETING)}
            helperText={errors.GREETING}
          />
          <TextInput
            label="Message"
            value={message}
            placeholder={defaultMessage}
            onChange={(v) => {
              setMessage(v);
              void ensureRules();
            }}
            error={Boolean(errors.MESSAGE)}
            helperText={messageHelp}
            inputRef={messageRef}
            htmlInput={{ maxLength: MAX_TEXT_VALUE, autoComplete: 'off', spellCheck: false }}
          />
        </Box>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mt: 1.5 }}>
          <Button
            type="submit"
            variant="contained"
            disabled={mutation.isPending}
            startIcon={mutation.isPending ? <CircularProgress size={16} color="inherit" aria-hidden /> : <RocketLaunchIcon />}
          >
            {mutation.isPending ? 'Launching…' : 'Launch Hello world'}
          </Button>
        </Box>
      </Box>

      <Box aria-live="polite" sx={{ mt: result || mutation.error ? 2.5 : 0 }}>
        {result && <LaunchOutcome {...result} />}
        {mutation.error && !mutation.isPending && (
          <ErrorAlert error={mutation.error} title="The job was not launched" onRetry={() => void submit()} />
        )}
      </Box>
    </Paper>
  );
}

function LaunchOutcome({ launch, created }: { launch: Launch; created: boolean }) {
  const [first, ...rest] = launch.jobIds;
  const production = (
    <Link href={paths.productions.detail.getHref(launch.id)} color="inherit" sx={{ textDecoration: 'underline' }}>
      its production’s page
    </Link>
  );
  if (first === undefined) {
    if (launch.status === 'failed')
      return (
        <Alert severity="error">
          <AlertTitle>The job was not launched</AlertTitle>
          {launch.errors[0]?.message ?? 'DiracX refused the job.'} Press “Launch Hello world” to try again.
        </Alert>
      );
    return <Alert severity="info">The portal is still submitting the job: follow it on {production}.</Alert>;
  }
  return (
    <Alert severity="success">
      <AlertTitle>
        {created ? 'Job ' : 'Already submitted: job '}
        <Link href={paths.jobs.detail.getHref(first)} color="inherit" sx={{ fontWeight: 700, textDecoration: 'underline' }}>
          {first}
        </Link>
        {created ? ' submitted' : ''}
      </AlertTitle>
      {rest.length > 0 && <Typography variant="body2">Also submitted: {rest.join(', ')}</Typography>}
      <Typography variant="body2">
        {created
          ? 'Follow it on its page or in Recent jobs below; the status updates by itself.'
          : 'This launch had already reached the portal, so nothing was sent again.'}
      </Typography>
    </Alert>
  );
}
