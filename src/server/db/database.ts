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
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import pg from 'pg';

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

// ---------------------------------------------------------------------------------------------------------
// URL handling and redaction

/** Replace the password of a URL (if any) with `***`. Safe on unparsable input. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) {
      u.password = '***';
      return u.toString();
    }
    return url;
  } catch {
    return url.replace(/(\/\/[^/@:]*:)[^@/]*@/, '$1***@');
  }
}

function secretsOf(url: string): string[] {
  const out: string[] = [];
  try {
    const u = new URL(url);
    if (u.password) {
      out.push(u.password);
      try {
        out.push(decodeURIComponent(u.password));
      } catch {
        // keep the raw form only
      }
    }
  } catch {
    const m = /\/\/[^/@:]*:([^@/]*)@/.exec(url);
    if (m?.[1]) out.push(m[1]);
  }
  return out.filter((s) => s.length > 0);
}

function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// SQL tokenizer: $n → ?n for SQLite, statement counting

export interface ScannedSql {
  /** SQL with `$n` rewritten to `?n` (outside literals/comments). */
  sqliteSql: string;
  /** Highest placeholder index used (0 if none). */
  maxParam: number;
  /** Number of non-empty `;`-separated statements. */
  statements: number;
  /** A bare `?` outside literals/comments was found. */
  hasQuestionMark: boolean;
}

const isIdentChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** Tokenize SQL just enough to find placeholders and statement boundaries. */
export function scanSql(sql: string): ScannedSql {
  let out = '';
  let maxParam = 0;
  let statements = 0;
  let hasContent = false;
  let hasQuestionMark = false;
  let i = 0;
  const n = sql.length;

  const skipQuoted = (quote: string): void => {
    // from sql[i] === quote; doubled quote is an escaped quote
    let j = i + 1;
    while (j < n) {
      if (sql[j] === quote) {
        if (sql[j + 1] === quote) {
          j += 2;
          continue;
        }
        j += 1;
        break;
      }
      j += 1;
    }
    if (j > n) j = n;
    out += sql.slice(i, j);
    i = j;
  };

  while (i < n) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if (c === "'" || c === '"' || c === '`') {
      hasContent = true;
      skipQuoted(c);
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const j = end === -1 ? n : end;
      out += sql.slice(i, j);
      i = j;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const j = end === -1 ? n : end + 2;
      out += sql.slice(i, j);
      i = j;
    } else if (c === '$') {
      const digits = /^\$(\d+)/.exec(sql.slice(i, i + 12));
      if (digits && !isIdentChar(sql[i - 1])) {
        const idx = Number(digits[1]);
        if (idx < 1) throw new Error('invalid placeholder $0');
        maxParam = Math.max(maxParam, idx);
        out += `?${idx}`;
        i += digits[0].length;
        hasContent = true;
        continue;
      }
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (tag && !isIdentChar(sql[i - 1])) {
        // PostgreSQL dollar-quoted string: $tag$ … $tag$
        const end = sql.indexOf(tag[0], i + tag[0].length);
        const j = end === -1 ? n : end + tag[0].length;
        out += sql.slice(i, j);
        i = j;
        hasContent = true;
        continue;
      }
      out += c;
      i += 1;
      hasContent = true;
    } else if (c === ';') {
      if (hasContent) statements += 1;
      hasContent = false;
      out += c;
      i += 1;
    } else {
      if (c === '?') hasQuestionMark = true;
      if (!/\s/.test(c)) hasContent = true;
      out += c;
      i += 1;
    }
  }
  if (hasContent) statements += 1;
  return { sqliteSql: out, maxParam, statements, hasQuestionMark };
}

// ---------------------------------------------------------------------------------------------------------
// Parameters

