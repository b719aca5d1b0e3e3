// Throw-away PostgreSQL server for tests and local runs.
//
//   const pg = await startPostgres({ dir: await mkdtemp(join(tmpdir(), 'pg-')), port: await findFreePort() });
//   ... connect to pg.url (postgres://postgres@127.0.0.1:<port>/portal_test) ...
//   await pg.stop(); // pg_ctl stop -m fast, then removes dir
//
// Binaries: the newest /usr/lib/postgresql/<version>/bin (Debian/Ubuntu layout), else
// `initdb`/`pg_ctl` found on PATH or in /usr/local/bin. Override with PG_BIN_DIR.
//
// PostgreSQL refuses to run as root. When the current process is root (CI, containers), initdb and
// pg_ctl run as the `postgres` system user (created by Debian's postgresql package) via
// `runuser -u postgres --` (or `su postgres -s /bin/sh -c` if runuser is missing), and `dir` is
// chowned to that user. `dir` must then be reachable by that user (e.g. a fresh mkdtemp() under /tmp).
//
// Security: trust authentication, loopback only (pg_hba.conf admits only the Unix socket, which lives
// inside `dir`, and 127.0.0.1/::1). Durability is switched off (fsync=off etc.) for speed.
//
// Plain ESM JavaScript, Node >= 20, no dependencies.

import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { appendFile, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const INSTALL_HINT =
  'PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them with ' +
  '`apt-get install postgresql` (Debian/Ubuntu), or set PG_BIN_DIR to the directory containing initdb and pg_ctl.';

/** Database created inside the throw-away cluster. */
export const TEST_DATABASE = 'portal_test';

/**
 * Locate the directory holding initdb and pg_ctl (newest Debian version dir first).
 * @returns {string | undefined}
 */
export function findPostgresBinDir() {
  const isBinDir = (/** @type {string} */ d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl'));
  if (process.env.PG_BIN_DIR) {
    return isBinDir(process.env.PG_BIN_DIR) ? process.env.PG_BIN_DIR : undefined;
  }
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    for (const v of versions) {
      const d = join(base, v, 'bin');
      if (isBinDir(d)) return d;
    }
  }
  const pathDirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const d of [...pathDirs, '/usr/local/bin', '/usr/local/pgsql/bin']) {
    if (isBinDir(d)) return d;
  }
  return undefined;
}

/**
 * Ask the OS for a free TCP port on `host`.
 * @param {string} [host]
 * @returns {Promise<number>}
 */
export function findFreePort(host = '127.0.0.1') {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/** @param {string} file */
function findExecutable(file) {
  for (const d of [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin']) {
    if (d && existsSync(join(d, file))) return join(d, file);
  }
  return undefined;
}

/** @param {string} s */
function shQuote(s) {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * How to run a PostgreSQL server binary: directly, or as the `postgres` user when we are root.
 * @returns {{ asUser: string | undefined, uid: number | undefined, gid: number | undefined,
 *             wrap: (cmd: string, args: string[]) => [string, string[]] }}
 */
function runner() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) return { asUser: undefined, uid: undefined, gid: undefined, wrap: (cmd, args) => [cmd, args] };
  const user = process.env.PG_RUN_AS_USER ?? 'postgres';
  let uid;
  let gid;
  try {
    uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
    gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
  } catch {
    throw new Error(
      `Running as root, but PostgreSQL refuses to run as root and the system user "${user}" does not exist. ` +
        'It is created by `apt-get install postgresql`; or run the tests as an unprivileged user.',
    );
  }
  const runuser = findExecutable('runuser');
  if (runuser) {
    return { asUser: user, uid, gid, wrap: (cmd, args) => [runuser, ['-u', user, '--', cmd, ...args]] };
  }
  const su = findExecutable('su') ?? 'su';
  return {
    asUser: user,
    uid,
    gid,
    wrap: (cmd, args) => [su, [user, '-s', '/bin/sh', '-c', [cmd, ...args].map(shQuote).join(' ')]],
  };
}

/**
 * @param {[string, string[]]} cmdline
 * @param {{ cwd?: string, timeoutMs?: number }} [opts]
 * @returns {Promise<{ stdout: string, stderr: string }>}
 */
function run([cmd, args], opts = {}) {
  return new Promise((resolveRun, reject) => {
    execFile(
      cmd,
      args,
      {
        cwd: opts.cwd,
        timeout: opts.timeoutMs ?? 120_000,
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
        // Run with a neutral locale: the unprivileged user may lack the caller's locale.
        env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      },
      (err, stdout, stderr) => {
        if (err) {
          const e = new Error(`${[cmd, ...args].join(' ')} failed: ${err.message}\n${stderr || stdout}`.trim());
          reject(e);
        } else {
          resolveRun({ stdout, stderr });
        }
      },
    );
  });
}

/** @param {string} dir */
async function chownRecursive(dir, /** @type {number} */ uid, /** @type {number} */ gid) {
  await chown(dir, uid, gid);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) await chownRecursive(p, uid, gid);
    else await chown(p, uid, gid);
  }
}

