import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import ErrorIcon from '@mui/icons-material/Error';
import HourglassEmptyIcon from '@mui/icons-material/HourglassEmpty';
import ScheduleIcon from '@mui/icons-material/Schedule';
import WarningIcon from '@mui/icons-material/Warning';
import Chip, { type ChipProps } from '@mui/material/Chip';
import type { ReactElement } from 'react';
import type { LaunchStatus } from '../../../contracts/launches.ts';

const LOOK: Record<LaunchStatus, { label: string; color: ChipProps['color']; icon: ReactElement }> = {
  pending: { label: 'Pending', color: 'default', icon: <ScheduleIcon /> },
  submitting: { label: 'Submitting', color: 'info', icon: <HourglassEmptyIcon /> },
  submitted: { label: 'Submitted', color: 'success', icon: <CheckCircleIcon /> },
  partial: { label: 'Partly submitted', color: 'warning', icon: <WarningIcon /> },
  failed: { label: 'Failed', color: 'error', icon: <ErrorIcon /> },
};

export const launchStatusLabel = (status: LaunchStatus) => LOOK[status].label;

/** A launch's status: its name in words, an icon and a colour (never colour alone). */
export function LaunchStatusChip({ status, size = 'small' }: { status: LaunchStatus; size?: ChipProps['size'] }) {
  const look = LOOK[status];
  return <Chip size={size} label={look.label} color={look.color} variant={look.color === 'default' ? 'outlined' : 'filled'} icon={look.icon} sx={{ fontWeight: 600 }} />;
}
