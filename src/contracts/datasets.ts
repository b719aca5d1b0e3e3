import { z } from 'zod';
import { pageSchema } from './common.ts';
import { noControlChars } from './text.ts';

/**
 * Datasets and the basket (launch path, step 1).
 *
 * The dataset catalogue lists files by project, data level (DL0 raw … DL3 event lists) and
 * observation date. The basket collects typed references to input data, per user and per
 * DiracX instance: a DIRAC LFN from the catalogue, a Rucio DID `scope:name`, or an item
 * imported from an ESAP shopping basket. Items are identified by (kind, ref), so adding
 * the same thing twice is a no-op.
 */

// ---------------------------------------------------------------------------------------------
// Catalogue

export const DATA_LEVELS = ['DL0', 'DL1', 'DL2', 'DL3'] as const;
export const DataLevelSchema = z.enum(DATA_LEVELS);
export type DataLevel = z.infer<typeof DataLevelSchema>;

export const DatasetFileSchema = z.object({
  /** Stable catalogue id, e.g. "CTA-LST1-2026-0042.DL3.run_021034". */
  id: z.string().min(1).max(200),
  /** DIRAC logical file name, e.g. /cta/prod/2026/CTA-LST1-2026-0042/DL3/run_021034.fits.fz */
  lfn: z.string().startsWith('/'),
  name: z.string().min(1),
  projectId: z.string().min(1),
  dataLevel: DataLevelSchema,
  sizeBytes: z.number().int().nonnegative(),
  /** "adler32:" + 8 hex digits (DIRAC's default checksum type). */
  checksum: z.string().regex(/^adler32:[0-9a-f]{8}$/),
  storageElement: z.string().min(1),
  observationDate: z.iso.date(),
  telescope: z.string().optional(),
  runNumber: z.number().int().nonnegative().optional(),
});
export type DatasetFile = z.infer<typeof DatasetFileSchema>;

export const DATASET_SORTS = ['observationDate', 'name', 'sizeBytes'] as const;
export const DatasetSortSchema = z.enum(DATASET_SORTS);
export type DatasetSort = z.infer<typeof DatasetSortSchema>;
export const SortDirSchema = z.enum(['asc', 'desc']);

export const DATASET_MAX_PER_PAGE = 200;
export const DATASET_QUERY_MAX_LENGTH = 100;

const filterShape = {
  projectId: z.string().trim().min(1).max(64).optional(),
  dataLevel: DataLevelSchema.optional(),
  /** First observation date (inclusive), YYYY-MM-DD. */
  from: z.iso.date().optional(),
  /** Last observation date (inclusive), YYYY-MM-DD. */
  to: z.iso.date().optional(),
  /** Free text: case-insensitive substring of the file name or LFN. */
  q: z.string().trim().max(DATASET_QUERY_MAX_LENGTH, `at most ${DATASET_QUERY_MAX_LENGTH} characters`).optional(),
};

const fromNotAfterTo = (f: { from?: string; to?: string }) => !(f.from && f.to && f.from > f.to);
const fromNotAfterToIssue = { message: 'the "from" date must not be after the "to" date', path: ['to'] };

/** What to look for (no paging): also the "add all matches" request. */
export const DatasetFiltersSchema = z.object(filterShape).refine(fromNotAfterTo, fromNotAfterToIssue);
export type DatasetFilters = z.infer<typeof DatasetFiltersSchema>;

/** `GET /bff/v1/datasets/files?projectId=…&dataLevel=DL3&from=2026-01-01&q=run_0210&page=2&perPage=50&sort=name&dir=asc` */
export const DatasetSearchQuerySchema = z
  .object({
    ...filterShape,
    page: z.coerce.number().int().positive().max(1_000_000).default(1),
    perPage: z.coerce.number().int().min(1).max(DATASET_MAX_PER_PAGE).default(50),
    sort: DatasetSortSchema.default('observationDate'),
    dir: SortDirSchema.default('desc'),
  })
  .refine(fromNotAfterTo, fromNotAfterToIssue);
