/**
 * The application catalogue kept in the database (repo.ts): what users may launch (published versions),
 * what administrators manage (every version), and the descriptors pinned launches and schedules use (by
 * hash, whatever became of their version). Every request reads the version rows, so a change made on one
 * BFF replica is seen by the others at once; parsed descriptors are cached by sha-256, which never goes stale.
 * The shipped `workflows/` directory seeds the catalogue at start (each file content once per application).
 */
import crypto from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  WorkflowIdSchema,
  workflowSummary,
  type PublishedVersion,
  type WorkflowListItem,
  type WorkflowSummary,
} from '../../contracts/workflows/catalogue.ts';
import {
  applicationStatusReason,
  BoutiquesDescriptorSchema,
  canonicalJson,
  type BoutiquesDescriptor,
} from '../../contracts/workflows/descriptor.ts';
import type { Database } from '../db/database.ts';
import { problems } from '../errors.ts';
import { createCatalogueRepo, type CatalogueRepo, type StoredVersion } from './repo.ts';

export const sha256Hex = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** "inputs[3] (ERANGE_MIN).minimum": a zod path in a descriptor, with input/group ids for readability. */
export function describePath(raw: unknown, issuePath: readonly PropertyKey[]): string {
  if (issuePath.length === 0) return '(root)';
  let out = '';
  let node: unknown = raw;
  for (const key of issuePath) {
    if (typeof key === 'number') {
      out += `[${key}]`;
      node = Array.isArray(node) ? node[key] : undefined;
      const id = node && typeof node === 'object' && 'id' in node ? (node as { id: unknown }).id : undefined;
      if (typeof id === 'string') out += ` (${id})`;
    } else {
      out += out ? `.${String(key)}` : String(key);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[String(key)] : undefined;
    }
  }
  return out;
}

export interface CheckedDescriptor {
  descriptor: BoutiquesDescriptor;
  canonical: string;
  sha256: string;
}

/**
 * Parse and validate a descriptor's text. Refusals are a 400 problem whose issues name the field
 * (`inputs[3] (ERANGE_MIN).minimum`), never an exception that could stop the BFF.
 */
export function checkDescriptorText(text: string): CheckedDescriptor {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw problems.validation('The descriptor is not valid JSON', [{ path: '(root)', message: (err as Error).message }]);
  }
  const parsed = BoutiquesDescriptorSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 100).map((i) => ({ path: describePath(raw, i.path), message: i.message }));
    throw problems.validation(`The descriptor is not valid: ${issues[0]?.path}: ${issues[0]?.message}`, issues);
  }
  const canonical = canonicalJson(raw);
  return { descriptor: parsed.data, canonical, sha256: sha256Hex(canonical) };
}

/** One version of an application, ready for the launch engine and the form. */
export interface CatalogueVersion {
  id: string;
  version: number;
  sha256: string;
  status: StoredVersion['status'];
  descriptor: BoutiquesDescriptor;
  summary: WorkflowSummary;
}

export interface WorkflowCatalogue {
  repo: CatalogueRepo;
  /** Every application with a published version: its newest, and the list of published versions. */
  list(): Promise<WorkflowListItem[]>;
  /** A published version (the newest when `version` is omitted); undefined when there is none. */
  published(id: string, version?: number): Promise<WorkflowListItem & { entry: CatalogueVersion }>;
  /** The descriptor with this hash that the application had, whatever its version's status now. */
  pinned(id: string, sha256: string): Promise<CatalogueVersion | undefined>;
  /** A version in any status but removed (administrators' preview). */
  version(id: string, version: number): Promise<CatalogueVersion | undefined>;
  /** What an application status ("Exit code 3") means in the `error-codes` of the descriptor with this hash, or null. */
  exitReason(id: string, sha256: string | null, applicationStatus: string | null): Promise<string | null>;
}

type Log = { error(obj: object, msg: string): void; warn(obj: object, msg: string): void; info(obj: object, msg: string): void };

const CACHE_MAX = 5000;

