import fs from 'node:fs';
import { z } from 'zod';

/** One local site process: which catalogue site (and queues) it serves, and how it reaches DiracX. */
export const SiteConfigSchema = z.object({
  /** DIRAC site name in the resource catalogue, e.g. LCG.CERN-HTC.ch. */
  site: z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/),
  /** Queue ids (`<site>/<ce>/<queue>`) served; all the site's queues when absent. */
  queues: z.array(z.string().min(1)).optional(),
  /**
   * Every local site of the stack (config/sites.json): a job none of their queues fits stays Waiting with
   * the reason as its minor status. Absent: this site only.
   */
  localSites: z.array(z.object({ site: z.string().min(1), queues: z.array(z.string().min(1)).optional() })).optional(),
  /** Jobs run at the same time. */
  slots: z.int().min(1).max(64).default(2),
  diracxUrl: z.url(),
  vo: z.string().min(1),
  /** The site's own CS user (JobAdministrator group), minted through the legacy exchange. */
  serviceUser: z.object({ user: z.string().min(1), group: z.string().min(1) }),
  /** File holding the legacy-exchange API key (mode 0600); read when needed, never logged. */
  apiKeyFile: z.string().min(1),
  /** DiracX's JobDB (SQLite), opened read-only for the JDLs DiracX 0.7 serves through no endpoint. */
  jobDb: z.string().min(1),
  /** The resource catalogue (DIRAC CS layout). */
  catalogue: z.string().min(1),
  /** Shared by every site process of a stack: claims/ (one file per claimed job) and work/<site>/<job>. */
  stateDir: z.string().min(1),
  /** The software area put first on the payload's PATH (like CVMFS). */
  softwareDir: z.string().min(1),
  pollMs: z.int().min(100).default(2000),
  heartbeatMs: z.int().min(200).default(5000),
  /**
   * DIRAC's StalledJobAgent: a Running job without a heartbeat (nor any other update) for this long is
   * Stalled, then Failed "Job stalled: pilot not running" (its pilot, e.g. a site process killed mid-job, is gone).
   */
  stalledAfterSeconds: z.int().min(2).default(300),
  /** A job is left alone for this long after its submission (see site.ts, `settled`). */
  settleMs: z.int().min(0).default(2500),
  /**
   * The data catalogue (docs/execution-site.md, "Data"): InputData resolved there, OutputData put on `rse`
   * (a posix RSE on this host) and registered. Absent: jobs with InputData or OutputData fail.
   */
  rucio: z
    .object({
      url: z.url(),
      account: z.string().min(1),
      username: z.string().min(1),
      passwordFile: z.string().min(1),
      rse: z.string().regex(/^[A-Z0-9_-]{1,64}$/),
    })
    .optional(),
  /** Keep working directories of finished jobs (debugging). */
  keepWorkDirs: z.boolean().default(false),
});
export type SiteConfig = z.output<typeof SiteConfigSchema>;

export function loadSiteConfig(file: string): SiteConfig {
  return SiteConfigSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}
