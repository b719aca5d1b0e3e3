/** Launch-page drafts in the BFF database, per user (`owner_sub`) and DiracX instance. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DRAFTS_MAX_PER_USER, type Draft, type DraftContent, type DraftSummary } from '../../contracts/drafts.ts';
import type { OwnerKey } from '../auth/owner.ts';
import type { Database } from '../db/database.ts';
import { problems } from '../errors.ts';

const SUMMARY = 'id, name, workflow_id, created_at, updated_at';
const rowSchema = z.object({ id: z.string(), name: z.string(), workflow_id: z.string(), created_at: z.string(), updated_at: z.string() });
const toSummary = (row: unknown): DraftSummary => {
  const r = rowSchema.parse(row);
  return { id: r.id, name: r.name, workflowId: r.workflow_id, createdAt: r.created_at, updatedAt: r.updated_at };
};

export function createDraftRepo(db: Database) {
  const where = 'owner_sub = $1 AND instance_id = $2';
  return {
    /** Newest first; only this workflow's when given. */
    async list(owner: OwnerKey, workflowId?: string): Promise<DraftSummary[]> {
      const rows = workflowId
        ? await db.query(`SELECT ${SUMMARY} FROM launch_drafts WHERE ${where} AND workflow_id = $3 ORDER BY updated_at DESC, id`, [
            owner.ownerSub,
            owner.instanceId,
            workflowId,
          ])
        : await db.query(`SELECT ${SUMMARY} FROM launch_drafts WHERE ${where} ORDER BY updated_at DESC, id`, [
            owner.ownerSub,
            owner.instanceId,
          ]);
      return rows.map(toSummary);
    },

    /** The draft, or null when it is not this owner's (others' drafts are indistinguishable from missing ones). */
    async get(owner: OwnerKey, id: string): Promise<Draft | null> {
      const row = await db.one<{ draft_json: string }>(`SELECT ${SUMMARY}, draft_json FROM launch_drafts WHERE ${where} AND id = $3`, [
        owner.ownerSub,
        owner.instanceId,
        id,
      ]);
      if (!row) return null;
      return { ...toSummary(row), content: JSON.parse(row.draft_json) as Draft['content'] };
    },

    async create(owner: OwnerKey, input: { name: string; workflowId: string; content: DraftContent }): Promise<Draft> {
      const id = randomUUID();
      const t = new Date().toISOString();
      await db.transaction(async (tx) => {
        const n = Number(
          (await tx.one<{ n: number }>(`SELECT count(*) AS n FROM launch_drafts WHERE ${where}`, [owner.ownerSub, owner.instanceId]))?.n ??
            0,
        );
        if (n >= DRAFTS_MAX_PER_USER) throw problems.conflict(`You already keep ${DRAFTS_MAX_PER_USER} drafts; delete some first.`);
        await tx.exec(
          'INSERT INTO launch_drafts (id, owner_sub, instance_id, name, workflow_id, draft_json, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)',
          [id, owner.ownerSub, owner.instanceId, input.name, input.workflowId, JSON.stringify(input.content), t],
        );
      });
      return { id, name: input.name, workflowId: input.workflowId, createdAt: t, updatedAt: t, content: input.content };
    },

    /** Rename and/or save over; null when it is not this owner's. */
    async update(owner: OwnerKey, id: string, patch: { name?: string; content?: DraftContent }): Promise<Draft | null> {
      const { rowCount } = await db.exec(
        `UPDATE launch_drafts SET name = COALESCE($4, name), draft_json = COALESCE($5, draft_json), updated_at = $6 WHERE ${where} AND id = $3`,
        [
          owner.ownerSub,
          owner.instanceId,
          id,
          patch.name ?? null,
          patch.content === undefined ? null : JSON.stringify(patch.content),
          new Date().toISOString(),
        ],
      );
      return rowCount === 0 ? null : this.get(owner, id);
    },

    async remove(owner: OwnerKey, id: string): Promise<boolean> {
      const { rowCount } = await db.exec(`DELETE FROM launch_drafts WHERE ${where} AND id = $3`, [owner.ownerSub, owner.instanceId, id]);
      return rowCount > 0;
    },
  };
}
export type DraftRepo = ReturnType<typeof createDraftRepo>;
