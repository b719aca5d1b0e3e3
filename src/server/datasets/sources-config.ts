/**
 * Configuration of the dataset sources "Find data" offers (`datasetSources` in the BFF config):
 * the catalogue in the BFF database, and optionally one Rucio server searched with the BFF's own
 * credential (userpass; the password is read from a file so it stays out of the config).
 */
import { z } from 'zod';

const url = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));

export const CatalogueSourceConfigSchema = z.object({
  type: z.literal('catalogue'),
  label: z.string().min(1).default('Portal catalogue'),
});

export const RucioSourceConfigSchema = z.object({
  type: z.literal('rucio'),
  label: z.string().min(1).default('Rucio'),
  /** Base URL of the Rucio server (REST API, no path prefix). */
  url,
  /** Rucio account the portal acts as (X-Rucio-Account). */
  account: z.string().min(1).max(25),
  auth: z.object({
    method: z.literal('userpass'),
    username: z.string().min(1),
    /** File whose first line is the password. */
    passwordFile: z.string().min(1),
  }),
  /** Scope the search form starts with. */
  defaultScope: z.string().min(1).max(25).optional(),
  timeoutMs: z.coerce.number().int().positive().default(15_000),
  /**
   * Storage elements whose `file://` replicas this host reads directly (posix RSEs, e.g. the local sites'
   * LOCAL-DISK): RSE name → its root directory. The production outputs page reads files only there.
   */
  localRses: z.record(z.string().regex(/^[A-Z0-9_-]{1,64}$/), z.string().startsWith('/')).default({}),
});
export type RucioSourceConfigInput = z.input<typeof RucioSourceConfigSchema>;

export const DatasetSourcesConfigSchema = z
  .array(z.discriminatedUnion('type', [CatalogueSourceConfigSchema, RucioSourceConfigSchema]))
  .min(1, 'configure at least one dataset source')
  .refine((list) => new Set(list.map((s) => s.type)).size === list.length, 'at most one source of each type')
  .default([{ type: 'catalogue', label: 'Portal catalogue' }]);
export type DatasetSourcesConfig = z.output<typeof DatasetSourcesConfigSchema>;