function toParam(v: unknown, index: number, dialect: Dialect): unknown {
  if (v === undefined || v === null) return null;
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'bigint':
      return v;
    case 'boolean':
      return v ? 1 : 0;
    case 'object':
      if (v instanceof Date) {
        if (Number.isNaN(v.getTime())) throw new TypeError(`parameter $${index + 1}: invalid Date`);
        return v.toISOString();
      }
      if (v instanceof Uint8Array) {
        return dialect === 'postgres' && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
      }
      throw new TypeError(`parameter $${index + 1}: objects and arrays are not portable parameters; JSON.stringify them and store as TEXT`);
    default:
      throw new TypeError(`parameter $${index + 1}: unsupported type ${typeof v}`);
  }
}

function toParams(params: readonly unknown[] | undefined, dialect: Dialect): unknown[] {
  return (params ?? []).map((p, i) => toParam(p, i, dialect));
}

// ---------------------------------------------------------------------------------------------------------
// Async mutex (FIFO)

interface Mutex {
  run<T>(fn: () => Promise<T> | T): Promise<T>;
}

function createMutex(): Mutex {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(fn: () => Promise<T> | T): Promise<T> {
      const result = tail.then(() => fn());
      tail = result.catch(() => undefined);
      return result;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Generic layer: handles, transactions, savepoints

/** A connection-level executor (no locking/routing). */
interface Conn {
  query(sql: string, params: readonly unknown[]): Promise<Row[]>;
  exec(sql: string, params: readonly unknown[]): Promise<number>;
}

interface Driver {
  dialect: Dialect;
  /** Executor for statements outside any transaction. */
  direct: Conn;
  /** Run fn inside BEGIN … COMMIT/ROLLBACK on a connection reserved for it. */
  withTransaction<T>(fn: (conn: Conn) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

interface TxScope {
  conn: Conn;
  active: boolean;
  root: { seq: number };
  parent: TxScope | undefined;
  childLock: Mutex;
  handle: Database;
}

function createDatabase(driver: Driver): Database {
  const als = new AsyncLocalStorage<TxScope>();
  let closed = false;
  const { dialect } = driver;

  /** Innermost still-active transaction scope of the current async context, if any. */
  const currentScope = (): TxScope | undefined => {
    let s = als.getStore();
    while (s && !s.active) s = s.parent;
    return s;
  };

  const assertOpen = (): void => {
    if (closed) throw new Error('database is closed');
  };

  const newScope = (conn: Conn, root: { seq: number }, parent: TxScope | undefined): TxScope => {
    const scope: TxScope = {
      conn,
      active: true,
      root,
      parent,
      childLock: createMutex(),
      handle: undefined as unknown as Database,
    };
    const check = (): void => {
      if (!scope.active) throw new Error('transaction handle used after its transaction ended');
    };
    scope.handle = {
      dialect,
      async query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
        check();
        return (await conn.query(sql, toParams(params, dialect))) as T[];
      },
      async one<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
        check();
        return (await conn.query(sql, toParams(params, dialect)))[0] as T | undefined;
      },
      async exec(sql: string, params?: readonly unknown[]): Promise<{ rowCount: number }> {
        check();
        return { rowCount: await conn.exec(sql, toParams(params, dialect)) };
      },
      async transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
        check();
        // Route to the innermost active scope of this transaction (avoids waiting on our own child lock).
        const cur = currentScope();
        return savepoint(cur && cur.root === scope.root ? cur : scope, fn);
      },
      async close(): Promise<void> {
        throw new Error('close() cannot be called on a transaction handle');
      },
    };
    return scope;
  };

  const savepoint = <T>(scope: TxScope, fn: (tx: Database) => Promise<T>): Promise<T> =>
    scope.childLock.run(async () => {
      if (!scope.active) throw new Error('transaction handle used after its transaction ended');
      scope.root.seq += 1;
      const name = `portal_sp_${scope.root.seq}`;
      await scope.conn.exec(`SAVEPOINT ${name}`, []);
      const child = newScope(scope.conn, scope.root, scope);
      let released = false;
      try {
        const result = await als.run(child, () => fn(child.handle));
        child.active = false;
        await scope.conn.exec(`RELEASE SAVEPOINT ${name}`, []);
        released = true;
        return result;
      } catch (err) {
        child.active = false;
        if (!released) {
          try {
            await scope.conn.exec(`ROLLBACK TO SAVEPOINT ${name}`, []);
            await scope.conn.exec(`RELEASE SAVEPOINT ${name}`, []);
          } catch {
            // the enclosing transaction is unusable; it will be rolled back by its owner
          }
        }
        throw err;
      }
    });

  const db: Database = {
    dialect,
    async query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
      const s = currentScope();
      if (s) return s.handle.query<T>(sql, params);
      assertOpen();
      return (await driver.direct.query(sql, toParams(params, dialect))) as T[];
    },
    async one<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
      const rows = await db.query<T>(sql, params);
      return rows[0];
    },
    async exec(sql: string, params?: readonly unknown[]): Promise<{ rowCount: number }> {
      const s = currentScope();
      if (s) return s.handle.exec(sql, params);
      assertOpen();
      return { rowCount: await driver.direct.exec(sql, toParams(params, dialect)) };
    },
    async transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
      const s = currentScope();
      if (s) return savepoint(s, fn);
      assertOpen();
      return driver.withTransaction(async (conn) => {
        const scope = newScope(conn, { seq: 0 }, undefined);
        try {
          return await als.run(scope, () => fn(scope.handle));
        } finally {
          scope.active = false;
        }
      });
    },
    async close(): Promise<void> {
      if (currentScope()) throw new Error('close() cannot be called inside a transaction');
      if (closed) return;
      closed = true;
      await driver.close();
    },
  };
  return db;
}

