/**
 * The schedule repository on SQLite and on a throw-away PostgreSQL: slot claims are unique per
 * (schedule, slot) even when two database handles (two replicas) race, next_run_at moves by
 * compare-and-set, stale runs are taken over once, credential rotation cannot be entered twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import { migrations } from '../migrations.ts';
import { postgresTarget, sqliteTarget, type DbTarget } from '../testing/db-targets.ts';
import { testSchedule } from '../testing/schedule.ts';
import { createScheduleRepo } from './repo.ts';

for (const [name, make] of [
  ['SQLite', () => sqliteTarget('schedules')],
  ['PostgreSQL', () => postgresTarget('schedules')],
] as const) {
  describe(`schedule repository on ${name}`, () => {
    let target: DbTarget;
    let a: Database;
    let b: Database;
    beforeAll(async () => {
      target = await make();
      const url = await target.freshUrl();
      a = await openDatabase(url);
      await migrate(a, migrations);
      b = await openDatabase(url); // a second replica's handle on the same database
    }, 120_000);
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await target?.teardown();
    });

    it('stores a schedule with its snapshot of input files, and lists per owner or for admins', async () => {
      const repo = createScheduleRepo(a);
      const s = await repo.create(testSchedule(), '2026-01-01T00:00:00.000Z');
      await repo.create(testSchedule({ ownerSub: 'escape:paul', ownerName: 'paul' }), null);
      expect(s).toMatchObject({
        status: 'paused',
        nextRunAt: '2026-01-01T00:00:00.000Z',
        inputs: [{ id: 'b1', ref: '/escape/f1' }],
        consecutiveFailures: 0,
      });
      expect(s.pausedReason).toMatch(/Authorize/);
      expect((await repo.list('local', 'escape:alice')).map((x) => x.ownerName)).toEqual(['alice']);
      expect((await repo.list('local', null)).length).toBeGreaterThanOrEqual(2);
      expect(await repo.list('other', null)).toEqual([]);
    });

    it('reads a launch saved before the wall time was called wallTimeMinutes (cpuTimeMinutes)', async () => {
      const repo = createScheduleRepo(a);
      const s = await repo.create(testSchedule(), null);
      const { resources: _new, ...launch } = s.launch;
      await a.exec('UPDATE schedules SET launch_json = $1 WHERE id = $2', [
        JSON.stringify({ ...launch, resources: { cores: 2, cpuTimeMinutes: 90 } }),
        s.id,
      ]);
      expect((await repo.get(s.id))?.launch.resources).toEqual({ cores: 2, wallTimeMinutes: 90 });
    });

    it('gives each slot to exactly one of many concurrent claims from two replicas, and advances the next slot once', async () => {
      const ra = createScheduleRepo(a);
      const rb = createScheduleRepo(b);
      const s = await ra.create(testSchedule(), '2026-01-01T00:05:00.000Z');
      await ra.setStatus(s.id, 'active', null);
      expect((await rb.due(new Date('2026-01-01T00:05:01Z'))).map((x) => x.id)).toContain(s.id);
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? ra : rb).claimSlot({
            scheduleId: s.id,
            slot: '2026-01-01T00:05:00.000Z',
            advance: { expectedNext: '2026-01-01T00:05:00.000Z', newNext: '2026-01-01T00:10:00.000Z' },
            leaseMs: 60_000,
          }),
        ),
      );
      expect(claims.filter((c) => c !== null)).toHaveLength(1);
      expect((await ra.get(s.id))?.nextRunAt).toBe('2026-01-01T00:10:00.000Z');
      expect((await ra.runs(s.id)).map((r) => [r.slotTime, r.status])).toEqual([['2026-01-01T00:05:00.000Z', 'claimed']]);
      expect(await ra.due(new Date('2026-01-01T00:05:01Z'))).not.toContainEqual(expect.objectContaining({ id: s.id }));
      // A stale expectation (the schedule moved on) claims nothing and leaves no run behind.
      expect(
        await rb.claimSlot({
          scheduleId: s.id,
          slot: '2026-01-01T00:15:00.000Z',
          advance: { expectedNext: '2026-01-01T00:05:00.000Z', newNext: 'x' },
          leaseMs: 1,
        }),
      ).toBeNull();
      expect(await ra.runs(s.id)).toHaveLength(1);
    });

    it('ledger: two replicas taking the same new files in concurrent transactions get each file exactly once; a failed run gives its files back', async () => {
      const ra = createScheduleRepo(a);
      const rb = createScheduleRepo(b);
      const s = await ra.create(testSchedule({ source: { kind: 'catalogue', filters: {} }, inputs: [] }), null);
      expect((await rb.get(s.id))?.source).toEqual({ kind: 'catalogue', filters: {} });
      const runA = (await ra.claimSlot({ scheduleId: s.id, slot: '2026-02-01T00:00:00.000Z', manual: true, leaseMs: 60_000 }))!;
      const runB = (await rb.claimSlot({ scheduleId: s.id, slot: '2026-02-01T00:00:01.000Z', manual: true, leaseMs: 60_000 }))!;
      const files = Array.from({ length: 40 }, (_, i) => ({
        id: `f${i}`,
        kind: 'lfn' as const,
        ref: `/escape/new/${i}`,
        name: `${i}`,
        sizeBytes: i,
        seq: null,
      }));
      // Both resolved the same 40 new files (one in the opposite order) and take them at the same time.
      const [takenA, takenB] = await Promise.all([
        ra.transaction(() => ra.takeFiles(s.id, runA.id, files)),
        rb.transaction(() => rb.takeFiles(s.id, runB.id, [...files].reverse())),
      ]);
      expect(takenA.length + takenB.length).toBe(40);
      expect(new Set([...takenA, ...takenB].map((f) => f.ref)).size).toBe(40);
      expect((await ra.processedFiles(s.id, null, 1000)).total).toBe(40);
      // A transaction that rolls back leaves nothing behind.
      const runC = (await ra.claimSlot({ scheduleId: s.id, slot: '2026-02-01T00:00:02.000Z', manual: true, leaseMs: 60_000 }))!;
      const extra = { ...files[0]!, ref: '/escape/new/extra' };
      await expect(
        ra.transaction(async () => {
          await ra.takeFiles(s.id, runC.id, [extra]);
          throw new Error('launch refused');
        }),
      ).rejects.toThrow('launch refused');
      expect((await ra.processedFiles(s.id, runC.id, 10)).total).toBe(0);
      // A failed run's files go back to the pool; the other run keeps its own.
      await rb.finishRun(runB.id, 'failed', 'DiracX refused');
      expect((await ra.processedFiles(s.id, runB.id, 1000)).total).toBe(0);
      expect((await ra.processedFiles(s.id, null, 1000)).total).toBe(takenA.length);
    });

    it('lets exactly one replica take over a run whose lease ran out', async () => {
      const ra = createScheduleRepo(a);
      const rb = createScheduleRepo(b);
      const s = await ra.create(testSchedule(), null);
      const run = await ra.claimSlot({ scheduleId: s.id, slot: '2026-01-02T00:00:00.000Z', manual: true, leaseMs: -1000 });
      expect(run?.manual).toBe(true);
      const stale = (await rb.staleRuns(new Date())).filter((r) => r.scheduleId === s.id);
      expect(stale).toHaveLength(1);
      const wins = await Promise.all([ra.takeOver(stale[0]!, 60_000), rb.takeOver(stale[0]!, 60_000)]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect((await ra.staleRuns(new Date())).filter((r) => r.scheduleId === s.id)).toEqual([]);
      await ra.finishRun(run!.id, 'failed', 'DiracX: nope');
      expect(await ra.countOutcome(s.id, false)).toBe(1);
      expect(await ra.countOutcome(s.id, false)).toBe(2);
      expect(await ra.countOutcome(s.id, true)).toBe(0);
      expect((await ra.lastRun(s.id))?.error).toBe('DiracX: nope');
    });

    it('rotates a credential one holder at a time and refuses one left mid-rotation by a crash', async () => {
      const ra = createScheduleRepo(a);
      const rb = createScheduleRepo(b);
      const s = await ra.create(testSchedule(), null);
      expect(await ra.credentialState(s.id)).toBe('none');
      expect(await ra.beginRotation(s.id, 60_000)).toEqual({ kind: 'unusable' });
      expect(await ra.putCredential(s.id, 'escape:alice', 'local', 'sealed-1')).toBeNull();
      const takes = await Promise.all([ra.beginRotation(s.id, 60_000), rb.beginRotation(s.id, 60_000)]);
      expect(takes.map((t) => t.kind).sort()).toEqual(['busy', 'ok']);
      await ra.finishRotation(s.id, 'sealed-2');
      expect(await rb.beginRotation(s.id, 60_000)).toEqual({ kind: 'ok', ciphertext: 'sealed-2' });
      // the holder "crashed": after staleMs the credential is given up, not re-sent
      expect(await ra.beginRotation(s.id, 0)).toEqual({ kind: 'unusable' });
      expect(await ra.credentialState(s.id)).toBe('invalid');
      expect(await ra.putCredential(s.id, 'escape:alice', 'local', 'sealed-3')).toBeNull();
      expect(await ra.credentialsOf('escape:alice', 'local')).toContain(s.id);
      expect(await ra.dropCredential(s.id)).toBe('sealed-3');
      expect(await ra.credentialState(s.id)).toBe('none');
    });

    it('uses an authorization flow state once, and keeps notifications per user', async () => {
      const ra = createScheduleRepo(a);
      const s = await ra.create(testSchedule(), null);
      await ra.putFlow({
        state: `st-${name}`,
        scheduleId: s.id,
        ownerSub: 'escape:alice',
        instanceId: 'local',
        codeVerifier: 'v',
        redirectUri: 'http://x/cb',
      });
      const [first, second] = await Promise.all([ra.takeFlow(`st-${name}`), createScheduleRepo(b).takeFlow(`st-${name}`)]);
      expect([first, second].filter(Boolean)).toHaveLength(1);
      expect(await ra.takeFlow(`st-${name}`)).toBeUndefined();
      await ra.notify({ ownerSub: 'escape:alice', instanceId: 'local', scheduleId: s.id, level: 'error', message: 'paused' });
      const n = await ra.notifications('escape:alice', 'local');
      expect(n.unread).toBeGreaterThanOrEqual(1);
      expect(n.items[0]).toMatchObject({ level: 'error', message: 'paused', read: false, scheduleId: s.id });
      expect((await ra.notifications('escape:paul', 'local')).items).toEqual([]);
      await ra.markNotificationsRead('escape:alice', 'local');
      expect((await ra.notifications('escape:alice', 'local')).unread).toBe(0);
      await ra.remove(s.id);
      expect(await ra.get(s.id)).toBeUndefined();
    });
  });
}
