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
import { styled } from '@mui/material/styles';
import type { ReactElement } from 'react';
import { statusTone, type StatusTone } from './job-status.ts';

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

/**
 * The status in a table of many rows: the chip's text and colours as a plain element, styled once by an
 * enclosing `StatusTagStyles` (no styled component per row: the monitor's chips were a large part of
 * rendering a new page of rows, issue #17). The text names the status, so colour is not alone.
 */
export function StatusTag({ status }: { status: string }) {
  return <span className={`status-tag ${statusTone(status)}`}>{status}</span>;
}

const TONES: readonly Exclude<StatusTone, 'default'>[] = ['info', 'primary', 'success', 'warning', 'error'];

/** Wraps a table of `StatusTag`s: their one stylesheet (the chip's small filled look, both colour schemes). */
export const StatusTagStyles = styled('div')(({ theme }) => {
  const p = (theme.vars ?? theme).palette;
  return {
    '& .status-tag': {
      display: 'inline-flex',
      alignItems: 'center',
      height: 24,
      padding: '0 8px',
      borderRadius: 12,
      fontSize: theme.typography.pxToRem(13),
      fontWeight: 600,
      lineHeight: 1,
      border: `1px solid ${p.divider}`,
      color: p.text.primary,
    },
    ...Object.fromEntries(
      TONES.map((tone) => [`& .status-tag.${tone}`, { background: p[tone].main, borderColor: p[tone].main, color: p[tone].contrastText }]),
    ),
  };
});
