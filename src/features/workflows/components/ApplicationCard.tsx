import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useId, useState } from 'react';
import type { Application, ApplicationVersion, VersionStatus } from '../../../contracts/workflows/applications.ts';
import { plural } from '../../../shared/lib/format.ts';
import { ConfirmDialog } from '../../../shared/ui/ConfirmDialog.tsx';
import { DateTime } from '../../../shared/ui/DateTime.tsx';
import { ScrollableTable } from '../../../shared/ui/ScrollableTable.tsx';
import { useNotify } from '../../../shared/ui/notify.tsx';
import { useVersionAction, type VersionAction } from '../api/catalogue-mutations.ts';

const STATUS: Record<VersionStatus, { label: string; color: 'default' | 'success' | 'warning' | 'info' }> = {
  draft: { label: 'Draft', color: 'info' },
  published: { label: 'Published', color: 'success' },
  disabled: { label: 'Disabled', color: 'warning' },
  removed: { label: 'Removed', color: 'default' },
};

/** Where a version came from: the portal's `workflows/` file, an upload, or an OSSR/Zenodo record (DOI linked). */
function Source({ v }: { v: ApplicationVersion }) {
  const p = v.provenance;
  if (p.source === 'zenodo') {
    const label = p.doi ? `Zenodo ${p.doi}` : `Zenodo record ${p.recordId ?? ''}`;
    return (
      <>
        {p.url ? (
          <Link href={p.url} target="_blank" rel="noreferrer noopener">
            {label}
          </Link>
        ) : (
          label
        )}
        {p.license ? ` · ${p.license}` : ''}
        {p.creators?.length ? ` · ${p.creators.slice(0, 2).join(', ')}${p.creators.length > 2 ? ' et al.' : ''}` : ''}
      </>
    );
  }
  const what = p.source === 'seed' ? 'Portal file' : 'Upload';
  return <>{p.fileName ? `${what}: ${p.fileName}` : what}</>;
}

type Pending = { version: ApplicationVersion; action: Exclude<VersionAction, 'publish'> } | null;

/** One application and its versions, with Publish / Disable / Remove (the last two confirmed first). */
export function ApplicationCard({ application }: { application: Application }) {
  const headingId = useId();
  const notify = useNotify();
  const action = useVersionAction();
  const [confirm, setConfirm] = useState<Pending>(null);
  const run = (v: ApplicationVersion, a: VersionAction) =>
    action.mutate(
      { appId: v.appId, version: v.version, action: a },
      {
        onSuccess: (usedBy) => {
          setConfirm(null);
          const what = `Version ${v.version} of “${v.appId}”`;
          if (a === 'publish') notify(`${what} is published`, 'success');
          else if (a === 'disable') notify(`${what} is disabled: it can no longer be launched`, 'success');
          else
            notify(
              `${what} is removed${usedBy && usedBy.launches + usedBy.schedules > 0 ? `; ${plural(usedBy.launches, 'launch', 'launches')} and ${plural(usedBy.schedules, 'schedule')} used it and keep its descriptor` : ''}`,
              'success',
            );
        },
        onError: (err) => {
          if (a === 'publish') notify(`Version ${v.version} was not published: ${(err as Error).message}`, 'error');
        },
      },
    );
  const busy = (v: ApplicationVersion) => action.isPending && action.variables?.appId === v.appId && action.variables.version === v.version;

  return (
    <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: { xs: 1.5, md: 2 } }}>
      <Typography id={headingId} variant="h6" component="h3" sx={{ overflowWrap: 'anywhere' }}>
        {application.name}{' '}
        <Typography component="span" variant="body2" color="text.secondary">
          ({application.id})
        </Typography>
      </Typography>
      <ScrollableTable label={`Versions of ${application.name}`}>
        <Table size="small" aria-labelledby={headingId}>
          <TableHead>
            <TableRow>
              <TableCell>Version</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>sha-256</TableCell>
              <TableCell>Source</TableCell>
              <TableCell>Added</TableCell>
              <TableCell>Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {application.versions.map((v) => (
              <TableRow key={v.version}>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  {v.version} · {v.toolVersion}
                </TableCell>
                <TableCell>
                  <Chip size="small" variant="outlined" color={STATUS[v.status].color} label={STATUS[v.status].label} />
                </TableCell>
                <TableCell>
                  <Box component="code" title={v.sha256} sx={{ fontSize: 13 }}>
                    {v.sha256.slice(0, 12)}
                  </Box>
                </TableCell>
                <TableCell sx={{ minWidth: 160 }}>
                  <Source v={v} />
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  <DateTime value={v.createdAt} /> · {v.createdBy}
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  {v.status !== 'removed' && (
                    <Box sx={{ display: 'flex', gap: 1 }}>
                      {v.status !== 'published' && (
                        <Button
                          size="small"
                          variant="outlined"
                          loading={busy(v) && action.variables?.action === 'publish'}
                          disabled={action.isPending}
                          onClick={() => run(v, 'publish')}
                          aria-label={`Publish version ${v.version} of ${application.name}`}
                        >
                          Publish
                        </Button>
                      )}
                      {v.status === 'published' && (
                        <Button
                          size="small"
                          color="warning"
                          disabled={action.isPending}
                          onClick={() => setConfirm({ version: v, action: 'disable' })}
                          aria-label={`Disable version ${v.version} of ${application.name}`}
                        >
                          Disable
                        </Button>
                      )}
                      <Button
                        size="small"
                        color="error"
                        disabled={action.isPending}
                        onClick={() => setConfirm({ version: v, action: 'remove' })}
                        aria-label={`Remove version ${v.version} of ${application.name}`}
                      >
                        Remove
                      </Button>
                    </Box>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </ScrollableTable>
      {confirm && (
        <ConfirmDialog
          open
          title={`${confirm.action === 'disable' ? 'Disable' : 'Remove'} version ${confirm.version.version} of ${application.name}?`}
          confirmLabel={confirm.action === 'disable' ? 'Disable' : 'Remove'}
          pending={action.isPending}
          error={action.error}
          onConfirm={() => run(confirm.version, confirm.action)}
          onClose={() => {
            action.reset();
            setConfirm(null);
          }}
        >
          {confirm.action === 'disable'
            ? 'Users can no longer launch this version (it leaves the workflow list if it is the only published one). Launches, relaunches and schedules that already use it keep working. You can publish it again later.'
            : 'The version disappears from every list, for good. Launches, relaunches and schedules that used it keep its descriptor (by its sha-256).'}
        </ConfirmDialog>
      )}
    </Paper>
  );
}
