import LogoutIcon from '@mui/icons-material/Logout';
import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import ListItemIcon from '@mui/material/ListItemIcon';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Typography from '@mui/material/Typography';
import type { Me } from '../../contracts/auth.ts';
import { ROLE_LABEL } from '../../shared/ui/auth-context.tsx';

type Props = {
  me: Me;
  id: string;
  labelledBy: string;
  anchorEl: HTMLElement | null;
  onClose: () => void;
  onSignOut: () => void;
};

/** The user menu's popup (lazy-loaded: menus, popovers and modals are not needed to show the first page). */
export default function UserMenuPopup({ me, id, labelledBy, anchorEl, onClose, onSignOut }: Props) {
  return (
    <Menu
      id={id}
      anchorEl={anchorEl}
      open={Boolean(anchorEl)}
      onClose={onClose}
      anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
      transformOrigin={{ vertical: 'top', horizontal: 'right' }}
      slotProps={{ list: { 'aria-labelledby': labelledBy } }}
    >
      <Box sx={{ px: 2, py: 1, minWidth: 240 }}>
        <Typography variant="subtitle2" component="p">
          {me.username}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {me.vo} / {me.group} · {ROLE_LABEL[me.role]}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          DiracX: {me.instance.label}
        </Typography>
      </Box>
      <Divider />
      <MenuItem onClick={onSignOut}>
        <ListItemIcon aria-hidden>
          <LogoutIcon fontSize="small" />
        </ListItemIcon>
        Sign out
      </MenuItem>
    </Menu>
  );
}
