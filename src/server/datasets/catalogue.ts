/**
 * The dataset catalogue behind "Find data". Pluggable: the BFF ships one implementation over its
 * own database (`dataset_files`, filled by the demo seed or an import); a DIRAC File Catalogue
 * or Rucio metadata search can implement the same interface later.
 *
 * Portable SQL (SQLite and PostgreSQL): `$n` placeholders, free text as a case-insensitive
 * substring via `lower(col) LIKE $q ESCAPE '\'`, ties broken by id so paging is stable.
 */
import { z } from 'zod';
import {
  DATA_LEVELS,
  type DataLevel,
  type DatasetFile,
  type DatasetFilters,
  type DatasetPage,
  type DatasetSearchQuery,
  type DatasetSort,
  type ProjectSummary,
} from '../../contracts/datasets.ts';
import type { Database } from '../db/database.ts';
import type { NewBasketItem } from './basket-repo.ts';
import { IN_CHUNK, placeholders } from './sql.ts';

export interface DatasetCatalogue {
  /** One page of matching files, with the total number of matches. */
  search(query: DatasetSearchQuery): Promise<DatasetPage>;
  /** Every project with its file count, total size and data levels. */
  projects(): Promise<ProjectSummary[]>;
  /** The files with these ids (unknown ids are left out), in the order asked. */
  getMany(ids: readonly string[]): Promise<DatasetFile[]>;
  /** All matching files up to `limit` (in a stable order), and how many match in total. */
  matching(filters: DatasetFilters, limit: number): Promise<{ total: number; files: DatasetFile[] }>;
}

const SORT_COLUMN: Record<DatasetSort, string> = {
  observationDate: 'observation_date',
  name: 'name',
  sizeBytes: 'size_bytes',
};

export const SELECT_COLUMNS =
  'id, lfn, name, project_id, data_level, size_bytes, checksum, storage_element, observation_date, telescope, run_number';

const rowSchema = z.object({
  id: z.string(),
  lfn: z.string(),
  name: z.string(),
  project_id: z.string(),
  data_level: z.enum(DATA_LEVELS),
  size_bytes: z.number().int(),
  checksum: z.string(),
  storage_element: z.string(),
  observation_date: z.string(),
  telescope: z.string().nullable(),
  run_number: z.number().int().nullable(),
});

export function toFile(row: unknown): DatasetFile {
  const r = rowSchema.parse(row);
  return {
    id: r.id,
    lfn: r.lfn,
    name: r.name,
    projectId: r.project_id,
    dataLevel: r.data_level,
    sizeBytes: r.size_bytes,
    checksum: r.checksum,
    storageElement: r.storage_element,
    observationDate: r.observation_date,
    ...(r.telescope === null ? {} : { telescope: r.telescope }),
    ...(r.run_number === null ? {} : { runNumber: r.run_number }),
  };
}

/** `%text%` for LIKE, with %, _ and \ taken literally. */
export function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** WHERE clause and its parameters for the filters (placeholders start at $1). */
export function whereClause(f: DatasetFilters): { where: string; params: unknown[] } {
  const conds: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    conds.push(sql(`$${params.length}`));
  };
  if (f.projectId) add((n) => `project_id = ${n}`, f.projectId);
  if (f.dataLevel) add((n) => `data_level = ${n}`, f.dataLevel);
  if (f.from) add((n) => `observation_date >= ${n}`, f.from);
  if (f.to) add((n) => `observation_date <= ${n}`, f.to);
  if (f.q) add((n) => `(lower(name) LIKE ${n} ESCAPE '\\' OR lower(lfn) LIKE ${n} ESCAPE '\\')`, likePattern(f.q));
  return { where: conds.length ? `WHERE ${conds.join(' AND ')}` : '', params };
}

