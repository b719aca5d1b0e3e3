import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { migrations } from '../migrations.ts';
import { migrate } from './migrations.ts';

describe('database (sqlite specifics)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'portal-db-sqlite2-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates parent directories, enables WAL, foreign keys and busy_timeout', async () => {
    const logs: unknown[] = [];
    const db = await openDatabase(`sqlite:${join(dir, 'a/b/c/portal.db')}`, {
      logger: { info: (obj) => logs.push(obj) },
    });
    try {
      expect((await stat(join(dir, 'a/b/c/portal.db'))).isFile()).toBe(true);
      expect(await db.one('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
      expect(await db.one('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
      expect(await db.one('PRAGMA busy_timeout')).toEqual({ timeout: 5000 });
      expect(logs).toHaveLength(1);
    } finally {
      await db.close();
    }
  });

  it('supports sqlite::memory: and relative paths', async () => {
    const mem = await openDatabase('sqlite::memory:');
    expect(await migrate(mem, migrations)).toEqual(migrations.map((m) => m.id));
    await mem.close();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const rel = await openDatabase('sqlite:rel/portal.db');
      await rel.close();
      expect((await stat(join(dir, 'rel/portal.db'))).isFile()).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });

  it('rejects bare ? placeholders and parameters on multi-statement scripts', async () => {
    const db = await openDatabase('sqlite::memory:');
    await expect(db.query('SELECT ? AS x', [1])).rejects.toThrow(/placeholders/);
    await expect(db.exec('SELECT $1; SELECT 2', [1])).rejects.toThrow(/multi-statement/);
    await db.close();
  });

  it('serialises migrations from several processes on one file (BEGIN IMMEDIATE)', async () => {
    const file = join(dir, 'multi-process.db');
    const script = join(dir, 'migrate-child.mjs');
    const dbModule = pathToFileURL(join(import.meta.dirname, 'database.ts')).href;
    const migModule = pathToFileURL(join(import.meta.dirname, 'migrations.ts')).href;
    const listModule = pathToFileURL(join(import.meta.dirname, '..', 'migrations.ts')).href;
    await writeFile(
      script,
      `import { openDatabase } from ${JSON.stringify(dbModule)};
       import { migrate } from ${JSON.stringify(migModule)};
       import { migrations } from ${JSON.stringify(listModule)};
       const db = await openDatabase(${JSON.stringify(`sqlite:${file}`)});
       const list = [...migrations, ...Array.from({ length: 20 }, (_, i) => ({
         id: 'p' + String(i).padStart(3, '0'), sql: 'CREATE TABLE p' + i + ' (x INTEGER)' }))];
       const applied = await migrate(db, list);
       await db.close();
       process.stdout.write(JSON.stringify(applied));`,
    );
    const run = promisify(execFile);
    const outs = await Promise.all(
      Array.from({ length: 4 }, () => run(process.execPath, ['--no-warnings', script], { cwd: dir, timeout: 60_000 })),
    );
    const applied = outs.flatMap((o) => JSON.parse(o.stdout) as string[]);
    expect(applied).toHaveLength(20 + migrations.length);
    expect(new Set(applied).size).toBe(20 + migrations.length);
    const db = await openDatabase(`sqlite:${file}`);
    expect(await db.one('SELECT COUNT(*) AS n FROM schema_migrations')).toEqual({ n: 20 + migrations.length });
    await db.close();
  }, 60_000);
});
