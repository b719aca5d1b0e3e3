/**
 * The basket, persisted in the BFF database: one per user (`owner_sub`) and DiracX instance.
 * Items are unique per (kind, ref) within a basket, so adding twice is a no-op.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  BASKET_MAX_ITEMS,
  BasketItemKindSchema,
  BasketMetaValueSchema,
  BasketSourceSchema,
  DataLevelSchema,
  type Basket,
  type BasketItem,
  type BasketItemKind,
  type BasketMetaValue,
  type BasketQuery,
  type BasketSource,
  type DataLevel,
} from '../../contracts/datasets.ts';
import type { OwnerKey } from '../auth/owner.ts';
import type { Database } from '../db/database.ts';
import { problems } from '../errors.ts';
import { IN_CHUNK, placeholders, rowsPerInsert } from './sql.ts';

/** What a source (catalogue, Rucio paste, ESAP import) puts in the basket. */
export interface NewBasketItem {
  kind: BasketItemKind;
  ref: string;
  name: string;
  sizeBytes: number | null;
  dataLevel: DataLevel | null;
  projectId: string | null;
  source: BasketSource;
  meta: Record<string, BasketMetaValue>;
}

export interface BasketRepo {
  /** One page of the basket (the whole of it without a limit), with the whole basket's figures and groups. */
  get(owner: OwnerKey, page?: BasketQuery): Promise<Basket>;
  /**
   * Add items (duplicates of what is there, or within `items`, are counted as already present).
   * All or nothing: refuses with 400 when the basket would exceed BASKET_MAX_ITEMS.
   */
  add(owner: OwnerKey, items: readonly NewBasketItem[]): Promise<{ added: number; alreadyPresent: number }>;
  /** Remove one item; false when it is not in this basket. */
  remove(owner: OwnerKey, itemId: string): Promise<boolean>;
  /** Remove every item; returns how many. */
  clear(owner: OwnerKey): Promise<number>;
  /** Set (or clear, with null) the group of these items; returns how many were updated. */
  setGroup(owner: OwnerKey, itemIds: readonly string[], group: string | null): Promise<number>;
}

const COLUMNS = 'id, kind, ref, name, size_bytes, data_level, project_id, source, item_group, added_at, meta_json';
const INSERT_COLUMNS = [
  'id',
  'owner_sub',
  'instance_id',
  'kind',
  'ref',
  'name',
  'size_bytes',
  'data_level',
  'project_id',
  'source',
  'item_group',
  'added_at',
  'meta_json',
] as const;

const rowSchema = z.object({
  id: z.string(),
  kind: BasketItemKindSchema,
  ref: z.string(),
  name: z.string(),
  size_bytes: z.number().int().nullable(),
  data_level: DataLevelSchema.nullable(),
  project_id: z.string().nullable(),
  source: BasketSourceSchema,
  item_group: z.string().nullable(),
  added_at: z.string(),
  meta_json: z.string(),
});
const metaSchema = z.record(z.string(), BasketMetaValueSchema);

function toItem(row: unknown): BasketItem {
  const r = rowSchema.parse(row);
  const meta = metaSchema.safeParse(JSON.parse(r.meta_json));
  return {
    id: r.id,
    kind: r.kind,
    ref: r.ref,
    name: r.name,
    sizeBytes: r.size_bytes,
    dataLevel: r.data_level,
    projectId: r.project_id,
    source: r.source,
    group: r.item_group,
    addedAt: r.added_at,
    meta: meta.success ? meta.data : {},
  };
}

const summarySchema = z.object({ n: z.coerce.number(), bytes: z.coerce.number(), unknown: z.coerce.number() });
const groupSchema = z.object({ name: z.string(), n: z.coerce.number() });

