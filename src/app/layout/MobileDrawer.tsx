import Drawer from '@mui/material/Drawer';
import type { ReactNode } from 'react';

type Props = { open: boolean; onClose: () => void; width: number; children: ReactNode };

/** Navigation drawer for small screens (opened from the app bar's menu button). */
export default function MobileDrawer({ open, onClose, width, children }: Props) {
  return (
    <Drawer variant="temporary" open={open} onClose={onClose} sx={{ '& .MuiDrawer-paper': { width, boxSizing: 'border-box' } }}>
      {children}
    </Drawer>
  );
}
