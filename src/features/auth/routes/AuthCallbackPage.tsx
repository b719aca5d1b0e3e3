import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { paths } from '../../../shared/lib/paths.ts';
import { useAuth } from '../../../shared/ui/auth-context.tsx';
import { errorMessage } from '../../../shared/ui/api-error.ts';
import { useDocumentTitle } from '../../../shared/ui/PageHeader.tsx';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { safeReturnTo } from './return-to.ts';

/** One exchange per callback URL, even when React runs the effect twice (StrictMode). */
const exchanges = new Map<string, Promise<string>>();

function describeFailure(search: string, error: unknown): { title: string; message: string } {
  const params = new URLSearchParams(search);
  const code = params.get('error');
  if (code === 'access_denied') {
    return { title: 'Sign-in was cancelled', message: 'The login was cancelled or refused, so you are not signed in.' };
  }
  if (code) {
    return { title: 'Sign-in failed', message: params.get('error_description') || `The identity provider answered “${code}”.` };
  }
  return { title: 'Sign-in failed', message: errorMessage(error) };
}

/** `/auth/callback`: DiracX sends the browser back here with the authorization code. */
export function AuthCallbackPage() {
  const { completeSignIn } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<{ title: string; message: string } | null>(null);
  useDocumentTitle(failure ? failure.title : 'Signing in');

  useEffect(() => {
    let active = true;
    const key = location.search;
    let exchange = exchanges.get(key);
    if (!exchange) {
      exchange = completeSignIn();
      exchanges.set(key, exchange);
    }
    exchange.then(
      (returnTo) => {
        if (active) void navigate(safeReturnTo(returnTo), { replace: true });
      },
      (err: unknown) => {
        if (active) setFailure(describeFailure(key, err));
      },
    );
    return () => {
      active = false;
    };
    // Runs once per callback URL.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [location.search]);

  return (
    <AuthLayout>
      {failure ? (
        <>
          <Typography variant="h4" component="h1" gutterBottom>
            {failure.title}
          </Typography>
          <Alert
            severity={failure.title === 'Sign-in was cancelled' ? 'warning' : 'error'}
            action={
              <Button color="inherit" size="small" variant="outlined" href={paths.signIn.getHref()}>
                Try again
              </Button>
            }
          >
            <AlertTitle>{failure.title}</AlertTitle>
            {failure.message}
          </Alert>
        </>
      ) : (
        <Box role="status" aria-busy="true" sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center', gap: 2, py: 2 }}>
          <Typography variant="h4" component="h1">
            Signing you in…
          </Typography>
          <CircularProgress aria-hidden />
        </Box>
      )}
    </AuthLayout>
  );
}
