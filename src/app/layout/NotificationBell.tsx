import NotificationsIcon from '@mui/icons-material/NotificationsNone';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '../../shared/lib/api-client.ts';
import { paths } from '../../shared/lib/paths.ts';

// Kept tiny (it sits in the app bar of every page, in the entry chunk): only the unread count. The list is on the schedules page.
const UnreadSchema = z.object({ unread: z.number() });
export const BELL_POLL_MS = 60_000;

/** The portal's notifications (failing or paused schedules): unread count, linking to the schedules page. */
export default function NotificationBell() {
  const { data } = useQuery({
    queryKey: ['schedules', 'notifications', 'unread'],
    queryFn: ({ signal }) => api.get('/bff/v1/notifications', UnreadSchema, { signal }),
    refetchInterval: BELL_POLL_MS,
    refetchIntervalInBackground: false,
    meta: { silent: true },
  });
  const unread = data?.unread ?? 0;
  return (
    <IconButton
      color="inherit"
      href={paths.schedules.getHref()}
      aria-label={unread ? `Notifications: ${unread} unread` : 'Notifications: none unread'}
      sx={{ position: 'relative' }}
    >
      <NotificationsIcon />
      {unread > 0 && (
        <Box
          component="span"
          aria-hidden
          sx={{
            position: 'absolute',
            top: 4,
            right: 2,
            minWidth: 18,
            height: 18,
            px: 0.5,
            borderRadius: 9,
            bgcolor: 'error.main',
            color: 'common.white',
            fontSize: 11,
            fontWeight: 700,
            lineHeight: '18px',
            textAlign: 'center',
          }}
        >
          {unread > 99 ? '99+' : unread}
        </Box>
      )}
    </IconButton>
  );
}
