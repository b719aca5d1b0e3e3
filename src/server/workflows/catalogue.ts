/**
 * The workflow catalogue: every `*.json` Boutiques descriptor in the workflows directory
 * (config `workflowsDir`, default `workflows/`), read and validated once at start-up. A bad
 * descriptor is skipped with a message naming the file and the field (logged by the routes), never
 * fatal: the other workflows stay available. Only an unreadable directory stops the BFF.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { WorkflowIdSchema, workflowSummary, type WorkflowDetail, type WorkflowSummary } from '../../contracts/workflows/catalogue.ts';
import { BoutiquesDescriptorSchema, type BoutiquesDescriptor } from '../../contracts/workflows/descriptor.ts';
import { ConfigError } from '../config.ts';

export interface WorkflowEntry {
  id: string;
  /** The file it was read from (for messages). */
  source: string;
  descriptor: BoutiquesDescriptor;
  summary: WorkflowSummary;
}

export interface WorkflowCatalogue {
  /** Directory the descriptors were read from. */
  dir: string;
  /** Summaries, sorted by name. */
  list(): WorkflowSummary[];
  get(id: string): WorkflowEntry | undefined;
  detail(id: string): WorkflowDetail | undefined;
  /** Descriptors that were not loaded, with the reason (file and fields). */
  skipped: readonly SkippedDescriptor[];
}

export interface SkippedDescriptor {
  source: string;
  message: string;
}

/** A descriptor (or the directory) cannot be used; the BFF does not start (a ConfigError: server.ts prints it). */
export class WorkflowCatalogueError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'WorkflowCatalogueError';
  }
}

/** "inputs[3] (ERANGE_MIN).minimum": a zod path in a descriptor, with input/group ids for readability. */
function describePath(raw: unknown, issuePath: readonly PropertyKey[]): string {
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

export function formatDescriptorIssues(source: string, raw: unknown, issues: readonly z.core.$ZodIssue[]): string {
  const lines = issues.map((i) => `  - ${describePath(raw, i.path)}: ${i.message}`);
  return `Invalid workflow descriptor ${source}:\n${lines.join('\n')}`;
}

/** Validate one descriptor's text; throws WorkflowCatalogueError naming `source` and the fields. */
export function parseDescriptor(text: string, source: string): BoutiquesDescriptor {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new WorkflowCatalogueError(`Invalid workflow descriptor ${source}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = BoutiquesDescriptorSchema.safeParse(raw);
  if (!parsed.success) throw new WorkflowCatalogueError(formatDescriptorIssues(source, raw, parsed.error.issues));
  return parsed.data;
}

export function createWorkflowCatalogue(
  dir: string,
  entries: readonly WorkflowEntry[],
  skipped: readonly SkippedDescriptor[] = [],
): WorkflowCatalogue {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const summaries = entries.map((e) => e.summary).sort((a, b) => a.name.localeCompare(b.name, 'en'));
  return {
    dir,
    skipped,
    list: () => summaries,
    get: (id) => byId.get(id),
    detail: (id) => {
      const e = byId.get(id);
      return e ? { ...e.summary, descriptor: e.descriptor } : undefined;
    },
  };
}

/** Read every `*.json` in `dir` (non-recursive); bad ones are skipped and listed in `skipped`. */
export async function loadWorkflowCatalogue(dir: string): Promise<WorkflowCatalogue> {
  const abs = path.resolve(dir);
  let names: string[];
  try {
    names = (await readdir(abs, { withFileTypes: true })).filter((d) => d.isFile() && d.name.endsWith('.json')).map((d) => d.name);
  } catch (err) {
    throw new WorkflowCatalogueError(
      `Cannot read the workflows directory ${dir} (workflowsDir): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  names.sort();
  const entries: WorkflowEntry[] = [];
  const skipped: SkippedDescriptor[] = [];
  for (const name of names) {
    const source = path.join(dir, name);
    const id = name.slice(0, -'.json'.length);
    try {
      if (!WorkflowIdSchema.safeParse(id).success) {
        throw new WorkflowCatalogueError(
          `Invalid workflow descriptor ${source}: the file name must be a workflow id (lower-case letters, digits and "-", at most 64) followed by .json`,
        );
      }
      const descriptor = parseDescriptor(await readFile(path.join(abs, name), 'utf8'), source);
      entries.push({ id, source, descriptor, summary: workflowSummary(id, descriptor) });
    } catch (err) {
      skipped.push({ source, message: err instanceof WorkflowCatalogueError ? err.message : `${source}: ${(err as Error).message}` });
    }
  }
  return createWorkflowCatalogue(dir, entries, skipped);
}
