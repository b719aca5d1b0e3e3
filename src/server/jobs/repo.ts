/**
 * Small typed repositories over the portable Database (rows read back are validated with zod).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database } from './database.ts';

// ---------------------------------------------------------------------------------------------------------
// Submissions

export const submissionStatuses = ['pending', 'submitted', 'failed'] as const;
export type SubmissionStatus = (typeof submissionStatuses)[number];

const submissionRowSchema = z.object({
  id: z.string(),
  instance_id: z.string(),
  owner_sub: z.string(),
  owner_name: z.string().nullable(),
  vo: z.string().nullable(),
  dirac_group: z.string().nullable(),
  idempotency_key: z.string(),
  kind: z.string(),
  status: z.enum(submissionStatuses),
  request_json: z.string(),
  jdl: z.string(),
  job_ids_json: z.string().nullable(),
  error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

const jobIdsSchema = z.array(z.number().int().nonnegative());

export interface Submission {
  id: string;
  instanceId: string;
  ownerSub: string;
  ownerName: string | null;
  vo: string | null;
  group: string | null;
  idempotencyKey: string;
  kind: string;
  status: SubmissionStatus;
  /** The parsed request_json. */
  request: unknown;
  jdl: string;
  /** DiracX job ids once submitted. */
  jobIds: number[] | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ClaimInput {
  instanceId: string;
  ownerSub: string;
  ownerName?: string | null;
  vo?: string | null;
  group?: string | null;
  /** Client-supplied idempotency key; when absent the claim can never match another (the new id is used). */
  idempotencyKey?: string | null;
  kind: string;
  /** Stored as JSON text. */
  request: unknown;
  jdl: string;
}

export interface JobRecord {
  jdl: string;
  submissionId: string | null;
  ownerSub: string;
  createdAt: string;
}

export interface SubmissionRepo {
  /**
   * Insert a 'pending' submission, or return the existing one with the same
   * (ownerSub, instanceId, idempotencyKey). Race-safe: exactly one concurrent caller gets created=true.
   */
  claim(input: ClaimInput): Promise<{ submission: Submission; created: boolean }>;
  /**
   * Mark submitted and record one job_records row per job id, in one transaction. `jdls` (same length
   * as jobIds) gives a per-job JDL; by default every job gets the submission's JDL. Idempotent.
   */
  complete(id: string, jobIds: readonly number[], jdls?: readonly string[]): Promise<Submission>;
  /** Mark failed with an error message (a submitted submission is never downgraded). */
  fail(id: string, error: string): Promise<Submission | undefined>;
  /**
   * Take a failed submission back to 'pending' so it can be sent again with the same key.
   * Returns true for exactly one concurrent caller; false if it was not failed.
   */
  retry(id: string): Promise<boolean>;
  get(id: string): Promise<Submission | undefined>;
  findJob(instanceId: string, jobId: number): Promise<JobRecord | undefined>;
}

const SUBMISSION_COLUMNS =
  'id, instance_id, owner_sub, owner_name, vo, dirac_group, idempotency_key, kind, status, request_json, jdl, job_ids_json, error, created_at, updated_at';