// ---------------------------------------------------------------------------------------------------------
// SQLite driver (node:sqlite)

const SQLITE_BUSY_TIMEOUT_MS = 5000;
const STATEMENT_CACHE_SIZE = 200;

/** One async mutex per database file per process, shared by all handles on that file. */
const sqliteFileLocks = new Map<string, { mutex: Mutex; refs: number }>();

function acquireFileLock(key: string | undefined): { mutex: Mutex; release: () => void } {
  if (key === undefined) return { mutex: createMutex(), release: () => {} };
  let entry = sqliteFileLocks.get(key);
  if (!entry) {
    entry = { mutex: createMutex(), refs: 0 };
    sqliteFileLocks.set(key, entry);
  }
  entry.refs += 1;
  const e = entry;
  let released = false;
  return {
    mutex: e.mutex,
    release: () => {
      if (released) return;
      released = true;
      e.refs -= 1;
      if (e.refs === 0 && sqliteFileLocks.get(key) === e) sqliteFileLocks.delete(key);
    },
  };
}

function openSqlite(url: string, logger: DatabaseLogger | undefined): Database {
  const target = url.slice('sqlite:'.length);
  const memory = target === ':memory:' || target === '';
  let file = ':memory:';
  if (!memory) {
    file = resolve(target);
    mkdirSync(dirname(file), { recursive: true });
  }
  const conn = new DatabaseSync(file, { timeout: SQLITE_BUSY_TIMEOUT_MS, enableForeignKeyConstraints: true });
  let journalMode = 'memory';
  try {
    conn.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    conn.exec('PRAGMA foreign_keys = ON');
    if (!memory) {
      const row = conn.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode?: string } | undefined;
      journalMode = String(row?.journal_mode ?? '');
      if (journalMode.toLowerCase() !== 'wal') throw new Error(`could not enable WAL (journal_mode=${journalMode})`);
      conn.exec('PRAGMA synchronous = NORMAL');
    }
  } catch (err) {
    conn.close();
    throw err;
  }
  const lock = acquireFileLock(memory ? undefined : realpathSync(file));

  const cache = new Map<string, { stmt: StatementSync; scanned: ScannedSql }>();
  const totalChanges = conn.prepare('SELECT total_changes() AS n');

  const prepared = (sql: string): { stmt: StatementSync | undefined; scanned: ScannedSql } => {
    const hit = cache.get(sql);
    if (hit) {
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const scanned = scanSql(sql);
    if (scanned.hasQuestionMark) {
      throw new Error('use $1, $2, … placeholders (a bare ? is not portable)');
    }
    if (scanned.statements > 1) return { stmt: undefined, scanned };
    const stmt = conn.prepare(scanned.sqliteSql);
    cache.set(sql, { stmt, scanned });
    if (cache.size > STATEMENT_CACHE_SIZE) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    return { stmt, scanned };
  };

  const checkArity = (scanned: ScannedSql, params: readonly unknown[]): void => {
    if (scanned.maxParam !== params.length) {
      throw new Error(`statement uses ${scanned.maxParam} parameter(s) but ${params.length} were supplied`);
    }
  };

  const changesNow = (): number => Number((totalChanges.get() as { n: number | bigint }).n);

  // Synchronous executor on the shared connection (callers handle locking).
  const raw = {
    query(sql: string, params: readonly unknown[]): Row[] {
      const { stmt, scanned } = prepared(sql);
      if (!stmt) throw new Error('query() takes a single statement; use exec() for scripts');
      checkArity(scanned, params);
      return stmt.all(...(params as never[])).map((r) => ({ ...r }));
    },
    exec(sql: string, params: readonly unknown[]): number {
      const { stmt, scanned } = prepared(sql);
      const before = changesNow();
      if (!stmt) {
        if (params.length > 0) throw new Error('a multi-statement script cannot take parameters');
        conn.exec(scanned.sqliteSql);
      } else {
        checkArity(scanned, params);
        stmt.run(...(params as never[]));
      }
      return changesNow() - before;
    },
  };

  const txConn: Conn = {
    query: async (sql, params) => raw.query(sql, params),
    exec: async (sql, params) => raw.exec(sql, params),
  };
  let open = true;
  const ensureOpen = (): void => {
    if (!open) throw new Error('database is closed');
  };

  const driver: Driver = {
    dialect: 'sqlite',
    direct: {
      query: (sql, params) =>
        lock.mutex.run(() => {
          ensureOpen();
          return raw.query(sql, params);
        }),
      exec: (sql, params) =>
        lock.mutex.run(() => {
          ensureOpen();
          return raw.exec(sql, params);
        }),
    },
    withTransaction: <T>(fn: (c: Conn) => Promise<T>): Promise<T> =>
      lock.mutex.run(async () => {
        ensureOpen();
        conn.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(txConn);
          conn.exec('COMMIT');
          return result;
        } catch (err) {
          if (conn.isTransaction) conn.exec('ROLLBACK');
          throw err;
        }
      }),
    close: () =>
      lock.mutex.run(() => {
        if (!open) return;
        open = false;
        cache.clear();
        conn.close();
        lock.release();
      }),
  };

  logger?.info({ dialect: 'sqlite', file, journalMode }, 'database opened');
  return createDatabase(driver);
}

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL driver (pg)

