import ctaJson from '../../../../workflows/cta-dl0-dl3.json';
import helloJson from '../../../../workflows/hello-world.json';
import type { Launch } from '../../../contracts/launches.ts';
import type { WorkflowDetail } from '../../../contracts/workflows/catalogue.ts';
import { workflowDetailFixture } from '../../../shared/testing/workflow-detail.ts';

export const LAUNCH_ID = '6f1c2a9e-1b2c-4d3e-8f00-123456789abc';

/** A launch as the BFF returns it (`LaunchSchema`): CORSIKA, 12 jobs, all submitted. */
export function makeLaunch(overrides: Partial<Launch> = {}): Launch {
  return {
    id: LAUNCH_ID,
    name: 'Gamma sweep',
    jobGroup: 'gamma-sweep-1a2b3c4d',
    workflowId: 'corsika',
    workflowVersion: 1,
    descriptorSha256: '4869e53207a88d2e7fd5327938661c41de535d90a9a38c0cec5bcf0b1b45726e',
    status: 'submitted',
    error: null,
    totalJobs: 12,
    submittedJobs: 12,
    failedJobs: 0,
    jobIds: Array.from({ length: 12 }, (_, i) => 501 + i),
    errors: [],
    createdAt: '2026-03-02T10:00:00.000Z',
    updatedAt: '2026-03-02T10:00:09.000Z',
    owner: 'alice',
    staging: [],
    request: {
      idempotencyKey: 'key-0000-0000',
      name: 'Gamma sweep',
      workflowId: 'corsika',
      values: { PRMPAR: 1, ERANGE_MIN: 500, ERANGE_MAX: 100000 },
      sweeps: { NSHOW: { kind: 'list', values: [100, 200] } },
      inputItemIds: [],
      inputMode: 'none',
      resources: { cores: 2, ramMB: 4096, wallTimeMinutes: 2880 },
    },
    ...overrides,
  };
}

/** The shipped `hello-world` workflow, as the BFF serves it (`GET /bff/v1/workflows/hello-world`). */
export const helloWorldWorkflow: WorkflowDetail = workflowDetailFixture('hello-world', helloJson, '0'.repeat(64));
/** The shipped `cta-dl0-dl3` workflow (reads DL0 files). */
export const ctaWorkflow: WorkflowDetail = workflowDetailFixture('cta-dl0-dl3', ctaJson);

/** A Hello world launch whose one job DiracX accepted. */
export function makeHelloLaunch(jobId: number, overrides: Partial<Launch> = {}): Launch {
  return makeLaunch({
    name: 'Hello world 2026-03-02',
    jobGroup: 'hello-world-2026-03-02-1a2b3c4d',
    workflowId: 'hello-world',
    totalJobs: 1,
    submittedJobs: 1,
    jobIds: [jobId],
    request: {},
    ...overrides,
  });
}
