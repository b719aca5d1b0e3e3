import { z } from 'zod';
import { WorkflowIdSchema, WorkflowSummarySchema } from './catalogue.ts';
import { BoutiquesDescriptorSchema } from './descriptor.ts';

/**
 * The application catalogue as administrators manage it: applications (a workflow id) with several
 * versions side by side, each one Boutiques descriptor kept with its sha-256 (of the canonical JSON),
 * its status and where it came from (an upload, an OSSR/Zenodo record, or the portal's `workflows/`).
 */

/** Longest descriptor text accepted (characters); real Boutiques descriptors are a few to some tens of KB. */
export const MAX_DESCRIPTOR_CHARS = 256 * 1024;
/** Longest Zenodo record export accepted (characters). */
export const MAX_ZENODO_RECORD_CHARS = 1024 * 1024;
/** Versions kept per application (removed ones included) and applications in the catalogue. */
export const MAX_VERSIONS_PER_APPLICATION = 100;
export const MAX_APPLICATIONS = 2000;

export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a sha-256 in lower-case hex');
export const WorkflowVersionNumberSchema = z.int().min(1).max(1_000_000);

/** draft: uploaded, seen by administrators only; published: users launch it; disabled: hidden from new launches; removed: gone from every list. */
export const VersionStatusSchema = z.enum(['draft', 'published', 'disabled', 'removed']);
export type VersionStatus = z.infer<typeof VersionStatusSchema>;

export const ProvenanceSchema = z.object({
  source: z.enum(['seed', 'upload', 'zenodo']),
  /** Zenodo record id, DOI, record version, license and creators, when imported from OSSR/Zenodo. */
  recordId: z.string().max(64).optional(),
  doi: z.string().max(256).optional(),
  recordVersion: z.string().max(128).optional(),
  license: z.string().max(256).optional(),
  creators: z.array(z.string().max(256)).max(100).optional(),
  /** The record's landing page or the file the descriptor was read from. */
  url: z.string().max(2048).optional(),
  fileName: z.string().max(256).optional(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const ApplicationVersionSchema = z.object({
  appId: WorkflowIdSchema,
  version: WorkflowVersionNumberSchema,
  /** The descriptor's own `name` and `tool-version`. */
  name: z.string(),
  toolVersion: z.string(),
  status: VersionStatusSchema,
  sha256: Sha256Schema,
  provenance: ProvenanceSchema,
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ApplicationVersion = z.infer<typeof ApplicationVersionSchema>;

export const ApplicationSchema = z.object({
  id: WorkflowIdSchema,
  /** Name of the newest version. */
  name: z.string(),
  versions: z.array(ApplicationVersionSchema),
});
export type Application = z.infer<typeof ApplicationSchema>;
export const ApplicationListSchema = z.object({ items: z.array(ApplicationSchema) });
export type ApplicationList = z.infer<typeof ApplicationListSchema>;

const DescriptorText = z
  .string()
  .min(2)
  .max(MAX_DESCRIPTOR_CHARS, `at most ${MAX_DESCRIPTOR_CHARS / 1024} KiB`);

/** Check (and preview) a descriptor without storing it. */
export const DescriptorCheckSchema = z.object({ descriptor: DescriptorText });
export const DescriptorPreviewSchema = z.object({
  sha256: Sha256Schema,
  summary: WorkflowSummarySchema,
  descriptor: BoutiquesDescriptorSchema,
});
export type DescriptorPreview = z.infer<typeof DescriptorPreviewSchema>;
/** A stored version with its descriptor (a draft or a Zenodo import looked at before publishing). */
export const StoredDescriptorSchema = DescriptorPreviewSchema.extend({ version: ApplicationVersionSchema });
export type StoredDescriptor = z.infer<typeof StoredDescriptorSchema>;

/**
 * Add a descriptor as a new application (`as: "new"`: refused when the id is taken) or as the next
 * version of an existing one (`as: "version"`). It starts as a draft.
 */
export const ApplicationUploadSchema = z.object({
  id: WorkflowIdSchema,
  as: z.enum(['new', 'version']),
  descriptor: DescriptorText,
  fileName: z.string().max(256).optional(),
});
export type ApplicationUpload = z.infer<typeof ApplicationUploadSchema>;

/**
 * Import from an OSSR/Zenodo record: either the record's exported JSON and the descriptor file (offline),
 * or only the record id / DOI, fetched live from an allowed host (the BFF's `zenodo` config).
 */
export const ZenodoImportSchema = z.object({
  id: WorkflowIdSchema,
  as: z.enum(['new', 'version']),
  /** A record id (`1234567`), a Zenodo DOI (`10.5281/zenodo.1234567`) or a record URL. */
  record: z.string().min(1).max(512).optional(),
  /** The record's exported JSON (Zenodo "Export → JSON"). */
  recordJson: z.string().min(2).max(MAX_ZENODO_RECORD_CHARS).optional(),
  /** The descriptor file's text (offline import) … */
  descriptor: DescriptorText.optional(),
  /** … or which of the record's files is the descriptor (live import; default: the only `.json` file). */
  fileName: z.string().min(1).max(256).optional(),
});
export type ZenodoImport = z.infer<typeof ZenodoImportSchema>;

export const VersionParamsSchema = z.object({ appId: WorkflowIdSchema, version: z.coerce.number().pipe(WorkflowVersionNumberSchema) });
export const VersionActionSchema = z.enum(['publish', 'disable']);

/** A removed version, and how many launches and schedules used it (they keep its descriptor, by hash). */
export const VersionRemovalSchema = z.object({
  removed: ApplicationVersionSchema,
  usedBy: z.object({ launches: z.int(), schedules: z.int() }),
});
export type VersionRemoval = z.infer<typeof VersionRemovalSchema>;