/** `DL0,DL1` → the SQL condition on data_level and its parameters (numbered from `first`); none without levels. */
function levelCondition(levels: readonly DataLevel[] | undefined, first: number): { sql: string; params: string[] } {
  if (!levels?.length) return { sql: '', params: [] };
  return { sql: ` AND data_level IN (${placeholders(levels.length, first - 1)})`, params: [...levels] };
}

const parseLevels = (levels: string | undefined): DataLevel[] | undefined =>
  levels === undefined ? undefined : levels.split(',').map((l) => DataLevelSchema.parse(l));

/** The page (a stable order: added, name, id) plus the whole basket's figures, counted by the database, not here. */
async function basketPage(db: Database, owner: OwnerKey, page: BasketQuery | undefined): Promise<Basket> {
  const where = 'WHERE owner_sub = $1 AND instance_id = $2';
  const key = [owner.ownerSub, owner.instanceId];
  const offset = page?.offset ?? 0;
  const paged = page?.limit !== undefined;
  const levels = levelCondition(parseLevels(page?.levels), 3);
  const n = 3 + levels.params.length;
  const [rows, summary, groups, matching] = await Promise.all([
    db.query(
      `SELECT ${COLUMNS} FROM basket_items ${where}${levels.sql} ORDER BY added_at, name, id${paged ? ` LIMIT $${n} OFFSET $${n + 1}` : ''}`,
      paged ? [...key, ...levels.params, page.limit, offset] : [...key, ...levels.params],
    ),
    db.one(
      `SELECT count(*) AS n, COALESCE(sum(size_bytes), 0) AS bytes, count(*) - count(size_bytes) AS unknown FROM basket_items ${where}`,
      key,
    ),
    db.query(
      `SELECT item_group AS name, count(*) AS n FROM basket_items ${where} AND item_group IS NOT NULL GROUP BY item_group ORDER BY item_group`,
      key,
    ),
    levels.sql ? db.one(`SELECT count(*) AS n FROM basket_items ${where}${levels.sql}`, [...key, ...levels.params]) : undefined,
  ]);
  const s = summarySchema.parse(summary);
  return {
    items: rows.map(toItem),
    ...(matching ? { matching: summarySchema.pick({ n: true }).parse(matching).n } : {}),
    count: s.n,
    totalBytes: s.bytes,
    unknownSizeCount: s.unknown,
    offset: paged ? offset : 0,
    groups: groups.map((g) => {
      const r = groupSchema.parse(g);
      return { name: r.name, count: r.n };
    }),
  };
}

/**
 * Every item of the basket (of these data levels, when given) in the basket's order, for a launch on the
 * whole basket: `count` always, the items only when there are at most `max` (the caller refuses more).
 */
export async function basketItemsAtLevels(
  db: Database,
  owner: OwnerKey,
  levels: readonly DataLevel[] | undefined,
  max: number,
): Promise<{ count: number; items: BasketItem[] }> {
  const cond = levelCondition(levels, 3);
  const where = `WHERE owner_sub = $1 AND instance_id = $2${cond.sql}`;
  const params = [owner.ownerSub, owner.instanceId, ...cond.params];
  const { n: count } = summarySchema.pick({ n: true }).parse(await db.one(`SELECT count(*) AS n FROM basket_items ${where}`, params));
  if (count === 0 || count > max) return { count, items: [] };
  const rows = await db.query(`SELECT ${COLUMNS} FROM basket_items ${where} ORDER BY added_at, name, id`, params);
  return { count, items: rows.map(toItem) };
}

/**
 * Resolve basket item ids to items, for the launch engine: only items in this user's basket on
 * this instance; ids that are not there are left out, the others keep the order asked for
 * (compare lengths to detect missing ones).
 */
