import { createTheme } from '@mui/material/styles';
import { LinkBehavior } from './link-behavior.tsx';

/**
 * A calm, high-contrast theme in two colour schemes. It follows the system's colour scheme
 * (prefers-color-scheme) until the user picks one in the app bar (kept in localStorage by MUI).
 * Light: the status colours are darker than MUI's defaults so that white text on chips passes
 * WCAG AA (4.5:1). Dark: lighter colours for text and links on dark surfaces; `contrastThreshold`
 * makes MUI pick dark text on them. Colours are CSS variables, so switching repaints nothing else.
 */
const focusRing = { outline: '3px solid #5b9bd5', outlineOffset: '2px' };

export const theme = createTheme({
  cssVariables: { colorSchemeSelector: 'class' },
  colorSchemes: {
    light: {
      palette: {
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
        TableCell: { border: '#e3e8ee' },
      },
    },
    dark: {
      palette: {
        contrastThreshold: 4.5,
        primary: { main: '#8cb8f0', dark: '#b5d2f7', light: '#5f93d6' },
        secondary: { main: '#6fd0c7' },
        success: { main: '#6cc488' },
        info: { main: '#79b8f0' },
        warning: { main: '#f0b45c' },
        error: { main: '#f28b82' },
        background: { default: '#0f141b', paper: '#161d27' },
        text: { primary: '#e6ebf1', secondary: '#a9b4c2' },
        divider: '#2c3644',
        TableCell: { border: '#2c3644' },
      },
    },
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
    MuiPaper: {
      defaultProps: { elevation: 0 },
      // No white overlay on dark paper (MUI lightens elevated paper in the dark scheme).
      styleOverrides: { root: { backgroundImage: 'none' }, outlined: ({ theme: t }) => ({ borderColor: t.vars.palette.divider }) },
    },
    MuiCard: { defaultProps: { variant: 'outlined' } },
    // Brand blue in the light scheme; MUI draws it in the paper colour in the dark one.
    MuiAppBar: { defaultProps: { elevation: 0 } },
    MuiTableCell: {
      styleOverrides: {
        head: ({ theme: t }) => ({
          fontWeight: 650,
          color: t.vars.palette.text.primary,
          // Opaque: sticky headers scroll over the rows.
          backgroundColor: '#f0f3f7',
          whiteSpace: 'nowrap',
          ...t.applyStyles('dark', { backgroundColor: '#1e2733' }),
        }),
      },
    },
    MuiTextField: { defaultProps: { size: 'small' } },
    MuiChip: { styleOverrides: { label: { fontWeight: 500 } } },
    MuiAlert: { styleOverrides: { root: { alignItems: 'flex-start' } } },
  },
});
