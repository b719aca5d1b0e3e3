import Alert, { type AlertProps } from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { ApiError } from '../lib/api-client.ts';
import { errorMessage, errorTitle } from './api-error.ts';

type ErrorAlertProps = {
  error: unknown;
  /** Overrides the title derived from the error code. */
  title?: string;
  onRetry?: () => void;
  retryLabel?: string;
  /** Extra actions shown after the retry button. */
  action?: ReactNode;
  severity?: AlertProps['severity'];
  sx?: AlertProps['sx'];
};

/**
 * An inline error: title, the BFF's message, its field issues, and the request id
 * to quote to support. Used for failed first loads and failed forms.
 */
export function ErrorAlert({ error, title, onRetry, retryLabel = 'Retry', action, severity = 'error', sx }: ErrorAlertProps) {
  const apiError = error instanceof ApiError ? error : null;
  const actions =
    onRetry || action ? (
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
        {onRetry && (
          <Button color="inherit" size="small" variant="outlined" onClick={onRetry}>
            {retryLabel}
          </Button>
        )}
        {action}
      </Box>
    ) : undefined;
  return (
    <Alert severity={severity} action={actions} sx={sx}>
      <AlertTitle>{title ?? errorTitle(error)}</AlertTitle>
      <Typography variant="body2">{errorMessage(error)}</Typography>
      {apiError?.issues && apiError.issues.length > 0 && (
        <Box component="ul" sx={{ m: 0, mt: 1, pl: 2.5 }}>
          {apiError.issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              <Typography variant="body2">
                {issue.path ? <strong>{issue.path}: </strong> : null}
                {issue.message}
              </Typography>
            </li>
          ))}
        </Box>
      )}
      {apiError?.requestId && (
        <Typography variant="caption" component="p" sx={{ mt: 1, opacity: 0.85 }}>
          Reference: {apiError.requestId}
        </Typography>
      )}
    </Alert>
  );
}
