import { createTheme } from '@mui/material/styles';
import { LinkBehavior } from './link-behavior.tsx';

/**
 * A calm, high-contrast theme. The status colours are darker than MUI's defaults so that
 * white text on chips passes WCAG AA (4.5:1), and `contrastThreshold` makes MUI pick dark
 * text whenever a colour is too light.
 */
const focusRing = { outline: '3px solid #5b9bd5', outlineOffset: '2px' };

export const theme = createTheme({
  palette: {
    mode: 'light',
    contrastThreshold: 4.5,
    primary: { main: '#1d4f91', dark: '#153a6b', light: '#4f7ab8', contrastText: '#ffffff' },
    secondary: { main: '#0f6e6e', contrastText: '#ffffff' },
    success: { main: '#1b6e34', contrastText: '#ffffff' },
    info: { main: '#0b61a4', contrastText: '#ffffff' },
    warning: { main: '#8a4b00', contrastText: '#ffffff' },
    error: { main: '#b3261e', contrastText: '#ffffff' },
    background: { default: '#f5f7fa', paper: '#ffffff' },
    text: { primary: '#1b2330', secondary: '#4a5565' },
    divider: '#dde3ea',
  },
  shape: { borderRadius: 8 },
  typography: {
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
    h4: { fontSize: '1.75rem', fontWeight: 650, letterSpacing: '-0.01em' },
    h5: { fontWeight: 650 },
    h6: { fontSize: '1.1rem', fontWeight: 650 },
    button: { textTransform: 'none', fontWeight: 600 },
    overline: { fontWeight: 600, letterSpacing: '0.08em' },
  },
  components: {
    MuiLink: {
      defaultProps: { component: LinkBehavior, underline: 'hover' },
      styleOverrides: { root: { fontWeight: 500, '&:focus-visible': focusRing } },
    },
    MuiButtonBase: {
      defaultProps: { LinkComponent: LinkBehavior },
      styleOverrides: { root: { '&.Mui-focusVisible': focusRing } },
    },
    MuiButton: { defaultProps: { disableElevation: true } },
    MuiPaper: { defaultProps: { elevation: 0 }, styleOverrides: { outlined: { borderColor: '#dde3ea' } } },
    MuiCard: { defaultProps: { variant: 'outlined' } },
    MuiAppBar: { defaultProps: { elevation: 0 } },
    MuiTableCell: {
      styleOverrides: {
        head: { fontWeight: 650, color: '#1b2330', backgroundColor: '#f0f3f7', whiteSpace: 'nowrap' },
      },
    },
    MuiTextField: { defaultProps: { size: 'small' } },
    MuiChip: { styleOverrides: { label: { fontWeight: 500 } } },
    MuiAlert: { styleOverrides: { root: { alignItems: 'flex-start' } } },
  },
});
