/**
 * Databases for tests that run on both dialects: a temp directory of SQLite files, or a throw-away
 * PostgreSQL server (scripts/lib/postgres.mjs, started as the `postgres` user when run as root).
 * Each `freshUrl()` is a new, empty database.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Database } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import { migrations } from '../migrations.ts';

export interface PgHelper {
  startPostgres(opts: { dir: string; port?: number; host?: string }): Promise<{
    url: string;
    stop(): Promise<void>;
    /** Stop the server keeping its data (an outage); `restart` brings it back on the same port. */
    halt(): Promise<unknown>;
    restart(): Promise<unknown>;
  }>;
  findFreePort(host?: string): Promise<number>;
}

// Non-literal specifier: the helper is plain JS outside the server tsconfig; typed via PgHelper.
const PG_HELPER_URL = new URL('../../../scripts/lib/postgres.mjs', import.meta.url).href;
export const loadPgHelper = (): Promise<PgHelper> => import(PG_HELPER_URL) as Promise<PgHelper>;

export interface DbTarget {
  /** A URL of a new, empty database. */
  freshUrl(): Promise<string>;
  teardown(): Promise<void>;
}

let seq = 0;

export async function sqliteTarget(prefix: string, subdir = ''): Promise<DbTarget> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-sqlite-`));
  return {
    freshUrl: async () => `sqlite:${join(dir, subdir, `t${++seq}.db`)}`,
    teardown: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function postgresTarget(prefix: string): Promise<DbTarget> {
  const { startPostgres, findFreePort } = await loadPgHelper();
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-pg-`));
  let server: Awaited<ReturnType<PgHelper['startPostgres']>>;
  try {
    server = await startPostgres({ dir, port: await findFreePort() });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  return {
    freshUrl: async () => {
      const name = `t${++seq}`;
      await admin.query(`CREATE DATABASE ${name}`);
      const u = new URL(server.url);
      u.pathname = `/${name}`;
      return u.toString();
    },
    teardown: async () => {
      await admin.end().catch(() => {});
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface MigratedTarget {
  name: string;
  /** A new database, opened and migrated. */
  fresh(): Promise<Database>;
  teardown(): Promise<void>;
}

/** A dialect's databases, each opened and migrated; all closed at teardown. */
export async function migratedTarget(name: string, base: DbTarget): Promise<MigratedTarget> {
  const open: Database[] = [];
  return {
    name,
    fresh: async () => {
      const db = await openDatabase(await base.freshUrl());
      open.push(db);
      await migrate(db, migrations);
      return db;
    },
    teardown: async () => {
      for (const db of open) await db.close().catch(() => {});
      await base.teardown();
    },
  };
}

/** Both dialects as [label, make a migrated target], for `for (const [name, make] of bothDialects('x')) describe(...)`. */
export function bothDialects(prefix: string) {
  return [
    ['SQLite', async () => migratedTarget('sqlite', await sqliteTarget(prefix))],
    ['PostgreSQL', async () => migratedTarget('postgres', await postgresTarget(prefix))],
  ] as const;
}

/** Inside a describe: one fresh migrated database of the target for the suite (closed after it). */
export function suiteDatabase(make: () => Promise<MigratedTarget>): () => Database {
  let target: MigratedTarget | undefined;
  let db: Database | undefined;
  beforeAll(async () => {
    target = await make();
    db = await target.fresh();
  }, 120_000);
  afterAll(async () => {
    await target?.teardown();
  });
  return () => {
    if (!db) throw new Error('the suite database is not open yet');
    return db;
  };
}
