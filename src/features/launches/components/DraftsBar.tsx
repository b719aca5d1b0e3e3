import FolderOpenIcon from '@mui/icons-material/FolderOpen';
import SaveIcon from '@mui/icons-material/Save';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { DraftNameSchema, type Draft, type DraftContent, type DraftSummary } from '../../../contracts/drafts.ts';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { TextInput } from '../../../shared/ui/fields.tsx';
import { TableSkeleton } from '../../../shared/ui/TableSkeleton.tsx';
import { useNotify } from '../../../shared/ui/notify.tsx';
import { draftQueries, fetchDraft, useCreateDraft, useDeleteDraft, useUpdateDraft } from '../api/draft-queries.ts';

export type CurrentDraft = { id: string; name: string };

type Props = {
  workflowId: string;
  /** The draft the page was opened from or last saved to. */
  current: CurrentDraft | null;
  /** The launch page's state now. */
  snapshot: () => DraftContent;
  defaultName: string;
  onSaved: (draft: CurrentDraft) => void;
  onOpen: (draft: Draft) => void;
  onDeleted: (id: string) => void;
};

const when = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** "Save draft" and "Open draft" on the launch page: drafts are kept by the portal, for you only. */
export function DraftsBar({ workflowId, current, snapshot, defaultName, onSaved, onOpen, onDeleted }: Props) {
  const [dialog, setDialog] = useState<'save' | 'open' | null>(null);
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap', mb: 2 }}>
      <Button variant="outlined" startIcon={<SaveIcon />} onClick={() => setDialog('save')}>
        Save draft
      </Button>
      <Button variant="outlined" startIcon={<FolderOpenIcon />} onClick={() => setDialog('open')}>
        Open draft
      </Button>
      {current && (
        <Typography variant="body2" color="text.secondary">
          Draft: “{current.name}”
        </Typography>
      )}
      {dialog === 'save' && (
        <SaveDraftDialog
          workflowId={workflowId}
          current={current}
          snapshot={snapshot}
          defaultName={current?.name ?? defaultName}
          onClose={() => setDialog(null)}
          onSaved={onSaved}
        />
      )}
      {dialog === 'open' && (
        <OpenDraftDialog
          workflowId={workflowId}
          onClose={() => setDialog(null)}
          onOpen={(d) => {
            setDialog(null);
            onOpen(d);
          }}
          onDeleted={onDeleted}
          onRenamed={(d) => current?.id === d.id && onSaved({ id: d.id, name: d.name })}
        />
      )}
    </Box>
  );
}

