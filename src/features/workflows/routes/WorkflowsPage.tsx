import AccountTreeIcon from '@mui/icons-material/AccountTree';
import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import { useQuery } from '@tanstack/react-query';
import { EmptyState } from '../../../shared/ui/EmptyState.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';
import { visuallyHidden } from '../../../shared/ui/visually-hidden.ts';
import { workflowQueries } from '../api/workflow-queries.ts';
import { WorkflowCard } from '../components/WorkflowCard.tsx';

const grid = {
  display: 'grid',
  gap: 2,
  gridTemplateColumns: { xs: '1fr', md: 'repeat(2, minmax(0, 1fr))', xl: 'repeat(3, minmax(0, 1fr))' },
} as const;

/** `/workflows`: the catalogue of applications, one card each. */
export function WorkflowsPage() {
  const { data, error, isPending, refetch } = useQuery(workflowQueries.list());

  let body;
  if (isPending) {
    body = (
      <Box role="status" aria-busy="true" sx={grid}>
        <Box component="span" sx={visuallyHidden}>
          Loading the workflow catalogue…
        </Box>
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} variant="rounded" height={220} aria-hidden />
        ))}
      </Box>
    );
  } else if (error && !data) body = <ErrorAlert error={error} onRetry={() => void refetch()} />;
  else if (data.items.length === 0)
    body = (
      <EmptyState
        icon={<AccountTreeIcon />}
        title="No workflows are available"
        description="This portal has no application descriptors in its workflow catalogue yet."
      />
    );
  else
    body = (
      <Box sx={grid}>
        {data.items.map((w) => (
          <WorkflowCard key={w.id} workflow={w} />
        ))}
      </Box>
    );

  return (
    <>
      <PageHeader
        title="Workflows"
        description="Choose an application, fill in its parameters in a checked form, sweep values to make many jobs at once, and bind it to the files in your basket."
      />
      {body}
    </>
  );
}
