/**
 * "Does this queue fit my job?" with human-readable reasons.
 *
 * Follows DIRAC's queue matching (`QueueUtilities.matchQueue` and the Matcher):
 *   - the job's tags are its `Tag`s plus `MultiProcessor` when it needs more than one core,
 *     `WholeNode` when it asks for a whole node, and `GPU` when it needs GPUs (the GPU
 *     convention the portal submits with);
 *   - every job tag must be offered by the queue (job tags ⊆ queue `Tag`);
 *   - every queue `RequiredTag` must be carried by the job (queue required tags ⊆ job tags);
 *   - job cores ≤ queue `NumberOfProcessors`; job GPUs ≤ queue `NumberOfGPUs`;
 *   - job RAM ≤ queue `MaxRAM` (DIRAC assumes 2048 MB when the queue does not set it);
 *   - job time ≤ queue CPU time (the wall time in minutes against `maxCPUTime`, or HS06·s against the
 *     normalised `maxCPUTime × SI00 × 60 / 250`);
 *   - the site must be in the job's site list (if any) and not in its banned sites;
 *   - the site and the CE must not be banned by RSS (a degraded one fits, with a warning).
 */
import { DIRAC_DEFAULT_MAX_RAM_MB } from '../../contracts/resources.ts';
import { plural } from '../../contracts/wording.ts';
import type { ElementStatus, FitResult, Queue, QueueRequirement } from '../../contracts/resources.ts';

export interface QueueStatuses {
  /** Status of the queue's site; `null` = RSS gave none. Omit to skip RSS checks. */
  site?: ElementStatus | null;
  /** Status of the queue's CE; `null` = RSS gave none. Omit to skip RSS checks. */
  ce?: ElementStatus | null;
}

/** 90 → "1 h 30 min", 1440 → "24 h", 45 → "45 min". */
export function formatMinutes(minutes: number): string {
  const total = Math.round(minutes);
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** The tags DIRAC would attach to a job with these requirements. */
export function jobTags(req: QueueRequirement): Set<string> {
  const tags = new Set(req.tags ?? []);
  if ((req.cores ?? 1) > 1) tags.add('MultiProcessor');
  if (req.wholeNode) tags.add('WholeNode');
  if ((req.gpus ?? 0) > 0) tags.add('GPU');
  return tags;
}

export function explainFit(queue: Queue, req: QueueRequirement, statuses?: QueueStatuses): FitResult {
  const reasons: string[] = [];
  const warnings: string[] = [];

  // Where the job may run.
  if (req.sites && req.sites.length > 0 && !req.sites.includes(queue.site)) {
    reasons.push(`job is restricted to ${req.sites.length === 1 ? 'site' : 'sites'} ${req.sites.join(', ')}`);
  }
  if (req.bannedSites?.includes(queue.site)) {
    reasons.push(`site ${queue.site} is banned by the job`);
  }

  // Live status.
  if (statuses) {
    for (const [label, name, status] of [
      ['site', queue.site, statuses.site],
      ['CE', queue.ce, statuses.ce],
    ] as const) {
      if (status === undefined) continue;
      if (status === null) warnings.push(`no RSS status for ${label} ${name}`);
      else if (!status.allowed) reasons.push(`${label} banned by RSS: ${status.reason ?? 'no reason given'}`);
      else if (status.warnings && status.warnings.length > 0) warnings.push(`${label} degraded: ${status.warnings.join('; ')}`);
    }
  }

  // Capacities.
  const cores = req.cores ?? 1;
  const coresOk = cores <= queue.cores;
  if (!coresOk) reasons.push(`needs ${plural(cores, 'core')}, queue has ${queue.cores}`);

  const gpus = req.gpus ?? 0;
  const gpusOk = gpus <= queue.gpus;
  if (!gpusOk) reasons.push(`needs ${plural(gpus, 'GPU')}, queue has ${queue.gpus}`);

  if (req.ramMB !== undefined) {
    const limit = queue.maxRamMB ?? DIRAC_DEFAULT_MAX_RAM_MB;
    if (req.ramMB > limit) {
      const note = queue.maxRamMB === null ? ' (MaxRAM not set: DIRAC assumes 2048 MB)' : '';
      reasons.push(`needs ${req.ramMB} MB RAM, queue has ${limit} MB${note}`);
    }
  }

  if (req.wallTimeMinutes !== undefined) {
    if (queue.maxCpuTimeMinutes === null) {
      reasons.push(`needs ${formatMinutes(req.wallTimeMinutes)} CPU time, queue does not set maxCPUTime`);
    } else if (req.wallTimeMinutes > queue.maxCpuTimeMinutes) {
      reasons.push(`needs ${formatMinutes(req.wallTimeMinutes)} CPU time, queue allows ${formatMinutes(queue.maxCpuTimeMinutes)}`);
    }
  }

  if (req.cpuTimeHS06Seconds !== undefined) {
    if (queue.cpuTimeHS06Seconds === null) {
      reasons.push(`needs ${req.cpuTimeHS06Seconds} HS06·s CPU time, queue's normalised CPU time is unknown (needs maxCPUTime and SI00)`);
    } else if (req.cpuTimeHS06Seconds > queue.cpuTimeHS06Seconds) {
      reasons.push(`needs ${req.cpuTimeHS06Seconds} HS06·s CPU time, queue allows ${queue.cpuTimeHS06Seconds} HS06·s`);
    }
  }

  // Tags, both ways. A tag the job only carries because of a capacity that already failed
  // (MultiProcessor for cores, GPU for GPUs) is not reported twice.
  const tags = jobTags(req);
  const queueTags = new Set(queue.tags);
  const implicitFailed = new Set<string>();
  if (!coresOk) implicitFailed.add('MultiProcessor');
  if (!gpusOk && !(req.tags ?? []).includes('GPU')) implicitFailed.add('GPU');
  for (const tag of tags) {
    if (!queueTags.has(tag) && !implicitFailed.has(tag)) reasons.push(`needs tag ${tag}, queue does not offer it`);
  }
  for (const tag of queue.requiredTags) {
    if (!tags.has(tag)) reasons.push(`queue requires tag ${tag}`);
  }

  return { fits: reasons.length === 0, reasons, warnings };
}
