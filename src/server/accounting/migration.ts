import type { Migration } from '../db/migrations.ts';

/**
 * Accounting: one row per finished DiracX job (upserted by instance + job id, so a job is never counted
 * twice) and one watermark per instance (committed in the same transaction as the rows it covers).
 * `end_epoch` (UTC seconds) is the bucketing time: integer arithmetic buckets on both dialects and a
 * range scan of one covering index. `accounting_daily` is the per-day rollup of the same rows.
 */
const sql = (bigint: string, real: string) => `
CREATE TABLE accounting_jobs (
  instance_id      TEXT NOT NULL,
  job_id           ${bigint} NOT NULL,
  owner            TEXT NOT NULL,
  owner_group      TEXT NOT NULL,
  vo               TEXT NOT NULL,
  site             TEXT NOT NULL,
  final_status     TEXT NOT NULL,
  job_group        TEXT,
  submission_time  TEXT,
  start_exec_time  TEXT,
  end_exec_time    TEXT,
  end_epoch        ${bigint} NOT NULL,
  wall_seconds     ${bigint} NOT NULL,
  cpu_seconds      ${real},
  norm_cpu_seconds ${real},
  cores            INTEGER NOT NULL,
  last_update_time TEXT NOT NULL,
  collected_at     TEXT NOT NULL,
  PRIMARY KEY (instance_id, job_id)
);
CREATE INDEX accounting_jobs_instance_end_idx ON accounting_jobs (instance_id, end_epoch, site, owner, owner_group, vo, final_status, wall_seconds, cpu_seconds, cores);
-- Daily rollups, one per report dimension (site, user, group, VO, final status), maintained in the
-- collector's transaction: day/week/month reports over whole UTC days read ~365 × (number of keys) rows a
-- year instead of every job.
CREATE TABLE accounting_daily (
  instance_id  TEXT NOT NULL,
  dimension    TEXT NOT NULL,
  day_epoch    ${bigint} NOT NULL,
  key          TEXT NOT NULL,
  jobs         ${bigint} NOT NULL,
  wall_seconds ${bigint} NOT NULL,
  cpu_seconds  ${real} NOT NULL,
  PRIMARY KEY (instance_id, dimension, day_epoch, key)
);
CREATE TABLE accounting_watermarks (
  instance_id  TEXT PRIMARY KEY,
  second       TEXT NOT NULL,
  last_job_id  ${bigint},
  jobs_seen    ${bigint} NOT NULL DEFAULT 0,
  updated_at   TEXT NOT NULL
);
`;

export const accountingMigration: Migration = {
  id: '0006_accounting',
  sql: { sqlite: sql('INTEGER', 'REAL'), postgres: sql('BIGINT', 'DOUBLE PRECISION') },
};
