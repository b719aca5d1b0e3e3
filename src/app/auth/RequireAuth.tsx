import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { Navigate, Outlet, useLocation } from 'react-router';
import { paths } from '../../shared/lib/paths.ts';
import { useAuth } from '../../shared/ui/auth-context.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { FullPageLoader } from '../../shared/ui/FullPageLoader.tsx';
import { AppShell } from '../layout/AppShell.tsx';

/** Layout route for everything that needs a signed-in user: the shell around the page. */
export function RequireAuth() {
  const { status, me, error, retry, signOut, endReason } = useAuth();
  const location = useLocation();

  if (status === 'signed-out') {
    const here = `${location.pathname}${location.search}${location.hash}`;
    const to = endReason === 'signed-out' ? paths.signIn.getHref() : paths.signIn.getHref(here);
    return <Navigate to={to} replace state={endReason ? { reason: endReason } : undefined} />;
  }
  if (!me) {
    if (!error) return <FullPageLoader label="Loading your profile…" />;
    return (
      <Box component="main" id="main" sx={{ maxWidth: 720, mx: 'auto', p: 3, mt: 6 }}>
        <Typography variant="h4" component="h1" gutterBottom>
          Your profile could not be loaded
        </Typography>
        <ErrorAlert
          error={error}
          onRetry={retry}
          action={
            <Button color="inherit" size="small" onClick={() => void signOut()}>
              Sign out
            </Button>
          }
        />
      </Box>
    );
  }
  return (
    <AppShell me={me}>
      <Outlet />
    </AppShell>
  );
}
