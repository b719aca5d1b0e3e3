import PushPinIcon from '@mui/icons-material/PushPin';
import PushPinOutlinedIcon from '@mui/icons-material/PushPinOutlined';
import ViewColumnIcon from '@mui/icons-material/ViewColumn';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import Popover from '@mui/material/Popover';
import Typography from '@mui/material/Typography';
import { useId, useState } from 'react';

type ColumnChooserProps = {
  /** Every column that can be shown, in screen order. */
  columns: readonly { id: string; header: string }[];
  shown: readonly string[];
  pinned: readonly string[];
  onShownChange: (shown: string[]) => void;
  onPinnedChange: (pinned: string[]) => void;
};

/** "Columns": show, hide and pin (keep at the left edge while scrolling sideways) any column of a table. */
export function ColumnChooser({ columns, shown, pinned, onShownChange, onPinnedChange }: ColumnChooserProps) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const titleId = useId();
  const only = (list: readonly string[], id: string, on: boolean) =>
    columns.map((c) => c.id).filter((c) => (c === id ? on : list.includes(c)));
  return (
    <>
      <Button size="small" startIcon={<ViewColumnIcon />} onClick={(e) => setAnchor(e.currentTarget)} aria-haspopup="dialog">
        Columns
      </Button>
      <Popover
        open={anchor !== null}
        anchorEl={anchor}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'left' }}
        slotProps={{ paper: { role: 'dialog', 'aria-labelledby': titleId, sx: { p: 1.5, maxHeight: 480 } } }}
      >
        <Typography id={titleId} variant="subtitle2" sx={{ px: 1 }}>
          Columns shown and pinned
        </Typography>
        {columns.map((c) => {
          const isShown = shown.includes(c.id);
          const isPinned = pinned.includes(c.id);
          return (
            <Box key={c.id} sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 2, pl: 1 }}>
              <FormControlLabel
                label={c.header}
                control={
                  <Checkbox
                    size="small"
                    checked={isShown}
                    // the last shown column stays: a table needs one
                    disabled={isShown && shown.length === 1}
                    onChange={(e) => onShownChange(only(shown, c.id, e.target.checked))}
                  />
                }
              />
              <IconButton
                size="small"
                aria-label={`Pin ${c.header}`}
                aria-pressed={isPinned}
                disabled={!isShown}
                onClick={() => onPinnedChange(only(pinned, c.id, !isPinned))}
              >
                {isPinned ? <PushPinIcon fontSize="small" color="primary" /> : <PushPinOutlinedIcon fontSize="small" />}
              </IconButton>
            </Box>
          );
        })}
      </Popover>
    </>
  );
}
