import ReplayIcon from '@mui/icons-material/Replay';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { useNavigate } from 'react-router';
import { SweepSchema, type Launch, type StagingFile } from '../../../contracts/launches.ts';
import { plural } from '../../../contracts/wording.ts';
import { sweepValues } from '../../../contracts/workflows/sweeps.ts';
import { paths } from '../../../shared/lib/paths.ts';
import { DateTime } from '../../../shared/ui/DateTime.tsx';
import { isLaunchActive, LAUNCH_POLL_MS } from '../api/launch-queries.ts';
import { relaunchStateFor } from '../schemas/launch-settings.ts';
import { Fact, factsSx } from './Fact.tsx';
import { LaunchProgressBar } from './LaunchProgressBar.tsx';

function Outcome({ launch }: { launch: Launch }) {
  const n = launch.totalJobs.toLocaleString('en-US');
  switch (launch.status) {
    case 'staging':
      return (
        <Typography variant="body2" color="text.secondary">
          Staging: Rucio is bringing the inputs to disk at the chosen site; each job is submitted as soon as its files are there. This page
          checks every {LAUNCH_POLL_MS / 1000} seconds; you can leave it.
        </Typography>
      );
    case 'pending':
    case 'submitting':
      return (
        <Typography variant="body2" color="text.secondary">
          The portal is submitting the jobs to DiracX in the background; this page checks every {LAUNCH_POLL_MS / 1000} seconds. You can
          leave it: the launch goes on, and you can come back from “Productions”.
        </Typography>
      );
    case 'submitted':
      return (
        <Alert severity="success">
          {launch.totalJobs === 1 ? 'The job was submitted to DiracX.' : `All ${n} jobs were submitted to DiracX.`}
        </Alert>
      );
    case 'partial':
      return (
        <Alert severity="warning">
          {launch.submittedJobs.toLocaleString('en-US')} of {n} jobs were submitted; {launch.failedJobs.toLocaleString('en-US')} could not
          be. See the errors below.
        </Alert>
      );
    case 'failed':
      return <Alert severity="error">No job of this launch could be submitted. See the errors below.</Alert>;
  }
}

/** How a launch's submission went (n of N submitted, the outcome, errors by job) and its facts. */
export function LaunchSubmissionPanel({ launch }: { launch: Launch }) {
  const errorsId = useId();
  return (
    <>
      <Paper variant="outlined" component="section" aria-label="Submission" sx={{ p: { xs: 2, md: 3 }, display: 'grid', gap: 2 }}>
        <LaunchProgressBar launch={launch} />
        <Box role="status" aria-live="polite">
          <Outcome launch={launch} />
        </Box>
        <Box component="dl" sx={factsSx}>
          <Fact term="Workflow">
            <Link href={paths.workflows.detail.getHref(launch.workflowId)}>{launch.workflowId}</Link>
          </Fact>
          {launch.workflowVersion !== null && (
            <Fact term="Version">
              {launch.workflowVersion}
              {launch.descriptorSha256 && (
                <>
                  {' '}
                  (sha-256{' '}
                  <Box component="code" title={launch.descriptorSha256}>
                    {launch.descriptorSha256.slice(0, 12)}
                  </Box>
                  )
                </>
              )}
            </Fact>
          )}
          <Fact term="Owner">{launch.owner}</Fact>
          <Fact term="JobGroup">
            <Box component="code" sx={{ fontFamily: 'monospace' }}>
              {launch.jobGroup}
            </Box>
          </Fact>
          <Fact term="Created">
            <DateTime value={launch.createdAt} />
          </Fact>
          <Fact term="Last change">
            <DateTime value={launch.updatedAt} />
          </Fact>
        </Box>
      </Paper>
      {launch.staging.length > 0 && <StagingPanel launch={launch} />}
      {launch.errors.length > 0 && (
        <Paper variant="outlined" component="section" aria-labelledby={errorsId} sx={{ p: { xs: 2, md: 3 } }}>
          <Typography id={errorsId} variant="h6" component="h2" sx={{ mb: 1 }}>
            Errors ({launch.errors.length})
          </Typography>
          <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
            {launch.errors.map((e, i) => (
              <li key={`${e.jobIndex}:${i}`}>
                <Typography variant="body2">
                  <strong>
                    {launch.workflowId}-{e.jobIndex}
                  </strong>{' '}
                  (job index {e.jobIndex}): {e.message}
                </Typography>
              </li>
            ))}
          </Box>
        </Paper>
      )}
    </>
  );
}

