/** The audit log: who did what to which jobs, launches and schedules (one row per action). */
import type { Principal } from '../auth/verify.ts';
import type { Database } from '../db/database.ts';
import { z } from 'zod';

/** Who acts, for a record made while answering a request: the verified principal and the request id. */
export const actorOf = (p: Principal, requestId: string) => ({
  actorSub: p.sub,
  actorName: p.username,
  instanceId: p.instance.id,
  requestId,
});

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

/** `log` also writes each record as one structured log line (`{"audit": {...}}`), for log collectors. */
export function createAuditLog(db: Database, log?: (entry: AuditEntry) => void): AuditLog {
  return {
    async record(entry) {
      const at = entry.at === undefined ? new Date().toISOString() : new Date(entry.at).toISOString();
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
      const recorded = toAuditEntry(row);
      log?.(recorded);
      return recorded;
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
