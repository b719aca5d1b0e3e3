import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import WorkIcon from '@mui/icons-material/Work';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { useParams } from 'react-router';
import type { ProductionDetail } from '../../contracts/productions.ts';
import { Fact, factsSx } from '../../features/launches/components/Fact.tsx';
import { basketQueries } from '../../features/datasets/api/basket-queries.ts';
import { LaunchInputsPanel, LaunchSubmissionPanel } from '../../features/launches/components/LaunchSubmissionPanel.tsx';
import { productionQueries } from '../../features/productions/api/production-queries.ts';
import { BulkActions } from '../../features/productions/components/BulkActions.tsx';
import { FailureBreakdown } from '../../features/productions/components/FailureBreakdown.tsx';
import { FailureSamples } from '../../features/productions/components/FailureSamples.tsx';
import { JobCountsBar } from '../../features/productions/components/JobCountsBar.tsx';
import { OutputsPanel } from '../../features/productions/components/OutputsPanel.tsx';
import { etaText, throughputText } from '../../features/productions/components/pace.ts';
import { ProductionStateChip } from '../../features/productions/components/ProductionStateChip.tsx';
import { ProgressOverTime } from '../../features/productions/components/ProgressOverTime.tsx';
import { paths } from '../../shared/lib/paths.ts';
import { isNotFound } from '../../shared/ui/api-error.ts';
import { BlockSkeleton } from '../../shared/ui/BlockSkeleton.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';

const backButton = (
  <Button href={paths.productions.getHref()} startIcon={<ArrowBackIcon />}>
    All productions
  </Button>
);

/**
 * `/productions/:productionId`: one production (a launch and its JobGroup). It composes the
 * productions feature (live counts, failures, bulk actions, progress over time) with the launches
 * feature (how the submission went, the inputs, relaunch): an app-level page.
 */
export function ProductionPage() {
  const { productionId = '' } = useParams();
  const { data, error, isPending, refetch } = useQuery(productionQueries.detail(productionId));
  if (isPending)
    return (
      <>
        <PageHeader title="Production" actions={backButton} />
        <BlockSkeleton label="Loading the production…" height={240} />
      </>
    );
  if (isNotFound(error))
    return (
      <>
        <PageHeader title="Production not found" actions={backButton} />
        <Alert severity="warning">
          <AlertTitle>There is no production “{productionId}” that you may see</AlertTitle>
          Check the address, or choose one from the productions.
        </Alert>
      </>
    );
  if (error && !data)
    return (
      <>
        <PageHeader title="Production" actions={backButton} />
        <ErrorAlert error={error} onRetry={() => void refetch()} />
      </>
    );
  return <Production detail={data} />;
}

function Production({ detail }: { detail: ProductionDetail }) {
  const { production: p, launch, failures } = detail;
  const jobsId = useId();
  const failuresId = useId();
  const queryClient = useQueryClient();
  const failedHref = (filter: { minorStatus?: string; site?: string }) =>
    paths.jobs.getHref({ jobGroup: p.jobGroup, status: 'Failed', ...filter });
  const submitted = p.state !== 'submitting';
  return (
    <>
      <PageHeader
        title={p.name}
        documentTitle={`Production ${p.name}`}
        adornment={<ProductionStateChip state={p.state} size="medium" />}
        actions={backButton}
      />
      {/* minmax(0, 1fr): an implicit grid column is as wide as its widest content; this one follows the page */}
      <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: 'minmax(0, 1fr)' }}>
        {submitted && (
          <Paper variant="outlined" component="section" aria-labelledby={jobsId} sx={{ p: { xs: 2, md: 3 }, display: 'grid', gap: 2 }}>
            <Typography id={jobsId} variant="h6" component="h2">
              Jobs
            </Typography>
            <JobCountsBar counts={p.counts} total={p.totalJobs} />
            <Box component="dl" sx={factsSx}>
              <Fact term="Throughput">{throughputText(p)}</Fact>
              <Fact term="Estimated completion">{etaText(p)}</Fact>
            </Box>
            <Box>
              <Button variant="outlined" startIcon={<WorkIcon />} href={paths.jobs.getHref({ jobGroup: p.jobGroup })}>
                View the jobs
              </Button>
            </Box>
            <BulkActions production={p} />
          </Paper>
        )}
        {submitted && (
          <Paper variant="outlined" component="section" aria-labelledby={failuresId} sx={{ p: { xs: 2, md: 3 } }}>
            <Typography id={failuresId} variant="h6" component="h2" sx={{ mb: 2 }}>
              Failures ({p.counts.failed.toLocaleString('en-US')})
            </Typography>
            <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' } }}>
              <FailureBreakdown
                title="By minor status"
                keyLabel="Minor status"
                entries={failures.byMinorStatus}
                hrefFor={(minorStatus) => failedHref(minorStatus === null ? {} : { minorStatus })}
              />
              <FailureBreakdown
                title="By site"
                keyLabel="Site"
                entries={failures.bySite}
                hrefFor={(site) => failedHref(site === null ? {} : { site })}
              />
              {failures.byApplicationStatus.some((e) => e.key !== null) && (
                <FailureBreakdown title="By exit code" keyLabel="Application status" entries={failures.byApplicationStatus} />
              )}
            </Box>
            {p.counts.failed > 0 && <FailureSamples productionId={p.id} version={JSON.stringify(p.counts)} />}
          </Paper>
        )}
        {submitted && (
          <OutputsPanel
            productionId={p.id}
            version={JSON.stringify(p.counts)}
            onAddedToBasket={() => void queryClient.invalidateQueries({ queryKey: basketQueries.all() })}
          />
        )}
        {submitted && <ProgressOverTime productionId={p.id} version={JSON.stringify(p.counts)} />}
        <LaunchSubmissionPanel launch={launch} />
        <LaunchInputsPanel launch={launch} />
      </Box>
    </>
  );
}
