/**
 * Resource catalogue contracts: sites → compute elements (CEs) → queues, joined
 * with live status from DiracX's Resource Status System (RSS).
 *
 * The catalogue is read by the BFF from `config/resources.cfg`, a file in DIRAC
 * Configuration Service layout (`Resources/Sites/<Grid>/<Site>/CEs/<CE>/Queues/<Queue>`);
 * see src/server/resources/catalogue.ts for how CS options map onto these fields.
 *
 * Units (DIRAC conventions):
 *   - `maxCpuTimeMinutes`  queue `maxCPUTime`, in minutes (DIRAC/GLUE "MaxCPUTime").
 *   - `si00`               queue `SI00`: CPU power per core in SpecInt2000 (HS06 = SI00 / 250).
 *   - `cpuTimeHS06Seconds` DIRAC's normalised queue CPU limit, `60 / 250 * maxCPUTime * SI00`
 *                          (maxCPUTime capped at 1,080,000 min as DIRAC does); the unit of a job's
 *                          JDL `CPUTime`. Null unless both maxCPUTime and SI00 are set.
 *   - `maxWallTimeMinutes` portal extension option `MaxWallTime` (minutes); DIRAC does not read it.
 *   - `maxRamMB`           queue `MaxRAM`, in MB (DIRAC compares a job's RAM in GB to MaxRAM / 1024).
 *                          Null when unset or 0; DIRAC then assumes 2048 MB when matching.
 *   - `cores`              `NumberOfProcessors` (default 1).
 *   - `gpus`               portal extension option `NumberOfGPUs`; when it is not set, 1 if the
 *                          queue has the `GPU` tag, else 0. DIRAC itself matches GPU jobs by tag only.
 *
 * Queue kind (first rule that applies):
 *   1. an explicit `Kind = HTC | HPC | cloud` option on the queue, else its CE, else its site
 *      (portal extension);
 *   2. `cloud` when the CE's `CEType` is a VM/cloud type (Cloud, CloudCE, VMDIRAC, Vac, Vcycle);
 *   3. `HPC` when the queue is whole-node (`WholeNode = True` or tag `WholeNode`), has the `MPI`
 *      tag, or offers at least HPC_MIN_CORES (32) cores;
 *   4. `HTC` otherwise.
 * A site's kind is its explicit `Kind` option, else the kind shared by all its queues, else
 * `mixed` (also `HTC` for a site without queues).
 *
 * This module is shared with the browser: it imports only zod.
 */
import { z } from 'zod';
import { SiteLocalitySchema } from './locality.ts';

export const QUEUE_KINDS = ['HTC', 'HPC', 'cloud'] as const;
export const QueueKindSchema = z.enum(QUEUE_KINDS);
export type QueueKind = z.infer<typeof QueueKindSchema>;

export const SiteKindSchema = z.enum([...QUEUE_KINDS, 'mixed']);
export type SiteKind = z.infer<typeof SiteKindSchema>;

/** Queues with at least this many cores are HPC (kind rule 3). */
export const HPC_MIN_CORES = 32;
/** CETypes whose queues are cloud/VM resources (kind rule 2). */
export const CLOUD_CE_TYPES: readonly string[] = ['Cloud', 'CloudCE', 'VMDIRAC', 'Vac', 'Vcycle'];
/** MaxRAM DIRAC assumes when a queue does not set it (MB). */
export const DIRAC_DEFAULT_MAX_RAM_MB = 2048;

// ---------------------------------------------------------------------------
// DiracX RSS wire format: GET /api/rss/site and GET /api/rss/compute
// ---------------------------------------------------------------------------
// Both return `{ "<name>": { "all": <ResourceStatus> } }`; site statuses are keyed by DIRAC site
// name (e.g. "LCG.CERN-HTC.ch"), compute statuses by CE name (e.g. "ce-htc01.cern.ch").
// DiracX maps RSS states: Active/Degraded -> allowed (Degraded carries `warnings` = the reason),
// Banned/Probing/Error/Unknown (and anything else) -> not allowed with a `reason`.
// DiracX (diracx-core 0.7) sends `warnings` as a string or null; a list is accepted too.

