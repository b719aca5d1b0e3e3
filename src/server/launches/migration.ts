import type { Migration } from '../db/migrations.ts';

/** Launches (productions) and their jobs, as the BFF submits them in the background. */
const sql = (bigint: string) => `
CREATE TABLE launches (
  id              TEXT PRIMARY KEY,
  instance_id     TEXT NOT NULL,
  owner_sub       TEXT NOT NULL,
  owner_name      TEXT NOT NULL,
  vo              TEXT NOT NULL,
  dirac_group     TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  name            TEXT NOT NULL,
  job_group       TEXT NOT NULL,
  workflow_id     TEXT NOT NULL,
  request_json    TEXT NOT NULL,
  status          TEXT NOT NULL,
  total_jobs      INTEGER NOT NULL,
  error           TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  UNIQUE (owner_sub, instance_id, idempotency_key)
);
CREATE INDEX launches_owner_idx ON launches (owner_sub, instance_id, created_at);
CREATE TABLE launch_jobs (
  launch_id  TEXT NOT NULL REFERENCES launches(id),
  job_index  INTEGER NOT NULL,
  job_name   TEXT NOT NULL,
  spec_json  TEXT NOT NULL,
  jdl        TEXT,
  job_id     ${bigint},
  status     TEXT NOT NULL,
  error      TEXT,
  attempts   INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (launch_id, job_index)
);
CREATE INDEX launch_jobs_status_idx ON launch_jobs (launch_id, status);
`;

export const launchesMigration: Migration = {
  id: '0003_launches',
  sql: { sqlite: sql('INTEGER'), postgres: sql('BIGINT') },
};

/**
 * 0004: a lease per launch, so that with several BFF replicas on one database exactly one runner drives
 * a launch at a time (claimed with a conditional UPDATE, renewed while running, taken over once expired);
 * and launch-page drafts kept per user and DiracX instance.
 */
const LEASE_AND_DRAFTS = `
ALTER TABLE launches ADD COLUMN lease_owner TEXT;
ALTER TABLE launches ADD COLUMN lease_expires_at TEXT;
CREATE TABLE launch_drafts (
  id          TEXT PRIMARY KEY,
  owner_sub   TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  name        TEXT NOT NULL,
  workflow_id TEXT NOT NULL,
  draft_json  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX launch_drafts_owner_idx ON launch_drafts (owner_sub, instance_id, updated_at);
`;

export const launchLeaseDraftsMigration: Migration = { id: '0004_launch_drafts_lease', sql: LEASE_AND_DRAFTS };

/**
 * 0012: stage-first launches (issue #16). One row per input file to bring to the chosen site's disk SE, with
 * its Rucio rule; jobs waiting for their inputs have launch_jobs.status 'waiting' until the files are there.
 */
const STAGING = `
CREATE TABLE launch_staging (
  launch_id  TEXT NOT NULL REFERENCES launches(id),
  item_id    TEXT NOT NULL,
  did        TEXT NOT NULL,
  rse        TEXT NOT NULL,
  state      TEXT NOT NULL,
  rule_id    TEXT,
  error      TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (launch_id, item_id, did)
);
`;

export const launchStagingMigration: Migration = { id: '0012_launch_staging', sql: STAGING };
