import { z } from 'zod';
import { BasketSchema } from './datasets.ts';

/**
 * A production's results: the OutputData its jobs registered in Rucio (docs/execution-site.md, "Data"), one
 * dataset per production (`user.<owner>:/<vo>/user/<u>/<owner>/<JobGroup>`).
 */

/** The DID of an LFN: a user LFN `/<vo>/user/<u>/<user>/…` is in scope `user.<user>`, any other in its first path segment. */
export function didOfLfn(lfn: string): { scope: string; name: string } {
  const parts = lfn.split('/').filter(Boolean);
  const scope = parts[1] === 'user' && parts[3] ? `user.${parts[3]}` : (parts[0] ?? '');
  return { scope, name: lfn };
}

/** DIRAC's user LFN directory: `/<vo>/user/<initial>/<user>`. */
export const userLfnBase = (vo: string, user: string) => `/${vo}/user/${user.charAt(0)}/${user}`;

/**
 * Where a job's OutputData file goes: the JDL's OutputPath under the owner's directory (as DIRAC), else
 * `<JobGroup>/<JobID>` (one directory per job, so that two jobs of a production never write the same LFN).
 */
export function outputLfn(o: {
  vo: string;
  owner: string;
  jobGroup?: string | undefined;
  jobId: number;
  outputPath?: string | undefined;
  file: string;
}): string {
  const sub = o.outputPath?.replace(/^\/+|\/+$/g, '') || `${o.jobGroup || 'nogroup'}/${o.jobId}`;
  return `${userLfnBase(o.vo, o.owner)}/${sub}/${o.file.split('/').pop() ?? o.file}`;
}

/** The dataset of a production's outputs: the owner's JobGroup directory. */
export const productionDataset = (vo: string, owner: string, jobGroup: string) => ({
  scope: `user.${owner}`,
  name: `${userLfnBase(vo, owner)}/${jobGroup}`,
});

/** Most files one production's outputs list (and archive) holds. */
export const OUTPUTS_MAX_FILES = 5_000;
/** Text shown inline, at most. */
export const OUTPUT_PREVIEW_BYTES = 64 * 1024;
/** "Download all": at most this many files and bytes in one archive. */
export const OUTPUT_ARCHIVE_MAX_FILES = 1_000;
export const OUTPUT_ARCHIVE_MAX_BYTES = 2 * 1024 ** 3;

export const ProductionOutputSchema = z.object({
  /** The file's base name. */
  name: z.string(),
  /** Its LFN (= the Rucio DID name). */
  lfn: z.string(),
  /** `scope:name`. */
  did: z.string(),
  /** The job that wrote it (from its LFN `<JobGroup>/<JobID>/<name>`), when known. */
  jobId: z.number().int().nullable(),
  bytes: z.number().int().nonnegative().nullable(),
  adler32: z.string().nullable(),
  /** The storage elements holding it. */
  rses: z.array(z.string()),
  /** The portal can read its bytes (a replica on a storage element the BFF reads). */
  readable: z.boolean(),
});
export type ProductionOutput = z.infer<typeof ProductionOutputSchema>;

export const ProductionOutputsSchema = z.object({
  /** The production's dataset `scope:name`. */
  dataset: z.string(),
  files: z.array(ProductionOutputSchema),
  totalFiles: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  /** More than OUTPUTS_MAX_FILES files: the list stops there. */
  truncated: z.boolean(),
});
export type ProductionOutputs = z.infer<typeof ProductionOutputsSchema>;

/** One output, named by its LFN (as listed). */
export const OutputFileQuerySchema = z.object({ lfn: z.string().min(2).max(250).startsWith('/') });

export const OutputPreviewSchema = z.object({
  lfn: z.string(),
  bytes: z.number().int().nonnegative(),
  /** The first OUTPUT_PREVIEW_BYTES as UTF-8 text, or null for a binary file. */
  text: z.string().nullable(),
  truncated: z.boolean(),
});
export type OutputPreview = z.infer<typeof OutputPreviewSchema>;

export const OutputsToBasketResultSchema = z.object({
  added: z.number().int().nonnegative(),
  alreadyPresent: z.number().int().nonnegative(),
  basket: BasketSchema,
});
export type OutputsToBasketResult = z.infer<typeof OutputsToBasketResultSchema>;