export function createWorkflowCatalogue(db: Database, log: Log): WorkflowCatalogue {
  const repo = createCatalogueRepo(db);
  const parsed = new Map<string, BoutiquesDescriptor | null>();

  /** The stored descriptor parsed once per hash; null (and a warning) when today's schema refuses it. */
  function descriptorOf(v: StoredVersion): BoutiquesDescriptor | null {
    let d = parsed.get(v.sha256);
    if (d === undefined) {
      const result = BoutiquesDescriptorSchema.safeParse(JSON.parse(v.descriptorJson));
      d = result.success ? result.data : null;
      if (!result.success)
        log.warn({ appId: v.appId, version: v.version, issue: result.error.issues[0]?.message }, 'stored descriptor no longer valid');
      if (parsed.size >= CACHE_MAX) parsed.clear();
      parsed.set(v.sha256, d);
    }
    return d;
  }

  function toEntry(v: StoredVersion | undefined): CatalogueVersion | undefined {
    if (!v) return undefined;
    const d = descriptorOf(v);
    return d
      ? { id: v.appId, version: v.version, sha256: v.sha256, status: v.status, descriptor: d, summary: workflowSummary(v.appId, d) }
      : undefined;
  }

  async function publishedVersions(id?: string): Promise<Map<string, PublishedVersion[]>> {
    const rows = (await repo.list(['published'])).filter((r) => id === undefined || r.appId === id);
    const by = new Map<string, PublishedVersion[]>();
    for (const r of rows) {
      const list = by.get(r.appId) ?? [];
      list.unshift({ version: r.version, toolVersion: r.toolVersion, createdAt: r.createdAt });
      by.set(r.appId, list);
    }
    return by;
  }

  const item = (entry: CatalogueVersion, versions: PublishedVersion[]): WorkflowListItem => ({
    ...entry.summary,
    catalogueVersion: entry.version,
    sha256: entry.sha256,
    versions,
  });

  return {
    repo,
    async list() {
      const by = await publishedVersions();
      const items: WorkflowListItem[] = [];
      for (const [id, versions] of by) {
        const entry = toEntry(await repo.get(id, versions[0]!.version));
        if (entry) items.push(item(entry, versions));
      }
      return items.sort((a, b) => a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id));
    },
    async published(id, version) {
      const versions = (await publishedVersions(id)).get(id) ?? [];
      const stored = version === undefined ? await repo.newestPublished(id) : await repo.get(id, version);
      if (!stored || versions.length === 0) throw problems.notFound(`There is no workflow "${id}" in the catalogue`);
      if (stored.status !== 'published') {
        throw problems.conflict(
          `Version ${version} of "${id}" is ${stored.status === 'removed' ? 'removed' : stored.status === 'disabled' ? 'disabled' : 'not published yet'}; choose another version (the newest is ${versions[0]?.version})`,
        );
      }
      const entry = toEntry(stored);
      if (!entry)
        throw problems.unprocessable(`Version ${stored.version} of "${id}" no longer passes the descriptor checks; ask an administrator`);
      return { ...item(entry, versions), entry };
    },
    pinned: async (id, sha256) => toEntry(await repo.byHash(id, sha256)),
    async exitReason(id, sha256, applicationStatus) {
      if (!sha256 || !applicationStatus?.startsWith('Exit code')) return null;
      const entry = toEntry(await repo.byHash(id, sha256));
      return entry ? applicationStatusReason(entry.descriptor, applicationStatus) : null;
    },
    async version(id, version) {
      const v = await repo.get(id, version);
      return v && v.status !== 'removed' ? toEntry(v) : undefined;
    },
  };
}

/**
 * Seed the catalogue from a directory of `<id>.json` descriptors: each file's content becomes a published
 * version of its application once (a changed file becomes the next version; a version an administrator
 * removed is not brought back). A bad file is logged and skipped: it never stops the BFF.
 */
export async function seedWorkflows(catalogue: WorkflowCatalogue, dir: string, log: Log): Promise<string[]> {
  const abs = path.resolve(dir);
  let names: string[];
  try {
    names = (await readdir(abs, { withFileTypes: true })).filter((d) => d.isFile() && d.name.endsWith('.json')).map((d) => d.name);
  } catch (err) {
    log.warn({ dir, err: (err as NodeJS.ErrnoException).code ?? (err as Error).message }, 'cannot read the workflows directory');
    return [];
  }
  const added: string[] = [];
  for (const name of names.sort()) {
    const id = name.slice(0, -'.json'.length);
    let sha256 = '';
    try {
      if (!WorkflowIdSchema.safeParse(id).success) throw problems.validation('the file name must be a workflow id followed by .json');
      const checked = checkDescriptorText(await readFile(path.join(abs, name), 'utf8'));
      sha256 = checked.sha256;
      if (await catalogue.repo.hasHash(id, sha256)) continue;
      await catalogue.repo.add({
        appId: id,
        as: (await catalogue.repo.exists(id)) ? 'version' : 'new',
        name: checked.descriptor.name,
        toolVersion: checked.descriptor['tool-version'],
        sha256,
        descriptorJson: checked.canonical,
        provenance: { source: 'seed', fileName: name },
        createdBy: 'portal',
        status: 'published',
      });
      added.push(id);
    } catch (err) {
      // Another replica seeding the same file at the same moment is no failure; anything else is the file's fault.
      if (sha256 && (await catalogue.repo.hasHash(id, sha256))) continue;
      // An error, not a warning: a shipped application is missing until its file is fixed (the others are served).
      const e = err as Error & { issues?: { path: string; message: string }[] };
      log.error({ file: path.join(dir, name), problem: e.message, issues: e.issues?.slice(0, 5) }, 'workflow descriptor skipped');
    }
  }
  if (added.length) log.info({ dir, added }, 'workflow catalogue seeded');
  return added;
}
