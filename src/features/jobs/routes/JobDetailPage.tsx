import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId, type ReactNode } from 'react';
import { useParams } from 'react-router';
import type { JobDetail } from '../../../contracts/jobs.ts';
import { paths } from '../../../shared/lib/paths.ts';
import { isNotFound } from '../../../shared/ui/api-error.ts';
import { DateTime } from '../../../shared/ui/DateTime.tsx';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { isFinalStatus } from '../../../shared/ui/job-status.ts';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';
import { StatusChip } from '../../../shared/ui/StatusChip.tsx';
import { visuallyHidden } from '../../../shared/ui/visually-hidden.ts';
import { DETAIL_POLL_MS, jobQueries, parseJobId } from '../api/job-queries.ts';
import { JdlBlock } from '../../../shared/ui/JdlBlock.tsx';
import { JobSandboxes } from '../components/JobSandboxes.tsx';
import { StatusTimeline } from '../components/StatusTimeline.tsx';

const backButton = (
  <Button href={paths.jobs.getHref()} startIcon={<ArrowBackIcon />}>
    All jobs
  </Button>
);

function Section({ title, children, action }: { title: string; children: (headingId: string) => ReactNode; action?: ReactNode }) {
  const id = useId();
  return (
    <Paper variant="outlined" component="section" aria-labelledby={id} sx={{ p: { xs: 2, md: 3 } }}>
      <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', mb: 2 }}>
        <Typography variant="h6" component="h2" id={id}>
          {title}
        </Typography>
        {action}
      </Box>
      {children(id)}
    </Paper>
  );
}

function NotFoundAlert({ jobId }: { jobId: string }) {
  return (
    <>
      <PageHeader title={`Job ${jobId}`} actions={backButton} />
      <Alert severity="warning">
        <AlertTitle>Job not found or not visible to you</AlertTitle>
        There is no job {jobId} that your group can see. Check the number, or sign in with the group that submitted it.
      </Alert>
    </>
  );
}

/** `/jobs/:jobId`: one job, refreshed every 2 s until it reaches a final status. */
export function JobDetailPage() {
  const { jobId: rawId } = useParams();
  const jobId = parseJobId(rawId);
  if (jobId === null) return <NotFoundAlert jobId={rawId ?? ''} />;
  return <JobDetailView jobId={jobId} />;
}

function JobDetailView({ jobId }: { jobId: number }) {
  const { data, error, isPending, refetch } = useQuery(jobQueries.detail(jobId));

  if (isPending) {
    return (
      <>
        <PageHeader title={`Job ${jobId}`} actions={backButton} />
        <Box role="status" aria-busy="true" aria-live="polite">
          <Box component="span" sx={visuallyHidden}>
            Loading job {jobId}…
          </Box>
          <Box aria-hidden sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' } }}>
            <Skeleton variant="rounded" height={260} />
            <Skeleton variant="rounded" height={260} />
          </Box>
        </Box>
      </>
    );
  }
  if (error && !data) {
    if (isNotFound(error)) return <NotFoundAlert jobId={String(jobId)} />;
    return (
      <>
        <PageHeader title={`Job ${jobId}`} actions={backButton} />
        <ErrorAlert error={error} onRetry={() => void refetch()} />
      </>
    );
  }
  return <JobDetailContent detail={data} />;
}

function Attribute({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box sx={{ display: 'contents' }}>
      <Typography component="dt" variant="body2" color="text.secondary" sx={{ fontWeight: 600 }}>
        {label}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0, wordBreak: 'break-word' }}>
        {children}
      </Typography>
    </Box>
  );
}

const text = (value: string | null | undefined) => (value ? value : '—');

function JobDetailContent({ detail }: { detail: JobDetail }) {
  const { job } = detail;
  const live = !isFinalStatus(job.status);
  const name = job.jobName ? ` — ${job.jobName}` : '';
  const extraAttributes = Object.entries(detail.attributes).sort(([a], [b]) => a.localeCompare(b));

  return (
    <>
      <PageHeader
        title={`Job ${job.jobId}${name}`}
        adornment={<StatusChip status={job.status} size="medium" />}
        description={
          live ? (
            <Box component="span" role="status">
              Live: this page refreshes every {DETAIL_POLL_MS / 1000} s until the job finishes.
            </Box>
          ) : (
            'This job has finished; its status will not change any more.'
          )
        }
        actions={backButton}
      />
      <Box
        sx={{
          display: 'grid',
          gap: 3,
          gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 1fr) minmax(0, 1fr)' },
          alignItems: 'start',
        }}
      >
        <Section title="Details">
          {() => (
            <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 3, rowGap: 1.25, m: 0 }}>
              <Attribute label="Status">
                {job.status}
                {job.minorStatus ? ` — ${job.minorStatus}` : ''}
              </Attribute>
              <Attribute label="Application status">
                {text(job.applicationStatus)}
                {detail.exitCodeReason && ` — ${detail.exitCodeReason}`}
              </Attribute>
              <Attribute label="Owner">{text(job.owner)}</Attribute>
              <Attribute label="Group">{text(job.ownerGroup)}</Attribute>
              <Attribute label="VO">{text(job.vo)}</Attribute>
              <Attribute label="Site">{text(job.site)}</Attribute>
              <Attribute label="JobGroup">{text(job.jobGroup)}</Attribute>
              <Attribute label="Submitted">
                <DateTime value={job.submissionTime} />
              </Attribute>
              <Attribute label="Started">
                <DateTime value={job.startExecTime} />
              </Attribute>
              <Attribute label="Ended">
                <DateTime value={job.endExecTime} />
              </Attribute>
              <Attribute label="Last update">
                <DateTime value={job.lastUpdateTime} />
              </Attribute>
              <Attribute label="Heartbeat">
                <DateTime value={typeof detail.attributes.HeartBeatTime === 'string' ? detail.attributes.HeartBeatTime : null} />
              </Attribute>
            </Box>
          )}
        </Section>
        <Section title="Status history">{(id) => <StatusTimeline history={detail.history} labelledBy={id} />}</Section>
        <Box sx={{ gridColumn: { lg: '1 / -1' } }}>
          <Section title="Sandboxes">{(id) => <JobSandboxes jobId={job.jobId} status={job.status} labelledBy={id} />}</Section>
        </Box>
        <Box sx={{ gridColumn: { lg: '1 / -1' } }}>
          <Section title="JDL">{(id) => <JdlBlock jdl={detail.jdl} labelledBy={id} />}</Section>
        </Box>
        {extraAttributes.length > 0 && (
          <Box sx={{ gridColumn: { lg: '1 / -1' } }}>
            <Accordion variant="outlined" disableGutters>
              <AccordionSummary expandIcon={<ExpandMoreIcon />}>
                <Typography component="h2" variant="subtitle1" sx={{ fontWeight: 650 }}>
                  All DiracX attributes ({extraAttributes.length})
                </Typography>
              </AccordionSummary>
              <AccordionDetails>
                <Table size="small" aria-label="All DiracX attributes">
                  <TableBody>
                    {extraAttributes.map(([key, value]) => (
                      <TableRow key={key}>
                        <TableCell component="th" scope="row" sx={{ fontWeight: 600, width: '35%' }}>
                          {key}
                        </TableCell>
                        <TableCell sx={{ wordBreak: 'break-word' }}>{value === null ? '—' : String(value)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </AccordionDetails>
            </Accordion>
          </Box>
        )}
      </Box>
    </>
  );
}