export type DatasetSearchQuery = z.output<typeof DatasetSearchQuerySchema>;
export type DatasetSearchQueryInput = z.input<typeof DatasetSearchQuerySchema>;

export const DatasetPageSchema = pageSchema(DatasetFileSchema);
export type DatasetPage = z.infer<typeof DatasetPageSchema>;

export const ProjectSummarySchema = z.object({
  projectId: z.string(),
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  levels: z.array(DataLevelSchema),
});
export type ProjectSummary = z.infer<typeof ProjectSummarySchema>;

export const ProjectListSchema = z.object({ items: z.array(ProjectSummarySchema) });
export type ProjectList = z.infer<typeof ProjectListSchema>;

// ---------------------------------------------------------------------------------------------
// Basket

/** Most items one basket may hold. */
export const BASKET_MAX_ITEMS = 20_000;
/** Most catalogue files one "add selected" request may name. */
export const BASKET_ADD_MAX_IDS = 5_000;
/** Most files "add all matches" adds at once. */
export const BASKET_ADD_ALL_MAX = 10_000;
/** Most Rucio DIDs one paste may contain. */
export const RUCIO_DIDS_MAX = 5_000;
/** Most items one ESAP basket import may contain. */
export const ESAP_IMPORT_MAX_ITEMS = 10_000;

export const BASKET_ITEM_KINDS = ['lfn', 'rucio', 'esap'] as const;
export const BasketItemKindSchema = z.enum(BASKET_ITEM_KINDS);
export type BasketItemKind = z.infer<typeof BasketItemKindSchema>;

export const BASKET_SOURCES = ['catalogue', 'rucio', 'esap'] as const;
export const BasketSourceSchema = z.enum(BASKET_SOURCES);
export type BasketSource = z.infer<typeof BasketSourceSchema>;

export const BasketMetaValueSchema = z.union([z.string(), z.number(), z.null()]);
export type BasketMetaValue = z.infer<typeof BasketMetaValueSchema>;

/** A grouping label chosen by the user ("ON runs", "calibration"…). */
export const BasketGroupSchema = z
  .string()
  .trim()
  .min(1, 'a group label cannot be empty')
  .max(64, 'at most 64 characters')
  .check(noControlChars());

export const BasketItemSchema = z.object({
  /** Basket item id (what a launch refers to). */
  id: z.string(),
  kind: BasketItemKindSchema,
  /** The LFN (kind lfn), the Rucio DID `scope:name` (kind rucio), or `<archive>:<record id>` (kind esap). */
  ref: z.string(),
  name: z.string(),
  sizeBytes: z.number().int().nonnegative().nullable(),
  dataLevel: DataLevelSchema.nullable(),
  projectId: z.string().nullable(),
  source: BasketSourceSchema,
  group: z.string().nullable(),
  addedAt: z.string(),
  meta: z.record(z.string(), BasketMetaValueSchema),
});
export type BasketItem = z.infer<typeof BasketItemSchema>;

/** Most basket items one page (`GET /bff/v1/basket?limit=`) returns. */
export const BASKET_PAGE_MAX = 500;

/**
 * `GET /bff/v1/basket`: one page of items in a stable order (added, name, id). Without `limit`
 * the whole basket (up to BASKET_MAX_ITEMS: ~1.4 KB an item), for scripts; the SPA reads pages only.
 */
export const BasketQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).max(BASKET_MAX_ITEMS).default(0),
  limit: z.coerce.number().int().min(1).max(BASKET_PAGE_MAX).optional(),
  /** Only items of these data levels, comma-separated (`DL0,DL1`): the launch page's picker for a workflow that reads them. */
  levels: z
    .string()
    .regex(
      new RegExp(`^(${DATA_LEVELS.join('|')})(,(${DATA_LEVELS.join('|')})){0,${DATA_LEVELS.length - 1}}$`),
      'data levels, comma-separated',
    )
    .optional(),
});
export type BasketQuery = z.output<typeof BasketQuerySchema>;

