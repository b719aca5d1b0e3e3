import { z } from 'zod';
import { BasketSchema, RUCIO_NAME_PATTERN, RUCIO_SCOPE_PATTERN } from './datasets.ts';

/**
 * Dataset sources and the Rucio source (launch path, step 1).
 *
 * "Find data" searches one of the configured sources: the portal's own catalogue (BFF database) or
 * a Rucio server (DIDs by scope, name pattern and metadata; files with size/adler32; replicas with
 * their storage element). The BFF talks to Rucio with its own credential; the browser never does.
 */

export const DATASET_SOURCE_TYPES = ['catalogue', 'rucio'] as const;
export const DatasetSourceTypeSchema = z.enum(DATASET_SOURCE_TYPES);
export type DatasetSourceType = z.infer<typeof DatasetSourceTypeSchema>;

export const DatasetSourceSchema = z.object({ type: DatasetSourceTypeSchema, label: z.string() });
export type DatasetSource = z.infer<typeof DatasetSourceSchema>;
export const DatasetSourceListSchema = z.object({
  items: z.array(DatasetSourceSchema),
  /** Scope the Rucio search form starts with (configured), if any. */
  rucioDefaultScope: z.string().nullable(),
});
export type DatasetSourceList = z.infer<typeof DatasetSourceListSchema>;

export const RUCIO_DID_TYPES = ['all', 'container', 'dataset', 'file'] as const;
export const RucioDidTypeFilterSchema = z.enum(RUCIO_DID_TYPES);
export type RucioDidTypeFilter = z.infer<typeof RucioDidTypeFilterSchema>;

/** Rucio's metadata keys the search form offers (generic metadata plugin). */
export const RUCIO_META_KEYS = ['project', 'datatype', 'run_number', 'stream_name', 'prod_step', 'version', 'campaign'] as const;

export const RUCIO_MAX_PER_PAGE = 100;
/** Rucio searches have no offset: the BFF asks for page × perPage + 1 names, so paging stops here. */
export const RUCIO_MAX_RESULTS = 10_000;

const metaValue = z
  .string()
  .trim()
  .max(100, 'at most 100 characters')
  .regex(/^[A-Za-z0-9._:\-/ ]*$/, 'letters, digits, spaces and . _ : - / only')
  .optional();

/** `GET /bff/v1/datasets/rucio/dids?scope=cta&name=prod5b*&type=dataset&project=prod5b&page=1&perPage=25` */
export const RucioSearchQuerySchema = z
  .object({
    scope: z.string().trim().regex(RUCIO_SCOPE_PATTERN, 'the scope must be 1 to 25 letters, digits, ".", "_" or "-"'),
    /** Name pattern; `*` is a wildcard. */
    name: z
      .string()
      .trim()
      .max(250)
      .regex(/^[A-Za-z0-9._\-/*]*$/, 'letters, digits, ".", "_", "-", "/" and the wildcard "*" only')
      .default('*')
      .transform((s) => s || '*'),
    type: RucioDidTypeFilterSchema.default('all'),
    project: metaValue,
    datatype: metaValue,
    run_number: metaValue,
    stream_name: metaValue,
    prod_step: metaValue,
    version: metaValue,
    campaign: metaValue,
    page: z.coerce.number().int().positive().default(1),
    perPage: z.coerce.number().int().min(1).max(RUCIO_MAX_PER_PAGE).default(25),
  })
  .refine((q) => q.page * q.perPage <= RUCIO_MAX_RESULTS, {
    message: `Rucio results can be paged up to the ${RUCIO_MAX_RESULTS.toLocaleString('en')}th; narrow the name pattern or the metadata`,
    path: ['page'],
  });
export type RucioSearchQuery = z.output<typeof RucioSearchQuerySchema>;
export type RucioSearchQueryInput = z.input<typeof RucioSearchQuerySchema>;

export const RucioDidSchema = z.object({
  scope: z.string(),
  name: z.string(),
  /** `scope:name` */
  did: z.string(),
  type: z.enum(['CONTAINER', 'DATASET', 'FILE']),
  bytes: z.number().int().nonnegative().nullable(),
  /** Number of files (datasets, containers). */
  length: z.number().int().nonnegative().nullable(),
});
export type RucioDidInfo = z.infer<typeof RucioDidSchema>;

export const RucioDidPageSchema = z.object({
  items: z.array(RucioDidSchema),
  page: z.number().int().positive(),
  perPage: z.number().int().positive(),
  /** Rucio does not count matches: whether there is at least one more page. */
  hasMore: z.boolean(),
});
export type RucioDidPage = z.infer<typeof RucioDidPageSchema>;

export const RucioDidParamSchema = z.object({
  did: z.string().refine((s) => {
    const i = s.indexOf(':');
    return i > 0 && RUCIO_SCOPE_PATTERN.test(s.slice(0, i)) && RUCIO_NAME_PATTERN.test(s.slice(i + 1));
  }, 'expected a Rucio DID scope:name'),
});

export const RucioReplicaSchema = z.object({ rse: z.string(), state: z.string(), pfns: z.array(z.string()) });
export const RucioFileSchema = z.object({
  scope: z.string(),
  name: z.string(),
  did: z.string(),
  bytes: z.number().int().nonnegative().nullable(),
  adler32: z.string().nullable(),
  events: z.number().int().nullable(),
  replicas: z.array(RucioReplicaSchema),
});
export type RucioFile = z.infer<typeof RucioFileSchema>;

/** Most files the BFF lists for one DID. */
export const RUCIO_MAX_FILES = 5_000;

export const RucioFileListSchema = z.object({
  did: z.string(),
  files: z.array(RucioFileSchema),
  totalBytes: z.number().int().nonnegative(),
  /** More files than RUCIO_MAX_FILES: the list was cut. */
  truncated: z.boolean(),
});
export type RucioFileList = z.infer<typeof RucioFileListSchema>;

/** Most DIDs one "add from Rucio" request may name (each is looked up in Rucio). */
export const RUCIO_ADD_MAX = 200;

/** `POST /bff/v1/basket/rucio-search`: DIDs picked in a Rucio search, stored with their metadata. */
export const RucioBasketAddSchema = z.object({
  dids: z.array(z.string().min(3).max(280)).min(1, 'select at least one DID').max(RUCIO_ADD_MAX, `at most ${RUCIO_ADD_MAX} DIDs at once`),
});
export type RucioBasketAdd = z.infer<typeof RucioBasketAddSchema>;

export const RucioBasketAddResultSchema = z.object({
  added: z.number().int().nonnegative(),
  alreadyPresent: z.number().int().nonnegative(),
  /** DIDs Rucio does not know (or that are not well-formed). */
  unknown: z.array(z.string()),
  basket: BasketSchema,
});
export type RucioBasketAddResult = z.infer<typeof RucioBasketAddResultSchema>;
