/**
 * Replica lookup for basket items (issue #16): catalogue files from `dataset_replicas` (else the file's one
 * storage element), Rucio DIDs with `POST /replicas/list` in bounded batches, ESAP items unknown. The
 * result goes through locality.ts for availability and per-site needs.
 *
 * Bounds: at most LOCALITY_MAX_FILES files (Rucio answers are read as streams and cut there), Rucio DIDs
 * RUCIO_BATCH per call and RUCIO_PARALLEL calls at a time. Rucio down is a warning (its files "unknown"),
 * not a failure: the catalogue's part still answers.
 */
import { LOCALITY_MAX_FILES, type FileLocality, type LocalitySummary } from '../../contracts/locality.ts';
import type { BasketItem } from '../../contracts/datasets.ts';
import { plural } from '../../contracts/wording.ts';
import type { Database } from '../db/database.ts';
import { HttpProblem } from '../errors.ts';
import type { Catalogue } from '../resources/catalogue.ts';
import { storageMap, summarizeLocality, type LookedUpFile, type StorageMap } from './locality.ts';
import type { RucioClient, RucioReplicaFile } from './rucio.ts';
import { splitDid } from './rucio.ts';
import { IN_CHUNK, placeholders } from './sql.ts';

/** DIDs per `POST /replicas/list`. */
export const RUCIO_BATCH = 100;
/** `list_replicas` calls in flight per lookup. */
export const RUCIO_PARALLEL = 4;

export interface LocalityDeps {
  db: Database;
  rucio: RucioClient | null;
  catalogue: Pick<Catalogue, 'sites' | 'storageElements'> | null;
}

async function catalogueReplicas(db: Database, lfns: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < lfns.length; i += IN_CHUNK) {
    const chunk = lfns.slice(i, i + IN_CHUNK);
    const rows = await db.query<{ lfn: string; storage_element: string }>(
      `SELECT lfn, storage_element FROM dataset_replicas WHERE lfn IN (${placeholders(chunk.length)}) ORDER BY lfn, storage_element`,
      chunk,
    );
    for (const r of rows) {
      const list = out.get(r.lfn);
      if (list) list.push(r.storage_element);
      else out.set(r.lfn, [r.storage_element]);
    }
  }
  return out;
}

interface RucioResult {
  files: LookedUpFile[];
  calls: number;
  warnings: string[];
}

/**
 * Rucio files of these items. A batch's answer lines are per file and do not say which requested DID they
 * came from: a line named like a requested DID is that (file) item; the other lines belong to the batch's one
 * collection when there is one, else each remaining DID is asked again on its own.
 */
