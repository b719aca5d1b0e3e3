import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { MAX_STAGING_FILES, type Launch, type LaunchStatus } from '../../contracts/launches.ts';
import { OWNER_COLUMNS, ownerValues, type Owner } from '../auth/owner.ts';
import type { Database } from '../db/database.ts';
import type { JdlAttributes } from '../jdl/render.ts';
import type { SandboxFile } from '../sandbox/tar.ts';
import type { StagingPlanFile, StagingRow } from './staging.ts';
import type { JobPayload } from './wrapper-script.ts';

/**
 * One job of a launch before submission: its JDL attributes and what it runs. `payload` goes into the launch's
 * wrapper script (one input sandbox for all jobs); `sandboxFiles` is a job's own sandbox (launches stored before
 * the wrapper script, and tests of the engine).
 */
export interface JobSpec {
  index: number;
  jobName: string;
  attributes: JdlAttributes;
  sandboxFiles: SandboxFile[];
  payload?: JobPayload;
  /** The basket items this job reads (stage-first launches wait for their files). */
  inputItemIds?: string[];
}

export interface NewLaunch extends Owner {
  idempotencyKey: string;
  name: string;
  jobGroup: string;
  workflowId: string;
  /** The catalogue version and descriptor hash used (recorded; a relaunch pins them). */
  workflowVersion?: number | null;
  descriptorSha256?: string | null;
  request: unknown;
  jobs: JobSpec[];
  /** Stage first: the input files and where they go; jobs reading a `requested` file start 'waiting'. */
  staging?: { rse: string; files: StagingPlanFile[] };
}

const LaunchRow = z.object({
  id: z.string(),
  instance_id: z.string(),
  owner_sub: z.string(),
  owner_name: z.string(),
  name: z.string(),
  job_group: z.string(),
  workflow_id: z.string(),
  workflow_version: z.number().nullable(),
  descriptor_sha256: z.string().nullable(),
  request_json: z.string(),
  status: z.string(),
  error: z.string().nullable(),
  total_jobs: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
});

export interface PendingJob {
  index: number;
  jobName: string;
  spec: JobSpec;
  attempts: number;
}

const now = () => new Date().toISOString();
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Writes of a runner holding a lease are fenced: they only apply while `owner` still holds the launch's
 * lease, so a replica that lost it (paused past its expiry, then woke up) cannot overwrite the new runner.
 */
const fence = (owner: string | undefined, n: number) =>
  owner === undefined ? '' : ` AND EXISTS (SELECT 1 FROM launches f WHERE f.id = $1 AND f.lease_owner = $${n})`;
const fenceParams = (owner: string | undefined) => (owner === undefined ? [] : [owner]);

