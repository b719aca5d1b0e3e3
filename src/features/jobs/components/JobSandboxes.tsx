import DownloadIcon from '@mui/icons-material/Download';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { SANDBOX_INLINE_LIMIT } from '../../../contracts/monitor.ts';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { TextPreview } from '../../../shared/ui/TextPreview.tsx';
import { downloadFromBff } from '../../../shared/lib/download.ts';
import { jobQueries } from '../api/job-queries.ts';

const shortName = (pfn: string) => pfn.split('/').pop() ?? pfn;

function SandboxFiles({ jobId, pfn }: { jobId: number; pfn: string }) {
  const { data, error, isPending, refetch } = useQuery(jobQueries.sandboxContents(jobId, pfn));
  if (isPending)
    return <Skeleton variant="rounded" height={80} role="status" aria-busy="true" aria-label="Loading the files of the sandbox" />;
  if (error) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  if (data.note) return <Typography variant="body2">{data.note}</Typography>;
  if (data.members.length === 0) return <Typography variant="body2">This sandbox is empty.</Typography>;
  return (
    <Box sx={{ display: 'grid', gap: 1.5, width: '100%' }}>
      {data.members.map((m) => (
        <Box key={m.name} component="figure" sx={{ m: 0 }}>
          <Typography component="figcaption" variant="subtitle2">
            {m.name}{' '}
            <Typography component="span" variant="body2" color="text.secondary">
              ({m.size} bytes)
            </Typography>
          </Typography>
          {m.text === null ? (
            <Typography variant="body2" color="text.secondary">
              Binary file: download the sandbox to read it.
            </Typography>
          ) : (
            <TextPreview label={`Contents of ${m.name}`}>
              {m.text || '(empty)'}
              {m.truncated ? `\n… (only the first ${SANDBOX_INLINE_LIMIT / 1024} KiB are shown)` : ''}
            </TextPreview>
          )}
        </Box>
      ))}
    </Box>
  );
}

/** A job's input and output sandboxes: download through the BFF, small text files shown inline. */
export function JobSandboxes({ jobId, status, labelledBy }: { jobId: number; status?: string; labelledBy: string }) {
  const { data, error, isPending, refetch } = useQuery(jobQueries.sandboxes(jobId, status));
  const [open, setOpen] = useState<string | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  if (isPending) return <Skeleton variant="rounded" height={60} role="status" aria-busy="true" aria-label="Loading the sandboxes" />;
  if (error) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  if (data.sandboxes.length === 0)
    return <Typography variant="body2">This job has no sandboxes yet: its output sandbox appears once it has run.</Typography>;
  return (
    <>
      {Boolean(downloadError) && <ErrorAlert error={downloadError} title="The download failed" sx={{ mb: 2 }} />}
      <List aria-labelledby={labelledBy} disablePadding>
        {data.sandboxes.map((sb) => (
          <ListItem key={`${sb.kind}-${sb.pfn}`} disableGutters sx={{ flexWrap: 'wrap', gap: 1, alignItems: 'center' }}>
            <Chip size="small" label={sb.kind === 'input' ? 'Input' : 'Output'} />
            <Typography variant="body2" sx={{ fontFamily: 'monospace', wordBreak: 'break-all', flex: 1, minWidth: 200 }} title={sb.pfn}>
              {shortName(sb.pfn)}
              {sb.source === 'jdl' ? ' (from the JDL)' : ''}
            </Typography>
            <Button size="small" onClick={() => setOpen(open === sb.pfn ? null : sb.pfn)} aria-expanded={open === sb.pfn}>
              {open === sb.pfn ? 'Hide files' : 'Show files'}
            </Button>
            <Button
              size="small"
              startIcon={<DownloadIcon />}
              aria-label={`Download the ${sb.kind} sandbox`}
              onClick={() => {
                setDownloadError(null);
                downloadFromBff(`/bff/v1/jobs/${jobId}/sandboxes/download?pfn=${encodeURIComponent(sb.pfn)}`, shortName(sb.pfn)).catch(
                  setDownloadError,
                );
              }}
            >
              Download
            </Button>
            {open === sb.pfn && <SandboxFiles jobId={jobId} pfn={sb.pfn} />}
          </ListItem>
        ))}
      </List>
    </>
  );
}
