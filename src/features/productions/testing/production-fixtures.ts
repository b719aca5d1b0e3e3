import type { Launch } from '../../../contracts/launches.ts';
import type { Production, ProductionDetail, ProductionPage } from '../../../contracts/productions.ts';

export const PRODUCTION_ID = '6f1c2a9e-1b2c-4d3e-8f00-123456789abc';

/** A production as the BFF lists it: 12 CORSIKA jobs, 8 done, 1 running, 1 waiting, 2 failed. */
export function makeProduction(overrides: Partial<Production> = {}): Production {
  return {
    id: PRODUCTION_ID,
    name: 'Gamma sweep',
    jobGroup: 'gamma-sweep-1a2b3c4d',
    workflowId: 'corsika',
    owner: 'alice',
    ownerGroup: 'scientists',
    createdAt: '2026-03-02T10:00:00.000Z',
    launchStatus: 'submitted',
    state: 'active',
    totalJobs: 12,
    submittedJobs: 12,
    counts: { done: 8, running: 1, waiting: 1, failed: 2, killed: 0 },
    throughputPerHour: 5,
    estimatedCompletion: '2026-03-02T12:24:00.000Z',
    ...overrides,
  };
}

export function makeProductionPage(items: Production[], overrides: Partial<ProductionPage> = {}): ProductionPage {
  return {
    items,
    total: items.length,
    page: 1,
    perPage: 20,
    owners: ['alice', 'bob'],
    workflows: ['corsika', 'hello-world'],
    ...overrides,
  };
}

/** The detail of a production whose launch is `launch` (state follows the launch while it submits). */
export function makeProductionDetail(
  launch: Launch,
  production: Partial<Production> = {},
  failures?: ProductionDetail['failures'],
): ProductionDetail {
  const submitting = launch.status === 'pending' || launch.status === 'submitting';
  return {
    production: makeProduction({
      id: launch.id,
      name: launch.name,
      jobGroup: launch.jobGroup,
      launchStatus: launch.status,
      submittedJobs: launch.submittedJobs,
      ...(submitting ? { state: 'submitting' } : {}),
      ...production,
    }),
    launch,
    failures: failures ?? {
      byMinorStatus: [
        { key: 'Application Finished With Errors', count: 1 },
        { key: 'Watchdog identified this job as stalled', count: 1 },
      ],
      bySite: [{ key: 'LCG.CERN.ch', count: 2 }],
      byApplicationStatus: [
        { key: 'Exit code 3', count: 1, reason: 'The input file is not a CTA event file' },
        { key: null, count: 1, reason: null },
      ],
    },
  };
}
