import type { Migration } from '../db/migrations.ts';

/**
 * Productions are the launches table seen by visibility: a PI lists the launches of the groups they
 * manage (instance, VO, group), an admin every launch of an instance, newest first.
 */
const sql = `
CREATE INDEX launches_group_idx ON launches (instance_id, vo, dirac_group, created_at);
CREATE INDEX launches_instance_idx ON launches (instance_id, created_at);
`;

export const productionsMigration: Migration = { id: '0005_productions', sql };
