import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { jobQueries } from '../../features/jobs/api/job-queries.ts';
import { RecentJobs } from '../../features/jobs/components/RecentJobs.tsx';
import { HELLO_WORLD_WORKFLOW_ID } from '../../features/launches/api/launch-queries.ts';
import { HelloWorldCard } from '../../features/launches/components/HelloWorldCard.tsx';
import { workflowQueries } from '../../features/workflows/api/workflow-queries.ts';
import { ROLE_LABEL, useMe } from '../../shared/ui/auth-context.tsx';
import { BlockSkeleton } from '../../shared/ui/BlockSkeleton.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Box sx={{ display: 'flex', gap: 0.75, alignItems: 'baseline' }}>
      <Typography component="dt" variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0, fontWeight: 600 }}>
        {value}
      </Typography>
    </Box>
  );
}

/** The one-click test job: a launch of the `hello-world` workflow; its jobs show up in Recent jobs. */
function HelloWorld() {
  const queryClient = useQueryClient();
  const { data, error, isPending, refetch } = useQuery(workflowQueries.detail(HELLO_WORLD_WORKFLOW_ID));
  if (data)
    return <HelloWorldCard workflow={data} onJobsSubmitted={() => void queryClient.invalidateQueries({ queryKey: jobQueries.lists() })} />;
  if (isPending) return <BlockSkeleton label="Loading Hello world…" height={220} />;
  return <ErrorAlert error={error} title="Hello world is not available" onRetry={() => void refetch()} />;
}

/** `/`: who you are, a one-click test job and your latest jobs (composed from the launches, workflows and jobs features). */
export function HomePage() {
  const me = useMe();
  return (
    <>
      <PageHeader title={`Welcome, ${me.username}`} documentTitle="Home" />
      <Box
        component="dl"
        aria-label="Your session"
        sx={{ display: 'flex', flexWrap: 'wrap', columnGap: 3, rowGap: 1, m: 0, mt: -1.5, mb: 3 }}
      >
        <Fact label="VO" value={me.vo} />
        <Fact label="Group" value={me.group} />
        <Fact label="Role" value={ROLE_LABEL[me.role]} />
        <Fact label="DiracX" value={me.instance.label} />
      </Box>
      <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: 'minmax(0, 1fr)' }}>
        <HelloWorld />
        <RecentJobs />
      </Box>
    </>
  );
}
