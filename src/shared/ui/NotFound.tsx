import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { paths } from '../lib/paths.ts';
import { useDocumentTitle } from './PageHeader.tsx';

/** 404 for paths the portal does not know. */
export function NotFound() {
  useDocumentTitle('Page not found');
  return (
    <Box sx={{ py: 6, px: 2, textAlign: 'center' }}>
      <Typography variant="overline" component="p" color="text.secondary">
        Error 404
      </Typography>
      <Typography variant="h4" component="h1" gutterBottom>
        Page not found
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 3 }}>
        The address you followed does not match any page of the portal. It may have been mistyped or moved.
      </Typography>
      <Button variant="contained" href={paths.home.getHref()}>
        Go to the home page
      </Button>
    </Box>
  );
}
