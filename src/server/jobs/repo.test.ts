/**
 * The one JDL lookup of the job page, on SQLite and on a throw-away PostgreSQL: launch jobs, and
 * (read-only) jobs recorded by the one-click Hello world submissions made before it became a launch.
 */
import { describe, expect, it } from 'vitest';
import { createLaunchRepo } from '../launches/repo.ts';
import { bothDialects, suiteDatabase } from '../testing/db-targets.ts';
import { jdlOfJob } from './repo.ts';

const OLD_JDL = '[ Executable = "echo"; Arguments = "Hello, world!"; ]';

for (const [name, make] of bothDialects('job-jdl')) {
  describe(`jdlOfJob on ${name}`, () => {
    const database = suiteDatabase(make);

    it('finds the JDL of a launch job, and of a job recorded by an old Hello world submission', async () => {
      const db = database();
      // What the old POST /v1/jobs/hello-world left in the database (the tables stay, read-only).
      const t = '2026-01-01T00:00:00.000Z';
      await db.exec(
        `INSERT INTO submissions (id, instance_id, owner_sub, owner_name, vo, dirac_group, idempotency_key, kind, status, request_json, jdl, job_ids_json, error, created_at, updated_at)
         VALUES ('s1', 'local', 'alice', 'alice', 'escape', 'scientists', 'k1', 'hello-world', 'submitted', '{}', $1, '[101]', NULL, $2, $2)`,
        [OLD_JDL, t],
      );
      await db.exec(
        `INSERT INTO job_records (instance_id, job_id, submission_id, owner_sub, jdl, created_at) VALUES ('local', 101, 's1', 'alice', $1, $2)`,
        [OLD_JDL, t],
      );
      const launches = createLaunchRepo(db);
      const owner = { instanceId: 'local', ownerSub: 'alice', ownerName: 'alice', vo: 'escape', group: 'scientists' };
      const attributes = { Executable: 'echo' };
      const { launch } = await launches.claim({
        ...owner,
        idempotencyKey: 'k2',
        name: 'Hello world',
        jobGroup: 'hello-world-1',
        workflowId: 'hello-world',
        request: {},
        jobs: [0, 1].map((index) => ({ index, jobName: `hello-world-${index}`, attributes, sandboxFiles: [] })),
      });
      await launches.markSubmitted(launch.id, [
        { index: 0, jobId: 201, jdl: '[ Executable = "echo"; ]' },
        // found in DiracX after a takeover: the portal does not know the JDL it was sent with
        { index: 1, jobId: 202, jdl: null },
      ]);

      expect(await jdlOfJob(db, 'local', 201)).toBe('[ Executable = "echo"; ]');
      expect(await jdlOfJob(db, 'local', 101)).toBe(OLD_JDL);
      expect(await jdlOfJob(db, 'local', 202)).toBeNull();
      expect(await jdlOfJob(db, 'other-instance', 101)).toBeNull();
      expect(await jdlOfJob(db, 'other-instance', 201)).toBeNull();
      expect(await jdlOfJob(db, 'local', 999)).toBeNull();
    });
  });
}
