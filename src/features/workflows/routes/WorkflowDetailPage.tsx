import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { BlockSkeleton } from '../../../shared/ui/BlockSkeleton.tsx';
import RocketLaunchIcon from '@mui/icons-material/RocketLaunch';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import type { WorkflowDetail } from '../../../contracts/workflows/catalogue.ts';
import { paths } from '../../../shared/lib/paths.ts';
import { isNotFound } from '../../../shared/ui/api-error.ts';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';
import { workflowQueries } from '../api/workflow-queries.ts';
import { inputText, resourceText } from '../components/WorkflowCard.tsx';
import { WorkflowForm } from '../components/WorkflowForm.tsx';
import { useWorkflowForm } from '../hooks/use-workflow-form.ts';
import { workflowPaths } from './workflow-paths.ts';

const backButton = (
  <Button href={workflowPaths.list.getHref()} startIcon={<ArrowBackIcon />}>
    All workflows
  </Button>
);

/** `/workflows/:workflowId`: the parameter form generated from the workflow's descriptor. */
export function WorkflowDetailPage() {
  const { workflowId = '' } = useParams();
  const { data, error, isPending, refetch } = useQuery(workflowQueries.detail(workflowId));

  if (isPending) {
    return (
      <>
        <PageHeader title="Workflow" actions={backButton} />
        <BlockSkeleton label="Loading the workflow…" />
      </>
    );
  }
  if (isNotFound(error)) {
    return (
      <>
        <PageHeader title="Workflow not found" actions={backButton} />
        <Alert severity="warning">
          <AlertTitle>There is no workflow “{workflowId}”</AlertTitle>
          It may have been removed from the catalogue. Choose one from the list of workflows.
        </Alert>
      </>
    );
  }
  if (error && !data) {
    return (
      <>
        <PageHeader title="Workflow" actions={backButton} />
        <ErrorAlert error={error} onRetry={() => void refetch()} />
      </>
    );
  }
  // Remount the form when another workflow is shown: its draft, defaults and schema differ.
  return <WorkflowFormPage key={data.id} workflow={data} />;
}

function WorkflowFormPage({ workflow }: { workflow: WorkflowDetail }) {
  const controller = useWorkflowForm(workflow.id, workflow.descriptor);
  const navigate = useNavigate();
  const files = inputText(workflow);
  // The draft is kept in sessionStorage as it is typed, so the launch page starts from it.
  const launch = (
    <Button
      type="button"
      variant="outlined"
      startIcon={<RocketLaunchIcon />}
      onClick={() => void navigate(paths.workflows.launch.getHref(workflow.id))}
    >
      Launch…
    </Button>
  );
  return (
    <>
      <PageHeader title={workflow.name} description={workflow.description} actions={backButton} />
      <Paper
        variant="outlined"
        component="section"
        aria-label="About this workflow"
        sx={{ p: 2, mb: 3, display: 'flex', flexWrap: 'wrap', gap: 1, alignItems: 'center' }}
      >
        <Typography variant="body2">
          Version {workflow.version} · {resourceText(workflow.resources)}
          {workflow.container ? ` · ${workflow.container.image}` : ''}
          {files ? ` · ${files}` : ''}
        </Typography>
        {workflow.tags.map((t) => (
          <Chip key={t} size="small" variant="outlined" label={t} />
        ))}
      </Paper>
      <WorkflowForm controller={controller} actions={launch} />
    </>
  );
}
