import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import DoNotDisturbIcon from '@mui/icons-material/DoNotDisturb';
import ExpandLessIcon from '@mui/icons-material/ExpandLess';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import WarningIcon from '@mui/icons-material/Warning';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState, type ReactNode } from 'react';
import type { LaunchInputs } from '../../../contracts/launches.ts';
import type { QueueRequirement } from '../../../contracts/resources.ts';
import { siteLocalityPhrases } from '../../../shared/lib/locality-text.ts';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { resourceQueries, type QueueFit } from '../api/resource-queries.ts';

/** Wait for the requirement to stop changing (typing) before asking the BFF. */
function useDebounced<T>(value: T, ms: number): T {
  const key = JSON.stringify(value);
  const [settled, setSettled] = useState({ key, value });
  useEffect(() => {
    if (key === settled.key) return;
    const timer = setTimeout(() => setSettled({ key, value }), ms);
    return () => clearTimeout(timer);
  }, [key, value, ms, settled.key]);
  return settled.value;
}

const NO_INPUTS: LaunchInputs = { itemIds: [] };

const where = (q: QueueFit) => `${q.site} · ${q.ce} · ${q.queue}`;

function QueueLine({ icon, title, children }: { icon: ReactNode; title: string; children?: ReactNode }) {
  return (
    <Box component="li" sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', py: 0.5 }}>
      <Box aria-hidden sx={{ display: 'flex', pt: 0.25, '& svg': { fontSize: 18 } }}>
        {icon}
      </Box>
      <Box sx={{ minWidth: 0 }}>
        <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
          {title}
        </Typography>
        {children}
      </Box>
    </Box>
  );
}

type QueueFitPanelProps = {
  /** What the job needs (cores, GPUs, RAM, time, tags, sites). */
  requirement: QueueRequirement;
  /** Heading level of the panel's title (default h3: it sits inside a page section). */
  headingComponent?: 'h2' | 'h3' | 'h4';
  /** Debounce before asking the BFF (ms). */
  debounceMs?: number;
  /** What the jobs read (chosen basket items, or the whole basket of some levels): the queues are then ranked by where its data is. */
  inputs?: LaunchInputs;
};

/** The locality line of a queue, when the inputs are known. */
function LocalityLine({ q }: { q: QueueFit }) {
  if (!q.locality) return null;
  return (
    <Typography variant="body2" color="text.secondary">
      Data: {siteLocalityPhrases(q.locality).join('; ')}
    </Typography>
  );
}

/**
 * "Queues that fit": asks the BFF (`POST /resources/fit`, DIRAC's matching rules + live RSS
 * status) which queues can run a job with these needs, lists them, and lists the others,
 * collapsed, with their reasons ("needs 1 GPU, queue has 0", "site banned by RSS: …").
 */
export function QueueFitPanel({ requirement, headingComponent = 'h3', debounceMs = 400, inputs = NO_INPUTS }: QueueFitPanelProps) {
  const headingId = useId();
  const othersId = useId();
  const settled = useDebounced({ requirement, inputs }, debounceMs);
  const { data, error, isPending, isFetching, refetch } = useQuery(resourceQueries.fit(settled.requirement, settled.inputs));
  const [showOthers, setShowOthers] = useState(false);

  let body: ReactNode;
  if (isPending) {
    body = (
      <Typography variant="body2" color="text.secondary" role="status" aria-busy="true">
        Checking which queues fit…
      </Typography>
    );
  } else if (error && !data) {
    body = <ErrorAlert error={error} title="Could not check the queues" onRetry={() => void refetch()} />;
  } else {
    const fitting = data.queues.filter((q) => q.fits);
    const others = data.queues.filter((q) => !q.fits);
    body = (
      <>
        <Typography variant="body2" role="status" sx={{ fontWeight: 600, mb: 1 }}>
          {data.queues.length === 0
            ? 'This portal has no queues in its resource catalogue.'
            : `${fitting.length} of ${data.queues.length} ${data.queues.length === 1 ? 'queue fits' : 'queues fit'} these needs${data.locality ? ', best placed for the input data first' : ''}`}
        </Typography>
        {data.queues.length > 0 && fitting.length === 0 && (
          <Alert severity="warning" sx={{ mb: 1 }}>
            No queue can run these jobs: they would wait forever. Ask for less, or choose another site.
          </Alert>
        )}
        {fitting.length > 0 && (
          <Box component="ul" aria-label="Queues that fit" sx={{ listStyle: 'none', m: 0, p: 0 }}>
            {fitting.map((q) => (
              <QueueLine
                key={q.queueId}
                icon={q.warnings.length > 0 ? <WarningIcon color="warning" /> : <CheckCircleIcon color="success" />}
                title={where(q)}
              >
                <Typography variant="body2" color="text.secondary">
                  {q.warnings.length > 0 ? `Fits, but: ${q.warnings.join('; ')}` : 'Fits'}
                </Typography>
                <LocalityLine q={q} />
              </QueueLine>
            ))}
          </Box>
        )}
        {others.length > 0 && (
          <Box sx={{ mt: 1 }}>
            <Button
              size="small"
              onClick={() => setShowOthers((v) => !v)}
              aria-expanded={showOthers}
              aria-controls={othersId}
              startIcon={showOthers ? <ExpandLessIcon /> : <ExpandMoreIcon />}
            >
              {showOthers ? 'Hide' : 'Show'} the {others.length} {others.length === 1 ? 'queue that does' : 'queues that do'} not fit
            </Button>
            <Box
              component="ul"
              id={othersId}
              aria-label="Queues that do not fit"
              hidden={!showOthers}
              sx={{ listStyle: 'none', m: 0, p: 0 }}
            >
              {others.map((q) => (
                <QueueLine key={q.queueId} icon={<DoNotDisturbIcon color="error" />} title={where(q)}>
                  <Typography variant="body2" color="text.secondary">
                    Does not fit: {q.reasons.join('; ')}
                  </Typography>
                  <LocalityLine q={q} />
                </QueueLine>
              ))}
            </Box>
          </Box>
        )}
      </>
    );
  }

  return (
    <Box component="section" aria-labelledby={headingId}>
      <Typography id={headingId} variant="subtitle1" component={headingComponent} sx={{ fontWeight: 600 }}>
        Queues that fit
      </Typography>
      <Box sx={{ height: 4, mb: 0.5 }}>{isFetching && !isPending && <LinearProgress aria-label="Checking the queues again" />}</Box>
      {body}
    </Box>
  );
}
