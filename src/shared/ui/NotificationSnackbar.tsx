import Alert from '@mui/material/Alert';
import Snackbar from '@mui/material/Snackbar';
import type { Notice } from './notify.tsx';

type Props = { notice: Notice | undefined; onDismiss: (id: number) => void };

/** The snackbar itself (lazy-loaded by NotificationHost). */
export default function NotificationSnackbar({ notice, onDismiss }: Props) {
  return (
    <Snackbar
      key={notice?.id}
      open={Boolean(notice)}
      autoHideDuration={notice?.severity === 'error' ? 10_000 : 5_000}
      onClose={(_e, reason) => {
        if (reason !== 'clickaway' && notice) onDismiss(notice.id);
      }}
      anchorOrigin={{ vertical: 'bottom', horizontal: 'left' }}
    >
      {notice ? (
        <Alert variant="filled" severity={notice.severity} onClose={() => onDismiss(notice.id)} sx={{ width: '100%' }}>
          {notice.message}
        </Alert>
      ) : undefined}
    </Snackbar>
  );
}
