/**
 * The dialect-neutral layer over a driver: parameters converted to portable values, handles,
 * transactions and savepoints (the TRANSACTIONS contract of database.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database, Dialect, Row } from './database.ts';
import { createMutex, type Mutex } from './mutex.ts';

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

/** A connection-level executor (no locking/routing). */
export interface Conn {
  query(sql: string, params: readonly unknown[]): Promise<Row[]>;
  exec(sql: string, params: readonly unknown[]): Promise<number>;
}

export interface Driver {
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

export function createDatabase(driver: Driver): Database {
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
