import AccountCircleIcon from '@mui/icons-material/AccountCircle';
import MenuIcon from '@mui/icons-material/Menu';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import Link from '@mui/material/Link';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import { useTheme } from '@mui/material/styles';
import Toolbar from '@mui/material/Toolbar';
import useMediaQuery from '@mui/material/useMediaQuery';
import { lazy, Suspense, useId, useState, type MouseEvent, type ReactNode } from 'react';
import { NavLink, useLocation, useNavigation } from 'react-router';
import type { Me } from '../../contracts/auth.ts';
import { paths } from '../../shared/lib/paths.ts';
import { ROLE_LABEL, useAuth } from '../../shared/ui/auth-context.tsx';
import { NavigationProgress } from '../../shared/ui/NavigationProgress.tsx';
import { notifications } from '../../shared/ui/notify.tsx';
import { PRODUCT_NAME } from '../../shared/ui/PageHeader.tsx';
import { ColorSchemeButton } from './ColorSchemeButton.tsx';
import { navItemsFor } from './nav-items.tsx';
// In every page's app bar and tiny: part of the first wave rather than a request of its own.
import NotificationBell from './NotificationBell.tsx';

const DRAWER_WIDTH = 232;
const MobileDrawer = lazy(() => import('./MobileDrawer.tsx'));

function SkipLink() {
  return (
    <Box
      component="a"
      href="#main"
      onClick={(e: MouseEvent<HTMLAnchorElement>) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}
      sx={{
        position: 'absolute',
        left: 8,
        top: -48,
        zIndex: (t) => t.zIndex.tooltip + 1,
        px: 2,
        py: 1,
        bgcolor: 'background.paper',
        color: 'primary.main',
        fontWeight: 600,
        borderRadius: 1,
        boxShadow: 3,
        '&:focus': { top: 8, outline: '3px solid #5b9bd5' },
      }}
    >
      Skip to main content
    </Box>
  );
}

function Logo() {
  return <Box component="img" src="/favicon.svg" alt="" aria-hidden sx={{ width: 28, height: 28, mr: 1.25, display: 'block' }} />;
}

function Navigation({ me, onNavigate }: { me: Me; onNavigate?: () => void }) {
  return (
    <List component="nav" aria-label="Main navigation" sx={{ px: 1, py: 1.5 }}>
      {navItemsFor(me.role).map((item) => (
        <ListItemButton
          key={item.href}
          component={NavLink}
          to={item.href}
          end={item.end}
          onClick={onNavigate}
          sx={{
            borderRadius: 1.5,
            mb: 0.25,
            color: 'text.primary',
            '& .MuiListItemIcon-root': { color: 'text.secondary', minWidth: 40 },
            '&.active': {
              bgcolor: 'rgba(var(--mui-palette-primary-mainChannel) / 0.12)',
              color: 'primary.dark',
              '& .MuiListItemIcon-root': { color: 'primary.dark' },
              '& .MuiListItemText-primary': { fontWeight: 650 },
            },
          }}
        >
          <ListItemIcon aria-hidden>{item.icon}</ListItemIcon>
          <ListItemText primary={item.label} />
        </ListItemButton>
      ))}
    </List>
  );
}

const UserMenuPopup = lazy(() => import('./UserMenuPopup.tsx'));
const preloadUserMenu = () => void import('./UserMenuPopup.tsx');

function UserMenu({ me }: { me: Me }) {
  const { signOut } = useAuth();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const menuId = useId();
  const buttonId = useId();
  const open = Boolean(anchor);
  const close = () => setAnchor(null);
  const onSignOut = async () => {
    close();
    setSigningOut(true);
    try {
      await signOut();
    } catch (err) {
      setSigningOut(false);
      notifications.push({ severity: 'error', message: `Sign-out failed: ${(err as Error).message}` });
    }
  };
  return (
    <>
      <IconButton
        id={buttonId}
        color="inherit"
        aria-label={`User menu for ${me.username}`}
        aria-controls={open ? menuId : undefined}
        aria-haspopup="menu"
        aria-expanded={open ? 'true' : undefined}
        disabled={signingOut}
        onPointerEnter={preloadUserMenu}
        onFocus={preloadUserMenu}
        onClick={(e) => {
          setLoaded(true);
          setAnchor(e.currentTarget);
        }}
      >
        <AccountCircleIcon />
      </IconButton>
      {loaded && (
        <Suspense fallback={null}>
          <UserMenuPopup me={me} id={menuId} labelledBy={buttonId} anchorEl={anchor} onClose={close} onSignOut={() => void onSignOut()} />
        </Suspense>
      )}
    </>
  );
}

