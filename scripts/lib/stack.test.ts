import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diracxEnv, executorMode } from './stack.mjs';

// Issue #12: the local execution sites run jobs by default; DiracX's demo executor stays selectable.
describe('what runs jobs', () => {
  const saved = process.env.PORTAL_EXECUTOR;
  afterEach(() => {
    if (saved === undefined) delete process.env.PORTAL_EXECUTOR;
    else process.env.PORTAL_EXECUTOR = saved;
  });

  it('is the local sites unless PORTAL_EXECUTOR or the caller asks for the demo executor', () => {
    delete process.env.PORTAL_EXECUTOR;
    expect(executorMode()).toBe('site');
    expect(executorMode('demo')).toBe('demo');
    process.env.PORTAL_EXECUTOR = 'demo';
    expect(executorMode()).toBe('demo');
    process.env.PORTAL_EXECUTOR = 'pilot';
    expect(() => executorMode()).toThrow(/PORTAL_EXECUTOR must be "site" or "demo"/);
  });

  it("switches DiracX's demo executor on only in demo mode", () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-env-'));
    try {
      const envOf = (executor: string) =>
        diracxEnv({
          stateDir,
          urls: { diracx: 'http://127.0.0.1:1', s3: 'http://127.0.0.1:2', redis: 'redis://127.0.0.1:3' },
          ports: { bff: 4 },
          prepared: { csRepo: '/cs', keystore: '/ks', stateKey: 'k', legacyKeyHash: 'h' },
          executor,
        }) as Record<string, string>;
      expect(envOf('demo').DIRACX_TASKS_DUMMY_JOB_EXECUTOR_ENABLED).toBe('true');
      expect(envOf('site').DIRACX_TASKS_DUMMY_JOB_EXECUTOR_ENABLED).toBe('false');
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