const PG_OID = {
  BOOL: 16,
  INT8: 20,
  JSON: 114,
  DATE: 1082,
  TIMESTAMP: 1114,
  TIMESTAMPTZ: 1184,
  NUMERIC: 1700,
  JSONB: 3802,
} as const;

function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`Value is too large to be represented as a JavaScript number: ${text}`);
  }
  return n;
}

function pgTimestampToIso(text: string, assumeUtc: boolean): string {
  if (text === 'infinity' || text === '-infinity') return text;
  // "2024-05-01 12:00:00.123456+02" / "2024-05-01 12:00:00" → ISO-8601 UTC
  let s = text.replace(' ', 'T');
  if (assumeUtc) s += 'Z';
  else if (/[+-]\d\d$/.test(s)) s += ':00';
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? text : d.toISOString();
}

const identity = (text: string): string => text;

function portableTypeParser(oid: number, format?: string): (text: string) => unknown {
  if (format === 'binary') return pg.types.getTypeParser(oid, 'binary') as (text: string) => unknown;
  switch (oid) {
    case PG_OID.INT8:
      return parseInt8;
    case PG_OID.NUMERIC:
      return (t: string) => Number(t);
    case PG_OID.BOOL:
      return (t: string) => (t === 't' || t === 'true' ? 1 : 0);
    case PG_OID.TIMESTAMPTZ:
      return (t: string) => pgTimestampToIso(t, false);
    case PG_OID.TIMESTAMP:
      return (t: string) => pgTimestampToIso(t, true);
    case PG_OID.DATE:
    case PG_OID.JSON:
    case PG_OID.JSONB:
      return identity;
    default:
      return pg.types.getTypeParser(oid, 'text') as (text: string) => unknown;
  }
}

