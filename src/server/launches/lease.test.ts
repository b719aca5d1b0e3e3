/**
 * The launch lease on SQLite and PostgreSQL: one conditional UPDATE decides who drives a launch; an
 * expired lease is taken over; a runner that lost its lease can no longer write (fenced writes).
 */
import { describe, expect, it } from 'vitest';
import { bothDialects, suiteDatabase } from '../testing/db-targets.ts';
import { testLaunch } from '../testing/launch.ts';
import { createLaunchRepo } from './repo.ts';

const launch = (key: string) => testLaunch(key, { jobCount: 3 });

for (const [name, make] of bothDialects('lease')) {
  describe(`launch lease on ${name}`, () => {
    const database = suiteDatabase(make);

    it('exactly one of several concurrent claimants gets the lease', async () => {
      const repo = createLaunchRepo(database());
      const { launch: l } = await repo.claim(launch('race'));
      const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((owner) => repo.acquireLease(l.id, owner, 30_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = ['a', 'b', 'c', 'd', 'e'][results.indexOf(true)]!;
      expect((await repo.leaseOf(l.id)).owner).toBe(winner);
      expect(await repo.acquireLease(l.id, winner, 30_000)).toBe(true); // re-entrant for its owner
    });

    it('an expired lease is taken over, and the old owner can then neither renew nor write', async () => {
      const repo = createLaunchRepo(database());
      const { launch: l } = await repo.claim(launch('takeover'));
      expect(await repo.acquireLease(l.id, 'a', -1_000)).toBe(true); // already expired
      expect(await repo.acquireLease(l.id, 'b', 30_000)).toBe(true);
      expect(await repo.renewLease(l.id, 'a', 30_000)).toBe(false);
      await repo.markSubmitted(l.id, [{ index: 0, jobId: 1001, jdl: 'from a' }], 'a');
      await repo.markAttempt(l.id, [1], 'from a', { final: true }, 'a');
      await repo.setStatus(l.id, 'failed', 'from a', 'a');
      let now = await repo.get(l.id);
      expect(now).toMatchObject({ status: 'pending', submittedJobs: 0, failedJobs: 0 });
      // the new owner's writes apply
      await repo.markSubmitted(l.id, [{ index: 0, jobId: 1002, jdl: 'from b' }], 'b');
      await repo.markSubmitted(l.id, [{ index: 1, jobId: 1003, jdl: null }], 'b');
      now = await repo.get(l.id);
      expect(now).toMatchObject({ submittedJobs: 2, jobIds: [1002, 1003] });
      expect(await repo.jdlOf(l.id, 0)).toBe('from b');
      expect(await repo.jdlOf(l.id, 1)).toBeNull();
      expect(await repo.renewLease(l.id, 'b', 30_000)).toBe(true);
      await repo.releaseLease(l.id, 'a'); // not a's: no effect
      expect((await repo.leaseOf(l.id)).owner).toBe('b');
      await repo.releaseLease(l.id, 'b');
      expect(await repo.leaseOf(l.id)).toEqual({ owner: null, expiresAt: null });
    });

    it('a live lease is not taken, and finished launches are not leased', async () => {
      const repo = createLaunchRepo(database());
      const { launch: l } = await repo.claim(launch('live'));
      expect(await repo.acquireLease(l.id, 'a', 30_000)).toBe(true);
      expect(await repo.acquireLease(l.id, 'b', 30_000)).toBe(false);
      await repo.setStatus(l.id, 'submitted', null, 'a');
      await repo.releaseLease(l.id, 'a');
      expect(await repo.acquireLease(l.id, 'b', 30_000)).toBe(false);
    });
  });
}