export const BasketSchema = z.object({
  /** The page asked for (the whole basket when no limit was given). */
  items: z.array(BasketItemSchema),
  /** Items in the whole basket (the figures below are of the whole basket too). */
  count: z.number().int().nonnegative(),
  /** Sum of the known sizes. */
  totalBytes: z.number().int().nonnegative(),
  /** Items whose size is not known (Rucio DIDs, most ESAP items). */
  unknownSizeCount: z.number().int().nonnegative(),
  /** Items of the data levels asked for (`levels`); `items` and `offset` are then of those items. */
  matching: z.number().int().nonnegative().optional(),
  /** Where `items` starts in the whole basket. */
  offset: z.number().int().nonnegative().optional(),
  /** The group labels in the whole basket, with how many items each. */
  groups: z.array(z.object({ name: z.string(), count: z.number().int().positive() })).optional(),
});
export type Basket = z.infer<typeof BasketSchema>;

/** `POST /bff/v1/basket/items`: some catalogue files by id, or every file matching a search. */
export const BasketAddSchema = z.union([
  z.object({
    fileIds: z
      .array(z.string().min(1).max(200))
      .min(1, 'select at least one file')
      .max(BASKET_ADD_MAX_IDS, `at most ${BASKET_ADD_MAX_IDS} files at once`),
  }),
  z.object({ query: DatasetFiltersSchema }),
]);
export type BasketAdd = z.infer<typeof BasketAddSchema>;

export const BasketAddResultSchema = z.object({
  added: z.number().int().nonnegative(),
  alreadyPresent: z.number().int().nonnegative(),
  /** Requested file ids the catalogue does not know. */
  unknownIds: z.array(z.string()),
  basket: BasketSchema,
});
export type BasketAddResult = z.infer<typeof BasketAddResultSchema>;

/** `POST /bff/v1/basket/rucio`: the text of a textarea, one `scope:name` per line (or comma-separated). */
export const RucioDidsSchema = z.object({ dids: z.string().max(1_000_000, 'the text is too long') });
export type RucioDids = z.infer<typeof RucioDidsSchema>;

export const LineProblemSchema = z.object({
  /** 1-based line of the pasted text. */
  line: z.number().int().positive(),
  text: z.string(),
  message: z.string(),
});
export type LineProblem = z.infer<typeof LineProblemSchema>;

export const RucioAddResultSchema = z.object({
  added: z.number().int().nonnegative(),
  alreadyPresent: z.number().int().nonnegative(),
  invalid: z.array(LineProblemSchema),
  basket: BasketSchema,
});
export type RucioAddResult = z.infer<typeof RucioAddResultSchema>;

// Neither a scope nor any "/"-separated part of a name may be "." or "..": the BFF puts them in Rucio URL paths,
// where such a segment would move the request to another Rucio route with the portal's credential.
export const RUCIO_SCOPE_PATTERN = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,25}$/;
export const RUCIO_NAME_PATTERN = /^(?!(?:.*\/)?\.{1,2}(?:\/|$))[A-Za-z0-9._\-/]{1,250}$/;

export type RucioDid = { line: number; scope: string; name: string; did: string };

/**
 * Split pasted text into Rucio DIDs: one `scope:name` per line, or several separated by commas.
 * Blank entries and lines starting with `#` are ignored. Shared by the dialog and the BFF.
 */
export function parseRucioDids(text: string): { dids: RucioDid[]; invalid: LineProblem[] } {
  const dids: RucioDid[] = [];
  const invalid: LineProblem[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim().startsWith('#')) return;
    for (const part of raw.split(',')) {
      const token = part.trim();
      if (token === '') continue;
      const shown = token.length > 120 ? `${token.slice(0, 117)}…` : token;
      const colon = token.indexOf(':');
      if (colon === -1) {
        invalid.push({ line, text: shown, message: 'expected scope:name (no ":" found)' });
        continue;
      }
      const scope = token.slice(0, colon);
      const name = token.slice(colon + 1);
      if (!RUCIO_SCOPE_PATTERN.test(scope)) {
        invalid.push({ line, text: shown, message: 'the scope must be 1 to 25 letters, digits, ".", "_" or "-"' });
      } else if (!RUCIO_NAME_PATTERN.test(name)) {
        invalid.push({ line, text: shown, message: 'the name must be 1 to 250 letters, digits, ".", "_", "-" or "/"' });
      } else {
        dids.push({ line, scope, name, did: `${scope}:${name}` });
      }
    }
  });
  return { dids, invalid };
}

