import type { Launch } from '../../../contracts/launches.ts';

export const LAUNCH_ID = '6f1c2a9e-1b2c-4d3e-8f00-123456789abc';

/** A launch as the BFF returns it (`LaunchSchema`): CORSIKA, 12 jobs, all submitted. */
export function makeLaunch(overrides: Partial<Launch> = {}): Launch {
  return {
    id: LAUNCH_ID,
    name: 'Gamma sweep',
    jobGroup: 'gamma-sweep-1a2b3c4d',
    workflowId: 'corsika',
    status: 'submitted',
    totalJobs: 12,
    submittedJobs: 12,
    failedJobs: 0,
    jobIds: Array.from({ length: 12 }, (_, i) => 501 + i),
    errors: [],
    createdAt: '2026-03-02T10:00:00.000Z',
    updatedAt: '2026-03-02T10:00:09.000Z',
    owner: 'alice',
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
