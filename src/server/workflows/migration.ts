import type { Migration } from '../db/migrations.ts';

/**
 * 0010: the application catalogue in the database, so that an administrator's upload, publish, disable or
 * remove is seen by every BFF replica at its next request, without a restart. One row per version; the
 * descriptor is kept as canonical JSON with its sha-256, and a removed version keeps its row (status
 * `removed`) so launches and schedules pinned to its hash still find the descriptor they used.
 * Launches record the version and hash they used (null for launches made before).
 */
const sql = `
CREATE TABLE workflow_versions (
  app_id          TEXT NOT NULL,
  version         INTEGER NOT NULL,
  name            TEXT NOT NULL,
  tool_version    TEXT NOT NULL,
  status          TEXT NOT NULL,
  sha256          TEXT NOT NULL,
  descriptor_json TEXT NOT NULL,
  provenance_json TEXT NOT NULL,
  created_by      TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (app_id, version)
);
CREATE INDEX workflow_versions_status_idx ON workflow_versions (status, app_id, version);
CREATE INDEX workflow_versions_sha_idx ON workflow_versions (app_id, sha256);
ALTER TABLE launches ADD COLUMN workflow_version INTEGER;
ALTER TABLE launches ADD COLUMN descriptor_sha256 TEXT;
`;

export const workflowCatalogueMigration: Migration = { id: '0010_workflow_catalogue', sql };