/** The page query and the count query of a search (exported for the query-plan test). */
export function searchSql(query: DatasetSearchQuery): { sql: string; params: unknown[]; countSql: string; countParams: unknown[] } {
  const { where, params } = whereClause(query);
  const dir = query.dir === 'asc' ? 'ASC' : 'DESC';
  const limit = `$${params.length + 1}`;
  const offset = `$${params.length + 2}`;
  return {
    sql: `SELECT ${SELECT_COLUMNS} FROM dataset_files ${where} ORDER BY ${SORT_COLUMN[query.sort]} ${dir}, id ${dir} LIMIT ${limit} OFFSET ${offset}`,
    params: [...params, query.perPage, (query.page - 1) * query.perPage],
    countSql: `SELECT count(*) AS n FROM dataset_files ${where}`,
    countParams: params,
  };
}

const countSchema = z.object({ n: z.number().int() });
const projectRowSchema = z.object({ project_id: z.string(), files: z.number().int(), bytes: z.number().int().nullable() });
const levelRowSchema = z.object({ project_id: z.string(), data_level: z.enum(DATA_LEVELS) });

export function createDbDatasetCatalogue(db: Database): DatasetCatalogue {
  return {
    async search(query) {
      const q = searchSql(query);
      const [rows, count] = await Promise.all([db.query(q.sql, q.params), db.one(q.countSql, q.countParams)]);
      return { items: rows.map(toFile), total: countSchema.parse(count).n, page: query.page, perPage: query.perPage };
    },

    async projects() {
      const [totals, levels] = await Promise.all([
        db.query(
          'SELECT project_id, count(*) AS files, sum(size_bytes) AS bytes FROM dataset_files GROUP BY project_id ORDER BY project_id',
        ),
        db.query('SELECT DISTINCT project_id, data_level FROM dataset_files'),
      ]);
      const byProject = new Map<string, Set<DataLevel>>();
      for (const row of levels) {
        const r = levelRowSchema.parse(row);
        let set = byProject.get(r.project_id);
        if (!set) byProject.set(r.project_id, (set = new Set()));
        set.add(r.data_level);
      }
      return totals.map((row) => {
        const r = projectRowSchema.parse(row);
        const have = byProject.get(r.project_id) ?? new Set<DataLevel>();
        return { projectId: r.project_id, files: r.files, bytes: r.bytes ?? 0, levels: DATA_LEVELS.filter((l) => have.has(l)) };
      });
    },

    async getMany(ids) {
      const unique = [...new Set(ids)];
      const found = new Map<string, DatasetFile>();
      for (let i = 0; i < unique.length; i += IN_CHUNK) {
        const chunk = unique.slice(i, i + IN_CHUNK);
        const rows = await db.query(`SELECT ${SELECT_COLUMNS} FROM dataset_files WHERE id IN (${placeholders(chunk.length)})`, chunk);
        for (const row of rows) {
          const f = toFile(row);
          found.set(f.id, f);
        }
      }
      return unique.flatMap((id) => {
        const f = found.get(id);
        return f ? [f] : [];
      });
    },

    async matching(filters, limit) {
      const { where, params } = whereClause(filters);
      const count = countSchema.parse(await db.one(`SELECT count(*) AS n FROM dataset_files ${where}`, params)).n;
      if (count === 0 || limit <= 0) return { total: count, files: [] };
      const rows = await db.query(
        `SELECT ${SELECT_COLUMNS} FROM dataset_files ${where} ORDER BY observation_date, name, id LIMIT $${params.length + 1}`,
        [...params, limit],
      );
      return { total: count, files: rows.map(toFile) };
    },
  };
}

/** A catalogue file as a basket item (what "Add to basket" stores). */
export function fileToItem(f: DatasetFile): NewBasketItem {
  return {
    kind: 'lfn',
    ref: f.lfn,
    name: f.name,
    sizeBytes: f.sizeBytes,
    dataLevel: f.dataLevel,
    projectId: f.projectId,
    source: 'catalogue',
    meta: {
      fileId: f.id,
      checksum: f.checksum,
      storageElement: f.storageElement,
      observationDate: f.observationDate,
      telescope: f.telescope ?? null,
      runNumber: f.runNumber ?? null,
    },
  };
}
