import LoginIcon from '@mui/icons-material/Login';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useLocation, useSearchParams } from 'react-router';
import type { InstanceSummary } from '../../../contracts/auth.ts';
import { loadChoice } from '../../../shared/lib/auth.ts';
import { useAuth } from '../../../shared/ui/auth-context.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { SelectField } from '../../../shared/ui/fields.tsx';
import { useDocumentTitle } from '../../../shared/ui/PageHeader.tsx';
import { visuallyHidden } from '../../../shared/ui/visually-hidden.ts';
import { authQueries } from '../api/auth-queries.ts';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { safeReturnTo } from './return-to.ts';

type Vo = InstanceSummary['vos'][number];

function defaultInstance(instances: InstanceSummary[], previousId: string | undefined): InstanceSummary | undefined {
  return instances.find((i) => i.id === previousId) ?? instances.find((i) => i.reachable) ?? instances[0];
}

function defaultGroup(vo: Vo | undefined, previous: string | undefined): string | undefined {
  if (!vo) return undefined;
  const names = vo.groups.map((g) => g.name);
  if (previous && names.includes(previous)) return previous;
  if (vo.defaultGroup && names.includes(vo.defaultGroup)) return vo.defaultGroup;
  return names[0];
}

function propertiesText(properties: readonly string[]) {
  return properties.length > 0 ? `Properties: ${properties.join(', ')}` : 'No special properties';
}

function SessionMessage() {
  const location = useLocation();
  const reason = (location.state as { reason?: string } | null)?.reason;
  if (reason === 'signed-out')
    return (
      <Alert severity="success" sx={{ mb: 3 }}>
        You have signed out.
      </Alert>
    );
  if (reason === 'expired')
    return (
      <Alert severity="info" sx={{ mb: 3 }}>
        Your session has ended. Please sign in again to continue where you were.
      </Alert>
    );
  return null;
}

/** `/signin`: choose DiracX instance, VO and group, then log in at the VO's identity provider. */
export function SignInPage() {
  useDocumentTitle('Sign in');
  const [searchParams] = useSearchParams();
  const returnTo = safeReturnTo(searchParams.get('returnTo'));
  const { data, error, isPending, isFetching, refetch } = useQuery(authQueries.instances());

  return (
    <AuthLayout>
      <Typography variant="h4" component="h1" gutterBottom>
        Sign in
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 3 }}>
        Choose where your jobs run and which group you act for. You then log in with your organisation’s account.
      </Typography>
      <SessionMessage />
      {isPending ? (
        <Box role="status" aria-busy="true" sx={{ display: 'grid', gap: 2 }}>
          <Box component="span" sx={visuallyHidden}>
            Loading DiracX instances…
          </Box>
          <Skeleton variant="rounded" height={40} aria-hidden />
          <Skeleton variant="rounded" height={40} aria-hidden />
          <Skeleton variant="rounded" height={40} aria-hidden />
        </Box>
      ) : error && !data ? (
        <ErrorAlert error={error} title="The list of DiracX instances could not be loaded" onRetry={() => void refetch()} />
      ) : data.instances.length === 0 ? (
        <Alert severity="warning">
          <AlertTitle>No DiracX instance is configured</AlertTitle>
          The portal has no DiracX instance to sign in to. Please contact the portal administrators.
        </Alert>
      ) : (
        <SignInForm instances={data.instances} returnTo={returnTo} retrying={isFetching} onRetry={() => void refetch()} />
      )}
    </AuthLayout>
  );
}

