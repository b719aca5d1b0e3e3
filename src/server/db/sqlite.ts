/** The SQLite driver (`node:sqlite`, no native addons). */
import { mkdirSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Database, DatabaseLogger, Row } from './database.ts';
import { createMutex, type Mutex } from './mutex.ts';
import { scanSql, type ScannedSql } from './sql-scanner.ts';
import { createDatabase, type Conn, type Driver } from './transactions.ts';

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

/**
 * Switches a connection to WAL. While other processes are setting up the same new file, SQLite can answer
 * "database is locked" here without waiting on the busy handler (seen once when several processes ran the
 * migrations together), so retry for as long as the busy timeout would have waited.
 */
function enableWal(conn: DatabaseSync): string {
  const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      const row = conn.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode?: string } | undefined;
      return String(row?.journal_mode ?? '');
    } catch (err) {
      if (!/database is locked|SQLITE_BUSY/i.test(String((err as Error).message)) || Date.now() > deadline) throw err;
      Atomics.wait(pause, 0, 0, 20);
    }
  }
}

export function openSqlite(url: string, logger: DatabaseLogger | undefined): Database {
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
      journalMode = enableWal(conn);
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
