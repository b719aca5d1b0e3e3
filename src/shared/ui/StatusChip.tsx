import CancelIcon from '@mui/icons-material/Cancel';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import DoNotDisturbOnIcon from '@mui/icons-material/DoNotDisturbOn';
import ErrorIcon from '@mui/icons-material/Error';
import HourglassEmptyIcon from '@mui/icons-material/HourglassEmpty';
import PlayCircleIcon from '@mui/icons-material/PlayCircle';
import ReplayIcon from '@mui/icons-material/Replay';
import ScheduleIcon from '@mui/icons-material/Schedule';
import WarningIcon from '@mui/icons-material/Warning';
import Chip, { type ChipProps } from '@mui/material/Chip';
import type { ReactElement } from 'react';
import { statusTone } from './job-status.ts';

const ICONS: Record<string, ReactElement> = {
  Submitting: <ScheduleIcon />,
  Received: <ScheduleIcon />,
  Checking: <ScheduleIcon />,
  Staging: <HourglassEmptyIcon />,
  Waiting: <HourglassEmptyIcon />,
  Matched: <PlayCircleIcon />,
  Running: <PlayCircleIcon />,
  Completing: <PlayCircleIcon />,
  Stalled: <WarningIcon />,
  Rescheduled: <ReplayIcon />,
  Done: <CheckCircleIcon />,
  Completed: <CheckCircleIcon />,
  Failed: <ErrorIcon />,
  Killed: <CancelIcon />,
  Deleted: <DoNotDisturbOnIcon />,
};

type StatusChipProps = { status: string; size?: ChipProps['size'] };

/** A DIRAC job status: its name, an icon and a colour (never colour alone). */
export function StatusChip({ status, size = 'small' }: StatusChipProps) {
  const tone = statusTone(status);
  const icon = ICONS[status];
  return (
    <Chip
      size={size}
      label={status}
      color={tone}
      variant={tone === 'default' ? 'outlined' : 'filled'}
      icon={icon}
      sx={{ fontWeight: 600 }}
    />
  );
}