export async function basketItemsFor(
  db: Database,
  ownerSub: string,
  instanceId: string,
  itemIds: readonly string[],
): Promise<BasketItem[]> {
  const unique = [...new Set(itemIds)];
  const found = new Map<string, BasketItem>();
  for (let i = 0; i < unique.length; i += IN_CHUNK) {
    const chunk = unique.slice(i, i + IN_CHUNK);
    const rows = await db.query(
      `SELECT ${COLUMNS} FROM basket_items WHERE owner_sub = $1 AND instance_id = $2 AND id IN (${placeholders(chunk.length, 2)})`,
      [ownerSub, instanceId, ...chunk],
    );
    for (const row of rows) {
      const item = toItem(row);
      found.set(item.id, item);
    }
  }
  return itemIds.flatMap((id) => {
    const it = found.get(id);
    return it ? [it] : [];
  });
}

export function createBasketRepo(db: Database): BasketRepo {
  return {
    async get(owner, page) {
      return basketPage(db, owner, page);
    },

    async add(owner, items) {
      const seen = new Set<string>();
      const unique = items.filter((it) => {
        const key = `${it.kind}\u0000${it.ref}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      if (unique.length === 0) return { added: 0, alreadyPresent: items.length };
      const addedAt = new Date().toISOString();
      const added = await db.transaction(async (tx) => {
        let inserted = 0;
        const batch = rowsPerInsert(tx, 300);
        for (let i = 0; i < unique.length; i += batch) {
          const chunk = unique.slice(i, i + batch);
          const params: unknown[] = [];
          const values = chunk.map((it, r) => {
            params.push(
              randomUUID(),
              owner.ownerSub,
              owner.instanceId,
              it.kind,
              it.ref,
              it.name,
              it.sizeBytes,
              it.dataLevel,
              it.projectId,
              it.source,
              null,
              addedAt,
              JSON.stringify(it.meta),
            );
            return `(${placeholders(INSERT_COLUMNS.length, r * INSERT_COLUMNS.length)})`;
          });
          const { rowCount } = await tx.exec(
            `INSERT INTO basket_items (${INSERT_COLUMNS.join(', ')}) VALUES ${values.join(', ')}
             ON CONFLICT (owner_sub, instance_id, kind, ref) DO NOTHING`,
            params,
          );
          inserted += rowCount;
        }
        if (inserted > 0) {
          const row = await tx.one<{ n: number }>('SELECT count(*) AS n FROM basket_items WHERE owner_sub = $1 AND instance_id = $2', [
            owner.ownerSub,
            owner.instanceId,
          ]);
          const n = Number(row?.n ?? 0);
          if (n > BASKET_MAX_ITEMS) {
            throw problems.validation(
              `A basket holds at most ${BASKET_MAX_ITEMS.toLocaleString('en')} items; this would make ${n.toLocaleString('en')}. Remove items or empty the basket first.`,
            );
          }
        }
        return inserted;
      });
      return { added, alreadyPresent: items.length - added };
    },

    async remove(owner, itemId) {
      const { rowCount } = await db.exec('DELETE FROM basket_items WHERE owner_sub = $1 AND instance_id = $2 AND id = $3', [
        owner.ownerSub,
        owner.instanceId,
        itemId,
      ]);
      return rowCount > 0;
    },

    async clear(owner) {
      const { rowCount } = await db.exec('DELETE FROM basket_items WHERE owner_sub = $1 AND instance_id = $2', [
        owner.ownerSub,
        owner.instanceId,
      ]);
      return rowCount;
    },

    async setGroup(owner, itemIds, group) {
      const unique = [...new Set(itemIds)];
      return db.transaction(async (tx) => {
        let updated = 0;
        for (let i = 0; i < unique.length; i += IN_CHUNK) {
          const chunk = unique.slice(i, i + IN_CHUNK);
          const { rowCount } = await tx.exec(
            `UPDATE basket_items SET item_group = $1 WHERE owner_sub = $2 AND instance_id = $3 AND id IN (${placeholders(chunk.length, 3)})`,
            [group, owner.ownerSub, owner.instanceId, ...chunk],
          );
          updated += rowCount;
        }
        return updated;
      });
    },
  };
}