/** The signed-in frame: app bar, navigation drawer and the `<main>` landmark. */
export function AppShell({ me, children }: { me: Me; children: ReactNode }) {
  const theme = useTheme();
  const desktop = useMediaQuery(theme.breakpoints.up('md'), { noSsr: true });
  const navigation = useNavigation();
  const location = useLocation();
  const [mobileOpen, setMobileOpen] = useState(false);
  // Any navigation (a link, Back) closes the drawer: adjusted while rendering, not in an effect (no extra commit).
  const [shownPath, setShownPath] = useState(location.pathname);
  if (shownPath !== location.pathname) {
    setShownPath(location.pathname);
    setMobileOpen(false);
  }
  // The temporary drawer (and its transitions) is only downloaded once a small screen opens it.
  const [mobileUsed, setMobileUsed] = useState(false);

  const drawerContent = (
    <>
      <Toolbar />
      <Navigation me={me} onNavigate={() => setMobileOpen(false)} />
    </>
  );

  return (
    <Box sx={{ display: 'flex', minHeight: '100vh' }}>
      <SkipLink />
      <AppBar position="fixed" sx={{ zIndex: (t) => t.zIndex.drawer + 1 }}>
        <Toolbar sx={{ gap: 1 }}>
          {!desktop && (
            <IconButton
              color="inherit"
              edge="start"
              aria-label="Open navigation"
              onClick={() => {
                setMobileUsed(true);
                setMobileOpen(true);
              }}
            >
              <MenuIcon />
            </IconButton>
          )}
          <Link
            href={paths.home.getHref()}
            color="inherit"
            underline="none"
            sx={{ display: 'flex', alignItems: 'center', fontWeight: 650, fontSize: '1.125rem', minWidth: 0 }}
          >
            <Logo />
            <Box component="span" sx={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
              {PRODUCT_NAME}
            </Box>
          </Link>
          <Box sx={{ flexGrow: 1 }} />
          <ColorSchemeButton />
          <NotificationBell />
          <Box sx={{ display: { xs: 'none', sm: 'flex' }, gap: 1, alignItems: 'center' }}>
            <Chip
              label={`${me.username} · ${me.vo} / ${me.group}`}
              size="small"
              sx={{ bgcolor: 'rgba(255,255,255,0.16)', color: 'common.white', fontWeight: 600 }}
            />
            <Chip
              label={ROLE_LABEL[me.role]}
              size="small"
              variant="outlined"
              sx={{ color: 'common.white', borderColor: 'rgba(255,255,255,0.6)' }}
            />
          </Box>
          <UserMenu me={me} />
        </Toolbar>
        {/* Only for another page: a view change within one (a sort, a filter) shows its own busy state,
            and mounting the bar there inserted its styles in the middle of every sort (issue #17). */}
        {navigation.state !== 'idle' && navigation.location.pathname !== location.pathname && <NavigationProgress />}
      </AppBar>

      {desktop ? (
        // A plain fixed side panel: MUI's Drawer would pull its modal/slide code into the first page.
        // The column (background, border) spans the whole page however long it is; its content sticks to the viewport.
        <Box sx={{ width: DRAWER_WIDTH, flexShrink: 0, bgcolor: 'background.paper', borderRight: 1, borderColor: 'divider' }}>
          <Box sx={{ position: 'sticky', top: 0, height: '100vh', overflowY: 'auto' }}>{drawerContent}</Box>
        </Box>
      ) : (
        mobileUsed && (
          <Suspense fallback={null}>
            <MobileDrawer open={mobileOpen} onClose={() => setMobileOpen(false)} width={DRAWER_WIDTH}>
              {drawerContent}
            </MobileDrawer>
          </Suspense>
        )
      )}

      <Box
        component="main"
        id="main"
        tabIndex={-1}
        sx={{ flexGrow: 1, minWidth: 0, px: { xs: 2, md: 4 }, pb: 6, '&:focus': { outline: 'none' } }}
      >
        <Toolbar />
        <Box sx={{ maxWidth: 1400, mx: 'auto', pt: 3 }}>{children}</Box>
      </Box>
    </Box>
  );
}
