import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import { useTheme } from '@mui/material/styles';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { memo, useId } from 'react';
import { CHART_GROUPS, type ChartGroup, type JobFilters } from '../../../contracts/monitor.ts';
import { ChartFrame } from '../../../shared/ui/ChartFrame.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { statusTone } from '../../../shared/ui/job-status.ts';
import { jobQueries } from '../api/job-queries.ts';
import { StackedBars } from './StackedBars.tsx';

const DAYS = 14;
const GROUP_LABEL: Record<ChartGroup, string> = {
  Status: 'status',
  MinorStatus: 'minor status',
  ApplicationStatus: 'application status',
  Site: 'site',
  Owner: 'owner',
  OwnerGroup: 'owner group',
  JobGroup: 'JobGroup',
  JobType: 'job type',
};

/**
 * Jobs submitted per day over the last two weeks, stacked by status (or another attribute), for the current filters.
 * Memoised: the monitor re-renders on every sort, page or selection change, and an SVG chart is costly to redraw.
 */
export const StatusOverTimeChart = memo(function StatusOverTimeChart({
  filters,
  groupBy,
  onGroupByChange,
}: {
  filters: JobFilters;
  groupBy: ChartGroup;
  onGroupByChange: (groupBy: ChartGroup) => void;
}) {
  const titleId = useId();
  const theme = useTheme();
  // Status keeps its colours (the chips' tones); other groupings take the chart palette.
  const colourOf = (status: string) => {
    if (groupBy !== 'Status') return null;
    const tone = statusTone(status);
    const palette = (theme.vars ?? theme).palette;
    return tone === 'default' ? palette.grey[500] : palette[tone].main;
  };
  const { data, error, isPending, refetch } = useQuery(
    jobQueries.timeline(groupBy === 'Status' ? { ...filters, status: undefined } : filters, DAYS, groupBy),
  );
  const by = GROUP_LABEL[groupBy];
  let body;
  if (isPending) body = <Skeleton variant="rounded" height={160} role="status" aria-busy="true" aria-label="Loading the chart" />;
  else if (error && !data) body = <ErrorAlert error={error} onRetry={() => void refetch()} severity="warning" />;
  else {
    const statuses = [...new Set(data.days.flatMap((d) => Object.keys(d.counts)))];
    const total = data.days.reduce((n, d) => n + Object.values(d.counts).reduce((a, b) => a + b, 0), 0);
    body =
      total === 0 ? (
        <Typography variant="body2" color="text.secondary">
          No jobs were submitted in the last {DAYS} days in this view.
        </Typography>
      ) : (
        <Box role="img" aria-label={`Jobs submitted per day over the last ${DAYS} days, by ${by}: ${total} in all`}>
          <ChartFrame height={170} minWidth={100}>
            {(width) => (
              <StackedBars
                width={width}
                height={170}
                labels={data.days.map((d) => d.day.slice(5))}
                series={statuses.map((s) => ({ label: s, color: colourOf(s), data: data.days.map((d) => d.counts[s] ?? 0) }))}
              />
            )}
          </ChartFrame>
        </Box>
      );
  }
  return (
    <Box component="figure" aria-labelledby={titleId} sx={{ m: 0, mb: 2 }}>
      {/* pt: room above the select for its floating label, which the page's fixed-height chart box would clip. */}
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap', pt: 1.5 }}>
        <Typography component="figcaption" id={titleId} variant="subtitle2" color="text.secondary">
          Submitted per day (last {DAYS} days, UTC), by {by}
        </Typography>
        <TextField
          select
          size="small"
          label="Group by"
          value={groupBy}
          onChange={(e) => onGroupByChange(e.target.value as ChartGroup)}
          sx={{ width: 170, '& .MuiInputBase-input': { py: 0.25 } }}
        >
          {CHART_GROUPS.map((g) => (
            <MenuItem key={g} value={g} dense>
              {GROUP_LABEL[g]}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      {body}
    </Box>
  );
});