const STAGING_TEXT: Record<StagingFile['state'], string> = {
  ready: 'On disk there already',
  requested: 'Rule being requested',
  replicating: 'Being staged',
  ok: 'Staged: on disk',
  failed: 'Failed',
};

/** Stage-first launches: per input file its Rucio rule's progress, and why a file failed. */
function StagingPanel({ launch }: { launch: Launch }) {
  const headingId = useId();
  const done = launch.staging.filter((f) => f.state === 'ok' || f.state === 'ready').length;
  return (
    <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: { xs: 2, md: 3 } }}>
      <Typography id={headingId} variant="h6" component="h2" sx={{ mb: 1 }}>
        Staging ({done} of {plural(launch.staging.length, 'file')} on disk)
      </Typography>
      <Box component="ul" sx={{ m: 0, pl: 2.5, display: 'grid', gap: 0.5 }}>
        {launch.staging.map((f) => (
          <li key={f.did}>
            <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
              <Box component="code">{f.did}</Box> → {f.rse}: <strong>{STAGING_TEXT[f.state]}</strong>
              {f.error ? ` — ${f.error}` : ''}
              {f.ruleId ? ` (Rucio rule ${f.ruleId})` : ''}
            </Typography>
          </li>
        ))}
      </Box>
    </Paper>
  );
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

const LISTED_SWEEP_VALUES = 12;

/** A sweep as a person reads it: "100, 200 (2 values)", "1 to 10 in steps of 0.5 (19 values)". */
export function showSweep(raw: unknown): string {
  const parsed = SweepSchema.safeParse(raw);
  if (!parsed.success) return show(raw);
  const sweep = parsed.data;
  let count: number | null = null;
  try {
    count = sweepValues(sweep).length;
  } catch {
    // a range too long to list: say what it is without the count
  }
  const counted = count === null ? '' : ` (${plural(count, 'value')})`;
  if (sweep.kind === 'range') return `${sweep.start} to ${sweep.end} in steps of ${sweep.step}${counted}`;
  const listed = sweep.values.slice(0, LISTED_SWEEP_VALUES).join(', ');
  return `${listed}${sweep.values.length > LISTED_SWEEP_VALUES ? ', …' : ''}${counted}`;
}

/** The launch's inputs as recorded (values, sweeps, input files, resources), and "Relaunch with these inputs". */
export function LaunchInputsPanel({ launch }: { launch: Launch }) {
  const navigate = useNavigate();
  const headingId = useId();
  const relaunch = relaunchStateFor(launch);
  const request = (typeof launch.request === 'object' && launch.request !== null ? launch.request : {}) as Record<string, unknown>;
  const values = Object.entries((request.values as Record<string, unknown> | undefined) ?? {});
  const sweeps = Object.entries((request.sweeps as Record<string, unknown> | undefined) ?? {});
  const inputs = Array.isArray(request.inputItemIds) ? request.inputItemIds.length : 0;
  const resources = Object.entries((request.resources as Record<string, unknown> | undefined) ?? {});
  return (
    <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: { xs: 2, md: 3 }, display: 'grid', gap: 2 }}>
      <Typography id={headingId} variant="h6" component="h2">
        Inputs
      </Typography>
      <Box component="dl" sx={factsSx}>
        {values.map(([k, v]) => (
          <Fact key={`v-${k}`} term={k}>
            {show(v)}
          </Fact>
        ))}
        {sweeps.map(([k, v]) => (
          <Fact key={`s-${k}`} term={`${k} (swept)`}>
            {showSweep(v)}
          </Fact>
        ))}
        <Fact term="Input files">
          {inputs.toLocaleString('en-US')} ({show(request.inputMode ?? 'none')})
        </Fact>
        {resources.map(([k, v]) => (
          <Fact key={`r-${k}`} term={`Resources: ${k}`}>
            {show(v)}
          </Fact>
        ))}
      </Box>
      {relaunch && !isLaunchActive(launch.status) && (
        <Box>
          <Button
            variant="outlined"
            startIcon={<ReplayIcon />}
            onClick={() => void navigate(paths.workflows.launch.getHref(launch.workflowId, launch.workflowVersion), { state: relaunch })}
          >
            Relaunch with these inputs
          </Button>
        </Box>
      )}
    </Paper>
  );
}
