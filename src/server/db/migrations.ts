/**
 * The migration runner. Each domain declares its migrations (`<domain>/migration.ts`, importing the
 * `Migration` type from here); the one ordered list of them is src/server/migrations.ts. Never edit a
 * released migration: append a new one.
 *
 * Each migration runs in its own transaction together with its row in `schema_migrations`, so it is
 * applied completely or not at all. Concurrent starts are safe:
 * - PostgreSQL: every migration transaction first takes `pg_advisory_xact_lock(MIGRATION_LOCK_KEY)`, then
 *   (re)checks `schema_migrations`; the lock is released at COMMIT/ROLLBACK.
 * - SQLite: transactions are BEGIN IMMEDIATE (one writer per file), and handles in one process share a mutex.
 *
 * Portable conventions (see database.ts): timestamps are ISO-8601 UTC TEXT, JSON is TEXT, booleans are
 * 0/1 integers, ids are TEXT uuids or integers.
 */
import type { Database, Dialect } from './database.ts';

export interface Migration {
  /** Sortable unique id, e.g. '0001_init'. */
  id: string;
  /** One script for both dialects, or one per dialect. May contain several `;`-separated statements. */
  sql: string | { sqlite: string; postgres: string };
}

/** Arbitrary constant identifying the portal's migration lock among PostgreSQL advisory locks. */
export const MIGRATION_LOCK_KEY = 4_519_807_231;

const CREATE_SCHEMA_MIGRATIONS = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id         TEXT PRIMARY KEY,
  applied_at TEXT NOT NULL
)`;

export function migrationSql(m: Migration, dialect: Dialect): string {
  return typeof m.sql === 'string' ? m.sql : m.sql[dialect];
}

export interface MigrateOptions {
  logger?: { info(obj: object, msg?: string): void };
}

/**
 * Apply the pending migrations of `list` in order; returns the ids applied by this call ([] when up to date).
 * A failing migration is rolled back (with its schema_migrations row) and the error is rethrown.
 */
export async function migrate(db: Database, list: readonly Migration[], opts: MigrateOptions = {}): Promise<string[]> {
  const seen = new Set<string>();
  for (const m of list) {
    if (seen.has(m.id)) throw new Error(`duplicate migration id ${m.id}`);
    seen.add(m.id);
  }

  const applied: string[] = [];
  for (const m of list) {
    const didApply = await db
      .transaction(async (tx) => {
        if (tx.dialect === 'postgres') {
          await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
        }
        await tx.exec(CREATE_SCHEMA_MIGRATIONS);
        const done = await tx.one('SELECT id FROM schema_migrations WHERE id = $1', [m.id]);
        if (done) return false;
        await tx.exec(migrationSql(m, tx.dialect));
        await tx.exec('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [m.id, new Date().toISOString()]);
        return true;
      })
      .catch((err: unknown) => {
        const msg = err instanceof Error ? err.message : String(err);
        throw new Error(`migration ${m.id} failed: ${msg}`, { cause: err });
      });
    if (didApply) {
      applied.push(m.id);
      opts.logger?.info({ migration: m.id, dialect: db.dialect }, 'migration applied');
    }
  }
  return applied;
}
