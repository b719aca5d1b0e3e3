import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';

/** Centered progress for the moments before the first page can render. */
export function FullPageLoader({ label = 'Loading the portal…' }: { label?: string }) {
  return (
    <Box
      role="status"
      aria-busy="true"
      sx={{ minHeight: '60vh', display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center', gap: 2 }}
    >
      <CircularProgress aria-hidden size={36} />
      <Typography color="text.secondary">{label}</Typography>
    </Box>
  );
}
