import BookmarksIcon from '@mui/icons-material/Bookmarks';
import DeleteIcon from '@mui/icons-material/Delete';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { memo, useId, useState, type FormEvent } from 'react';
import { readTextFile, saveBlob } from '../../../shared/lib/download.ts';
import { plural } from '../../../shared/lib/format.ts';
import {
  canonicalView,
  loadViews,
  mergeViews,
  readViews,
  SavedViewSchema,
  storeViews,
  viewsFile,
  type SavedView,
} from '../api/monitor-views.ts';

/** Larger files are not monitor views (50 views of at most 8 KiB each). */
const MAX_FILE_BYTES = 512 * 1024;

type SavedViewsProps = {
  user: { instanceId: string; username: string };
  /** The current view's querystring. */
  current: URLSearchParams;
  onApply: (search: string) => void;
};

/** "Views": save the current monitor view under a name, apply or delete saved ones, export and import them as JSON. */
export const SavedViews = memo(function SavedViews({ user, current, onApply }: SavedViewsProps) {
  const titleId = useId();
  const fileId = useId();
  const [open, setOpen] = useState(false);
  const [views, setViews] = useState<SavedView[]>(() => loadViews(user));
  const [name, setName] = useState('');
  const [message, setMessage] = useState<{ severity: 'success' | 'error' | 'warning'; text: string } | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);

  const update = (next: SavedView[]) => {
    setViews(next);
    storeViews(user, next);
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    const parsed = SavedViewSchema.safeParse({ name, search: canonicalView(current.toString()).search });
    if (!parsed.success) return setNameError('a name of 1 to 64 characters');
    setNameError(null);
    setName('');
    update(mergeViews(views, [parsed.data]));
    setMessage({ severity: 'success', text: `Saved "${parsed.data.name}"` });
  };

  const importFile = async (file: File | undefined) => {
    setMessage(null);
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) return setMessage({ severity: 'error', text: `${file.name} is too large for monitor views` });
    let json: unknown;
    try {
      json = JSON.parse(await readTextFile(file));
    } catch {
      return setMessage({ severity: 'error', text: `${file.name} is not JSON` });
    }
    const { views: read, refused } = readViews(json);
    if (read.length === 0 && refused.length === 0)
      return setMessage({ severity: 'error', text: `${file.name} is not a monitor views file exported by the portal` });
    update(mergeViews(views, read));
    setMessage({
      severity: refused.length ? 'warning' : 'success',
      text:
        `Imported ${plural(read.length, 'view')}` +
        (refused.length ? `; refused ${refused.map((n) => `"${n}"`).join(', ')} (values the monitor does not accept)` : ''),
    });
  };

  return (
    <>
      <Button variant="outlined" startIcon={<BookmarksIcon />} onClick={() => setOpen(true)} sx={{ height: 40 }}>
        Views
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby={titleId} maxWidth="sm" fullWidth>
        <DialogTitle id={titleId}>Saved views</DialogTitle>
        <DialogContent>
          <Box component="form" onSubmit={save} noValidate sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', mt: 1, mb: 2 }}>
            <TextField
              size="small"
              label="Name of this view"
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={Boolean(nameError)}
              helperText={nameError ?? 'filters, search, columns, sort and chart grouping'}
              sx={{ flex: 1 }}
            />
            <Button type="submit" variant="contained" sx={{ height: 40 }}>
              Save
            </Button>
          </Box>
          {message && (
            <Alert severity={message.severity} sx={{ mb: 2 }} onClose={() => setMessage(null)}>
              {message.text}
            </Alert>
          )}
          {views.length === 0 ? (
            <Typography variant="body2" color="text.secondary">
              No saved views yet.
            </Typography>
          ) : (
            <List dense aria-label="Saved views">
              {views.map((v) => (
                <ListItem
                  key={v.name}
                  disableGutters
                  secondaryAction={
                    <IconButton edge="end" aria-label={`Delete view ${v.name}`} onClick={() => update(views.filter((x) => x !== v))}>
                      <DeleteIcon />
                    </IconButton>
                  }
                >
                  <Button
                    onClick={() => {
                      onApply(v.search);
                      setOpen(false);
                    }}
                    sx={{ textTransform: 'none' }}
                  >
                    {v.name}
                  </Button>
                </ListItem>
              ))}
            </List>
          )}
          <Box sx={{ mt: 2 }}>
            <Typography component="label" htmlFor={fileId} variant="subtitle2" sx={{ display: 'block', mb: 0.5 }}>
              Import views (JSON file)
            </Typography>
            <input id={fileId} type="file" accept=".json,application/json" onChange={(e) => void importFile(e.target.files?.[0])} />
          </Box>
        </DialogContent>
        <DialogActions>
          <Button
            disabled={views.length === 0}
            onClick={() =>
              saveBlob(new Blob([JSON.stringify(viewsFile(views), null, 2)], { type: 'application/json' }), 'monitor-views.json')
            }
          >
            Export views
          </Button>
          <Button onClick={() => setOpen(false)}>Done</Button>
        </DialogActions>
      </Dialog>
    </>
  );
});
