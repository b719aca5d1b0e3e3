/** buildApp on a throw-away SQLite file with a stub token verifier, for route unit tests (app.inject). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp, type BuildOptions } from '../app.ts';
import { parseConfig, type ConfigInput } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import type { DiracxClient } from '../diracx/client.ts';
import { problems } from '../errors.ts';
import { sandboxStoreDouble } from './sandbox-double.ts';

/** A DiracX double that fails the test if anything touches it. */
export const untouchableDiracx = (why: string): DiracxClient =>
  new Proxy({} as DiracxClient, {
    get: () => {
      throw new Error(why);
    },
  });

/**
 * DiracX as far as access control needs it (role matrix, fuzzing): submissions succeed, searches find
 * nothing, anything else is a 404 problem, never an exception the BFF would turn into a 500.
 */
export const accessControlDiracx = (): DiracxClient => {
  const sandboxes = sandboxStoreDouble().client;
  return new Proxy({} as DiracxClient, {
    get: (_t, key) => {
      if (key === 'then') return undefined;
      if (key === 'submitJdl') return async () => [{ JobID: 42, Status: 'Received', MinorStatus: '', TimeStamp: '' }];
      if (key === 'initiateSandbox' || key === 'uploadSandbox') return sandboxes[key];
      if (key === 'searchJobs') return async () => ({ rows: [], total: 0 });
      if (key === 'ready') return async () => ({ ok: true, latencyMs: 1 });
      return async () => {
        throw problems.notFound(`the DiracX double has no ${String(key)}`);
      };
    },
  });
};

/** `config` adds or overrides configuration fields; `build` passes further buildApp options (e.g. schedulerRef). */
export async function unitApp(opts: {
  instances: ConfigInput['instances'];
  verifyToken: NonNullable<BuildOptions['verifyToken']>;
  diracx?: BuildOptions['diracx'];
  config?: Partial<ConfigInput>;
  build?: Partial<BuildOptions>;
}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bff-unit-'));
  const config = parseConfig({
    databaseUrl: `sqlite:${path.join(dir, 'p.db')}`,
    instances: opts.instances,
    staticDir: path.join(dir, 'none'),
    logLevel: 'silent',
    demoDatasets: 0,
    ...opts.config,
  });
  const db = await openDatabase(config.databaseUrl);
  const app = await buildApp({
    config,
    db,
    logger: false,
    catalogue: null,
    diracx: opts.diracx ?? (() => untouchableDiracx('this route never calls DiracX')),
    verifyToken: opts.verifyToken,
    ...opts.build,
  });
  return {
    app,
    db,
    close: async () => {
      await app.close();
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
