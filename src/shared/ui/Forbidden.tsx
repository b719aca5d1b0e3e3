import LockIcon from '@mui/icons-material/Lock';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { paths } from '../lib/paths.ts';
import { useDocumentTitle } from './PageHeader.tsx';

/** 403 shown when the signed-in group's role may not use a page (the BFF enforces it too). */
export function Forbidden({ group }: { group?: string }) {
  useDocumentTitle('Not available');
  return (
    <Box sx={{ py: 6, px: 2, textAlign: 'center' }}>
      <Box aria-hidden sx={{ color: 'text.secondary', '& svg': { fontSize: 48 } }}>
        <LockIcon />
      </Box>
      <Typography variant="overline" component="p" color="text.secondary">
        Error 403
      </Typography>
      <Typography variant="h4" component="h1" gutterBottom>
        Not available for your group
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 3, maxWidth: 560, mx: 'auto' }}>
        {group ? <>Members of the group “{group}” cannot open this page. </> : null}
        Sign in with another group if yours has the right, or ask your VO administrator.
      </Typography>
      <Button variant="contained" href={paths.home.getHref()}>
        Go to the home page
      </Button>
    </Box>
  );
}
