import type { Schedule } from '../../../contracts/schedules.ts';

export function makeSchedule(overrides: Partial<Schedule> = {}): Schedule {
  return {
    id: '33333333-3333-4333-8333-333333333333',
    name: 'Nightly hello',
    owner: 'alice',
    mine: true,
    workflowId: 'hello-world',
    launch: {
      name: 'nightly',
      workflowId: 'hello-world',
      values: { GREETING: 'Hello' },
      sweeps: {},
      inputItemIds: [],
      inputMode: 'none',
      fileBindings: {},
      resources: {},
    },
    spec: {
      recurrence: { kind: 'daily', time: '02:00' },
      timezone: 'Europe/Zurich',
      startAt: '2026-01-01T00:00:00.000Z',
      endAt: null,
      missedPolicy: 'skip',
    },
    source: { kind: 'snapshot' },
    sourceEditedAt: null,
    description: 'daily at 02:00 (Europe/Zurich)',
    status: 'active',
    pausedReason: null,
    credential: 'ok',
    consecutiveFailures: 0,
    nextRunAt: '2026-03-02T01:00:00.000Z',
    lastRun: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}
