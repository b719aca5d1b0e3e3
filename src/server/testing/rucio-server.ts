/**
 * A real Rucio server of a test's own (scripts/rucio/rucio.mjs: seeded topology and conveyor) on a free port,
 * and the dataset source that points the BFF at it. The test stack may run another Rucio on PORTAL_RUCIO_PORT.
 */
import path from 'node:path';
import type { RucioSourceConfigInput } from '../datasets/sources-config.ts';
import { loadPgHelper } from './db-targets.ts';

export interface RucioServer {
  url: string;
  account: string;
  username: string;
  passwordFile: string;
  /** The server's process, gunicorn's master (tests stop it and its worker with SIGSTOP to cut Rucio off). */
  pid: number | null;
  stop(): void;
}
const RUCIO_HELPER = new URL('../../../scripts/rucio/rucio.mjs', import.meta.url).href;

/** Start (or reuse) a seeded Rucio with its state under `dir`/rucio. */
export async function startTestRucio(dir: string): Promise<RucioServer> {
  const { startRucio } = (await import(RUCIO_HELPER)) as { startRucio(o: { dir: string; port: number }): RucioServer };
  const { findFreePort } = await loadPgHelper();
  return startRucio({ dir: path.join(dir, 'rucio'), port: await findFreePort() });
}

/** The BFF's dataset source for this server (label "CTA Rucio", scope cta). */
export function rucioSourceOf(rucio: RucioServer, overrides: Partial<RucioSourceConfigInput> = {}): RucioSourceConfigInput {
  return {
    type: 'rucio',
    label: 'CTA Rucio',
    url: rucio.url,
    account: rucio.account,
    auth: { method: 'userpass', username: rucio.username, passwordFile: rucio.passwordFile },
    defaultScope: 'cta',
    timeoutMs: 5_000,
    ...overrides,
  };
}

/** Call this Rucio as its root account (tests seed and inspect with it): `(path, init) => Response`, JSON bodies. */
export async function rucioAsRoot(rucio: Pick<RucioServer, 'url'>) {
  const { rucioRootToken } = (await import(RUCIO_HELPER)) as { rucioRootToken(url: string): Promise<string> };
  const token = await rucioRootToken(rucio.url);
  return (p: string, init: RequestInit = {}) =>
    fetch(`${rucio.url}${p}`, {
      ...init,
      headers: { 'X-Rucio-Auth-Token': token, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
    });
}
