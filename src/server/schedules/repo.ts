/**
 * Schedules in the BFF database. The slot claim (`claimSlot`) is the one guarantee everything rests on:
 * a run row unique per (schedule, slot) is inserted, and the schedule's next slot advanced with a
 * compare-and-set, in one transaction, before anything is sent to DiracX. On PostgreSQL two replicas
 * race on the unique index and exactly one wins; SQLite has one writer.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { upgradeStoredLaunchRequest } from '../../contracts/launches.ts';
import {
  SNAPSHOT,
  ScheduleSourceSchema,
  ScheduleSpecSchema,
  ScheduledLaunchSchema,
  type RunFile,
  type ScheduleSource,
  type ScheduleRun,
  type ScheduleRunStatus,
  type ScheduleSpec,
  type ScheduleStatus,
} from '../../contracts/schedules.ts';
import { OWNER_COLUMNS, OwnerRowSchema, ownerFromRow, ownerValues, type Owner } from '../auth/owner.ts';
import type { Database } from '../db/database.ts';
import type { InputItem } from '../launches/build.ts';

export interface NewSchedule extends Owner {
  name: string;
  launch: z.output<typeof ScheduledLaunchSchema>;
  /** Snapshot of the basket items the launch reads (the basket may be emptied later). */
  inputs: InputItem[];
  spec: ScheduleSpec;
  /** Snapshot (the inputs above, every run) or a saved query resolved at each run. */
  source: ScheduleSource;
}

const ScheduleRow = OwnerRowSchema.extend({
  id: z.string(),
  name: z.string(),
  workflow_id: z.string(),
  launch_json: z.string(),
  inputs_json: z.string(),
  spec_json: z.string(),
  status: z.enum(['active', 'paused', 'ended']),
  paused_reason: z.string().nullable(),
  consecutive_failures: z.number(),
  next_run_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  source_json: z.string().nullable(),
  source_edited_at: z.string().nullable(),
});

export interface StoredSchedule extends NewSchedule {
  id: string;
  workflowId: string;
  status: ScheduleStatus;
  pausedReason: string | null;
  consecutiveFailures: number;
  nextRunAt: string | null;
  createdAt: string;
  updatedAt: string;
  sourceEditedAt: string | null;
}

const COLS = `id, ${OWNER_COLUMNS}, name, workflow_id, launch_json, inputs_json, spec_json, status, paused_reason, consecutive_failures, next_run_at, created_at, updated_at, source_json, source_edited_at`;

