/** The application catalogue's rows (workflow_versions): every replica reads them on each request. */
import { z } from 'zod';
import {
  MAX_APPLICATIONS,
  MAX_VERSIONS_PER_APPLICATION,
  ProvenanceSchema,
  VersionStatusSchema,
  type ApplicationVersion,
  type Provenance,
  type VersionStatus,
} from '../../contracts/workflows/applications.ts';
import type { Database } from '../db/database.ts';
import { problems } from '../errors.ts';

const COLUMNS = 'app_id, version, name, tool_version, status, sha256, provenance_json, created_by, created_at, updated_at';
const RowSchema = z.object({
  app_id: z.string(),
  version: z.number(),
  name: z.string(),
  tool_version: z.string(),
  status: VersionStatusSchema,
  sha256: z.string(),
  provenance_json: z.string(),
  created_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});

function toVersion(row: unknown): ApplicationVersion {
  const r = RowSchema.parse(row);
  return {
    appId: r.app_id,
    version: r.version,
    name: r.name,
    toolVersion: r.tool_version,
    status: r.status,
    sha256: r.sha256,
    provenance: ProvenanceSchema.parse(JSON.parse(r.provenance_json)),
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface StoredVersion extends ApplicationVersion {
  /** The canonical JSON text of the descriptor (its sha-256 is `sha256`). */
  descriptorJson: string;
}

export interface NewVersion {
  appId: string;
  /** `new`: the id must not exist yet; `version`: it must. */
  as: 'new' | 'version';
  name: string;
  toolVersion: string;
  sha256: string;
  descriptorJson: string;
  provenance: Provenance;
  createdBy: string;
  status: VersionStatus;
}

export function createCatalogueRepo(db: Database) {
  const withDescriptor = async (sql: string, params: unknown[]): Promise<StoredVersion | undefined> => {
    const row = await db.one<{ descriptor_json: string }>(sql, params);
    return row ? { ...toVersion(row), descriptorJson: row.descriptor_json } : undefined;
  };

  return {
    /** Versions in these statuses (all but removed by default), by application then version. */
    async list(statuses: readonly VersionStatus[] = ['draft', 'published', 'disabled']): Promise<ApplicationVersion[]> {
      const marks = statuses.map((_s, i) => `$${i + 1}`).join(', ');
      const rows = await db.query(`SELECT ${COLUMNS} FROM workflow_versions WHERE status IN (${marks}) ORDER BY app_id, version`, [
        ...statuses,
      ]);
      return rows.map(toVersion);
    },

    async get(appId: string, version: number): Promise<StoredVersion | undefined> {
      return withDescriptor(`SELECT ${COLUMNS}, descriptor_json FROM workflow_versions WHERE app_id = $1 AND version = $2`, [
        appId,
        version,
      ]);
    },

    /** The newest published version of an application. */
    async newestPublished(appId: string): Promise<StoredVersion | undefined> {
      return withDescriptor(
        `SELECT ${COLUMNS}, descriptor_json FROM workflow_versions WHERE app_id = $1 AND status = 'published' ORDER BY version DESC LIMIT 1`,
        [appId],
      );
    },

    /** A descriptor this application had, whatever its version's status now (removed included): pinned launches and schedules. */
    async byHash(appId: string, sha256: string): Promise<StoredVersion | undefined> {
      return withDescriptor(
        `SELECT ${COLUMNS}, descriptor_json FROM workflow_versions WHERE app_id = $1 AND sha256 = $2 ORDER BY version DESC LIMIT 1`,
        [appId, sha256],
      );
    },

    /** Whether this application ever had this descriptor (seeding is idempotent per content, and removals stick). */
    async hasHash(appId: string, sha256: string): Promise<boolean> {
      return (await db.one('SELECT 1 AS x FROM workflow_versions WHERE app_id = $1 AND sha256 = $2', [appId, sha256])) !== undefined;
    },

    async exists(appId: string): Promise<boolean> {
      return (await db.one('SELECT 1 AS x FROM workflow_versions WHERE app_id = $1 LIMIT 1', [appId])) !== undefined;
    },

    /**
     * Store the next version (numbers are never reused, removed ones count). Refuses an id taken by
     * another application (`as: "new"`), an unknown one (`as: "version"`), a descriptor identical to a
     * version the application still has, and more versions or applications than the bounds allow.
     */
    async add(v: NewVersion): Promise<ApplicationVersion> {
      return db.transaction(async (tx) => {
        for (let attempt = 0; attempt < 5; attempt++) {
          const versions = await tx.query<{ version: number; status: string; sha256: string; name: string }>(
            'SELECT version, status, sha256, name FROM workflow_versions WHERE app_id = $1 ORDER BY version',
            [v.appId],
          );
          if (v.as === 'new' && versions.length > 0) {
            const name = versions.at(-1)?.name ?? v.appId;
            throw problems.conflict(
              `The id "${v.appId}" is already the application "${name}": add a new version of it, or choose another id`,
            );
          }
          if (v.as === 'version' && versions.length === 0)
            throw problems.notFound(`There is no application "${v.appId}" to add a version to`);
          if (versions.length === 0) {
            const apps = Number((await tx.one<{ n: number }>('SELECT count(DISTINCT app_id) AS n FROM workflow_versions'))?.n ?? 0);
            if (apps >= MAX_APPLICATIONS) throw problems.conflict(`The catalogue already holds ${MAX_APPLICATIONS} applications`);
          }
          if (versions.length >= MAX_VERSIONS_PER_APPLICATION)
            throw problems.conflict(
              `"${v.appId}" already has ${MAX_VERSIONS_PER_APPLICATION} versions (removed ones count too); use a new id`,
            );
          const same = versions.find((r) => r.sha256 === v.sha256 && r.status !== 'removed');
          if (same) throw problems.conflict(`This descriptor is identical to version ${same.version} of "${v.appId}"`);
          const next = (versions.at(-1)?.version ?? 0) + 1;
          const t = new Date().toISOString();
          const { rowCount } = await tx.exec(
            `INSERT INTO workflow_versions (${COLUMNS}, descriptor_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)
             ON CONFLICT (app_id, version) DO NOTHING`,
            [v.appId, next, v.name, v.toolVersion, v.status, v.sha256, JSON.stringify(v.provenance), v.createdBy, t, v.descriptorJson],
          );
          // Another replica took this number in the meantime: read again and take the next one.
          if (rowCount === 1) return (await this.get(v.appId, next)) as ApplicationVersion;
        }
        throw problems.conflict(`Could not number the new version of "${v.appId}" (too many at once); try again`);
      });
    },

    /** Change a version's status; undefined when there is no such version (or it was removed). */
    async setStatus(appId: string, version: number, status: VersionStatus): Promise<ApplicationVersion | undefined> {
      const { rowCount } = await db.exec(
        `UPDATE workflow_versions SET status = $3, updated_at = $4 WHERE app_id = $1 AND version = $2 AND status <> 'removed'`,
        [appId, version, status, new Date().toISOString()],
      );
      if (rowCount === 0) return undefined;
      const row = await db.one(`SELECT ${COLUMNS} FROM workflow_versions WHERE app_id = $1 AND version = $2`, [appId, version]);
      return row ? toVersion(row) : undefined;
    },

    /** Launches and schedules that use this version (for the admin's "remove": they keep working, by hash). */
    async usage(appId: string, sha256: string): Promise<{ launches: number; schedules: number }> {
      const launches = await db.one<{ n: number }>('SELECT count(*) AS n FROM launches WHERE workflow_id = $1 AND descriptor_sha256 = $2', [
        appId,
        sha256,
      ]);
      const schedules = await db.one<{ n: number }>(
        "SELECT count(*) AS n FROM schedules WHERE workflow_id = $1 AND launch_json LIKE $2 AND status <> 'ended'",
        [appId, `%${sha256}%`],
      );
      return { launches: Number(launches?.n ?? 0), schedules: Number(schedules?.n ?? 0) };
    },
  };
}
export type CatalogueRepo = ReturnType<typeof createCatalogueRepo>;
