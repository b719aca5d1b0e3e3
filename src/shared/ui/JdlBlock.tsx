import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useNotify } from './notify.tsx';

/** The JDL the portal sent, in a scrollable `<pre>` with a Copy button. */
export function JdlBlock({ jdl, labelledBy }: { jdl: string | null; labelledBy: string }) {
  const notify = useNotify();
  if (jdl === null) {
    return <Typography color="text.secondary">This job was not submitted through the portal, so its JDL is not available here.</Typography>;
  }
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(jdl);
      notify('JDL copied to the clipboard', 'success');
    } catch {
      notify('Could not copy. Select the text and copy it instead.', 'error');
    }
  };
  return (
    <Box>
      <Box sx={{ display: 'flex', justifyContent: 'flex-end', mb: 1 }}>
        <Button size="small" variant="outlined" startIcon={<ContentCopyIcon />} onClick={() => void copy()}>
          Copy
        </Button>
      </Box>
      <Box
        component="pre"
        tabIndex={0}
        aria-labelledby={labelledBy}
        sx={{
          m: 0,
          p: 2,
          bgcolor: '#0f1722',
          color: '#e6edf3',
          borderRadius: 1,
          fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
          fontSize: '0.8125rem',
          lineHeight: 1.6,
          overflow: 'auto',
          maxHeight: 420,
          whiteSpace: 'pre',
          '&:focus-visible': { outline: '3px solid #5b9bd5', outlineOffset: 2 },
        }}
      >
        {jdl}
      </Box>
    </Box>
  );
}
