/**
 * One suite, two dialects: SQLite (temp dir) and a real throw-away PostgreSQL started by
 * scripts/lib/postgres.mjs. The PostgreSQL block fails (never skips) when the server cannot start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './database.ts';
import { migrations } from '../migrations.ts';
import { migrate, type Migration } from './migrations.ts';
import { postgresTarget as postgresTargetFor, sqliteTarget as sqliteTargetFor, type DbTarget } from '../testing/db-targets.ts';

type Target = DbTarget;
const sqliteTarget = () => sqliteTargetFor('portal-db', 'nested/dir');
const postgresTarget = () => postgresTargetFor('portal');

describe.each([
  ['sqlite', sqliteTarget],
  ['postgres', postgresTarget],
] as const)('database (%s)', (dialect, makeTarget) => {
  let target: Target | undefined;
  let setupError: unknown;
  const opened: Database[] = [];

  beforeAll(async () => {
    // If PostgreSQL cannot start, every test of this block FAILS with the reason (never skipped).
    try {
      target = await makeTarget();
    } catch (err) {
      setupError = err;
    }
  }, 120_000);

  afterAll(async () => {
    for (const db of opened) await db.close().catch(() => {});
    await target?.teardown();
  }, 60_000);

  const ready = (): Target => {
    if (target) return target;
    const reason = setupError instanceof Error ? setupError.message : String(setupError);
    throw new Error(`${dialect} test database could not be started: ${reason}`, { cause: setupError });
  };
  const open = async (url?: string): Promise<Database> => {
    const db = await openDatabase(url ?? (await ready().freshUrl()));
    opened.push(db);
    return db;
  };
  const fresh = (): Promise<string> => ready().freshUrl();

  it('reports its dialect', async () => {
    const db = await open();
    expect(db.dialect).toBe(dialect);
  });

  it('translates $n placeholders, leaving literals, identifiers and comments alone', async () => {
    const db = await open();
    const row = await db.one(
      `SELECT $1 AS a, '$1' AS lit, 'it''s $2' AS esc, $2 AS b, $1 AS again, "x$1" AS q -- $3 in a comment
       FROM (SELECT 'col' AS "x$1") AS sub /* $4 */`,
      ['first', 'second'],
    );
    expect(row).toEqual({ a: 'first', lit: '$1', esc: "it's $2", b: 'second', again: 'first', q: 'col' });
  });

  it('rejects a wrong number of parameters', async () => {
    const db = await open();
    await expect(db.query('SELECT $1 AS a, $2 AS b', ['only one'])).rejects.toThrow();
  });

  it('round-trips integers, reals, text, ISO timestamps, JSON text, booleans and null with the same JS types', async () => {
    const db = await open();
    await db.exec(`CREATE TABLE t (
      id INTEGER PRIMARY KEY, n INTEGER, big BIGINT, r DOUBLE PRECISION, s TEXT,
      at TEXT, js TEXT, flag INTEGER, missing TEXT)`);
    const at = new Date('2024-05-01T12:34:56.789Z');
    const doc = { a: [1, 2, { b: 'c' }], unicode: 'héllo ✓', nul: null };
    const ins = await db.exec('INSERT INTO t (id, n, big, r, s, at, js, flag, missing) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
      1,
      42,
      2 ** 40 + 1,
      1.5,
      'héllo ✓',
      at, // Date → ISO text
      JSON.stringify(doc),
      true, // boolean → 1
      undefined, // undefined → NULL
    ]);
    expect(ins.rowCount).toBe(1);
    const row = await db.one<Record<string, unknown>>('SELECT * FROM t WHERE id = $1', [1]);
    expect(row).toEqual({
      id: 1,
      n: 42,
      big: 2 ** 40 + 1,
      r: 1.5,
      s: 'héllo ✓',
      at: '2024-05-01T12:34:56.789Z',
      js: JSON.stringify(doc),
      flag: 1,
      missing: null,
    });
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(JSON.parse(row?.js as string)).toEqual(doc);

    // aggregates and comparisons: numbers and 0/1 on both dialects (PG count(*) is bigint, = is boolean)
    const agg = await db.one('SELECT COUNT(*) AS c, SUM(n) AS s, (1 = 1) AS yes, (1 = 0) AS no FROM t');
    expect(agg).toEqual({ c: 1, s: 42, yes: 1, no: 0 });
    // bigint beyond Number.MAX_SAFE_INTEGER is an error rather than a silent precision loss
    await expect(db.query("SELECT CAST('9007199254740993' AS BIGINT) AS x")).rejects.toThrow(/too large/);
    // objects are not portable parameters
    await expect(db.query('SELECT $1 AS x', [{ a: 1 }])).rejects.toThrow(/JSON.stringify/);
    if (db.dialect === 'postgres') {
      const native = await db.one<{ ts: unknown; d: unknown; j: unknown }>(
        "SELECT TIMESTAMPTZ '2024-05-01 14:00:00+02' AS ts, DATE '2024-05-01' AS d, '{\"a\":1}'::jsonb AS j",
      );
      expect(native).toEqual({ ts: '2024-05-01T12:00:00.000Z', d: '2024-05-01', j: '{"a": 1}' });
    }
  });

  it('exec reports affected rows and runs multi-statement scripts', async () => {
    const db = await open();
    expect(await db.exec('CREATE TABLE a (x INTEGER); CREATE TABLE b (y INTEGER);')).toEqual({ rowCount: 0 });
    await db.exec('INSERT INTO a (x) VALUES (1), (2), (3)');
    expect(await db.exec('UPDATE a SET x = x + 10 WHERE x >= $1', [2])).toEqual({ rowCount: 2 });
    expect(await db.exec('DELETE FROM a WHERE x = $1', [999])).toEqual({ rowCount: 0 });
    const rows = await db.query<{ x: number }>('SELECT x FROM a ORDER BY x');
    expect(rows.map((r) => r.x)).toEqual([1, 12, 13]);
  });

  it('rolls a transaction back when fn throws and commits when it resolves', async () => {
    const db = await open();
    await db.exec('CREATE TABLE items (name TEXT PRIMARY KEY)');
    await expect(
      db.transaction(async (tx) => {
        await tx.exec('INSERT INTO items (name) VALUES ($1)', ['doomed']);
        expect(await tx.query('SELECT name FROM items')).toEqual([{ name: 'doomed' }]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.query('SELECT name FROM items')).toEqual([]);

    const result = await db.transaction(async (tx) => {
      await tx.exec('INSERT INTO items (name) VALUES ($1)', ['kept']);
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(await db.query('SELECT name FROM items')).toEqual([{ name: 'kept' }]);

    // a failed statement inside the transaction also rolls everything back
    await expect(
      db.transaction(async (tx) => {
        await tx.exec('INSERT INTO items (name) VALUES ($1)', ['x']);
        await tx.exec('INSERT INTO items (name) VALUES ($1)', ['kept']); // unique violation
      }),
    ).rejects.toThrow();
    expect(await db.query('SELECT name FROM items ORDER BY name')).toEqual([{ name: 'kept' }]);
  });

  it('runs nested transactions in the same transaction (savepoints) and lets the outer db join it', async () => {
    const db = await open();
    await db.exec('CREATE TABLE items (name TEXT PRIMARY KEY)');
    await db.transaction(async (tx) => {
      await tx.exec('INSERT INTO items (name) VALUES ($1)', ['outer']);
      await tx.transaction(async (inner) => {
        // sees the outer, uncommitted write: same transaction
        expect(await inner.query('SELECT name FROM items')).toEqual([{ name: 'outer' }]);
        await inner.exec('INSERT INTO items (name) VALUES ($1)', ['inner-ok']);
      });
      // a failing nested transaction only undoes its own part, and the outer transaction stays usable
      await expect(
        tx.transaction(async (inner) => {
          await inner.exec('INSERT INTO items (name) VALUES ($1)', ['inner-doomed']);
          await inner.exec('INSERT INTO items (name) VALUES ($1)', ['outer']); // unique violation
        }),
      ).rejects.toThrow();
      // the outer Database object called inside the transaction joins it (no deadlock, same snapshot)
      expect((await db.query<{ name: string }>('SELECT name FROM items ORDER BY name')).map((r) => r.name)).toEqual(['inner-ok', 'outer']);
      await db.transaction(async (again) => {
        await again.exec('INSERT INTO items (name) VALUES ($1)', ['via-outer-db']);
      });
    });
    const names = (await db.query<{ name: string }>('SELECT name FROM items ORDER BY name')).map((r) => r.name);
    expect(names).toEqual(['inner-ok', 'outer', 'via-outer-db']);

    // an outer failure undoes the committed nested part too
    await expect(
      db.transaction(async (tx) => {
        await tx.transaction(async (inner) => {
          await inner.exec('INSERT INTO items (name) VALUES ($1)', ['nested-then-outer-fails']);
        });
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(await db.one('SELECT name FROM items WHERE name = $1', ['nested-then-outer-fails'])).toBeUndefined();
  });

  it('rejects use of a transaction handle after the transaction ended', async () => {
    const db = await open();
    let leaked: Database | undefined;
    await db.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.query('SELECT 1 AS x')).rejects.toThrow(/ended/);
  });

  it('keeps concurrent transactions isolated and all of them applied', async () => {
    const db = await open();
    await db.exec('CREATE TABLE counter (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)');
    await db.exec('INSERT INTO counter (id, v) VALUES (1, 0)');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db
          .transaction(async (tx) => {
            await tx.exec('UPDATE counter SET v = v + 1 WHERE id = 1');
            if (i % 5 === 0) throw new Error('rolled back');
          })
          .catch(() => undefined),
      ),
    );
    expect(await db.one('SELECT v FROM counter WHERE id = 1')).toEqual({ v: 16 });
  });

  it('migrate is idempotent and creates the schema', async () => {
    const db = await open();
    expect(await migrate(db, migrations)).toEqual(migrations.map((m) => m.id));
    expect(await migrate(db, migrations)).toEqual([]);
    const rows = await db.query<{ id: string; applied_at: string }>('SELECT id, applied_at FROM schema_migrations');
    expect(rows.map((r) => r.id)).toEqual(migrations.map((m) => m.id));
    expect(rows[0]?.applied_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    for (const table of ['submissions', 'job_records', 'audit_log']) {
      expect(await db.query(`SELECT * FROM ${table}`)).toEqual([]);
    }
    // foreign key job_records.submission_id → submissions.id is enforced on both dialects
    await expect(
      db.exec(
        "INSERT INTO job_records (instance_id, job_id, submission_id, owner_sub, jdl, created_at) VALUES ('i', 1, 'nope', 'u', 'j', 'now')",
      ),
    ).rejects.toThrow();
  });

  it('concurrent migrate calls on one database apply each migration exactly once', async () => {
    const url = await fresh();
    const extra: Migration[] = [
      ...migrations,
      { id: '0100_test_a', sql: 'CREATE TABLE test_a (x INTEGER)' },
      { id: '0101_test_b', sql: { sqlite: 'CREATE TABLE test_b (x INTEGER)', postgres: 'CREATE TABLE test_b (x BIGINT)' } },
      { id: '0102_test_c', sql: 'INSERT INTO test_a (x) VALUES (1)' },
    ];
    // separate handles (SQLite: two connections to one file; PostgreSQL: two pools)
    const handles = await Promise.all([open(url), open(url), open(url)]);
    const results = await Promise.all(handles.map((h) => migrate(h, extra)));
    expect(results.flat().sort()).toEqual(extra.map((m) => m.id).sort());
    const db = handles[0]!;
    expect(await db.one('SELECT COUNT(*) AS n FROM schema_migrations')).toEqual({ n: extra.length });
    expect(await db.one('SELECT COUNT(*) AS n FROM test_a')).toEqual({ n: 1 });
  });

  it('a failing migration is rolled back and not recorded', async () => {
    const db = await open();
    const list: Migration[] = [
      ...migrations,
      { id: '0100_bad', sql: 'CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1);' },
    ];
    await expect(migrate(db, list)).rejects.toThrow(/migration 0100_bad failed/);
    expect((await db.query<{ id: string }>('SELECT id FROM schema_migrations')).map((r) => r.id).sort()).toEqual(
      migrations.map((m) => m.id).sort(),
    );
    await expect(db.query('SELECT * FROM half_done')).rejects.toThrow();
    await expect(migrate(db, migrations)).resolves.toEqual([]);
  });

  it('close() makes further use fail', async () => {
    const db = await openDatabase(await fresh());
    await db.close();
    await expect(db.query('SELECT 1 AS x')).rejects.toThrow();
    await db.close(); // idempotent
  });
});