function SignInForm({
  instances,
  returnTo,
  retrying,
  onRetry,
}: {
  instances: InstanceSummary[];
  returnTo: string;
  retrying: boolean;
  onRetry: () => void;
}) {
  const { signIn } = useAuth();
  const [previous] = useState(() => loadChoice());
  const [instanceId, setInstanceId] = useState<string | null>(null);
  const [voName, setVoName] = useState<string | null>(null);
  const [groupName, setGroupName] = useState<string | null>(null);
  const [redirecting, setRedirecting] = useState(false);
  const [startError, setStartError] = useState<unknown>(null);

  const instance = instances.find((i) => i.id === instanceId) ?? defaultInstance(instances, previous?.instanceId);
  const sameInstanceAsBefore = instance?.id === previous?.instanceId;
  const vo =
    instance?.vos.find((v) => v.name === voName) ??
    instance?.vos.find((v) => sameInstanceAsBefore && v.name === previous?.vo) ??
    instance?.vos[0];
  const group =
    vo?.groups.find((g) => g.name === groupName) ??
    vo?.groups.find((g) => g.name === defaultGroup(vo, sameInstanceAsBefore && vo.name === previous?.vo ? previous?.group : undefined));

  if (!instance) return null;
  const canSignIn = instance.reachable && vo !== undefined && group !== undefined && !redirecting;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!canSignIn || !vo || !group) return;
    setRedirecting(true);
    setStartError(null);
    try {
      await signIn(
        { instanceId: instance.id, clientId: instance.clientId, metadataUrl: instance.metadataUrl, vo: vo.name, group: group.name },
        returnTo,
      );
    } catch (err) {
      setStartError(err);
      setRedirecting(false);
    }
  };

  return (
    <Box component="form" noValidate onSubmit={(e) => void onSubmit(e)} sx={{ display: 'grid', gap: 2.5 }}>
      {instances.length > 1 ? (
        <SelectField
          label="DiracX instance"
          value={instance.id}
          onChange={(v) => {
            setInstanceId(v);
            setVoName(null);
            setGroupName(null);
          }}
          options={instances.map((i) => ({ value: i.id, label: i.reachable ? i.label : `${i.label} (unreachable)` }))}
          helperText="The DIRAC installation that runs your jobs"
          fullWidth
        />
      ) : (
        <Typography variant="body2">
          <Box component="span" sx={{ color: 'text.secondary' }}>
            DiracX instance:{' '}
          </Box>
          <strong>{instance.label}</strong>
        </Typography>
      )}

      {!instance.reachable ? (
        <Alert
          severity="error"
          action={
            <Button color="inherit" size="small" variant="outlined" onClick={onRetry} disabled={retrying}>
              {retrying ? 'Retrying…' : 'Retry'}
            </Button>
          }
        >
          <AlertTitle>DiracX instance {instance.label} is unreachable</AlertTitle>
          The portal cannot reach it right now. Try again in a moment{instances.length > 1 ? ' or choose another instance' : ''}.
        </Alert>
      ) : instance.vos.length === 0 ? (
        <Alert severity="warning">This instance has no virtual organisation configured.</Alert>
      ) : (
        <>
          {instance.vos.length > 1 ? (
            <SelectField
              label="Virtual organisation (VO)"
              value={vo?.name ?? ''}
              onChange={(v) => {
                setVoName(v);
                setGroupName(null);
              }}
              options={instance.vos.map((v) => ({ value: v.name, label: v.name }))}
              fullWidth
            />
          ) : (
            <Typography variant="body2">
              <Box component="span" sx={{ color: 'text.secondary' }}>
                Virtual organisation (VO):{' '}
              </Box>
              <strong>{vo?.name}</strong>
            </Typography>
          )}
          {vo && vo.groups.length > 0 ? (
            <SelectField
              label="Group"
              value={group?.name ?? ''}
              onChange={setGroupName}
              options={vo.groups.map((g) => ({ value: g.name, label: g.name }))}
              helperText={group ? propertiesText(group.properties) : 'Choose the group you act for'}
              fullWidth
            />
          ) : (
            <Alert severity="warning">The VO {vo?.name} has no group you could sign in with.</Alert>
          )}
        </>
      )}

      {startError !== null && <ErrorAlert error={startError} title="Sign-in could not start" />}

      <Button
        type="submit"
        variant="contained"
        size="large"
        disabled={!canSignIn}
        startIcon={redirecting ? <CircularProgress size={18} color="inherit" aria-hidden /> : <LoginIcon />}
      >
        {redirecting ? 'Redirecting…' : 'Sign in'}
      </Button>
    </Box>
  );
}
