/** What the BFF database knows about DiracX jobs: the exact JDL the portal sent (DiracX has no endpoint returning it). */
import type { Database } from '../db/database.ts';

/**
 * The JDL the portal sent for a job: the job of a launch, or (read-only) one recorded by the one-click
 * Hello world submissions the portal made before Hello world became an ordinary launch (`job_records`).
 * null when the portal did not send it (or, for a launch job taken over from DiracX, does not know it).
 */
/** The workflow and descriptor hash of the launch that submitted this job, if the portal did. */
export async function launchDescriptorOfJob(
  db: Database,
  instanceId: string,
  jobId: number,
): Promise<{ workflowId: string; sha256: string } | null> {
  const row = await db.one<{ workflow_id: string; descriptor_sha256: string | null }>(
    `SELECT l.workflow_id, l.descriptor_sha256 FROM launch_jobs lj JOIN launches l ON l.id = lj.launch_id
     WHERE l.instance_id = $1 AND lj.job_id = $2`,
    [instanceId, jobId],
  );
  return row?.descriptor_sha256 ? { workflowId: row.workflow_id, sha256: row.descriptor_sha256 } : null;
}

export async function jdlOfJob(db: Database, instanceId: string, jobId: number): Promise<string | null> {
  const row = await db.one<{ jdl: string }>(
    `SELECT lj.jdl FROM launch_jobs lj JOIN launches l ON l.id = lj.launch_id
     WHERE l.instance_id = $1 AND lj.job_id = $2 AND lj.jdl IS NOT NULL
     UNION ALL
     SELECT jdl FROM job_records WHERE instance_id = $1 AND job_id = $2`,
    [instanceId, jobId],
  );
  return row?.jdl ?? null;
}
