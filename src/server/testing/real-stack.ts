/**
 * Helpers for integration tests against the real local stack started by
 * scripts/test.mjs (its description is in the file named by PORTAL_STACK_FILE).
 * There is no fallback: without a running stack these tests fail.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loginThroughIdp, type TokenResponse } from '../../../scripts/lib/login.mjs';
import { DEMO_PASSWORD, DEMO_USERS } from '../../../scripts/idp/users.mjs';
import { buildApp, type BuildOptions } from '../app.ts';
import { parseConfig, type ConfigInput, type InstanceConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import type { DiracxClient } from '../diracx/client.ts';

export interface StackInfo {
  urls: { bff: string; diracx: string; idp: string; s3: string; redis: string };
  ports: Record<string, number>;
  vo: string;
  portalClientId: string;
}

export function stackInfo(): StackInfo {
  const file = process.env.PORTAL_STACK_FILE;
  if (!file || !fs.existsSync(file)) {
    throw new Error('PORTAL_STACK_FILE is not set or missing: run these tests through `npm test` (it starts the real stack).');
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as StackInfo;
}

/** The stack's Rucio and the local sites' storage element (scripts/lib/stack.mjs). */
export interface StackRucio {
  url: string;
  account: string;
  username: string;
  passwordFile: string;
  rse: string;
  seDir: string;
}
export function stackRucio(): StackRucio {
  const r = (stackInfo() as StackInfo & { rucio?: StackRucio }).rucio;
  if (!r) throw new Error('the test stack runs no Rucio (scripts/test.mjs starts it)');
  return r;
}

export const stateDir = () => path.dirname(process.env.PORTAL_STACK_FILE ?? '.');

export type Role = 'scientist' | 'pi' | 'admin';
export const GROUP_OF: Record<Role, string> = { scientist: 'scientists', pi: 'pis', admin: 'admins' };

export function demoUser(role: Role) {
  const u = DEMO_USERS.find((x) => x.role === role);
  if (!u) throw new Error(`no demo user for ${role}`);
  return u;
}

const tokenCache = new Map<Role, TokenResponse>();
/** Real tokens: DiracX authorize -> IdP login form -> DiracX callback -> token exchange. */
export async function loginAs(role: Role, { fresh = false } = {}): Promise<TokenResponse> {
  const cached = tokenCache.get(role);
  if (cached && !fresh) return cached;
  const s = stackInfo();
  const u = demoUser(role);
  const tokens = await loginThroughIdp({
    diracxUrl: s.urls.diracx,
    clientId: s.portalClientId,
    redirectUri: `${s.urls.bff}/auth/callback`,
    vo: s.vo,
    group: GROUP_OF[role],
    username: u.username,
    password: DEMO_PASSWORD,
  });
  tokenCache.set(role, tokens);
  return tokens;
}

export function instanceConfig(overrides: Partial<ConfigInput['instances'][number]> = {}) {
  const s = stackInfo();
  return {
    id: 'local',
    label: 'Local DiracX',
    url: s.urls.diracx,
    clientId: s.portalClientId,
    groupSharing: { [s.vo]: { pis: ['scientists', 'pis'] } },
    ...overrides,
  };
}

/** The BFF in-process (app.inject), wired to the real DiracX, on a fresh SQLite file. */
export async function inProcessBff(
  opts: {
    instance?: Partial<ConfigInput['instances'][number]>;
    extraInstances?: ConfigInput['instances'];
    databaseUrl?: string;
    wrapDiracx?: (c: DiracxClient) => DiracxClient;
    config?: Partial<ConfigInput>;
    build?: Partial<BuildOptions>;
  } = {},
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bff-int-'));
  const config = parseConfig({
    databaseUrl: opts.databaseUrl ?? `sqlite:${path.join(dir, 'portal.db')}`,
    instances: [instanceConfig(opts.instance), ...(opts.extraInstances ?? [])],
    staticDir: path.join(dir, 'no-dist'),
    resourceCatalogue: path.resolve('config/resources.cfg'),
    logLevel: 'silent',
    ...opts.config,
  });
  const db = await openDatabase(config.databaseUrl);
  const { createDiracxClient } = await import('../diracx/client.ts');
  const clients = new Map<string, DiracxClient>();
  const diracx = (inst: InstanceConfig) => {
    let c = clients.get(inst.id);
    if (!c) {
      c = createDiracxClient(inst, { timeoutMs: 10_000 });
      if (opts.wrapDiracx) c = opts.wrapDiracx(c);
      clients.set(inst.id, c);
    }
    return c;
  };
  const app = await buildApp({ config, db, diracx, logger: false, ...opts.build });
  return {
    app,
    db,
    config,
    close: async () => {
      await app.close();
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const bearer = (t: { access_token: string }) => ({ authorization: `Bearer ${t.access_token}` });

export async function until<T>(
  fn: () => Promise<T | undefined>,
  { timeoutMs = 60_000, intervalMs = 500, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
