import type { Migration } from '../db/migrations.ts';

/** 0002: sizes exceed 2^31 (DL0 files are GBs), hence BIGINT on PostgreSQL. */
const DATASETS_BASKET = (bigint: string) => `
CREATE TABLE dataset_files (
  id               TEXT PRIMARY KEY,
  lfn              TEXT NOT NULL UNIQUE,
  name             TEXT NOT NULL,
  project_id       TEXT NOT NULL,
  data_level       TEXT NOT NULL,
  size_bytes       ${bigint} NOT NULL,
  checksum         TEXT NOT NULL,
  storage_element  TEXT NOT NULL,
  observation_date TEXT NOT NULL,
  telescope        TEXT,
  run_number       INTEGER
);
CREATE INDEX dataset_files_project_level_date_idx ON dataset_files (project_id, data_level, observation_date);
CREATE INDEX dataset_files_level_date_idx ON dataset_files (data_level, observation_date);
CREATE INDEX dataset_files_date_idx ON dataset_files (observation_date);
CREATE INDEX dataset_files_name_idx ON dataset_files (name);

CREATE TABLE basket_items (
  id          TEXT PRIMARY KEY,
  owner_sub   TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('lfn', 'rucio', 'esap')),
  ref         TEXT NOT NULL,
  name        TEXT NOT NULL,
  size_bytes  ${bigint},
  data_level  TEXT,
  project_id  TEXT,
  source      TEXT NOT NULL CHECK (source IN ('catalogue', 'rucio', 'esap')),
  item_group  TEXT,
  added_at    TEXT NOT NULL,
  meta_json   TEXT NOT NULL,
  UNIQUE (owner_sub, instance_id, kind, ref)
);
CREATE INDEX basket_items_owner_added_idx ON basket_items (owner_sub, instance_id, added_at);
`;

/** Dataset catalogue (demo/default source) and the per-user, per-instance basket. */
export const datasetsBasketMigration: Migration = {
  id: '0002_datasets_basket',
  sql: {
    sqlite: DATASETS_BASKET('INTEGER'),
    postgres: DATASETS_BASKET('BIGINT'),
  },
};

/**
 * 0009: where each catalogue file's replicas are (issue #16), and the IRFs. One row per (LFN, storage element); the SE's
 * site and disk/tape kind come from the resource catalogue (config/resources.cfg), not from here. A file
 * with no row here has one replica, on its `dataset_files.storage_element` (catalogues seeded before 0009).
 */
const DATASET_REPLICAS = (bigint: string) => `
CREATE TABLE dataset_replicas (
  lfn             TEXT NOT NULL,
  storage_element TEXT NOT NULL,
  PRIMARY KEY (lfn, storage_element)
);

CREATE TABLE dataset_irfs (
  id              TEXT PRIMARY KEY,
  lfn             TEXT NOT NULL UNIQUE,
  name            TEXT NOT NULL,
  array_config    TEXT NOT NULL,
  irf_type        TEXT NOT NULL,
  period_start    TEXT NOT NULL,
  period_end      TEXT NOT NULL,
  size_bytes      ${bigint} NOT NULL,
  checksum        TEXT NOT NULL,
  storage_element TEXT NOT NULL
);
CREATE INDEX dataset_irfs_config_period_idx ON dataset_irfs (array_config, period_start);
`;

/** Also the instrument response functions (IRFs) per array configuration and validity period (the IRF finder). */
export const datasetReplicasMigration: Migration = {
  id: '0009_dataset_replicas_irfs',
  sql: { sqlite: DATASET_REPLICAS('INTEGER'), postgres: DATASET_REPLICAS('BIGINT') },
};
