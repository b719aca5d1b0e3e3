import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import type { WorkflowDetail } from '../../contracts/workflows/catalogue.ts';
import { BasketLocalityPanel } from '../../features/datasets/components/BasketLocalityPanel.tsx';
import { StageFirstChoice } from '../../features/datasets/components/StageFirstChoice.tsx';
import { BasketFileSelect } from '../../features/datasets/components/BasketFileSelect.tsx';
import { BasketPicker } from '../../features/datasets/components/BasketPicker.tsx';
import { LaunchForm } from '../../features/launches/components/LaunchForm.tsx';
import { useLaunchForm } from '../../features/launches/hooks/use-launch-form.ts';
import { useLaunchSession, type LaunchSession } from '../../features/launches/hooks/use-launch-session.ts';
import { productionQueries } from '../../features/productions/api/production-queries.ts';
import { resourceQueries } from '../../features/resources/api/resource-queries.ts';
import { QueueFitPanel } from '../../features/resources/components/QueueFitPanel.tsx';
import { ScheduleDialog } from '../../features/schedules/components/ScheduleDialog.tsx';
import { workflowQueries } from '../../features/workflows/api/workflow-queries.ts';
import { VersionPicker } from '../../features/workflows/components/VersionPicker.tsx';
import { parseVersionParam } from '../../features/workflows/routes/workflow-paths.ts';
import { WorkflowForm } from '../../features/workflows/components/WorkflowForm.tsx';
import { useWorkflowForm } from '../../features/workflows/hooks/use-workflow-form.ts';
import { draftFromRequest, WorkflowDraftSchema } from '../../features/workflows/schemas/workflow-draft.ts';
import { ApiError } from '../../shared/lib/api-client.ts';
import { paths } from '../../shared/lib/paths.ts';
import { isNotFound } from '../../shared/ui/api-error.ts';
import { BlockSkeleton } from '../../shared/ui/BlockSkeleton.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';

/**
 * `/workflows/:workflowId/launch`: the launches feature's form (features/launches/components/LaunchForm.tsx)
 * composed with the other features' parts — the workflow's parameter form, the basket picker, the
 * queues that fit, the JDL block and the schedule dialog. Then the production's progress page.
 */
export function LaunchWorkflowPage() {
  const { workflowId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const version = parseVersionParam(params.get('version'));
  const { data, error, isPending, refetch } = useQuery(workflowQueries.detail(workflowId, version));
  // The newest version drops the parameter, so a bookmark follows later publications.
  const pick = (v: number | undefined) => setParams(v === undefined ? {} : { version: String(v) }, { replace: true });
  const back = (
    <Button href={paths.workflows.detail.getHref(workflowId)} startIcon={<ArrowBackIcon />}>
      Back to the workflow
    </Button>
  );

  if (isPending) {
    return (
      <>
        <PageHeader title="Launch" actions={back} />
        <BlockSkeleton label="Loading the workflow…" />
      </>
    );
  }
  if (isNotFound(error)) {
    return (
      <>
        <PageHeader title="Workflow not found" actions={<Button href={paths.workflows.getHref()}>All workflows</Button>} />
        <Alert severity="warning">
          <AlertTitle>There is no workflow “{workflowId}”</AlertTitle>
          It may have been removed from the catalogue. Choose one from the list of workflows.
        </Alert>
      </>
    );
  }
  if (version !== undefined && error instanceof ApiError && error.status === 409) {
    return (
      <>
        <PageHeader title="Launch" actions={back} />
        <Alert severity="warning" action={<Button onClick={() => pick(undefined)}>Use the newest version</Button>}>
          <AlertTitle>
            Version {version} of “{workflowId}” cannot be launched
          </AlertTitle>
          {error.message}
        </Alert>
      </>
    );
  }
  if (error && !data) {
    return (
      <>
        <PageHeader title="Launch" actions={back} />
        <ErrorAlert error={error} onRetry={() => void refetch()} />
      </>
    );
  }
  // Another version is another form (its own inputs and defaults): remount.
  return (
    <LaunchWorkflow
      key={`${data.id}@${data.catalogueVersion}`}
      workflow={data}
      back={back}
      picker={<VersionPicker workflow={data} onPick={pick} />}
    />
  );
}

/** One workflow's launch: opening a draft starts the form again from it (a new key remounts it). */
function LaunchWorkflow({ workflow, back, picker }: { workflow: WorkflowDetail; back: ReactNode; picker: ReactNode }) {
  const session = useLaunchSession(workflow.id);
  return <ComposedLaunchForm key={session.key} workflow={workflow} session={session} back={back} picker={picker} />;
}

function ComposedLaunchForm({
  workflow,
  session,
  back,
  picker,
}: {
  workflow: WorkflowDetail;
  session: LaunchSession;
  back: ReactNode;
  picker: ReactNode;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const d = workflow.descriptor;
  // The parameter form starts from the relaunch or the opened draft (and keeps it for a reload), else from this tab's draft.
  const [initial] = useState(() =>
    session.relaunch
      ? draftFromRequest(d, session.relaunch)
      : session.opened
        ? WorkflowDraftSchema.safeParse(session.opened.content.form).data
        : undefined,
  );
  const parameters = useWorkflowForm(workflow.id, d, { initial });
  const catalogue = useQuery(resourceQueries.catalogue());
  const launch = useLaunchForm({
    workflow,
    parameters,
    relaunch: session.relaunch,
    opened: session.opened,
    onLaunched: (created) => {
      void queryClient.invalidateQueries({ queryKey: productionQueries.lists() });
      void navigate(paths.productions.detail.getHref(created.id));
    },
  });
  return (
    <LaunchForm
      launch={launch}
      session={session}
      back={back}
      parameters={(heading) => <WorkflowForm controller={parameters} heading={heading} intro={picker} jobCountWording="parameters" />}
      basketPicker={(picker) => (
        <>
          <BasketPicker {...picker} tableLabel="Basket items for this launch" />
          {/* The whole basket: where its files of the workflow's levels are (the BFF reads them itself). */}
          <BasketLocalityPanel inputs={launch.inputs} headingComponent="h3" />
        </>
      )}
      fileBinding={(slot) => <BasketFileSelect {...slot} />}
      queueFit={(requirement, inputs) => <QueueFitPanel requirement={requirement} inputs={inputs} />}
      stageFirst={(choice) => <StageFirstChoice {...choice} />}
      scheduleDialog={(body, onClose) => <ScheduleDialog mode={{ kind: 'create', launch: body }} onClose={onClose} />}
      sites={catalogue.data?.sites}
    />
  );
}