/**
 * `POST /bff/v1/basket/esap`: an ESAP shopping basket as JSON, in any of the shapes ESAP produces
 * (esap-api-gateway `accounts/user-profiles/` and esap-gui's basket):
 * - the user-profiles answer `{"results": [{"user_name": …, "shopping_cart": [ … ]}]}` (first profile is used),
 * - one profile `{"user_name": …, "shopping_cart": [ … ]}`,
 * - the bare `shopping_cart` array.
 * Each cart entry is `{"item_data": "<JSON text>"}` (as stored by the gateway) or the item itself,
 * `{"archive": "rucio", "record": {"scope": …, "name": …}}`, `{"archive": "zooniverse", "catalog": "project", "project_id": …}` …
 * Entries are checked one by one: the ones that cannot be used are reported, not fatal.
 */
const EsapCartSchema = z.array(z.unknown()).max(ESAP_IMPORT_MAX_ITEMS, `at most ${ESAP_IMPORT_MAX_ITEMS} items at once`);
export const EsapBasketImportSchema = z.union([
  EsapCartSchema,
  z.looseObject({ shopping_cart: EsapCartSchema }),
  z.looseObject({ results: z.array(z.looseObject({ shopping_cart: EsapCartSchema })).min(1, 'the ESAP answer contains no user profile') }),
]);
export type EsapBasketImport = z.infer<typeof EsapBasketImportSchema>;

export const EsapSkippedSchema = z.object({
  /** 0-based position in the shopping cart. */
  index: z.number().int().nonnegative(),
  reason: z.string(),
});
export type EsapSkipped = z.infer<typeof EsapSkippedSchema>;

export const EsapImportResultSchema = z.object({
  added: z.number().int().nonnegative(),
  alreadyPresent: z.number().int().nonnegative(),
  skipped: z.array(EsapSkippedSchema),
  basket: BasketSchema,
});
export type EsapImportResult = z.infer<typeof EsapImportResultSchema>;

/** `PATCH /bff/v1/basket/items`: put items under a group label, or take them out of their group (null). */
export const BasketGroupUpdateSchema = z.object({
  itemIds: z.array(z.string().min(1)).min(1, 'select at least one item').max(BASKET_MAX_ITEMS),
  group: BasketGroupSchema.nullable(),
});
export type BasketGroupUpdate = z.input<typeof BasketGroupUpdateSchema>;

export const BasketGroupResultSchema = z.object({ updated: z.number().int().nonnegative(), basket: BasketSchema });
export type BasketGroupResult = z.infer<typeof BasketGroupResultSchema>;

export const BasketEmptyResultSchema = z.object({ removed: z.number().int().nonnegative(), basket: BasketSchema });
export type BasketEmptyResult = z.infer<typeof BasketEmptyResultSchema>;

// ---------------------------------------------------------------------------------------------
// IRF finder

/** `POST /bff/v1/basket/irfs`: find the IRFs of these basket items' DL3 files and add them to the basket. */
export const IrfFindSchema = z.object({
  itemIds: z.array(z.string().min(1).max(64)).min(1, 'select at least one DL3 item').max(BASKET_MAX_ITEMS),
});
export type IrfFind = z.infer<typeof IrfFindSchema>;

export const IrfFindResultSchema = z.object({
  /** DL3 catalogue files among the chosen items (the others are not looked at). */
  dl3Files: z.number().int().nonnegative(),
  /** IRFs matching them (same array configuration, validity period covering the observation date). */
  irfs: z.number().int().nonnegative(),
  added: z.number().int().nonnegative(),
  alreadyPresent: z.number().int().nonnegative(),
  /** Names of DL3 files no IRF matches (at most 20). */
  withoutIrf: z.array(z.string()),
  basket: BasketSchema,
});
export type IrfFindResult = z.infer<typeof IrfFindResultSchema>;
