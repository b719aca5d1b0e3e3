import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { ApiError } from '../lib/api-client.ts';
import { errorMessage } from './api-error.ts';
import { NotFound } from './NotFound.tsx';
import { useDocumentTitle } from './PageHeader.tsx';

function describe(error: unknown): { title: string; message: string; requestId?: string } {
  if (isRouteErrorResponse(error)) {
    return {
      title: `${error.status} ${error.statusText}`.trim(),
      message: typeof error.data === 'string' ? error.data : 'The page could not be loaded.',
    };
  }
  if (error instanceof ApiError) return { title: 'This page could not be loaded', message: error.message, requestId: error.requestId };
  if (error instanceof Error && /dynamically imported module|Importing a module script failed|Failed to fetch/i.test(error.message)) {
    return {
      title: 'The portal was updated',
      message: 'Part of the page could not be downloaded, usually because a new version was deployed. Reload to continue.',
    };
  }
  return { title: 'Something went wrong on this page', message: errorMessage(error) };
}

/** `errorElement` of each route: explains the failure and offers a reload instead of a blank screen. */
export function RouteError() {
  const error = useRouteError();
  useDocumentTitle('Error');
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFound />;
  const { title, message, requestId } = describe(error);
  return (
    <Box sx={{ p: { xs: 2, md: 3 }, maxWidth: 880 }}>
      <Typography variant="h4" component="h1" gutterBottom>
        Something went wrong
      </Typography>
      <Alert
        severity="error"
        action={
          <Button color="inherit" size="small" variant="outlined" onClick={() => window.location.reload()}>
            Reload
          </Button>
        }
      >
        <AlertTitle>{title}</AlertTitle>
        <Typography variant="body2">{message}</Typography>
        {requestId && (
          <Typography variant="caption" component="p" sx={{ mt: 1 }}>
            Reference: {requestId}
          </Typography>
        )}
      </Alert>
    </Box>
  );
}