type PgResult = pg.QueryResult<Row> | pg.QueryResult<Row>[];

function lastResult(r: PgResult): pg.QueryResult<Row> | undefined {
  return Array.isArray(r) ? r[r.length - 1] : r;
}

function sumRowCount(r: PgResult): number {
  const list = Array.isArray(r) ? r : [r];
  let n = 0;
  for (const x of list) {
    if (x.command === 'INSERT' || x.command === 'UPDATE' || x.command === 'DELETE' || x.command === 'MERGE') {
      n += x.rowCount ?? 0;
    }
  }
  return n;
}

async function openPostgres(url: string, opts: OpenDatabaseOptions): Promise<Database> {
  const { logger } = opts;
  const safeUrl = redactUrl(url);
  const secrets = secretsOf(url);
  const cleanError = (err: unknown, prefix?: string): Error => {
    const msg = scrub(err instanceof Error ? err.message : String(err), secrets);
    const e = new Error(prefix ? `${prefix}: ${msg}` : msg);
    const code = (err as { code?: unknown } | null)?.code;
    if (code !== undefined) (e as Error & { code?: unknown }).code = code;
    return e;
  };

  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    application_name: 'escape-batch-portal',
    types: { getTypeParser: portableTypeParser as unknown as pg.CustomTypesConfig['getTypeParser'] },
  });
  pool.on('error', (err) => {
    // An idle client died (e.g. server restart); the pool replaces it. Never crash the process for this.
    const info = { err: scrub(err.message, secrets), url: safeUrl };
    if (logger?.warn) logger.warn(info, 'idle PostgreSQL client error');
    else logger?.info(info, 'idle PostgreSQL client error');
  });

  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => {});
    throw cleanError(err, `cannot connect to PostgreSQL at ${safeUrl}`);
  }

  const run = async (q: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[]): Promise<PgResult> => {
    try {
      return (await q.query({ text: sql, values: params as unknown[] })) as unknown as PgResult;
    } catch (err) {
      // pg errors carry no connection string, but scrub anyway; keep code/detail for callers (e.g. 23505).
      if (err instanceof Error && secrets.some((s) => err.message.includes(s))) throw cleanError(err);
      throw err;
    }
  };
  const connOf = (q: pg.Pool | pg.PoolClient): Conn => ({
    query: async (sql, params) => lastResult(await run(q, sql, params))?.rows ?? [],
    exec: async (sql, params) => sumRowCount(await run(q, sql, params)),
  });

  const driver: Driver = {
    dialect: 'postgres',
    direct: connOf(pool),
    async withTransaction<T>(fn: (c: Conn) => Promise<T>): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw cleanError(err, `cannot connect to PostgreSQL at ${safeUrl}`);
      }
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(connOf(client));
        const commit = await client.query('COMMIT');
        // COMMIT of an aborted transaction silently rolls back: report it.
        if (commit.command === 'ROLLBACK') {
          throw new Error('transaction was aborted by an earlier error and has been rolled back');
        }
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
        }
        throw err;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };

  logger?.info({ dialect: 'postgres', url: safeUrl }, 'database opened');
  return createDatabase(driver);
}

// ---------------------------------------------------------------------------------------------------------

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