function SaveDraftDialog({
  workflowId,
  current,
  snapshot,
  defaultName,
  onClose,
  onSaved,
}: Pick<Props, 'workflowId' | 'current' | 'snapshot' | 'defaultName' | 'onSaved'> & { onClose: () => void }) {
  const titleId = useId();
  const notify = useNotify();
  const create = useCreateDraft();
  const update = useUpdateDraft();
  const [name, setName] = useState(defaultName);
  const [nameError, setNameError] = useState<string | null>(null);
  const pending = create.isPending || update.isPending;
  const error = create.error ?? update.error;

  const save = async (asNew: boolean) => {
    const parsed = DraftNameSchema.safeParse(name);
    if (!parsed.success) {
      setNameError(parsed.error.issues[0]?.message ?? 'invalid name');
      return;
    }
    try {
      const content = snapshot();
      const saved =
        asNew || !current
          ? await create.mutateAsync({ name: parsed.data, workflowId, content })
          : await update.mutateAsync({ id: current.id, name: parsed.data, content });
      onSaved({ id: saved.id, name: saved.name });
      notify(`Draft “${saved.name}” saved`, 'success');
      onClose();
    } catch {
      /* shown below */
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(false);
  };

  return (
    <Dialog open onClose={() => !pending && onClose()} aria-labelledby={titleId} maxWidth="sm" fullWidth>
      <Box component="form" onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Save draft</DialogTitle>
        <DialogContent>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            The parameters, sweeps, chosen basket items, input mode, resources and production name are kept by the portal, for you only.
            They need not be complete.
          </Typography>
          <TextInput
            label="Draft name"
            value={name}
            onChange={(v) => {
              setName(v);
              setNameError(null);
            }}
            error={nameError !== null}
            helperText={nameError ?? undefined}
            htmlInput={{ maxLength: 100, autoFocus: true }}
            fullWidth
          />
          {error && <ErrorAlert error={error} title="The draft was not saved" />}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          {current && (
            <Button onClick={() => void save(true)} disabled={pending}>
              Save as a new draft
            </Button>
          )}
          <Button type="submit" variant="contained" loading={pending}>
            {current ? `Save over “${current.name}”` : 'Save'}
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}

function OpenDraftDialog({
  workflowId,
  onClose,
  onOpen,
  onDeleted,
  onRenamed,
}: {
  workflowId: string;
  onClose: () => void;
  onOpen: (d: Draft) => void;
  onDeleted: (id: string) => void;
  onRenamed: (d: DraftSummary) => void;
}) {
  const titleId = useId();
  const { data, error, isPending, refetch } = useQuery(draftQueries.list(workflowId));
  const [opening, setOpening] = useState<string | null>(null);
  const [openError, setOpenError] = useState<unknown>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string; error: string | null } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const update = useUpdateDraft();
  const remove = useDeleteDraft();

  const open = async (id: string) => {
    setOpening(id);
    setOpenError(null);
    try {
      onOpen(await fetchDraft(id));
    } catch (err) {
      setOpenError(err);
    } finally {
      setOpening(null);
    }
  };
  const rename = async (e: FormEvent) => {
    e.preventDefault();
    if (!renaming) return;
    const parsed = DraftNameSchema.safeParse(renaming.name);
    if (!parsed.success) {
      setRenaming({ ...renaming, error: parsed.error.issues[0]?.message ?? 'invalid name' });
      return;
    }
    try {
      onRenamed(await update.mutateAsync({ id: renaming.id, name: parsed.data }));
      setRenaming(null);
    } catch {
      /* shown below */
    }
  };
  const del = async (id: string) => {
    try {
      await remove.mutateAsync(id);
      onDeleted(id);
      setConfirmDelete(null);
    } catch {
      /* shown below */
    }
  };

  let body;
  if (isPending) body = <TableSkeleton rows={3} columns={2} label="Loading your drafts…" />;
  else if (error) body = <ErrorAlert error={error} onRetry={() => void refetch()} />;
  else if (data.items.length === 0)
    body = <Typography>You have no draft of this workflow yet. “Save draft” keeps the page as it is.</Typography>;
  else
    body = (
      <List aria-label="Your drafts of this workflow">
        {data.items.map((d) => (
          <ListItem key={d.id} divider sx={{ flexWrap: 'wrap', gap: 1 }}>
            {renaming?.id === d.id ? (
              <Box
                component="form"
                onSubmit={(e) => void rename(e)}
                sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', flexGrow: 1 }}
              >
                <TextInput
                  label={`New name for “${d.name}”`}
                  value={renaming.name}
                  onChange={(name) => setRenaming({ ...renaming, name, error: null })}
                  error={renaming.error !== null}
                  helperText={renaming.error ?? undefined}
                  htmlInput={{ maxLength: 100, autoFocus: true }}
                  sx={{ flexGrow: 1 }}
                />
                <Button type="submit" variant="contained" loading={update.isPending}>
                  Rename
                </Button>
                <Button onClick={() => setRenaming(null)}>Cancel</Button>
              </Box>
            ) : (
              <>
                <ListItemText primary={d.name} secondary={`Saved ${when(d.updatedAt)}`} sx={{ flexGrow: 1 }} />
                <Button
                  variant="contained"
                  size="small"
                  onClick={() => void open(d.id)}
                  loading={opening === d.id}
                  aria-label={`Open “${d.name}”`}
                >
                  Open
                </Button>
                <Button size="small" onClick={() => setRenaming({ id: d.id, name: d.name, error: null })} aria-label={`Rename “${d.name}”`}>
                  Rename
                </Button>
                {confirmDelete === d.id ? (
                  <Button
                    size="small"
                    color="error"
                    variant="outlined"
                    onClick={() => void del(d.id)}
                    loading={remove.isPending}
                    aria-label={`Really delete “${d.name}”`}
                  >
                    Really delete
                  </Button>
                ) : (
                  <Button size="small" color="error" onClick={() => setConfirmDelete(d.id)} aria-label={`Delete “${d.name}”`}>
                    Delete
                  </Button>
                )}
              </>
            )}
          </ListItem>
        ))}
      </List>
    );

  const actionError = openError ?? update.error ?? remove.error;
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} maxWidth="sm" fullWidth>
      <DialogTitle id={titleId}>Open draft</DialogTitle>
      <DialogContent>
        <Alert severity="info" sx={{ mb: 2 }}>
          Opening a draft replaces what the page holds now.
        </Alert>
        {body}
        {actionError ? <ErrorAlert error={actionError} /> : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