export function createLaunchRepo(db: Database) {
  async function toLaunch(row: unknown): Promise<Launch> {
    const r = LaunchRow.parse(row);
    const jobs = await db.query<{ job_index: number; job_id: number | null; status: string; error: string | null }>(
      'SELECT job_index, job_id, status, error FROM launch_jobs WHERE launch_id = $1 ORDER BY job_index',
      [r.id],
    );
    const staging = await stagingRows(r.id);
    const submitted = jobs.filter((j) => j.status === 'submitted');
    const failed = jobs.filter((j) => j.status === 'failed');
    return {
      id: r.id,
      name: r.name,
      jobGroup: r.job_group,
      workflowId: r.workflow_id,
      workflowVersion: r.workflow_version,
      descriptorSha256: r.descriptor_sha256,
      status: r.status as LaunchStatus,
      error: r.error,
      totalJobs: r.total_jobs,
      submittedJobs: submitted.length,
      failedJobs: failed.length,
      jobIds: submitted.map((j) => Number(j.job_id)),
      errors: failed.slice(0, 50).map((j) => ({ jobIndex: j.job_index, message: j.error ?? 'failed' })),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      owner: r.owner_name,
      request: JSON.parse(r.request_json) as unknown,
      staging: staging.map(({ itemId: _i, createdAt: _c, ...f }) => f),
    };
  }

  async function stagingRows(launchId: string): Promise<StagingRow[]> {
    const rows = await db.query<{
      item_id: string;
      did: string;
      rse: string;
      state: StagingRow['state'];
      rule_id: string | null;
      error: string | null;
      created_at: string;
      updated_at: string;
    }>(
      `SELECT item_id, did, rse, state, rule_id, error, created_at, updated_at FROM launch_staging WHERE launch_id = $1 ORDER BY did, item_id LIMIT ${MAX_STAGING_FILES}`,
      [launchId],
    );
    return rows.map((r) => ({
      itemId: r.item_id,
      did: r.did,
      rse: r.rse,
      state: r.state,
      ruleId: r.rule_id,
      error: r.error,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  const COLS =
    'id, instance_id, owner_sub, owner_name, name, job_group, workflow_id, workflow_version, descriptor_sha256, request_json, status, error, total_jobs, created_at, updated_at';

  return {
    /**
     * Insert the launch and its jobs, or return the existing launch for the same idempotency key; `mismatch`
     * when that launch was made from another request (the key was reused: the caller must refuse it).
     */
    async claim(input: NewLaunch): Promise<{ launch: Launch; created: boolean; mismatch: boolean }> {
      const id = randomUUID();
      const created = await db.transaction(async (tx) => {
        const t = now();
        const { rowCount } = await tx.exec(
          `INSERT INTO launches (id, ${OWNER_COLUMNS}, idempotency_key, name, job_group, workflow_id, workflow_version, descriptor_sha256, request_json, status, total_jobs, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'pending', $14, $15, $15)
           ON CONFLICT (owner_sub, instance_id, idempotency_key) DO NOTHING`,
          [
            id,
            ...ownerValues(input),
            input.idempotencyKey,
            input.name,
            input.jobGroup,
            input.workflowId,
            input.workflowVersion ?? null,
            input.descriptorSha256 ?? null,
            JSON.stringify(input.request),
            input.jobs.length,
            t,
          ],
        );
        if (rowCount === 0) return false;
        const waitFor = new Set((input.staging?.files ?? []).filter((f) => f.state === 'requested').map((f) => f.itemId));
        for (const job of input.jobs) {
          const waits = (job.inputItemIds ?? []).some((i) => waitFor.has(i));
          await tx.exec(
            `INSERT INTO launch_jobs (launch_id, job_index, job_name, spec_json, status, attempts, updated_at) VALUES ($1, $2, $3, $4, $5, 0, $6)`,
            [id, job.index, job.jobName, JSON.stringify(job), waits ? 'waiting' : 'pending', t],
          );
        }
        for (const f of input.staging?.files ?? []) {
          await tx.exec(
            `INSERT INTO launch_staging (launch_id, item_id, did, rse, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
            [id, f.itemId, f.did, input.staging!.rse, f.state, t],
          );
        }
        return true;
      });
      const row = await db.one<{ request_json: string }>(
        `SELECT ${COLS} FROM launches WHERE owner_sub = $1 AND instance_id = $2 AND idempotency_key = $3`,
        [input.ownerSub, input.instanceId, input.idempotencyKey],
      );
      const mismatch = !created && row?.request_json !== JSON.stringify(input.request);
      return { launch: await toLaunch(row), created, mismatch };
    },

    async get(id: string): Promise<(Launch & { ownerSub: string; instanceId: string }) | undefined> {
      const row = await db.one<{ owner_sub: string; instance_id: string }>(`SELECT ${COLS} FROM launches WHERE id = $1`, [id]);
      if (!row) return undefined;
      return { ...(await toLaunch(row)), ownerSub: row.owner_sub, instanceId: row.instance_id };
    },

    async listFor(ownerSub: string, instanceId: string, limit = 50): Promise<Launch[]> {
      const rows = await db.query(
        `SELECT ${COLS} FROM launches WHERE owner_sub = $1 AND instance_id = $2 ORDER BY created_at DESC LIMIT $3`,
        [ownerSub, instanceId, limit],
      );
      return Promise.all(rows.map(toLaunch));
    },

    stagingRows,

    async setStaging(
      launchId: string,
      row: { itemId: string; did: string },
      change: { state: StagingRow['state']; ruleId?: string | null; error?: string | null },
      owner?: string,
    ) {
      await db.exec(
        `UPDATE launch_staging SET state = $4, rule_id = COALESCE($5, rule_id), error = $6, updated_at = $7 WHERE launch_id = $1 AND item_id = $2 AND did = $3${fence(owner, 8)}`,
        [launchId, row.itemId, row.did, change.state, change.ruleId ?? null, change.error ?? null, now(), ...fenceParams(owner)],
      );
    },

    /**
     * Waiting jobs whose files are all on disk become pending (the engine submits them); those with a file that
     * cannot be staged fail, naming it. Returns how many still wait and how many were released to be submitted.
     */
    async releaseWaiting(launchId: string, owner?: string): Promise<{ waiting: number; released: number }> {
      const rows = await stagingRows(launchId);
      const byItem = new Map<string, StagingRow[]>();
      for (const r of rows) byItem.set(r.itemId, [...(byItem.get(r.itemId) ?? []), r]);
      const waiting = await db.query<{ job_index: number; spec_json: string }>(
        `SELECT job_index, spec_json FROM launch_jobs WHERE launch_id = $1 AND status = 'waiting' ORDER BY job_index`,
        [launchId],
      );
      let still = 0;
      let released = 0;
      await db.transaction(async (tx) => {
        for (const j of waiting) {
          const files = ((JSON.parse(j.spec_json) as JobSpec).inputItemIds ?? []).flatMap((i) => byItem.get(i) ?? []);
          const failed = files.find((f) => f.state === 'failed');
          const ready = files.every((f) => f.state === 'ok' || f.state === 'ready');
          if (!failed && !ready) {
            still++;
            continue;
          }
          if (!failed) released++;
          await tx.exec(
            `UPDATE launch_jobs SET status = $3, error = $4, updated_at = $5 WHERE launch_id = $1 AND job_index = $2 AND status = 'waiting'${fence(owner, 6)}`,
            [
              launchId,
              j.job_index,
              failed ? 'failed' : 'pending',
              failed ? `Input ${failed.did} could not be staged: ${failed.error ?? 'failed'}` : null,
              now(),
              ...fenceParams(owner),
            ],
          );
        }
      });
      return { waiting: still, released };
    },

    async pendingJobs(launchId: string): Promise<PendingJob[]> {
      const rows = await db.query<{ job_index: number; job_name: string; spec_json: string; attempts: number }>(
        `SELECT job_index, job_name, spec_json, attempts FROM launch_jobs WHERE launch_id = $1 AND status = 'pending' ORDER BY job_index`,
        [launchId],
      );
      return rows.map((r) => ({ index: r.job_index, jobName: r.job_name, spec: JSON.parse(r.spec_json) as JobSpec, attempts: r.attempts }));
    },

    /** Record job ids (jdl null: a job found in DiracX after a takeover, whose JDL this runner did not send). */
    async markSubmitted(launchId: string, jobs: { index: number; jobId: number; jdl: string | null }[], owner?: string) {
      await db.transaction(async (tx) => {
        for (const j of jobs) {
          await tx.exec(
            `UPDATE launch_jobs SET status = 'submitted', job_id = $3, jdl = COALESCE($4, jdl), error = NULL, updated_at = $5 WHERE launch_id = $1 AND job_index = $2${fence(owner, 6)}`,
            [launchId, j.index, j.jobId, j.jdl, now(), ...fenceParams(owner)],
          );
        }
      });
    },

    async markAttempt(launchId: string, indexes: number[], error: string, { final }: { final: boolean }, owner?: string) {
      await db.transaction(async (tx) => {
        for (const i of indexes) {
          await tx.exec(
            `UPDATE launch_jobs SET attempts = attempts + 1, error = $3, status = $4, updated_at = $5 WHERE launch_id = $1 AND job_index = $2 AND status = 'pending'${fence(owner, 6)}`,
            [launchId, i, error, final ? 'failed' : 'pending', now(), ...fenceParams(owner)],
          );
        }
      });
    },

    async setStatus(launchId: string, status: LaunchStatus, error: string | null = null, owner?: string) {
      await db.exec(
        `UPDATE launches SET status = $2, error = $3, updated_at = $4 WHERE id = $1${owner === undefined ? '' : ' AND lease_owner = $5'}`,
        [launchId, status, error, now(), ...fenceParams(owner)],
      );
    },

    /**
     * Take the launch's lease for `owner` when it is free, expired or already `owner`'s: one conditional
     * UPDATE, so of several replicas trying at once exactly one gets it. Finished launches are not leased.
     */
    async acquireLease(launchId: string, owner: string, ttlMs: number): Promise<boolean> {
      const t = Date.now();
      const { rowCount } = await db.exec(
        `UPDATE launches SET lease_owner = $2, lease_expires_at = $3
         WHERE id = $1 AND status IN ('pending', 'staging', 'submitting') AND (lease_owner IS NULL OR lease_owner = $2 OR lease_expires_at < $4)`,
        [launchId, owner, iso(t + ttlMs), iso(t)],
      );
      return rowCount === 1;
    },

    /** Extend `owner`'s lease; false when another runner has taken it over. */
    async renewLease(launchId: string, owner: string, ttlMs: number): Promise<boolean> {
      const { rowCount } = await db.exec('UPDATE launches SET lease_expires_at = $3 WHERE id = $1 AND lease_owner = $2', [
        launchId,
        owner,
        iso(Date.now() + ttlMs),
      ]);
      return rowCount === 1;
    },

    async releaseLease(launchId: string, owner: string) {
      await db.exec('UPDATE launches SET lease_owner = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_owner = $2', [
        launchId,
        owner,
      ]);
    },

    async leaseOf(launchId: string): Promise<{ owner: string | null; expiresAt: string | null }> {
      const row = await db.one<{ lease_owner: string | null; lease_expires_at: string | null }>(
        'SELECT lease_owner, lease_expires_at FROM launches WHERE id = $1',
        [launchId],
      );
      return { owner: row?.lease_owner ?? null, expiresAt: row?.lease_expires_at ?? null };
    },

    /** Launches left mid-way (e.g. the BFF restarted) that a caller with a token may resume. */
    async unfinishedFor(ownerSub: string, instanceId: string): Promise<string[]> {
      const rows = await db.query<{ id: string }>(
        `SELECT id FROM launches WHERE owner_sub = $1 AND instance_id = $2 AND status IN ('pending', 'staging', 'submitting')`,
        [ownerSub, instanceId],
      );
      return rows.map((r) => r.id);
    },

    async jdlOf(launchId: string, index: number): Promise<string | null> {
      const row = await db.one<{ jdl: string | null }>('SELECT jdl FROM launch_jobs WHERE launch_id = $1 AND job_index = $2', [
        launchId,
        index,
      ]);
      return row?.jdl ?? null;
    },
  };
}
export type LaunchRepo = ReturnType<typeof createLaunchRepo>;
