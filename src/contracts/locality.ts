import { z } from 'zod';
import { BASKET_MAX_ITEMS, BasketSourceSchema, DATA_LEVELS, DataLevelSchema } from './datasets.ts';

/**
 * Data locality (issue #16): where the replicas of a launch's input files are, and what each site would
 * have to stage from tape or transfer before its jobs can read them.
 *
 * Replicas come from the portal catalogue (`dataset_replicas`) and from Rucio (`list_replicas`); a storage
 * element's site and disk/tape kind from the resource catalogue (`Resources/Sites/<grid>/<site>/SE`,
 * `Resources/StorageElements/<SE>/SEType`), else Rucio's `rse_type`, else disk (DIRAC's default).
 */

export const STORAGE_KINDS = ['disk', 'tape'] as const;
export const StorageKindSchema = z.enum(STORAGE_KINDS);
export type StorageKind = z.infer<typeof StorageKindSchema>;

/**
 * A storage element of the catalogue: `Resources/StorageElements/<SE>/SEType` (DIRAC's TXDY convention:
 * T1D0 tape, T0D1 disk; disk when unset, as in DIRAC) and the sites whose `SE` option lists it.
 */
export const StorageElementSchema = z.object({
  name: z.string(),
  kind: StorageKindSchema,
  /** The raw `SEType`, null when unset. */
  seType: z.string().nullable(),
  /** DIRAC sites listing this SE (usually one; none: remote to every site). */
  sites: z.array(z.string()),
});
export type StorageElement = z.infer<typeof StorageElementSchema>;

/** Most files one locality answer covers (Rucio datasets and containers expand to their files). */
export const LOCALITY_MAX_FILES = 50_000;
export const LOCALITY_MAX_PER_PAGE = 500;

export const ReplicaSchema = z.object({
  /** Storage element (DIRAC SE name = Rucio RSE name). */
  se: z.string(),
  kind: StorageKindSchema,
  /** Sites whose storage this SE is (none: remote to every site of the catalogue). */
  sites: z.array(z.string()),
});
export type Replica = z.infer<typeof ReplicaSchema>;

/**
 * disk: at least one replica on disk; tape: only on tape (staging needed wherever it runs);
 * none: no replica known (an unknown DID, a lost file); unknown: the portal cannot tell (ESAP items).
 */
export const AVAILABILITIES = ['disk', 'tape', 'none', 'unknown'] as const;
export const AvailabilitySchema = z.enum(AVAILABILITIES);
export type Availability = z.infer<typeof AvailabilitySchema>;

export const FileLocalitySchema = z.object({
  /** The basket item the file comes from (a Rucio dataset yields several files). */
  itemId: z.string(),
  /** LFN (catalogue) or `scope:name` (Rucio file). */
  ref: z.string(),
  name: z.string(),
  bytes: z.number().int().nonnegative().nullable(),
  source: BasketSourceSchema,
  availability: AvailabilitySchema,
  replicas: z.array(ReplicaSchema),
});
export type FileLocality = z.infer<typeof FileLocalitySchema>;

/** What running the inputs at one site needs. Each readable file is counted in exactly one of local, stage, transfer. */
export const SiteLocalitySchema = z.object({
  site: z.string(),
  /** On disk at one of the site's storage elements: read in place. */
  localFiles: z.number().int().nonnegative(),
  localBytes: z.number().int().nonnegative(),
  /** Only on tape at the site's storage: staged to disk there first. */
  stageFiles: z.number().int().nonnegative(),
  stageBytes: z.number().int().nonnegative(),
  /** Not at this site: copied from another site (after staging when only on tape there). */
  transferFiles: z.number().int().nonnegative(),
  transferBytes: z.number().int().nonnegative(),
  /** Of the transferred files, those only on tape elsewhere (staged there first). */
  transferFromTapeFiles: z.number().int().nonnegative(),
});
export type SiteLocality = z.infer<typeof SiteLocalitySchema>;

export const StorageUseSchema = ReplicaSchema.extend({
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
export type StorageUse = z.infer<typeof StorageUseSchema>;

export const LocalitySummarySchema = z.object({
  files: z.number().int().nonnegative(),
  /** Sum of the known sizes. */
  bytes: z.number().int().nonnegative(),
  unknownSizeFiles: z.number().int().nonnegative(),
  diskFiles: z.number().int().nonnegative(),
  tapeOnlyFiles: z.number().int().nonnegative(),
  tapeOnlyBytes: z.number().int().nonnegative(),
  noReplicaFiles: z.number().int().nonnegative(),
  unknownFiles: z.number().int().nonnegative(),
  /** Every site of the resource catalogue, best placed first (least to transfer, then least to stage). */
  sites: z.array(SiteLocalitySchema),
  /** Replicas per storage element. */
  storage: z.array(StorageUseSchema),
  /** Rucio calls made for this answer (bounded batches of `list_replicas`). */
  rucioCalls: z.number().int().nonnegative(),
  /** Things the portal could not check (Rucio unreachable, items past the file limit…). */
  warnings: z.array(z.string()),
});
export type LocalitySummary = z.infer<typeof LocalitySummarySchema>;

/** A summary of no files, to count into (the BFF) or spread a test's figures over. */
export const emptyLocalitySummary = (): LocalitySummary => ({
  files: 0,
  bytes: 0,
  unknownSizeFiles: 0,
  diskFiles: 0,
  tapeOnlyFiles: 0,
  tapeOnlyBytes: 0,
  noReplicaFiles: 0,
  unknownFiles: 0,
  sites: [],
  storage: [],
  rucioCalls: 0,
  warnings: [],
});

/** `POST /bff/v1/basket/locality`: the chosen basket items (all, or all of some levels, when absent), and one page of their files. */
export const LocalityRequestSchema = z
  .object({
    itemIds: z.array(z.string().min(1).max(64)).max(BASKET_MAX_ITEMS).optional(),
    /** Without `itemIds`: the whole basket's items of these data levels (a launch on the whole basket). */
    levels: z.array(DataLevelSchema).min(1).max(DATA_LEVELS.length).optional(),
    page: z.int().positive().max(100_000).default(1),
    perPage: z.int().min(0).max(LOCALITY_MAX_PER_PAGE).default(100),
  })
  .refine((r) => !(r.itemIds && r.levels), { message: 'Name items or levels, not both', path: ['levels'] });
export type LocalityRequest = z.input<typeof LocalityRequestSchema>;

export const LocalityAnswerSchema = z.object({
  summary: LocalitySummarySchema,
  files: z.array(FileLocalitySchema),
  page: z.int().positive(),
  perPage: z.int().nonnegative(),
  /** Files in all (the pages hold `files`). */
  total: z.int().nonnegative(),
});
export type LocalityAnswer = z.infer<typeof LocalityAnswerSchema>;

/** Order two sites by locality: least to transfer, then least to stage, then most read in place. */
export function compareLocality(a: SiteLocality, b: SiteLocality): number {
  return (
    a.transferBytes - b.transferBytes ||
    a.transferFiles - b.transferFiles ||
    a.stageBytes - b.stageBytes ||
    a.stageFiles - b.stageFiles ||
    b.localBytes - a.localBytes ||
    a.site.localeCompare(b.site)
  );
}
