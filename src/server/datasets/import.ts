/**
 * Importing a real dataset catalogue (instead of the demo rows): a CSV metadata dump, one file per line,
 * e.g. exported from a bookkeeping database or built from Rucio metadata. Columns by header name:
 *
 *   lfn, project_id, data_level, size_bytes, checksum, storage_element, observation_date   (required)
 *   id, name, telescope, run_number, replicas                                             (optional)
 *
 * `id` defaults to the LFN, `name` to the LFN's base name; `replicas` lists further storage elements
 * holding the file, separated by `;` (the locality panel and the resource ranking read them). RFC 4180
 * quoting. A file already in the catalogue (same id) is updated, so importing a newer dump again is safe.
 *
 * The whole import is one transaction and, by default, all or nothing: one invalid line and nothing is
 * stored, and the error names the line and the field. Reading is streamed, so memory does not grow with
 * the dump; a record longer than 64 KiB is refused.
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { DatasetFileSchema, type DatasetFile } from '../../contracts/datasets.ts';
import type { Database } from '../db/database.ts';
import { upsertDatasetFiles } from './demo-seed.ts';
import { placeholders } from './sql.ts';

const MAX_RECORD_CHARS = 64 * 1024;
const MAX_REPORTED_ERRORS = 50;
const BATCH = 500;
const REQUIRED = ['lfn', 'project_id', 'data_level', 'size_bytes', 'checksum', 'storage_element', 'observation_date'] as const;
const OPTIONAL = ['id', 'name', 'telescope', 'run_number', 'replicas'] as const;
const StorageElementSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'a storage element name');

export class ImportError extends Error {
  readonly issues: { line: number; message: string }[];
  constructor(message: string, issues: { line: number; message: string }[] = []) {
    super(message);
    this.issues = issues;
  }
}

export interface ImportResult {
  /** Data lines read. */
  lines: number;
  /** Files stored (new or updated). */
  stored: number;
  /** Invalid lines skipped (only with `lenient`). */
  rejected: { line: number; message: string }[];
}

/** CSV records (arrays of fields) with the line each starts on. Quoted fields may hold commas, quotes and newlines. */
export async function* csvRecords(input: AsyncIterable<string | Buffer>): AsyncGenerator<{ line: number; fields: string[] }> {
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  /** In a quoted field, a quote was seen: either an escaped quote ("") or the field's end, per the next character. */
  let quoteSeen = false;
  let afterQuote = false;
  /** A carriage return outside quotes, kept until we know whether a line feed follows. */
  let crSeen = false;
  let line = 1;
  let start = 1;
  let size = 0;
  const records: { line: number; fields: string[] }[] = [];
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
    field = '';
    fields = [];
    size = 0;
    afterQuote = false;
  };
  const step = (ch: string) => {
    if (quoteSeen) {
      quoteSeen = false;
      if (ch === '"') {
        field += '"';
        return;
      }
      quoted = false;
      afterQuote = true;
    }
    if (quoted) {
      if (ch === '"') quoteSeen = true;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
      return;
    }
    if (crSeen) {
      crSeen = false;
      if (ch !== '\n') field += '\r';
    }
    if (ch === '"' && field === '' && !afterQuote) quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
      afterQuote = false;
    } else if (ch === '\n') {
      endRecord();
      line++;
      start = line;
    } else if (ch === '\r') crSeen = true;
    else if (afterQuote) throw new ImportError(`line ${start}: text after a closing quote`);
    else field += ch;
  };
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of input) {
    let text: string;
    try {
      text = typeof chunk === 'string' ? chunk : utf8.decode(chunk, { stream: true });
    } catch {
      throw new ImportError(`line ${line}: the file is not UTF-8 text`);
    }
    for (const ch of text) {
      if (++size > MAX_RECORD_CHARS) throw new ImportError(`line ${start}: a record is longer than ${MAX_RECORD_CHARS} characters`);
      step(ch);
    }
    yield* records.splice(0);
  }
  if (quoteSeen) {
    quoted = false;
    afterQuote = true;
  }
  if (quoted) throw new ImportError(`line ${start}: a quoted field is not closed`);
  if (crSeen) field += '\r';
  if (field !== '' || fields.length > 0) endRecord();
  yield* records.splice(0);
}

