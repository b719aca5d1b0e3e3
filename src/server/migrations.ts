/**
 * Every schema migration of the BFF database, in the order they are applied (db/migrations.ts runs
 * them). Each domain owns its own; append new ones at the end, never edit or reorder released ones.
 */
import type { Migration } from './db/migrations.ts';
import { accountingMigration } from './accounting/migration.ts';
import { datasetReplicasMigration, datasetsBasketMigration } from './datasets/migration.ts';
import { initMigration } from './jobs/migration.ts';
import { launchesMigration, launchLeaseDraftsMigration, launchStagingMigration } from './launches/migration.ts';
import { productionsMigration } from './productions/migration.ts';
import { rateLimitMigration } from './rate-limit.ts';
import { scheduleSourcesMigration, schedulesMigration } from './schedules/migration.ts';
import { workflowCatalogueMigration } from './workflows/migration.ts';

export const migrations: readonly Migration[] = [
  // Hello world submissions and the JDL of their jobs (read-only since Hello world is a launch), the audit log.
  initMigration,
  // Dataset catalogue (demo/default source) and the per-user, per-instance basket.
  datasetsBasketMigration,
  // Launches (productions) and their jobs, submitted by the BFF in the background.
  launchesMigration,
  // Launch leases (one runner per launch across replicas) and launch-page drafts.
  launchLeaseDraftsMigration,
  // Indexes for listing productions (launches) by visibility.
  productionsMigration,
  // Accounting: usage of finished jobs collected from DiracX, and the collector's watermarks.
  accountingMigration,
  // Scheduled submissions: schedules, runs (one per slot), encrypted credentials, notifications.
  schedulesMigration,
  // Saved-query schedules: the source of a schedule, what each run took, the per-schedule processed-files ledger.
  scheduleSourcesMigration,
  // Replicas of the catalogue's files per storage element and the IRFs (data locality, issue #16).
  datasetReplicasMigration,
  // The application catalogue (versions of Boutiques descriptors); launches record the version and hash they used.
  workflowCatalogueMigration,
  // Request counts per client address and user shared by the replicas (rate limits that count across replicas).
  rateLimitMigration,
  // Stage-first launches: per input file its Rucio rule and state (issue #16).
  launchStagingMigration,
];
