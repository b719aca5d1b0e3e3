/**
 * Schema migrations, applied in array order. Never edit a released migration: append a new one.
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
import { launchesMigration, launchLeaseDraftsMigration } from '../launches/migration.ts';
import { productionsMigration } from '../productions/migration.ts';
import { accountingMigration } from '../accounting/migration.ts';
import { schedulesMigration } from '../schedules/migration.ts';

export interface Migration {
  /** Sortable unique id, e.g. '0001_init'. */
  id: string;
  /** One script for both dialects, or one per dialect. May contain several `;`-separated statements. */
  sql: string | { sqlite: string; postgres: string };
}

/** Arbitrary constant identifying the portal's migration lock among PostgreSQL advisory locks. */
export const MIGRATION_LOCK_KEY = 4_519_807_231;

const INIT_COMMON = {
  submissions: (jobIdType: string) => `
CREATE TABLE submissions (
  id              TEXT PRIMARY KEY,
  instance_id     TEXT NOT NULL,
  owner_sub       TEXT NOT NULL,
  owner_name      TEXT,
  vo              TEXT,
  dirac_group     TEXT,
  idempotency_key TEXT NOT NULL,
  kind            TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'submitted', 'failed')),
  request_json    TEXT NOT NULL,
  jdl             TEXT NOT NULL,
  job_ids_json    TEXT,
  error           TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  UNIQUE (owner_sub, instance_id, idempotency_key)
);
CREATE INDEX submissions_owner_created_idx ON submissions (owner_sub, created_at);

-- The exact JDL the portal sent for each job (DiracX has no endpoint returning it).
CREATE TABLE job_records (
  instance_id   TEXT NOT NULL,
  job_id        ${jobIdType} NOT NULL,
  submission_id TEXT REFERENCES submissions (id),
  owner_sub     TEXT NOT NULL,
  jdl           TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (instance_id, job_id)
);
CREATE INDEX job_records_submission_idx ON job_records (submission_id);
`,
  audit: (idColumn: string) => `
CREATE TABLE audit_log (
  id          ${idColumn},
  at          TEXT NOT NULL,
  actor_sub   TEXT,
  actor_name  TEXT,
  instance_id TEXT,
  action      TEXT NOT NULL,
  target      TEXT,
  detail_json TEXT,
  request_id  TEXT
);
CREATE INDEX audit_log_actor_at_idx ON audit_log (actor_sub, at);
`,
};

/** 0002: sizes exceed 2^31 (DL0 files are GBs), hence BIGINT on PostgreSQL. */
const DATASETS_BASKET = (bigint: string) => `
CREATE TABLE dataset_files (
  id               TEXT PRIMARY KEY,
  lfn              TEXT NOT NULL UNIQUE,
  name             TEXT NOT NULL,
  project_id       TEXT NOT NULL,
  data_level       TEXT NOT NULL,
  size_bytes       ${bigint} NOT NULL,
  checksum         TEXT NOT NULL,
  storage_element  TEXT NOT NULL,
  observation_date TEXT NOT NULL,
  telescope        TEXT,
  run_number       INTEGER
);
CREATE INDEX dataset_files_project_level_date_idx ON dataset_files (project_id, data_level, observation_date);
CREATE INDEX dataset_files_level_date_idx ON dataset_files (data_level, observation_date);
CREATE INDEX dataset_files_date_idx ON dataset_files (observation_date);
CREATE INDEX dataset_files_name_idx ON dataset_files (name);

CREATE TABLE basket_items (
  id          TEXT PRIMARY KEY,
  owner_sub   TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('lfn', 'rucio', 'esap')),
  ref         TEXT NOT NULL,
  name        TEXT NOT NULL,
  size_bytes  ${bigint},
  data_level  TEXT,
  project_id  TEXT,
  source      TEXT NOT NULL CHECK (source IN ('catalogue', 'rucio', 'esap')),
  item_group  TEXT,
  added_at    TEXT NOT NULL,
  meta_json   TEXT NOT NULL,
  UNIQUE (owner_sub, instance_id, kind, ref)
);
CREATE INDEX basket_items_owner_added_idx ON basket_items (owner_sub, instance_id, added_at);
`;

export const migrations: readonly Migration[] = [
  {
    id: '0001_init',
    sql: {
      sqlite: INIT_COMMON.submissions('INTEGER') + INIT_COMMON.audit('INTEGER PRIMARY KEY AUTOINCREMENT'),
      postgres: INIT_COMMON.submissions('BIGINT') + INIT_COMMON.audit('BIGSERIAL PRIMARY KEY'),
    },
  },
  {
    // Dataset catalogue (demo/default source) and the per-user, per-instance basket.
    id: '0002_datasets_basket',
    sql: {
      sqlite: DATASETS_BASKET('INTEGER'),
      postgres: DATASETS_BASKET('BIGINT'),
    },
  },
  // Launches (productions) and their jobs, submitted by the BFF in the background.
  launchesMigration,
  // Launch leases (one runner per launch across replicas) and launch-page drafts.
  launchLeaseDraftsMigration,
  // Indexes for listing productions (launches) by visibility.
  productionsMigration,
  // Accounting: usage of finished jobs collected from DiracX, and the collector's watermarks.
  accountingMigration,
  // Scheduled submissions: schedules, runs (one per slot), encrypted credentials, notifications.
  schedulesMigration,
];

const CREATE_SCHEMA_MIGRATIONS = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id         TEXT PRIMARY KEY,
  applied_at TEXT NOT NULL
)`;

export function migrationSql(m: Migration, dialect: Dialect): string {
  return typeof m.sql === 'string' ? m.sql : m.sql[dialect];
}

export interface MigrateOptions {
  /** Defaults to this module's `migrations`. */
  migrations?: readonly Migration[];
  logger?: { info(obj: object, msg?: string): void };
}

/**
 * Apply pending migrations in order; returns the ids applied by this call ([] when up to date).
 * A failing migration is rolled back (with its schema_migrations row) and the error is rethrown.
 */
export async function migrate(db: Database, opts: MigrateOptions = {}): Promise<string[]> {
  const list = opts.migrations ?? migrations;
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
