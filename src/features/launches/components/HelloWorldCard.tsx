import RocketLaunchIcon from '@mui/icons-material/RocketLaunch';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useId, useRef, useState, type FormEvent } from 'react';
import { HELLO_GREETINGS, HelloWorldRequestSchema, type SubmissionResult } from '../../../contracts/jobs.ts';
import { ApiError } from '../../../shared/lib/api-client.ts';
import { paths } from '../../../shared/lib/paths.ts';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { SelectField, TextInput } from '../../../shared/ui/fields.tsx';
import { useSubmitHelloWorld } from '../api/use-submit-hello-world.ts';

const FormSchema = HelloWorldRequestSchema.omit({ idempotencyKey: true });
type Greeting = (typeof HELLO_GREETINGS)[number];
const MAX_MESSAGE = 200;

function newAttemptKey() {
  return crypto.randomUUID();
}

/** Field messages from the form schema (client) or from a VALIDATION problem (server). */
function fieldErrors(greeting: Greeting, message: string, serverError: unknown): Partial<Record<'greeting' | 'message', string>> {
  const errors: Partial<Record<'greeting' | 'message', string>> = {};
  const parsed = FormSchema.safeParse({ greeting, message: message === '' ? undefined : message });
  for (const issue of parsed.error?.issues ?? []) {
    const field = issue.path[0];
    if ((field === 'greeting' || field === 'message') && !errors[field]) errors[field] = issue.message;
  }
  if (serverError instanceof ApiError) {
    for (const issue of serverError.issues ?? []) {
      const field = issue.path.split('.').pop();
      if ((field === 'greeting' || field === 'message') && !errors[field]) errors[field] = issue.message;
    }
  }
  return errors;
}

/**
 * Quick launch of the "Hello world" job. One idempotency key per attempt: a double click,
 * or a retry after an error with the same values, sends the same key so the BFF submits
 * once. The key is renewed after a success (or when the values change).
 */
export function HelloWorldCard() {
  const headingId = useId();
  const [greeting, setGreeting] = useState<Greeting>('Hello');
  const [message, setMessage] = useState('');
  const [result, setResult] = useState<SubmissionResult | null>(null);
  const attempt = useRef<{ key: string; sentValues: string | null }>({ key: newAttemptKey(), sentValues: null });
  const inFlight = useRef(false);
  const messageRef = useRef<HTMLInputElement>(null);
  const mutation = useSubmitHelloWorld();

  const fingerprint = JSON.stringify({ greeting, message: message === '' ? undefined : message });
  const [sentFingerprint, setSentFingerprint] = useState<string | null>(null);
  // Server-side field messages apply to the values that were sent, not to later edits.
  const errors = fieldErrors(greeting, message, fingerprint === sentFingerprint ? mutation.error : null);
  const valid = !errors.greeting && !errors.message;

  const submit = () => {
    if (!valid) {
      messageRef.current?.focus();
      return;
    }
    if (inFlight.current) return;
    const values = { greeting, message: message === '' ? undefined : message };
    if (attempt.current.sentValues !== null && attempt.current.sentValues !== fingerprint) {
      // Different values are a different request: do not let the BFF replay the old one.
      attempt.current = { key: newAttemptKey(), sentValues: null };
    }
    attempt.current.sentValues = fingerprint;
    setSentFingerprint(fingerprint);
    inFlight.current = true;
    setResult(null);
    mutation.mutate(
      { idempotencyKey: attempt.current.key, ...values },
      {
        onSuccess: (res) => {
          setResult(res);
          attempt.current = { key: newAttemptKey(), sentValues: null };
        },
        onSettled: () => {
          inFlight.current = false;
        },
      },
    );
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit();
  };

  const preview = `${greeting}, ${message === '' ? 'world' : message}!`;
  const messageHelp = errors.message ?? `The job prints “${preview}”. Leave empty for “world”.`;

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

      <Box component="form" noValidate onSubmit={onSubmit} aria-labelledby={headingId}>
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '180px 1fr' }, alignItems: 'start' }}>
          <SelectField
            label="Greeting"
            value={greeting}
            onChange={(v) => setGreeting(v as Greeting)}
            options={HELLO_GREETINGS.map((g) => ({ value: g, label: g }))}
            error={Boolean(errors.greeting)}
            helperText={errors.greeting}
          />
          <TextInput
            label="Message"
            value={message}
            placeholder="world"
            onChange={setMessage}
            error={Boolean(errors.message)}
            helperText={messageHelp}
            inputRef={messageRef}
            htmlInput={{ maxLength: MAX_MESSAGE, autoComplete: 'off', spellCheck: false }}
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
        {result && <SubmissionSuccess result={result} />}
        {mutation.error && !mutation.isPending && <ErrorAlert error={mutation.error} title="The job was not launched" onRetry={submit} />}
      </Box>
    </Paper>
  );
}

function SubmissionSuccess({ result }: { result: SubmissionResult }) {
  const [first, ...rest] = result.jobIds;
  if (first === undefined) {
    return <Alert severity="warning">The submission was recorded but DiracX returned no job id.</Alert>;
  }
  return (
    <Alert severity="success">
      <AlertTitle>
        {result.created ? 'Job ' : 'Already submitted: job '}
        <Link href={paths.jobs.detail.getHref(first)} color="inherit" sx={{ fontWeight: 700, textDecoration: 'underline' }}>
          {first}
        </Link>
        {result.created ? ' submitted' : ''}
      </AlertTitle>
      {rest.length > 0 && <Typography variant="body2">Also submitted: {rest.join(', ')}</Typography>}
      <Typography variant="body2">
        {result.created
          ? 'Follow it on its page or in Recent jobs below; the status updates by itself.'
          : 'This launch had already reached the portal, so nothing was sent again.'}
      </Typography>
    </Alert>
  );
}
