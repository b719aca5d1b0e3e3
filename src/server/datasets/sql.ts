/** Small SQL helpers shared by the catalogue, the demo seed and the basket. */
import type { Database } from '../db/database.ts';

/**
 * Rows per multi-row INSERT. PostgreSQL: `pgRows` rows per round trip. SQLite: one row per
 * execution of a cached statement — node:sqlite binds numbered parameters (`?NNN`, which the
 * database layer produces from `$n`) in time that grows with the square of their count, so big
 * multi-row statements are much slower there (20k catalogue rows: ~0.2 s one row per statement,
 * ~1.5 s with 500 rows per statement).
 */
export const rowsPerInsert = (db: Pick<Database, 'dialect'>, pgRows: number): number => (db.dialect === 'postgres' ? pgRows : 1);

/** `$offset+1, $offset+2, …` (n of them). */
export const placeholders = (n: number, offset = 0): string => Array.from({ length: n }, (_, i) => `$${offset + i + 1}`).join(', ');

/** Ids per `IN (…)` list (few enough parameters to bind quickly on both dialects). */
export const IN_CHUNK = 500;