export const RssAllowedStatusSchema = z.object({
  allowed: z.literal(true),
  warnings: z.union([z.string(), z.array(z.string())]).nullish(),
});
export const RssBannedStatusSchema = z.object({
  allowed: z.literal(false),
  reason: z.string().default('Unknown'),
});
export const RssResourceStatusSchema = z.discriminatedUnion('allowed', [RssAllowedStatusSchema, RssBannedStatusSchema]);
export type RssResourceStatus = z.infer<typeof RssResourceStatusSchema>;

/** One entry of `/api/rss/site` or `/api/rss/compute`. */
export const RssElementStatusSchema = z.object({ all: RssResourceStatusSchema });
/** The body of `/api/rss/site` or `/api/rss/compute`. */
export const RssStatusMapSchema = z.record(z.string(), RssElementStatusSchema);
export type RssStatusMap = z.infer<typeof RssStatusMapSchema>;

// ---------------------------------------------------------------------------
// Portal status (normalised RSS status of a site or a CE)
// ---------------------------------------------------------------------------

export const StatusStateSchema = z.enum(['active', 'degraded', 'banned']);
export type StatusState = z.infer<typeof StatusStateSchema>;

export const ElementStatusSchema = z.object({
  /** active: allowed without warnings; degraded: allowed with warnings; banned: not allowed. */
  state: StatusStateSchema,
  allowed: z.boolean(),
  /** Why it is not allowed (only when banned). */
  reason: z.string().optional(),
  /** Warnings while allowed (only when degraded). */
  warnings: z.array(z.string()).optional(),
});
export type ElementStatus = z.infer<typeof ElementStatusSchema>;

/** Status of a site (`null` in the catalogue when RSS is unavailable or does not know the site). */
export const SiteStatusSchema = ElementStatusSchema;
export type SiteStatus = ElementStatus;
/** Status of a compute element (`null` when RSS is unavailable or does not know the CE). */
export const ComputeElementStatusSchema = ElementStatusSchema;
export type ComputeElementStatus = ElementStatus;

// ---------------------------------------------------------------------------
// Catalogue
// ---------------------------------------------------------------------------

const count = z.int().min(0);
const nullableText = z.string().nullable();

export const QueueSchema = z.object({
  /** Unique and stable: `<site>/<ce>/<queue>`. */
  id: z.string(),
  site: z.string(),
  grid: z.string(),
  ce: z.string(),
  /** Queue section name (what DIRAC submits to). */
  queue: z.string(),
  ceType: z.string(),
  /** `BatchSystem` behind the CE (e.g. Condor, SLURM), if known. */
  batchSystem: nullableText,
  kind: QueueKindSchema,
  /** `NumberOfProcessors` (cores per job slot); 1 when unset. */
  cores: z.int().min(1),
  /** `WholeNode`: pilots take whole nodes. */
  wholeNode: z.boolean(),
  /** GPUs per job slot (`NumberOfGPUs`, portal extension; see module doc). */
  gpus: count,
  maxRamMB: count.nullable(),
  maxCpuTimeMinutes: z.number().min(0).nullable(),
  si00: z.number().min(0).nullable(),
  cpuTimeHS06Seconds: count.nullable(),
  maxWallTimeMinutes: z.number().min(0).nullable(),
  /** Queue ∪ CE `Tag`, plus `MultiProcessor` when cores > 1 (DIRAC adds it). Sorted. */
  tags: z.array(z.string()),
  /** Queue ∪ CE `RequiredTag`: a job must carry all of them. Sorted. */
  requiredTags: z.array(z.string()),
  maxTotalJobs: count.nullable(),
  maxWaitingJobs: count.nullable(),
  /** `Platform`, else `<architecture>_<OS>` (DIRAC's raw platform string before OS-compatibility mapping). */
  platform: nullableText,
  os: nullableText,
  architecture: nullableText,
  localCEType: nullableText,
});
export type Queue = z.infer<typeof QueueSchema>;

export const CoordinatesSchema = z.object({
  longitude: z.number().min(-180).max(180),
  latitude: z.number().min(-90).max(90),
});

export const ComputeElementSchema = z.object({
  /** CE host name; the key of its RSS status. */
  name: z.string(),
  ceType: z.string(),
  submissionMode: nullableText,
  batchSystem: nullableText,
  status: ComputeElementStatusSchema.nullable(),
  queues: z.array(QueueSchema),
});
export type ComputeElement = z.infer<typeof ComputeElementSchema>;