function toSubmission(row: unknown): Submission {
  const r = submissionRowSchema.parse(row);
  return {
    id: r.id,
    instanceId: r.instance_id,
    ownerSub: r.owner_sub,
    ownerName: r.owner_name,
    vo: r.vo,
    group: r.dirac_group,
    idempotencyKey: r.idempotency_key,
    kind: r.kind,
    status: r.status,
    request: JSON.parse(r.request_json) as unknown,
    jdl: r.jdl,
    jobIds: r.job_ids_json === null ? null : jobIdsSchema.parse(JSON.parse(r.job_ids_json)),
    error: r.error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const jobRecordRowSchema = z.object({
  jdl: z.string(),
  submission_id: z.string().nullable(),
  owner_sub: z.string(),
  created_at: z.string(),
});

const nowIso = (): string => new Date().toISOString();

export function createSubmissionRepo(db: Database): SubmissionRepo {
  const getWith = async (q: Database, id: string): Promise<Submission | undefined> => {
    const row = await q.one(`SELECT ${SUBMISSION_COLUMNS} FROM submissions WHERE id = $1`, [id]);
    return row === undefined ? undefined : toSubmission(row);
  };

  return {
    async claim(input) {
      const id = randomUUID();
      const key = input.idempotencyKey ?? id;
      const now = nowIso();
      const requestJson = JSON.stringify(input.request ?? null);
      await db.exec(
        `INSERT INTO submissions (${SUBMISSION_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, NULL, NULL, $11, $11)
         ON CONFLICT (owner_sub, instance_id, idempotency_key) DO NOTHING`,
        [
          id,
          input.instanceId,
          input.ownerSub,
          input.ownerName ?? null,
          input.vo ?? null,
          input.group ?? null,
          key,
          input.kind,
          requestJson,
          input.jdl,
          now,
        ],
      );
      const row = await db.one(
        `SELECT ${SUBMISSION_COLUMNS} FROM submissions
         WHERE owner_sub = $1 AND instance_id = $2 AND idempotency_key = $3`,
        [input.ownerSub, input.instanceId, key],
      );
      if (row === undefined) throw new Error('submission claim: row not found after insert');
      const submission = toSubmission(row);
      return { submission, created: submission.id === id };
    },

    async complete(id, jobIds, jdls) {
      const ids = jobIdsSchema.parse([...jobIds]);
      if (jdls !== undefined && jdls.length !== ids.length) {
        throw new Error(`complete: ${ids.length} job ids but ${jdls.length} JDLs`);
      }
      return db.transaction(async (tx) => {
        const existing = await getWith(tx, id);
        if (!existing) throw new Error(`submission ${id} not found`);
        const now = nowIso();
        await tx.exec(`UPDATE submissions SET status = 'submitted', job_ids_json = $2, error = NULL, updated_at = $3 WHERE id = $1`, [
          id,
          JSON.stringify(ids),
          now,
        ]);
        for (const [i, jobId] of ids.entries()) {
          const { rowCount } = await tx.exec(
            `INSERT INTO job_records (instance_id, job_id, submission_id, owner_sub, jdl, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (instance_id, job_id) DO NOTHING`,
            [existing.instanceId, jobId, id, existing.ownerSub, jdls?.[i] ?? existing.jdl, now],
          );
          if (rowCount === 0) {
            const other = await tx.one<{ submission_id: string | null }>(
              'SELECT submission_id FROM job_records WHERE instance_id = $1 AND job_id = $2',
              [existing.instanceId, jobId],
            );
            if (other?.submission_id !== id) {
              throw new Error(`job ${jobId} on ${existing.instanceId} is already recorded for another submission`);
            }
          }
        }
        const updated = await getWith(tx, id);
        if (!updated) throw new Error(`submission ${id} not found`);
        return updated;
      });
    },

    async fail(id, error) {
      await db.exec(`UPDATE submissions SET status = 'failed', error = $2, updated_at = $3 WHERE id = $1 AND status <> 'submitted'`, [
        id,
        error,
        nowIso(),
      ]);
      return getWith(db, id);
    },

    async retry(id) {
      const { rowCount } = await db.exec(
        `UPDATE submissions SET status = 'pending', error = NULL, updated_at = $2 WHERE id = $1 AND status = 'failed'`,
        [id, nowIso()],
      );
      return rowCount === 1;
    },

    get(id) {
      return getWith(db, id);
    },

    async findJob(instanceId, jobId) {
      const row = await db.one('SELECT jdl, submission_id, owner_sub, created_at FROM job_records WHERE instance_id = $1 AND job_id = $2', [
        instanceId,
        jobId,
      ]);
      if (row === undefined) return undefined;
      const r = jobRecordRowSchema.parse(row);
      return { jdl: r.jdl, submissionId: r.submission_id, ownerSub: r.owner_sub, createdAt: r.created_at };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Audit log

export interface AuditRecordInput {
  actorSub?: string | null;
  actorName?: string | null;
  instanceId?: string | null;
  action: string;
  target?: string | null;
  /** Stored as JSON text. */
  detail?: unknown;
  requestId?: string | null;
  /** Defaults to now. */
  at?: Date | string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actorSub: string | null;
  actorName: string | null;
  instanceId: string | null;
  action: string;
  target: string | null;
  detail: unknown;
  requestId: string | null;
}

export interface AuditLog {
  record(entry: AuditRecordInput): Promise<AuditEntry>;
  /** Newest first. limit is clamped to 1..1000. */
  list(query: { actorSub?: string; limit: number }): Promise<AuditEntry[]>;
}

const auditRowSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor_sub: z.string().nullable(),
  actor_name: z.string().nullable(),
  instance_id: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  detail_json: z.string().nullable(),
  request_id: z.string().nullable(),
});

const AUDIT_COLUMNS = 'id, at, actor_sub, actor_name, instance_id, action, target, detail_json, request_id';

function toAuditEntry(row: unknown): AuditEntry {
  const r = auditRowSchema.parse(row);
  return {
    id: r.id,
    at: r.at,
    actorSub: r.actor_sub,
    actorName: r.actor_name,
    instanceId: r.instance_id,
    action: r.action,
    target: r.target,
    detail: r.detail_json === null ? null : (JSON.parse(r.detail_json) as unknown),
    requestId: r.request_id,
  };
}

export function createAuditLog(db: Database): AuditLog {
  return {
    async record(entry) {
      const at = entry.at === undefined ? nowIso() : new Date(entry.at).toISOString();
      const row = await db.one(
        `INSERT INTO audit_log (at, actor_sub, actor_name, instance_id, action, target, detail_json, request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         RETURNING ${AUDIT_COLUMNS}`,
        [
          at,
          entry.actorSub ?? null,
          entry.actorName ?? null,
          entry.instanceId ?? null,
          entry.action,
          entry.target ?? null,
          entry.detail === undefined ? null : JSON.stringify(entry.detail),
          entry.requestId ?? null,
        ],
      );
      return toAuditEntry(row);
    },

    async list({ actorSub, limit }) {
      const n = Math.min(Math.max(Math.trunc(limit) || 1, 1), 1000);
      const rows =
        actorSub === undefined
          ? await db.query(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY at DESC, id DESC LIMIT $1`, [n])
          : await db.query(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE actor_sub = $1 ORDER BY at DESC, id DESC LIMIT $2`, [actorSub, n]);
      return rows.map(toAuditEntry);
    },
  };
}
