import type { Migration } from '../db/migrations.ts';

/**
 * 0001: the first schema. `submissions` + `job_records` held the one-click Hello world submissions
 * before it became an ordinary launch: kept, read-only, so the JDL of those jobs stays visible
 * (jobs/repo.ts). The audit log (audit/log.ts) was created in the same migration; a released
 * migration is never split or edited.
 */
const INIT_COMMON = {
  submissions: (jobIdType: string) => `
CREATE TABLE submissions (
  id              TEXT PRIMARY KEY,
  instance_id     TEXT NOT NULL,
  owner_sub       TEXT NOT NULL,
  owner_name      TEXT,
  vo              TEXT,
  dirac_group     TEXT,
  idempotency_key TEXT NOT NULL,
  kind            TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'submitted', 'failed')),
  request_json    TEXT NOT NULL,
  jdl             TEXT NOT NULL,
  job_ids_json    TEXT,
  error           TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  UNIQUE (owner_sub, instance_id, idempotency_key)
);
CREATE INDEX submissions_owner_created_idx ON submissions (owner_sub, created_at);

-- The exact JDL the portal sent for each job (DiracX has no endpoint returning it).
CREATE TABLE job_records (
  instance_id   TEXT NOT NULL,
  job_id        ${jobIdType} NOT NULL,
  submission_id TEXT REFERENCES submissions (id),
  owner_sub     TEXT NOT NULL,
  jdl           TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (instance_id, job_id)
);
CREATE INDEX job_records_submission_idx ON job_records (submission_id);
`,
  audit: (idColumn: string) => `
CREATE TABLE audit_log (
  id          ${idColumn},
  at          TEXT NOT NULL,
  actor_sub   TEXT,
  actor_name  TEXT,
  instance_id TEXT,
  action      TEXT NOT NULL,
  target      TEXT,
  detail_json TEXT,
  request_id  TEXT
);
CREATE INDEX audit_log_actor_at_idx ON audit_log (actor_sub, at);
`,
};

export const initMigration: Migration = {
  id: '0001_init',
  sql: {
    sqlite: INIT_COMMON.submissions('INTEGER') + INIT_COMMON.audit('INTEGER PRIMARY KEY AUTOINCREMENT'),
    postgres: INIT_COMMON.submissions('BIGINT') + INIT_COMMON.audit('BIGSERIAL PRIMARY KEY'),
  },
};
