// Small process helpers for the local stack: spawn services with their own log
// file and process group, wait until they answer, and stop them again.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (res.error) throw new Error(`${cmd} could not start: ${res.error.message}`);
  if (res.status !== 0) {
    const out = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} exited with ${res.status}\n${out}`);
  }
  return res.stdout ?? '';
}

/** Start a long-running service in its own process group, logging to logDir/<name>.log. */
export function startService({ name, cmd, args, env, cwd, logDir }) {
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  const svc = { name, pid: child.pid, logFile, child, exited: null };
  child.on('exit', (code, signal) => {
    svc.exited = { code, signal };
  });
  child.on('error', (err) => {
    svc.exited = { code: -1, signal: null, error: err.message };
  });
  return svc;
}

export function tail(file, lines = 25) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Poll `check` until it resolves truthy; fail early if the service died. */
export async function waitFor(svc, check, { timeoutMs = 60_000, what = svc?.name } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  while (Date.now() < deadline) {
    if (svc?.exited) {
      throw new Error(
        `${what} exited during start-up (${JSON.stringify(svc.exited)}). Last lines of ${svc.logFile}:\n${tail(svc.logFile)}`,
      );
    }
    try {
      if (await check()) return;
    } catch (err) {
      lastErr = err;
    }
    await sleep(250);
  }
  throw new Error(
    `${what} did not become ready within ${timeoutMs / 1000}s${lastErr ? ` (${lastErr.message})` : ''}${svc ? `. Last lines of ${svc.logFile}:\n${tail(svc.logFile)}` : ''}`,
  );
}

export async function httpOk(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return res.ok;
}

export function portInUse(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host });
    sock.setTimeout(500);
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('timeout', () => {
      sock.destroy();
      resolve(false);
    });
    sock.once('error', () => resolve(false));
  });
}

export async function tcpOpen(port, host = '127.0.0.1') {
  return portInUse(port, host);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Send a signal to a process group, or to the process alone when it leads no group. */
function signal(pid, sig) {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

/** Stop process groups: SIGTERM, then SIGKILL after a grace period. */
export async function stopPids(pids, graceMs = 5000) {
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(alive)) await sleep(100);
  for (const pid of pids.filter(alive)) signal(pid, 'SIGKILL');
}

/**
 * Keep a started stack in the foreground (`npm start`, `npm run stack`): say when one of `services()`
 * dies, and on Ctrl+C or SIGTERM run `stop` once and exit.
 */
export function runUntilStopped({ services, stop }) {
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    await stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  setInterval(() => {
    if (stopping) return;
    for (const svc of services()) {
      if (svc.exited && !svc.reported) {
        svc.reported = true;
        console.error(`${svc.name} stopped unexpectedly (${JSON.stringify(svc.exited)}); see ${svc.logFile}`);
      }
    }
  }, 2000);
}