async function rucioReplicas(rucio: RucioClient, items: readonly BasketItem[], map: StorageMap, budget: number): Promise<RucioResult> {
  const result: RucioResult = { files: [], calls: 0, warnings: [] };
  let left = budget;
  let truncated = false;
  let down: string | null = null;
  const toFile = (item: BasketItem, f: RucioReplicaFile): LookedUpFile => ({
    itemId: item.id,
    ref: `${f.scope}:${f.name}`,
    name: f.name,
    bytes: f.bytes,
    source: item.source,
    replicas: f.rses.map((r) => map.replica(r.rse, r.type)),
  });
  const unknownItem = (item: BasketItem): LookedUpFile => ({
    itemId: item.id,
    ref: item.ref,
    name: item.name,
    bytes: item.sizeBytes,
    source: item.source,
    replicas: null,
  });
  const ask = async (batch: readonly BasketItem[]): Promise<RucioReplicaFile[] | null> => {
    if (down !== null) return null;
    if (left <= 0) {
      truncated = true;
      return null;
    }
    result.calls += 1;
    try {
      const answer = await rucio.listReplicas(
        batch.map((i) => splitDid(i.ref)!),
        left,
      );
      left -= answer.files.length;
      if (answer.truncated) truncated = true;
      return answer.files;
    } catch (err) {
      if (!(err instanceof HttpProblem)) throw err;
      down ??= err.message;
      return null;
    }
  };

  const valid = items.filter((i) => splitDid(i.ref) !== null);
  for (const i of items) if (!valid.includes(i)) result.files.push({ ...unknownItem(i), replicas: [] });
  const batches: BasketItem[][] = [];
  for (let i = 0; i < valid.length; i += RUCIO_BATCH) batches.push(valid.slice(i, i + RUCIO_BATCH));

  const runBatch = async (batch: BasketItem[]) => {
    const lines = await ask(batch);
    if (lines === null) {
      result.files.push(...batch.map(unknownItem));
      return;
    }
    const byRef = new Map(batch.map((i) => [i.ref, i]));
    const rest: RucioReplicaFile[] = [];
    const matched = new Set<string>();
    for (const f of lines) {
      const item = byRef.get(`${f.scope}:${f.name}`);
      if (item) {
        matched.add(item.ref);
        result.files.push(toFile(item, f));
      } else rest.push(f);
    }
    const collections = batch.filter((i) => !matched.has(i.ref));
    if (collections.length === 1) {
      const owner = collections[0]!;
      // A DID Rucio answers nothing for is unknown (or has no replica): one file with none.
      if (rest.length === 0) result.files.push({ ...unknownItem(owner), replicas: [] });
      else result.files.push(...rest.map((f) => toFile(owner, f)));
      return;
    }
    // Several collections in one batch: their lines cannot be told apart, ask each on its own.
    for (const item of collections) {
      const own = await ask([item]);
      if (own === null) result.files.push(unknownItem(item));
      else if (own.length === 0) result.files.push({ ...unknownItem(item), replicas: [] });
      else result.files.push(...own.map((f) => toFile(item, f)));
    }
  };

  for (let i = 0; i < batches.length; i += RUCIO_PARALLEL) {
    await Promise.all(batches.slice(i, i + RUCIO_PARALLEL).map(runBatch));
  }
  // Parallel batches each read up to what was left when they started: cut back to the budget.
  if (result.files.length > budget) {
    result.files.length = budget;
    truncated = true;
  }
  if (down !== null) result.warnings.push(`Rucio could not be asked where some files are (${down}); they are shown as unknown.`);
  if (truncated)
    result.warnings.push(
      `The Rucio items hold more than ${plural(budget, 'file')} the portal looks at once; only the first ones are counted.`,
    );
  return result;
}

/** Where the files of these basket items are, and what each site of the catalogue would need. */
export async function lookupLocality(
  deps: LocalityDeps,
  items: readonly BasketItem[],
): Promise<{ summary: LocalitySummary; files: FileLocality[] }> {
  const map = storageMap(deps.catalogue?.storageElements);
  const looked: LookedUpFile[] = [];
  const warnings: string[] = [];
  const lfnItems = items.filter((i) => i.kind === 'lfn');
  const rucioItems = items.filter((i) => i.kind === 'rucio');
  const esapItems = items.filter((i) => i.kind === 'esap');

  const replicas = await catalogueReplicas(deps.db, [...new Set(lfnItems.map((i) => i.ref))]);
  for (const item of lfnItems) {
    const own = item.meta.storageElement;
    const ses = replicas.get(item.ref) ?? (typeof own === 'string' && own ? [own] : []);
    looked.push({
      itemId: item.id,
      ref: item.ref,
      name: item.name,
      bytes: item.sizeBytes,
      source: item.source,
      replicas: ses.map((se) => map.replica(se)),
    });
  }

  let rucioCalls = 0;
  if (rucioItems.length > 0) {
    if (!deps.rucio) {
      warnings.push('No Rucio server is configured: the Rucio items are shown as unknown.');
      looked.push(
        ...rucioItems.map((i) => ({ itemId: i.id, ref: i.ref, name: i.name, bytes: i.sizeBytes, source: i.source, replicas: null })),
      );
    } else {
      const r = await rucioReplicas(deps.rucio, rucioItems, map, Math.max(0, LOCALITY_MAX_FILES - looked.length));
      looked.push(...r.files);
      rucioCalls = r.calls;
      warnings.push(...r.warnings);
    }
  }
  for (const i of esapItems) looked.push({ itemId: i.id, ref: i.ref, name: i.name, bytes: i.sizeBytes, source: i.source, replicas: null });
  if (esapItems.length > 0) warnings.push(`${plural(esapItems.length, 'ESAP item')}: the portal cannot tell where their data is.`);

  const sites = (deps.catalogue?.sites ?? []).map((s) => s.name);
  return summarizeLocality(looked, sites, { rucioCalls, warnings });
}
