/**
 * DIRAC-style matching of a job's JDL against the queues a local site serves, with the portal's
 * own rules (src/server/resources/matching.ts: Site/BannedSites, Tags both ways, cores, GPUs, MinRAM,
 * CPUTime against the queue's normalised limit).
 */
import type { Queue, QueueRequirement } from '../contracts/resources.ts';
import { explainFit } from '../server/resources/matching.ts';
import { type JdlRecord, jdlList, jdlNumber, jdlString } from './jdl.ts';

/** HS06 per core the site assumes when it turns a JDL CPUTime into a wall-clock limit (the portal's HS06_PER_CORE). */
export const SITE_HS06_PER_CORE = 10;

export function requirementOfJdl(jdl: JdlRecord): QueueRequirement {
  const tags = [...new Set([...jdlList(jdl, 'Tags'), ...jdlList(jdl, 'Tag')])];
  const sites = jdlList(jdl, 'Site').filter((s) => s !== 'ANY' && s !== '');
  const banned = [...jdlList(jdl, 'BannedSites'), ...jdlList(jdl, 'BannedSite')];
  const cores = jdlNumber(jdl, 'NumberOfProcessors') ?? jdlNumber(jdl, 'MinNumberOfProcessors');
  const cpu = jdlNumber(jdl, 'CPUTime') ?? jdlNumber(jdl, 'MaxCPUTime');
  const ram = jdlNumber(jdl, 'MinRAM');
  const wholeNode = (jdlString(jdl, 'WholeNode') ?? '').toLowerCase() === 'true' || tags.includes('WholeNode');
  return {
    ...(cores !== undefined && cores >= 1 ? { cores: Math.floor(cores) } : {}),
    ...(cpu !== undefined && cpu >= 0 ? { cpuTimeHS06Seconds: cpu } : {}),
    ...(ram !== undefined && ram > 0 ? { ramMB: Math.floor(ram) } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    ...(sites.length > 0 ? { sites } : {}),
    ...(banned.length > 0 ? { bannedSites: banned } : {}),
    ...(wholeNode ? { wholeNode } : {}),
  };
}

/** The first of the site's queues the job fits, or the reasons none does. */
export function matchQueue(queues: Queue[], jdl: JdlRecord): { queue: Queue } | { queue: null; reasons: string[] } {
  const req = requirementOfJdl(jdl);
  const reasons: string[] = [];
  for (const q of queues) {
    const fit = explainFit(q, req);
    if (fit.fits) return { queue: q };
    reasons.push(`${q.id}: ${fit.reasons.join('; ')}`);
  }
  return { queue: null, reasons };
}

/**
 * Wall-clock limit in seconds: the job's CPUTime at SITE_HS06_PER_CORE per core, capped by the queue's
 * MaxWallTime (or maxCPUTime when it sets none); the queue limit alone when the JDL sets no CPUTime.
 */
export function wallLimitSeconds(queue: Queue, jdl: JdlRecord): number {
  const queueMinutes = queue.maxWallTimeMinutes ?? queue.maxCpuTimeMinutes ?? 24 * 60;
  const cap = queueMinutes * 60;
  const cpu = jdlNumber(jdl, 'CPUTime') ?? jdlNumber(jdl, 'MaxCPUTime');
  if (cpu === undefined || cpu <= 0) return cap;
  return Math.max(1, Math.min(cap, Math.ceil(cpu / SITE_HS06_PER_CORE)));
}
