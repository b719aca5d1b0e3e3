/**
 * Dialect-neutral database access for the BFF: SQLite (default, `node:sqlite`, no native addons) or
 * PostgreSQL (`pg`), selected by URL:
 *
 *   sqlite:<path>         file relative to the cwd (parent directories are created), e.g. sqlite:./data/portal.db
 *   sqlite::memory:       private in-memory database
 *   postgres://… / postgresql://…
 *
 * PORTABLE SQL AND TYPE CONTRACT (both dialects return the same JS types for the same query):
 *
 * - Placeholders are PostgreSQL-style `$1, $2, …` on both dialects. For SQLite they are rewritten to
 *   SQLite's numbered `?1, ?2, …` by a small tokenizer that leaves string literals, quoted identifiers,
 *   comments and dollar-quoted strings untouched (so `'$1'` stays a literal). The number of params must
 *   equal the highest placeholder index. Bare `?` placeholders are rejected (not portable).
 * - Parameters: string | number | bigint | boolean | Date | Uint8Array | null | undefined.
 *   undefined → NULL, boolean → 0/1, Date → ISO-8601 UTC text (`toISOString()`). Objects and arrays are
 *   rejected: JSON.stringify them yourself.
 * - Timestamps are stored as ISO-8601 UTC TEXT (`2024-05-01T12:00:00.000Z`) on BOTH dialects (schema
 *   columns are TEXT, not TIMESTAMPTZ); they sort correctly as text. Should a PostgreSQL query produce a
 *   native timestamptz/timestamp (e.g. `now()`), it is returned as an ISO string too, never a Date.
 *   `date` values are returned as 'YYYY-MM-DD' strings.
 * - Integers come back as JS numbers. PostgreSQL int8 (bigint, count(*), bigserial) is converted to a
 *   number; a value outside Number.MAX_SAFE_INTEGER throws a RangeError — as node:sqlite does.
 *   numeric is converted to a number (SQLite has no exact decimals either).
 * - JSON is stored as TEXT containing JSON on both dialects; callers JSON.stringify / JSON.parse. PostgreSQL
 *   json/jsonb results are returned as unparsed text as well.
 * - Booleans are 0/1 integers (PostgreSQL `boolean` results are converted to 0/1).
 * - Rows are plain objects (`Object.prototype`), column names as written in the SQL.
 * - `exec()` is for statements that return no rows; `rowCount` = rows inserted/updated/deleted (0 for DDL).
 *   Without params, `exec()` may contain several `;`-separated statements (migrations).
 *
 * TRANSACTIONS: `transaction(fn)` runs `fn(tx)` in a real transaction — PostgreSQL: BEGIN … COMMIT on a
 * dedicated pooled client; SQLite: BEGIN IMMEDIATE … COMMIT, serialised by an in-process async mutex (one
 * synchronous connection is shared, and all handles on the same file in this process share the mutex;
 * other processes are serialised by BEGIN IMMEDIATE + busy_timeout). Nested `transaction()` calls inside a
 * transaction run in the same transaction, inside a SAVEPOINT, so a nested failure that the caller catches
 * only undoes the nested part (needed on PostgreSQL, where a failed statement otherwise aborts the whole
 * transaction). Calls made on the *outer* Database object from inside `fn` (tracked with AsyncLocalStorage)
 * join the running transaction instead of deadlocking (SQLite) or using another connection (PostgreSQL).
 *
 * Passwords in database URLs are never logged nor included in error messages (see redactUrl()).
 *
 * This module is the public API; the parts live beside it: sql-scanner.ts (placeholders, statements),
 * transactions.ts (parameters, handles, transactions, savepoints), mutex.ts, sqlite.ts and postgres.ts
 * (the drivers), redact.ts (passwords in URLs).
 */
import { redactUrl } from './redact.ts';
import { openPostgres } from './postgres.ts';
import { openSqlite } from './sqlite.ts';

export { redactUrl } from './redact.ts';
export { DatabaseUnreachableError } from './unreachable.ts';
export { scanSql, type ScannedSql } from './sql-scanner.ts';

export type Dialect = 'sqlite' | 'postgres';

export type Row = Record<string, unknown>;

export interface Database {
  readonly dialect: Dialect;
  /** Run a statement and return all rows. */
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Run a statement and return the first row, if any. */
  one<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Run a statement that returns no rows; rowCount = rows inserted/updated/deleted. */
  exec(sql: string, params?: readonly unknown[]): Promise<{ rowCount: number }>;
  /** Run fn in a transaction (nested calls: same transaction, in a savepoint). Commits when fn resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T>;
  /** Close the database (on a transaction handle: rejects). */
  close(): Promise<void>;
}

export interface DatabaseLogger {
  info(obj: object, msg?: string): void;
  warn?(obj: object, msg?: string): void;
}

export interface OpenDatabaseOptions {
  logger?: DatabaseLogger;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

/**
 * Open a database from a URL: `sqlite:<path>` (relative to cwd), `sqlite::memory:`, or
 * `postgres://…` / `postgresql://…`.
 */
export async function openDatabase(url: string, opts: OpenDatabaseOptions = {}): Promise<Database> {
  if (url.startsWith('sqlite:')) {
    try {
      return openSqlite(url, opts.logger);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new Error(`cannot open SQLite database ${url}: ${msg}`, { cause: err });
    }
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return openPostgres(url, opts);
  }
  throw new Error(`unsupported database URL ${redactUrl(url)}: expected sqlite:<path>, sqlite::memory:, postgres://… or postgresql://…`);
}
