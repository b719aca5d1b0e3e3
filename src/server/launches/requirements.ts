import type { QueueRequirement } from '../../contracts/resources.ts';
import type { JdlAttributes } from '../jdl/render.ts';

/** HS06 per core assumed when a time in minutes is turned into a JDL CPUTime (DIRAC reference: SI00 2500 ≈ 10 HS06). */
export const HS06_PER_CORE = 10;

/**
 * The resource selection as JDL requirements with DIRAC's matching semantics:
 * `Tags` must all be offered by the queue; `NumberOfProcessors` > 1 means a
 * multi-processor job (DIRAC adds the `MultiProcessor` tag itself; we add it
 * too so the JDL says what it needs); `WholeNode`; `CPUTime` in HS06·s;
 * memory as `MinRAM` in MB (DIRAC's Job.setRAMRequirements); `Site` /
 * `BannedSites`. Never free text: every value is a validated number or a
 * name that renderJdl checks again.
 */
export function requirementsToJdl(req: QueueRequirement): JdlAttributes {
  const tags = new Set(req.tags ?? []);
  if ((req.gpus ?? 0) > 0) tags.add('GPU');
  if ((req.cores ?? 1) > 1) tags.add('MultiProcessor');
  if (req.wholeNode) tags.add('WholeNode');
  const cpuTime =
    req.cpuTimeHS06Seconds ?? (req.wallTimeMinutes !== undefined ? Math.round(req.wallTimeMinutes * 60 * HS06_PER_CORE) : undefined);
  return {
    NumberOfProcessors: req.cores && req.cores > 1 ? req.cores : undefined,
    Tags: tags.size > 0 ? [...tags].sort() : undefined,
    CPUTime: cpuTime,
    MinRAM: req.ramMB && req.ramMB > 0 ? req.ramMB : undefined,
    Site: req.sites && req.sites.length > 0 ? [...req.sites] : undefined,
    BannedSites: req.bannedSites && req.bannedSites.length > 0 ? [...req.bannedSites] : undefined,
  };
}
