import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import HourglassEmptyIcon from '@mui/icons-material/HourglassEmpty';
import PlayCircleIcon from '@mui/icons-material/PlayCircle';
import WarningIcon from '@mui/icons-material/Warning';
import Chip, { type ChipProps } from '@mui/material/Chip';
import type { ReactElement } from 'react';
import type { ProductionState } from '../../../contracts/productions.ts';

const LOOK: Record<ProductionState, { label: string; color: ChipProps['color']; icon: ReactElement }> = {
  submitting: { label: 'Submitting', color: 'info', icon: <HourglassEmptyIcon /> },
  active: { label: 'In progress', color: 'primary', icon: <PlayCircleIcon /> },
  completed: { label: 'Completed', color: 'success', icon: <CheckCircleIcon /> },
  failures: { label: 'Finished with failures', color: 'warning', icon: <WarningIcon /> },
};

export const STATE_OPTIONS = (Object.keys(LOOK) as ProductionState[]).map((value) => ({ value, label: LOOK[value].label }));

/** A production's state in words, with an icon and a colour (never colour alone). */
export function ProductionStateChip({ state, size = 'small' }: { state: ProductionState; size?: ChipProps['size'] }) {
  const look = LOOK[state];
  return <Chip size={size} label={look.label} color={look.color} icon={look.icon} sx={{ fontWeight: 600 }} />;
}