/** @param {string} file */
async function tail(file, lines = 30) {
  try {
    const text = await readFile(file, 'utf8');
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

/** @param {string} host */
function isLoopback(host) {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}

/**
 * Start a throw-away PostgreSQL server whose data, socket and log all live in `dir`.
 *
 * @param {{ dir: string, port?: number, host?: string, database?: string }} options
 *   dir: scratch directory (created if missing; removed by stop()). port: TCP port (default: a free one).
 *   host: listen address, loopback (default 127.0.0.1). database: database to create (default portal_test).
 * @returns {Promise<{ url: string, stop: () => Promise<void>, halt: () => Promise<unknown>, restart: () => Promise<unknown>, port: number, host: string, dataDir: string, socketDir: string, binDir: string }>}
 */
export async function startPostgres({ dir, port, host = '127.0.0.1', database = TEST_DATABASE }) {
  if (!dir) throw new Error('startPostgres: `dir` is required');
  if (!isLoopback(host)) throw new Error(`startPostgres: host must be a loopback address, got ${host}`);
  const binDir = findPostgresBinDir();
  if (!binDir) throw new Error(INSTALL_HINT);
  const bin = (/** @type {string} */ name) => join(binDir, name);

  const root = resolve(dir);
  const dataDir = join(root, 'data');
  const socketDir = root;
  const logFile = join(root, 'postgres.log');
  const pgPort = port ?? (await findFreePort(host === 'localhost' ? '127.0.0.1' : host));
  // Unix socket paths are limited to 107 bytes.
  if (join(socketDir, `.s.PGSQL.${pgPort}`).length > 107) {
    throw new Error(`startPostgres: dir path too long for a Unix socket (${socketDir}); use a shorter temp dir`);
  }

  const r = runner();
  await mkdir(root, { recursive: true });
  if (r.uid !== undefined && r.gid !== undefined) {
    await chownRecursive(root, r.uid, r.gid);
    // The unprivileged user must be able to reach `dir` through its parents.
    const probe = spawnSync(...r.wrap('test', ['-w', root, '-a', '-x', root]));
    if (probe.status !== 0) {
      throw new Error(
        `startPostgres: running as root; user "${r.asUser}" cannot write ${root} (a parent directory is probably ` +
          'not traversable by that user). Use a directory under /tmp created with mkdtemp().',
      );
    }
  }

  let started = false;
  let stopped = false;
  /** @type {(() => void) | undefined} */
  let exitHook;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (exitHook) process.off('exit', exitHook);
    try {
      if (started) {
        await run(r.wrap(bin('pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60']), { cwd: root });
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  };

  try {
    await run(r.wrap(bin('initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']), {
      cwd: root,
    });

    // Loopback-only trust authentication (replaces initdb's default file).
    await writeFile(
      join(dataDir, 'pg_hba.conf'),
      [
        '# throw-away test cluster: trust, loopback only',
        'local   all   all                 trust',
        'host    all   all   127.0.0.1/32  trust',
        'host    all   all   ::1/128       trust',
        '',
      ].join('\n'),
    );
    await appendFile(
      join(dataDir, 'postgresql.conf'),
      [
        '',
        '# --- scripts/lib/postgres.mjs (throw-away test cluster) ---',
        `listen_addresses = '${host}'`,
        `port = ${pgPort}`,
        `unix_socket_directories = '${socketDir.replaceAll("'", "''")}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 100',
        "shared_buffers = '32MB'",
        'logging_collector = off',
        '',
      ].join('\n'),
    );
    if (r.uid !== undefined && r.gid !== undefined) {
      await chown(join(dataDir, 'pg_hba.conf'), r.uid, r.gid);
    }

    await run(r.wrap(bin('pg_ctl'), ['start', '-w', '-t', '60', '-D', dataDir, '-l', logFile]), { cwd: root });
    started = true;
    // Best effort: do not leave a server behind if the process exits without calling stop().
    exitHook = () => {
      if (stopped) return;
      spawnSync(...r.wrap(bin('pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate']), { cwd: root });
      rmSync(root, { recursive: true, force: true });
    };
    process.on('exit', exitHook);

    const createdb = existsSync(bin('createdb')) ? bin('createdb') : 'createdb';
    await run(r.wrap(createdb, ['-h', socketDir, '-p', String(pgPort), '-U', 'postgres', database]), { cwd: root });
  } catch (err) {
    const log = await tail(logFile);
    await stop().catch(() => {});
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(`startPostgres failed: ${msg}\n--- postgres log (tail) ---\n${log}`, { cause: err });
  }

  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `postgres://postgres@${urlHost}:${pgPort}/${database}`,
    stop,
    // Fault tests: stop the server as an outage would (open connections are cut), keeping its data;
    // `restart` starts it again on the same port. Call `restart` before `stop`.
    halt: () => run(r.wrap(bin('pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60']), { cwd: root }),
    restart: () => run(r.wrap(bin('pg_ctl'), ['start', '-w', '-t', '60', '-D', dataDir, '-l', logFile]), { cwd: root }),
    port: pgPort,
    host,
    dataDir,
    socketDir,
    binDir,
  };
}

// `node scripts/lib/postgres.mjs` starts a server in a temp dir and keeps it running until Ctrl-C.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'portal-pg-'));
  const pg = await startPostgres({ dir, port: process.env.PGPORT ? Number(process.env.PGPORT) : undefined });
  console.log(`PostgreSQL running: ${pg.url} (data in ${dir}); Ctrl-C to stop`);
  const shutdown = () => {
    pg.stop().then(
      () => process.exit(0),
      (e) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  setInterval(() => {}, 1 << 30); // keep running until a signal arrives
}