function rowOf(header: string[], fields: string[]): { file: DatasetFile; replicas: string[] } | { error: string } {
  if (fields.length !== header.length) return { error: `${fields.length} fields, the header has ${header.length}` };
  const v = Object.fromEntries(header.map((h, i) => [h, fields[i]!.trim()]));
  const lfn = v.lfn ?? '';
  const candidate = {
    id: v.id || lfn,
    lfn,
    name: v.name || lfn.split('/').pop() || '',
    projectId: v.project_id,
    dataLevel: v.data_level,
    sizeBytes: /^\d+$/.test(v.size_bytes ?? '') ? Number(v.size_bytes) : v.size_bytes,
    checksum: v.checksum?.toLowerCase(),
    storageElement: v.storage_element,
    observationDate: v.observation_date,
    ...(v.telescope ? { telescope: v.telescope } : {}),
    ...(v.run_number ? { runNumber: /^\d+$/.test(v.run_number) ? Number(v.run_number) : v.run_number } : {}),
  };
  const parsed = DatasetFileSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const column =
      {
        projectId: 'project_id',
        dataLevel: 'data_level',
        sizeBytes: 'size_bytes',
        storageElement: 'storage_element',
        observationDate: 'observation_date',
        runNumber: 'run_number',
      }[String(issue.path[0])] ?? String(issue.path[0]);
    return { error: `${column}: ${issue.message}` };
  }
  if (parsed.data.lfn.split('/').some((p) => p === '.' || p === '..')) return { error: 'lfn: "." and ".." are not allowed' };
  const replicas = [
    parsed.data.storageElement,
    ...(v.replicas
      ? v.replicas
          .split(';')
          .map((s) => s.trim())
          .filter(Boolean)
      : []),
  ];
  for (const se of replicas)
    if (!StorageElementSchema.safeParse(se).success) return { error: `replicas: "${se.slice(0, 40)}" is not a storage element name` };
  return { file: parsed.data, replicas: [...new Set(replicas)] };
}

/** Import a CSV dump into `dataset_files` (+ `dataset_replicas`). Throws ImportError (nothing stored) on a bad file. */
export async function importCatalogueCsv(
  db: Database,
  input: Readable | AsyncIterable<string | Buffer>,
  opts: { lenient?: boolean } = {},
): Promise<ImportResult> {
  return db.transaction(async (tx) => {
    let header: string[] | null = null;
    let lines = 0;
    let stored = 0;
    const rejected: ImportResult['rejected'] = [];
    let files: DatasetFile[] = [];
    let replicas: [string, string][] = [];
    const flush = async () => {
      if (files.length === 0) return;
      stored += await upsertDatasetFiles(tx, files);
      for (let i = 0; i < replicas.length; i += BATCH) {
        const chunk = replicas.slice(i, i + BATCH);
        await tx.exec(
          `INSERT INTO dataset_replicas (lfn, storage_element) VALUES ${chunk.map((_, r) => `(${placeholders(2, r * 2)})`).join(', ')} ON CONFLICT DO NOTHING`,
          chunk.flat(),
        );
      }
      files = [];
      replicas = [];
    };
    for await (const { line, fields } of csvRecords(input)) {
      if (!header) {
        header = fields.map((f) => f.trim().toLowerCase());
        const missing = REQUIRED.filter((c) => !header!.includes(c));
        if (missing.length) throw new ImportError(`line ${line}: the header lacks ${missing.join(', ')}`);
        const unknown = header.filter((h) => !(REQUIRED as readonly string[]).includes(h) && !(OPTIONAL as readonly string[]).includes(h));
        if (unknown.length)
          throw new ImportError(`line ${line}: unknown columns ${unknown.join(', ')} (known: ${[...REQUIRED, ...OPTIONAL].join(', ')})`);
        continue;
      }
      lines++;
      const row = rowOf(header, fields);
      if ('error' in row) {
        if (rejected.length < MAX_REPORTED_ERRORS) rejected.push({ line, message: row.error });
        continue;
      }
      files.push(row.file);
      for (const se of row.replicas) replicas.push([row.file.lfn, se]);
      if (files.length >= BATCH) await flush();
    }
    if (!header) throw new ImportError('the file is empty (a header line is needed)');
    if (rejected.length > 0 && !opts.lenient)
      throw new ImportError(
        `${rejected.length === MAX_REPORTED_ERRORS ? 'at least ' : ''}${rejected.length} invalid line(s); nothing was imported`,
        rejected,
      );
    await flush();
    return { lines, stored, rejected };
  });
}