function toSchedule(row: unknown): StoredSchedule {
  const r = ScheduleRow.parse(row);
  return {
    id: r.id,
    ...ownerFromRow(r),
    name: r.name,
    workflowId: r.workflow_id,
    launch: ScheduledLaunchSchema.parse(upgradeStoredLaunchRequest(JSON.parse(r.launch_json))),
    inputs: JSON.parse(r.inputs_json) as InputItem[],
    spec: ScheduleSpecSchema.parse(JSON.parse(r.spec_json)),
    // Schedules made before saved queries have no source: their snapshot.
    source: r.source_json ? ScheduleSourceSchema.parse(JSON.parse(r.source_json)) : SNAPSHOT,
    sourceEditedAt: r.source_edited_at,
    status: r.status,
    pausedReason: r.paused_reason,
    consecutiveFailures: r.consecutive_failures,
    nextRunAt: r.next_run_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const RunRow = z.object({
  id: z.string(),
  schedule_id: z.string(),
  slot_time: z.string(),
  manual: z.number(),
  status: z.enum(['claimed', 'submitted', 'failed', 'skipped']),
  lease_until: z.string().nullable(),
  attempts: z.number(),
  launch_id: z.string().nullable(),
  error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  job_group: z.string().nullable(),
  files_taken: z.number().nullable(),
  files_left: z.number().nullable(),
  note: z.string().nullable(),
});
export type StoredRun = ScheduleRun & { scheduleId: string; leaseUntil: string | null; attempts: number };

const RUN_SELECT = `SELECT r.id, r.schedule_id, r.slot_time, r.manual, r.status, r.lease_until, r.attempts, r.launch_id, r.error, r.created_at, r.updated_at, l.job_group,
    r.files_taken, r.files_left, r.note
  FROM schedule_runs r LEFT JOIN launches l ON l.id = r.launch_id`;

const nowIso = () => new Date().toISOString();

export type CredentialTake =
  | { kind: 'ok'; ciphertext: string }
  /** Another replica is rotating it right now: try again later. */
  | { kind: 'busy' }
  /** Never authorized, refused by DiracX, or lost in a crash mid-rotation: the user must sign in again. */
  | { kind: 'unusable' };

export function createScheduleRepo(db: Database) {
  async function runsWithJobs(rows: unknown[]): Promise<StoredRun[]> {
    return Promise.all(
      rows.map(async (row) => {
        const r = RunRow.parse(row);
        const jobs = r.launch_id
          ? await db.query<{ job_id: number }>(
              `SELECT job_id FROM launch_jobs WHERE launch_id = $1 AND status = 'submitted' ORDER BY job_index`,
              [r.launch_id],
            )
          : [];
        return {
          id: r.id,
          scheduleId: r.schedule_id,
          slotTime: r.slot_time,
          manual: r.manual === 1,
          status: r.status,
          leaseUntil: r.lease_until,
          attempts: r.attempts,
          launchId: r.launch_id,
          jobGroup: r.job_group,
          jobIds: jobs.map((j) => Number(j.job_id)),
          error: r.error,
          filesTaken: r.files_taken,
          filesLeft: r.files_left,
          note: r.note,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        };
      }),
    );
  }

  const repo = {
    async create(input: NewSchedule, nextRunAt: string | null): Promise<StoredSchedule> {
      const id = randomUUID();
      const t = nowIso();
      await db.exec(
        `INSERT INTO schedules (${COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'paused', $12, 0, $13, $14, $14, $15, NULL)`,
        [
          id,
          ...ownerValues(input),
          input.name,
          input.launch.workflowId,
          JSON.stringify(input.launch),
          JSON.stringify(input.inputs),
          JSON.stringify(input.spec),
          'Authorize unattended runs to start this schedule.',
          nextRunAt,
          t,
          JSON.stringify(input.source),
        ],
      );
      return (await repo.get(id))!;
    },

    async get(id: string): Promise<StoredSchedule | undefined> {
      const row = await db.one(`SELECT ${COLS} FROM schedules WHERE id = $1`, [id]);
      return row ? toSchedule(row) : undefined;
    },

    /** One owner's schedules, or every schedule of the instance (ownerSub null: admins). */
    async list(instanceId: string, ownerSub: string | null): Promise<StoredSchedule[]> {
      const rows =
        ownerSub === null
          ? await db.query(`SELECT ${COLS} FROM schedules WHERE instance_id = $1 ORDER BY created_at DESC`, [instanceId])
          : await db.query(`SELECT ${COLS} FROM schedules WHERE instance_id = $1 AND owner_sub = $2 ORDER BY created_at DESC`, [
              instanceId,
              ownerSub,
            ]);
      return rows.map(toSchedule);
    },

    async update(
      id: string,
      changes: { name?: string; spec?: ScheduleSpec; nextRunAt?: string | null; source?: ScheduleSource },
    ): Promise<void> {
      const cur = await repo.get(id);
      if (!cur) return;
      const t = nowIso();
      const sourceChanged = changes.source !== undefined && JSON.stringify(changes.source) !== JSON.stringify(cur.source);
      await db.exec(
        'UPDATE schedules SET name = $2, spec_json = $3, next_run_at = $4, updated_at = $5, source_json = $6, source_edited_at = $7 WHERE id = $1',
        [
          id,
          changes.name ?? cur.name,
          JSON.stringify(changes.spec ?? cur.spec),
          changes.nextRunAt === undefined ? cur.nextRunAt : changes.nextRunAt,
          t,
          JSON.stringify(sourceChanged ? changes.source : cur.source),
          sourceChanged ? t : cur.sourceEditedAt,
        ],
      );
    },

    async setStatus(
      id: string,
      status: ScheduleStatus,
      reason: string | null,
      changes: { nextRunAt?: string | null; resetFailures?: boolean } = {},
    ): Promise<void> {
      await db.exec(
        `UPDATE schedules SET status = $2, paused_reason = $3, next_run_at = CASE WHEN $4 = 1 THEN $5 ELSE next_run_at END,
           consecutive_failures = CASE WHEN $6 = 1 THEN 0 ELSE consecutive_failures END, updated_at = $7 WHERE id = $1`,
        [id, status, reason, changes.nextRunAt !== undefined, changes.nextRunAt ?? null, changes.resetFailures === true, nowIso()],
      );
    },

    async remove(id: string): Promise<void> {
      await db.transaction(async (tx) => {
        for (const table of ['schedule_auth_flows', 'schedule_credentials', 'schedule_files', 'schedule_runs'])
          await tx.exec(`DELETE FROM ${table} WHERE schedule_id = $1`, [id]);
        await tx.exec('DELETE FROM schedules WHERE id = $1', [id]);
      });
    },

    /** Active schedules whose next slot has come. */
    async due(now: Date, limit = 50): Promise<StoredSchedule[]> {
      const rows = await db.query(
        `SELECT ${COLS} FROM schedules WHERE status = 'active' AND next_run_at IS NOT NULL AND next_run_at <= $1 ORDER BY next_run_at LIMIT $2`,
        [now.toISOString(), limit],
      );
      return rows.map(toSchedule);
    },

    /**
     * Claim one slot: insert its run row (unique per schedule and slot) and, for a scheduled slot,
     * advance next_run_at from `expectedNext` to `newNext` (compare-and-set), in one transaction.
     * Returns the run, or null when another caller (replica, earlier attempt) already has this slot
     * or the schedule changed meanwhile.
     */
    async claimSlot(input: {
      scheduleId: string;
      slot: string;
      manual?: boolean;
      advance?: { expectedNext: string; newNext: string | null };
      leaseMs: number;
      status?: 'claimed' | 'skipped';
      error?: string;
    }): Promise<StoredRun | null> {
      const id = randomUUID();
      const t = nowIso();
      const claimed = await db
        .transaction(async (tx) => {
          const { rowCount } = await tx.exec(
            `INSERT INTO schedule_runs (id, schedule_id, slot_time, manual, status, lease_until, attempts, launch_id, error, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 1, NULL, $7, $8, $8) ON CONFLICT (schedule_id, slot_time) DO NOTHING`,
            [
              id,
              input.scheduleId,
              input.slot,
              input.manual === true,
              input.status ?? 'claimed',
              new Date(Date.now() + input.leaseMs).toISOString(),
              input.error ?? null,
              t,
            ],
          );
          if (rowCount !== 1) return false;
          if (input.advance) {
            const moved = await tx.exec(
              `UPDATE schedules SET next_run_at = $3, updated_at = $4 WHERE id = $1 AND next_run_at = $2 AND status = 'active'`,
              [input.scheduleId, input.advance.expectedNext, input.advance.newNext, t],
            );
            if (moved.rowCount !== 1) throw new SlotLost();
          }
          return true;
        })
        .catch((err: unknown) => {
          if (err instanceof SlotLost) return false;
          throw err;
        });
      return claimed ? repo.run(id) : null;
    },

    async run(id: string): Promise<StoredRun | null> {
      const rows = await db.query(`${RUN_SELECT} WHERE r.id = $1`, [id]);
      return (await runsWithJobs(rows))[0] ?? null;
    },

    async runs(scheduleId: string, limit = 50): Promise<StoredRun[]> {
      return runsWithJobs(await db.query(`${RUN_SELECT} WHERE r.schedule_id = $1 ORDER BY r.slot_time DESC LIMIT $2`, [scheduleId, limit]));
    },

    async lastRun(scheduleId: string): Promise<StoredRun | null> {
      return (await repo.runs(scheduleId, 1))[0] ?? null;
    },

    /** Runs left 'claimed' by a BFF that stopped (crash, restart) whose lease has run out. */
    async staleRuns(now: Date, limit = 20): Promise<StoredRun[]> {
      return runsWithJobs(
        await db.query(`${RUN_SELECT} WHERE r.status = 'claimed' AND r.lease_until < $1 ORDER BY r.slot_time LIMIT $2`, [
          now.toISOString(),
          limit,
        ]),
      );
    },

    /** Take over a stale run (compare-and-set on its lease): true for exactly one caller. */
    async takeOver(run: StoredRun, leaseMs: number): Promise<boolean> {
      const { rowCount } = await db.exec(
        `UPDATE schedule_runs SET lease_until = $3, attempts = attempts + 1, updated_at = $4 WHERE id = $1 AND status = 'claimed' AND lease_until = $2`,
        [run.id, run.leaseUntil, new Date(Date.now() + leaseMs).toISOString(), nowIso()],
      );
      return rowCount === 1;
    },

    async setRunLaunch(runId: string, launchId: string, files?: { taken: number; left: number | null }): Promise<void> {
      if (files)
        await db.exec('UPDATE schedule_runs SET launch_id = $2, updated_at = $3, files_taken = $4, files_left = $5 WHERE id = $1', [
          runId,
          launchId,
          nowIso(),
          files.taken,
          files.left,
        ]);
      else await db.exec('UPDATE schedule_runs SET launch_id = $2, updated_at = $3 WHERE id = $1', [runId, launchId, nowIso()]);
    },

    /** A claimed run that waits (e.g. for DiracX): its reason, shown until it finishes; the run stays claimed. */
    async noteWaiting(runId: string, message: string): Promise<void> {
      await db.exec(`UPDATE schedule_runs SET error = $2, updated_at = $3 WHERE id = $1 AND status = 'claimed'`, [
        runId,
        message,
        nowIso(),
      ]);
    },

    /**
     * Record a run's outcome. A failed run gives its files back (deletes its ledger rows in the same
     * transaction): only successful runs count as having processed a file.
     */
    async finishRun(
      runId: string,
      status: Exclude<ScheduleRunStatus, 'claimed'>,
      error: string | null = null,
      files?: { taken: number; left: number | null; note: string | null },
    ): Promise<void> {
      await db.transaction(async (tx) => {
        if (status === 'failed') await tx.exec('DELETE FROM schedule_files WHERE run_id = $1', [runId]);
        await tx.exec(
          `UPDATE schedule_runs SET status = $2, error = $3, lease_until = NULL, updated_at = $4,
             files_taken = CASE WHEN $5 = 1 THEN $6 ELSE files_taken END, files_left = CASE WHEN $5 = 1 THEN $7 ELSE files_left END,
             note = CASE WHEN $5 = 1 THEN $8 ELSE note END WHERE id = $1`,
          [runId, status, error, nowIso(), files !== undefined, files?.taken ?? null, files?.left ?? null, files?.note ?? null],
        );
        if (status === 'failed')
          await tx.exec('UPDATE schedule_runs SET files_taken = 0 WHERE id = $1 AND files_taken IS NOT NULL', [runId]);
      });
    },

    /** The ledger of a schedule (runId null) or the part one run took, newest run first, at most `limit` rows. */
    async processedFiles(scheduleId: string, runId: string | null, limit: number): Promise<{ items: RunFile[]; total: number }> {
      const where = runId === null ? 'schedule_id = $1' : 'schedule_id = $1 AND run_id = $2';
      const params = runId === null ? [scheduleId] : [scheduleId, runId];
      const [rows, count] = await Promise.all([
        db.query<{ file_ref: string; kind: 'lfn' | 'rucio' | 'esap'; name: string; size_bytes: number | null }>(
          `SELECT file_ref, kind, name, size_bytes FROM schedule_files WHERE ${where} ORDER BY created_at DESC, seq, file_ref LIMIT $${params.length + 1}`,
          [...params, limit],
        ),
        db.one<{ n: number }>(`SELECT count(*) AS n FROM schedule_files WHERE ${where}`, params),
      ]);
      return { items: rows.map((r) => ({ ref: r.file_ref, kind: r.kind, name: r.name, sizeBytes: r.size_bytes })), total: count?.n ?? 0 };
    },

    /** Run fn in one transaction (the ledger insert and the launch it feeds). */
    transaction<T>(fn: () => Promise<T>): Promise<T> {
      return db.transaction(() => fn());
    },

    /**
     * Put files into the schedule's ledger for this run; returns the ones inserted. A file another run
     * already holds is skipped (unique (schedule, file)): on PostgreSQL a concurrent insert of the same
     * key waits for the other transaction and then skips, so each file goes to exactly one run.
     */
    async takeFiles<T extends InputItem & { seq: number | null }>(scheduleId: string, runId: string, files: T[]): Promise<T[]> {
      const t = nowIso();
      const taken = new Set<T>();
      // Insert in one global order (by ref): two transactions taking overlapping files then wait for each
      // other on the first shared key instead of deadlocking on PostgreSQL.
      for (const f of [...files].sort((x, y) => (x.ref < y.ref ? -1 : x.ref > y.ref ? 1 : 0))) {
        const { rowCount } = await db.exec(
          `INSERT INTO schedule_files (schedule_id, file_ref, run_id, kind, name, size_bytes, seq, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (schedule_id, file_ref) DO NOTHING`,
          [scheduleId, f.ref, runId, f.kind, f.name, f.sizeBytes, f.seq, t],
        );
        if (rowCount === 1) taken.add(f);
      }
      return files.filter((f) => taken.has(f));
    },

    /** The files a run took, in the order taken (its launch's inputs; the run history). */
    async runFiles(runId: string, limit = 100_000): Promise<{ items: (RunFile & { id: string })[]; total: number }> {
      const [rows, count] = await Promise.all([
        db.query<{ file_ref: string; kind: 'lfn' | 'rucio' | 'esap'; name: string; size_bytes: number | null }>(
          `SELECT file_ref, kind, name, size_bytes FROM schedule_files WHERE run_id = $1 ORDER BY seq, file_ref LIMIT $2`,
          [runId, limit],
        ),
        db.one<{ n: number }>('SELECT count(*) AS n FROM schedule_files WHERE run_id = $1', [runId]),
      ]);
      return {
        items: rows.map((r) => ({ id: r.file_ref, ref: r.file_ref, kind: r.kind, name: r.name, sizeBytes: r.size_bytes })),
        total: count?.n ?? 0,
      };
    },

    /** Count a run's outcome; returns the new number of consecutive failures. */
    async countOutcome(scheduleId: string, ok: boolean): Promise<number> {
      await db.exec(
        `UPDATE schedules SET consecutive_failures = CASE WHEN $2 = 1 THEN 0 ELSE consecutive_failures + 1 END, updated_at = $3 WHERE id = $1`,
        [scheduleId, ok, nowIso()],
      );
      const row = await db.one<{ consecutive_failures: number }>('SELECT consecutive_failures FROM schedules WHERE id = $1', [scheduleId]);
      return row?.consecutive_failures ?? 0;
    },

    // ---- credentials ------------------------------------------------------------------------------

    async putCredential(scheduleId: string, ownerSub: string, instanceId: string, ciphertext: string): Promise<string | null> {
      return db.transaction(async (tx) => {
        const old = await tx.one<{ ciphertext: string | null; state: string }>(
          'SELECT ciphertext, state FROM schedule_credentials WHERE schedule_id = $1',
          [scheduleId],
        );
        const t = nowIso();
        if (old)
          await tx.exec(
            `UPDATE schedule_credentials SET ciphertext = $2, state = 'ok', rotating_since = NULL, updated_at = $3 WHERE schedule_id = $1`,
            [scheduleId, ciphertext, t],
          );
        else
          await tx.exec(
            `INSERT INTO schedule_credentials (schedule_id, owner_sub, instance_id, ciphertext, state, rotating_since, created_at, updated_at) VALUES ($1, $2, $3, $4, 'ok', NULL, $5, $5)`,
            [scheduleId, ownerSub, instanceId, ciphertext, t],
          );
        return old?.state === 'ok' ? old.ciphertext : null;
      });
    },

    async credentialState(scheduleId: string): Promise<'none' | 'ok' | 'invalid'> {
      const row = await db.one<{ state: string }>('SELECT state FROM schedule_credentials WHERE schedule_id = $1', [scheduleId]);
      if (!row) return 'none';
      return row.state === 'invalid' ? 'invalid' : 'ok';
    },

    /**
     * Start using the stored refresh token (compare-and-set ok → rotating). A credential found
     * 'rotating' for longer than `staleMs` was being rotated by a BFF that died before storing the new
     * token: the stored one is probably spent, and sending it would make DiracX revoke every session of
     * the user (reuse detection), so it is marked invalid instead.
     */
    async beginRotation(scheduleId: string, staleMs: number): Promise<CredentialTake> {
      const t = nowIso();
      const { rowCount } = await db.exec(
        `UPDATE schedule_credentials SET state = 'rotating', rotating_since = $2, updated_at = $2 WHERE schedule_id = $1 AND state = 'ok'`,
        [scheduleId, t],
      );
      const row = await db.one<{ ciphertext: string | null; state: string; rotating_since: string | null }>(
        'SELECT ciphertext, state, rotating_since FROM schedule_credentials WHERE schedule_id = $1',
        [scheduleId],
      );
      if (rowCount === 1 && row?.ciphertext) return { kind: 'ok', ciphertext: row.ciphertext };
      if (row?.state === 'rotating' && row.rotating_since && Date.now() - Date.parse(row.rotating_since) < staleMs) return { kind: 'busy' };
      if (row?.state === 'rotating') await repo.invalidateCredential(scheduleId);
      return { kind: 'unusable' };
    },

    async finishRotation(scheduleId: string, ciphertext: string): Promise<void> {
      await db.exec(
        `UPDATE schedule_credentials SET ciphertext = $2, state = 'ok', rotating_since = NULL, updated_at = $3 WHERE schedule_id = $1 AND state = 'rotating'`,
        [scheduleId, ciphertext, nowIso()],
      );
    },

    /** DiracX never saw the token (unreachable): it is still good. */
    async abortRotation(scheduleId: string): Promise<void> {
      await db.exec(
        `UPDATE schedule_credentials SET state = 'ok', rotating_since = NULL, updated_at = $2 WHERE schedule_id = $1 AND state = 'rotating'`,
        [scheduleId, nowIso()],
      );
    },

    async invalidateCredential(scheduleId: string): Promise<void> {
      await db.exec(
        `UPDATE schedule_credentials SET state = 'invalid', ciphertext = NULL, rotating_since = NULL, updated_at = $2 WHERE schedule_id = $1`,
        [scheduleId, nowIso()],
      );
    },

    /** Drop a schedule's credential; returns the ciphertext it had (to revoke at DiracX). */
    async dropCredential(scheduleId: string): Promise<string | null> {
      const row = await db.one<{ ciphertext: string | null }>('SELECT ciphertext FROM schedule_credentials WHERE schedule_id = $1', [
        scheduleId,
      ]);
      await db.exec('DELETE FROM schedule_credentials WHERE schedule_id = $1', [scheduleId]);
      return row?.ciphertext ?? null;
    },

    async credentialsOf(ownerSub: string, instanceId: string): Promise<string[]> {
      const rows = await db.query<{ schedule_id: string }>(
        'SELECT schedule_id FROM schedule_credentials WHERE owner_sub = $1 AND instance_id = $2',
        [ownerSub, instanceId],
      );
      return rows.map((r) => r.schedule_id);
    },

    // ---- authorization flows ----------------------------------------------------------------------

    async putFlow(flow: {
      state: string;
      scheduleId: string;
      ownerSub: string;
      instanceId: string;
      codeVerifier: string;
      redirectUri: string;
    }): Promise<void> {
      const t = nowIso();
      await db.exec('DELETE FROM schedule_auth_flows WHERE created_at < $1', [new Date(Date.now() - 15 * 60_000).toISOString()]);
      await db.exec(
        'INSERT INTO schedule_auth_flows (state, schedule_id, owner_sub, instance_id, code_verifier, redirect_uri, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [flow.state, flow.scheduleId, flow.ownerSub, flow.instanceId, flow.codeVerifier, flow.redirectUri, t],
      );
    },

    /** Take (and delete) a pending flow: single use, 10 minutes. */
    async takeFlow(state: string) {
      const row = await db.one<{
        schedule_id: string;
        owner_sub: string;
        instance_id: string;
        code_verifier: string;
        redirect_uri: string;
        created_at: string;
      }>('SELECT schedule_id, owner_sub, instance_id, code_verifier, redirect_uri, created_at FROM schedule_auth_flows WHERE state = $1', [
        state,
      ]);
      if (!row) return undefined;
      const { rowCount } = await db.exec('DELETE FROM schedule_auth_flows WHERE state = $1', [state]);
      if (rowCount !== 1 || Date.now() - Date.parse(row.created_at) > 10 * 60_000) return undefined;
      return {
        scheduleId: row.schedule_id,
        ownerSub: row.owner_sub,
        instanceId: row.instance_id,
        codeVerifier: row.code_verifier,
        redirectUri: row.redirect_uri,
      };
    },

    // ---- notifications ----------------------------------------------------------------------------

    async notify(n: {
      ownerSub: string;
      instanceId: string;
      scheduleId: string | null;
      level: 'info' | 'warning' | 'error';
      message: string;
    }): Promise<void> {
      await db.exec(
        'INSERT INTO notifications (id, owner_sub, instance_id, schedule_id, level, message, created_at, read_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)',
        [randomUUID(), n.ownerSub, n.instanceId, n.scheduleId, n.level, n.message, nowIso()],
      );
    },

    async notifications(ownerSub: string, instanceId: string, limit = 20) {
      const rows = await db.query<{
        id: string;
        schedule_id: string | null;
        level: 'info' | 'warning' | 'error';
        message: string;
        created_at: string;
        read_at: string | null;
      }>(
        'SELECT id, schedule_id, level, message, created_at, read_at FROM notifications WHERE owner_sub = $1 AND instance_id = $2 ORDER BY created_at DESC, id LIMIT $3',
        [ownerSub, instanceId, limit],
      );
      const unread = await db.one<{ n: number }>(
        'SELECT COUNT(*) AS n FROM notifications WHERE owner_sub = $1 AND instance_id = $2 AND read_at IS NULL',
        [ownerSub, instanceId],
      );
      return {
        unread: Number(unread?.n ?? 0),
        items: rows.map((r) => ({
          id: r.id,
          level: r.level,
          message: r.message,
          scheduleId: r.schedule_id,
          createdAt: r.created_at,
          read: r.read_at !== null,
        })),
      };
    },

    async markNotificationsRead(ownerSub: string, instanceId: string): Promise<void> {
      await db.exec('UPDATE notifications SET read_at = $3 WHERE owner_sub = $1 AND instance_id = $2 AND read_at IS NULL', [
        ownerSub,
        instanceId,
        nowIso(),
      ]);
    },
  };
  return repo;
}
export type ScheduleRepo = ReturnType<typeof createScheduleRepo>;

class SlotLost extends Error {}
