/** The audit log on SQLite and on a throw-away PostgreSQL. */
import { describe, expect, it } from 'vitest';
import { bothDialects, suiteDatabase } from '../testing/db-targets.ts';
import { createAuditLog } from './log.ts';

for (const [name, make] of bothDialects('audit')) {
  describe(`audit log on ${name}`, () => {
    const database = suiteDatabase(make);

    it('record and list (newest first, filter by actor, limit)', async () => {
      const db = database();
      const audit = createAuditLog(db);
      const first = await audit.record({
        actorSub: 'user-1',
        actorName: 'Ada',
        instanceId: 'escape',
        action: 'job.submit',
        target: 'submission:1',
        detail: { jobIds: [1, 2] },
        requestId: 'req-1',
        at: '2024-01-01T00:00:00Z',
      });
      expect(first).toEqual({
        id: expect.any(Number),
        at: '2024-01-01T00:00:00.000Z',
        actorSub: 'user-1',
        actorName: 'Ada',
        instanceId: 'escape',
        action: 'job.submit',
        target: 'submission:1',
        detail: { jobIds: [1, 2] },
        requestId: 'req-1',
      });
      await audit.record({ actorSub: 'user-2', action: 'job.kill', at: new Date('2024-01-02T00:00:00Z') });
      await audit.record({ actorSub: 'user-1', action: 'job.delete', target: 'job:2' });

      const all = await audit.list({ limit: 10 });
      expect(all.map((e) => e.action)).toEqual(['job.delete', 'job.kill', 'job.submit']);
      expect(all[1]).toMatchObject({ actorName: null, detail: null, target: null, requestId: null });
      const mine = await audit.list({ actorSub: 'user-1', limit: 10 });
      expect(mine.map((e) => e.action)).toEqual(['job.delete', 'job.submit']);
      expect(await audit.list({ actorSub: 'user-1', limit: 1 })).toHaveLength(1);
      expect(await audit.list({ actorSub: 'nobody', limit: 5 })).toEqual([]);
    });
  });
}