export const SiteSchema = z.object({
  /** DIRAC site name `<Grid>.<Name>.<country>`; the key of its RSS status. */
  name: z.string(),
  grid: z.string(),
  /** The site's `Name` option: its own name, e.g. in GOCDB. */
  localName: nullableText,
  description: nullableText,
  kind: SiteKindSchema,
  /** From `Coordinates = <longitude>:<latitude>`. */
  coordinates: CoordinatesSchema.nullable(),
  mail: nullableText,
  status: SiteStatusSchema.nullable(),
  /** Current load from DiracX's job summary (all users): jobs waiting for and running at this site; null when unknown. */
  load: z.object({ waiting: z.int().nonnegative(), running: z.int().nonnegative() }).nullable().optional(),
  ces: z.array(ComputeElementSchema),
});
export type Site = z.infer<typeof SiteSchema>;

export const ResourceCatalogueSchema = z.object({
  sites: z.array(SiteSchema),
  /** Whether DiracX RSS answered; when false every status of that kind is null. */
  rss: z.object({ site: z.boolean(), compute: z.boolean() }),
});
export type ResourceCatalogue = z.infer<typeof ResourceCatalogueSchema>;

/** The catalogue as read from the file, before statuses are joined in. */
export const CatalogueComputeElementSchema = ComputeElementSchema.omit({ status: true });
export type CatalogueComputeElement = z.infer<typeof CatalogueComputeElementSchema>;
export const CatalogueSiteSchema = SiteSchema.omit({ status: true, ces: true }).extend({
  ces: z.array(CatalogueComputeElementSchema),
});
export type CatalogueSite = z.infer<typeof CatalogueSiteSchema>;
export const CatalogueSchema = z.object({ sites: z.array(CatalogueSiteSchema) });

// ---------------------------------------------------------------------------
// Matching ("does this queue fit my job?")
// ---------------------------------------------------------------------------

/** What a job needs; every field is optional. */
export const QueueRequirementSchema = z.object({
  /** Job `NumberOfProcessors`; > 1 adds the `MultiProcessor` tag. */
  cores: z.int().min(1).optional(),
  /** GPUs needed; ≥ 1 adds the `GPU` tag. */
  gpus: z.int().min(0).optional(),
  ramMB: z.int().min(0).optional(),
  /**
   * The job's wall time in minutes (a descriptor's `walltime-estimate` / 60, or what the user asks for):
   * compared with the queue's `maxCPUTime` (minutes) as DIRAC does, and sent as the JDL `CPUTime`.
   */
  wallTimeMinutes: z.number().min(0).optional(),
  /** A JDL `CPUTime` (HS06·s), compared with the queue's normalised `cpuTimeHS06Seconds`. */
  cpuTimeHS06Seconds: z.number().min(0).optional(),
  /** Job `WholeNode`; adds the `WholeNode` tag. */
  wholeNode: z.boolean().optional(),
  /** Job `Tag`s: all must be offered by the queue. */
  tags: z.array(z.string().min(1)).optional(),
  /** Only these sites (empty or absent: any site). */
  sites: z.array(z.string()).optional(),
  bannedSites: z.array(z.string()).optional(),
});
export type QueueRequirement = z.infer<typeof QueueRequirementSchema>;

/**
 * A requirement as stored before `wallTimeMinutes` had its name (it was `cpuTimeMinutes`, in the same
 * unit: launches and schedules saved in the database), with today's names; anything else as it is.
 */
export function upgradeStoredRequirement(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('cpuTimeMinutes' in raw)) return raw;
  const { cpuTimeMinutes, ...rest } = raw as Record<string, unknown>;
  return 'wallTimeMinutes' in rest ? rest : { ...rest, wallTimeMinutes: cpuTimeMinutes };
}

export const FitResultSchema = z.object({
  fits: z.boolean(),
  /** Why the queue does not fit (empty when it fits). */
  reasons: z.array(z.string()),
  /** Things worth knowing that do not prevent a fit (degraded status, unknown status). */
  warnings: z.array(z.string()),
});
export type FitResult = z.infer<typeof FitResultSchema>;

/** One queue in `POST /bff/v1/resources/fit`: where it is, whether (and why not) it fits, and, when inputs were named, its site's locality. */
export const QueueFitSchema = z
  .object({ queueId: z.string(), site: z.string(), ce: z.string(), queue: z.string() })
  .extend(FitResultSchema.shape)
  .extend({ locality: SiteLocalitySchema.optional() });
export type QueueFit = z.infer<typeof QueueFitSchema>;
