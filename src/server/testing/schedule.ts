/** A schedule as the repository stores it (alice, Hello world on one basket file, every 5 minutes), for repository, source and bench code. */
import { ScheduleSpecSchema } from '../../contracts/schedules.ts';
import type { NewSchedule } from '../schedules/repo.ts';

export const testSchedule = (over: Partial<NewSchedule> = {}): NewSchedule => ({
  instanceId: 'local',
  ownerSub: 'escape:alice',
  ownerName: 'alice',
  vo: 'escape',
  group: 'scientists',
  name: 'nightly',
  launch: {
    name: 'nightly',
    workflowId: 'hello-world',
    values: {},
    sweeps: {},
    inputItemIds: ['b1'],
    inputMode: 'per-file',
    fileBindings: {},
    resources: {},
  },
  inputs: [{ id: 'b1', kind: 'lfn', ref: '/escape/f1', name: 'f1', sizeBytes: 10 }],
  source: { kind: 'snapshot' },
  spec: ScheduleSpecSchema.parse({
    recurrence: { kind: 'interval', every: 5, unit: 'minutes' },
    timezone: 'UTC',
    startAt: '2026-01-01T00:00:00Z',
  }),
  ...over,
});
