import type { Migration } from '../db/migrations.ts';

/**
 * Schedules, their runs (one row per (schedule, slot), inserted before anything is submitted: the
 * slot claim), their encrypted credentials for unattended runs, pending authorization flows, and the
 * in-portal notifications.
 */
const sql = `
CREATE TABLE schedules (
  id                   TEXT PRIMARY KEY,
  instance_id          TEXT NOT NULL,
  owner_sub            TEXT NOT NULL,
  owner_name           TEXT NOT NULL,
  vo                   TEXT NOT NULL,
  dirac_group          TEXT NOT NULL,
  name                 TEXT NOT NULL,
  workflow_id          TEXT NOT NULL,
  launch_json          TEXT NOT NULL,
  inputs_json          TEXT NOT NULL,
  spec_json            TEXT NOT NULL,
  status               TEXT NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
  paused_reason        TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  next_run_at          TEXT,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL
);
CREATE INDEX schedules_due_idx ON schedules (status, next_run_at);
CREATE INDEX schedules_owner_idx ON schedules (owner_sub, instance_id, created_at);

CREATE TABLE schedule_runs (
  id          TEXT PRIMARY KEY,
  schedule_id TEXT NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
  slot_time   TEXT NOT NULL,
  manual      INTEGER NOT NULL DEFAULT 0,
  status      TEXT NOT NULL CHECK (status IN ('claimed', 'submitted', 'failed', 'skipped')),
  lease_until TEXT,
  attempts    INTEGER NOT NULL DEFAULT 0,
  launch_id   TEXT,
  error       TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (schedule_id, slot_time)
);
CREATE INDEX schedule_runs_status_idx ON schedule_runs (status, lease_until);

CREATE TABLE schedule_credentials (
  schedule_id    TEXT PRIMARY KEY REFERENCES schedules (id) ON DELETE CASCADE,
  owner_sub      TEXT NOT NULL,
  instance_id    TEXT NOT NULL,
  ciphertext     TEXT,
  state          TEXT NOT NULL CHECK (state IN ('ok', 'rotating', 'invalid')),
  rotating_since TEXT,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
CREATE INDEX schedule_credentials_owner_idx ON schedule_credentials (owner_sub, instance_id);

CREATE TABLE schedule_auth_flows (
  state         TEXT PRIMARY KEY,
  schedule_id   TEXT NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
  owner_sub     TEXT NOT NULL,
  instance_id   TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  redirect_uri  TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

CREATE TABLE notifications (
  id          TEXT PRIMARY KEY,
  owner_sub   TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  schedule_id TEXT,
  level       TEXT NOT NULL CHECK (level IN ('info', 'warning', 'error')),
  message     TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  read_at     TEXT
);
CREATE INDEX notifications_owner_idx ON notifications (owner_sub, instance_id, created_at);
`;

export const schedulesMigration: Migration = { id: '0007_schedules', sql };

/**
 * Saved-query schedules (issue #16): the schedule's source (NULL = the snapshot in inputs_json), when
 * its query was last edited, what each run took, and the per-schedule ledger of processed files. The
 * ledger's primary key (schedule, file) is what makes "each file once" hold across replicas and
 * restarts: a run inserts its files there in the transaction that creates its launch, and a failed run
 * deletes its rows again.
 */
const SOURCES = (bigint: string) => `
ALTER TABLE schedules ADD COLUMN source_json TEXT;
ALTER TABLE schedules ADD COLUMN source_edited_at TEXT;
ALTER TABLE schedule_runs ADD COLUMN files_taken INTEGER;
ALTER TABLE schedule_runs ADD COLUMN files_left INTEGER;
ALTER TABLE schedule_runs ADD COLUMN note TEXT;
CREATE TABLE schedule_files (
  schedule_id TEXT NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
  file_ref    TEXT NOT NULL,
  run_id      TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('lfn', 'rucio', 'esap')),
  name        TEXT NOT NULL,
  size_bytes  ${bigint},
  seq         ${bigint},
  created_at  TEXT NOT NULL,
  PRIMARY KEY (schedule_id, file_ref)
);
CREATE INDEX schedule_files_run_idx ON schedule_files (run_id);
CREATE INDEX schedule_files_seq_idx ON schedule_files (schedule_id, seq);
`;

export const scheduleSourcesMigration: Migration = {
  id: '0008_schedule_sources',
  sql: { sqlite: SOURCES('INTEGER'), postgres: SOURCES('BIGINT') },
};
