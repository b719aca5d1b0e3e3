import DarkModeIcon from '@mui/icons-material/DarkMode';
import LightModeIcon from '@mui/icons-material/LightMode';
import SettingsBrightnessIcon from '@mui/icons-material/SettingsBrightness';
import IconButton from '@mui/material/IconButton';
import { useColorScheme } from '@mui/material/styles';

type Mode = 'system' | 'light' | 'dark';
const NEXT: Record<Mode, Mode> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<Mode, string> = { system: 'system', light: 'light', dark: 'dark' };

/**
 * The colour scheme: the system's (default), light or dark; each press moves to the next one.
 * MUI keeps the choice in localStorage and applies it as a class on <html> (CSS variables).
 */
export function ColorSchemeButton() {
  const { mode, setMode } = useColorScheme();
  const current: Mode = mode ?? 'system';
  const icon = current === 'dark' ? <DarkModeIcon /> : current === 'light' ? <LightModeIcon /> : <SettingsBrightnessIcon />;
  return (
    <IconButton
      color="inherit"
      aria-label={`Colour scheme: ${LABEL[current]} (press for ${LABEL[NEXT[current]]})`}
      title={`Colour scheme: ${LABEL[current]}`}
      onClick={() => setMode(NEXT[current])}
    >
      {icon}
    </IconButton>
  );
}
