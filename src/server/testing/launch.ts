/** A launch as the repository stores it (alice, Hello world), for launch repository and engine tests. */
import { randomUUID } from 'node:crypto';
import type { NewLaunch } from '../launches/repo.ts';

/** `jobCount` Hello world jobs unless `overrides.jobs` gives the jobs. */
export function testLaunch(key: string, { jobCount = 1, ...overrides }: Partial<NewLaunch> & { jobCount?: number } = {}): NewLaunch {
  return {
    instanceId: 'local',
    ownerSub: 'escape:alice',
    ownerName: 'alice',
    vo: 'escape',
    group: 'scientists',
    idempotencyKey: key,
    name: key,
    jobGroup: `g-${key}`,
    workflowId: 'hello-world',
    request: {},
    jobs: Array.from({ length: jobCount }, (_, index) => ({
      index,
      jobName: `hello-world-${index}`,
      attributes: { JobName: `hello-world-${index}`, Executable: 'echo' },
      sandboxFiles: [],
    })),
    ...overrides,
  };
}

/** A Hello world launch request sweeping MESSAGE over `n` values: `n` jobs (a fresh idempotency key each call). */
export function helloSweep(n: number, tag: string) {
  // Messages of their own: the launch's wrapper script (its payloads) is new to DiracX, so it is uploaded, not
  // found already stored from an earlier launch of the same size.
  const run = randomUUID();
  return {
    idempotencyKey: `${tag}-${run}`,
    name: tag.replace(/-/g, ' '),
    workflowId: 'hello-world',
    values: { GREETING: 'Hello', MESSAGE: 'x' },
    sweeps: { MESSAGE: { kind: 'list', values: Array.from({ length: n }, (_, i) => `m${i}-${run.slice(0, 8)}`) } },
  };
}
