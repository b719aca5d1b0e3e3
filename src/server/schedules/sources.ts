/**
 * Resolve a saved-query schedule's source into the files a run should take: the matching files that no
 * earlier successful run of the schedule took (the ledger, `schedule_files`), in a stable order, at most
 * `limit`, with how many new ones are left for later runs. Nothing is written here: the scheduler
 * inserts the chosen files into the ledger in the transaction that creates the run's launch.
 *
 * - catalogue: one query over `dataset_files` with NOT EXISTS against the ledger (a 100,000-file match
 *   costs two indexed queries, not 100,000 lookups);
 * - rucio: the files of a dataset/container (or a file), or the files whose names match a `*` pattern,
 *   then the ledger in chunks; Rucio lists at most RUCIO_MAX_FILES per run (said in the note);
 * - zooniverse: classifications with ids above the highest one taken (the ledger's `seq`).
 */
import type { ScheduleQuerySource } from '../../contracts/schedules.ts';
import { RUCIO_MAX_FILES } from '../../contracts/rucio.ts';
import { plural } from '../../contracts/wording.ts';
import { SELECT_COLUMNS, toFile, whereClause } from '../datasets/catalogue.ts';
import type { RucioClient } from '../datasets/rucio.ts';
import { IN_CHUNK, placeholders } from '../datasets/sql.ts';
import type { Database } from '../db/database.ts';
import { problems } from '../errors.ts';
import type { InputItem } from '../launches/build.ts';
import type { ZooniverseClient } from './zooniverse.ts';

/** A file a run may take; `seq` orders Zooniverse classifications (their id). */
export interface SourceFile extends InputItem {
  seq: number | null;
}

export interface Resolved {
  files: SourceFile[];
  /** New files beyond `files` (over the limit), or null when the source cannot count them. */
  left: number | null;
  /** Something the run record should say about the listing (e.g. Rucio's list was cut). */
  warning: string | null;
}

export interface SourceDeps {
  db: Database;
  rucio: RucioClient | null;
  zooniverse: ZooniverseClient | null;
}

/** Which of these refs the schedule's ledger already holds. */
async function processedAmong(db: Database, scheduleId: string, refs: string[]): Promise<Set<string>> {
  const done = new Set<string>();
  for (let i = 0; i < refs.length; i += IN_CHUNK) {
    const chunk = refs.slice(i, i + IN_CHUNK);
    const rows = await db.query<{ file_ref: string }>(
      `SELECT file_ref FROM schedule_files WHERE schedule_id = $1 AND file_ref IN (${placeholders(chunk.length, 1)})`,
      [scheduleId, ...chunk],
    );
    for (const r of rows) done.add(r.file_ref);
  }
  return done;
}

/** Checks a source can be resolved on this portal (at creation and edit): refuses what is not configured or does not exist. */
export async function checkSource(deps: SourceDeps, source: ScheduleQuerySource): Promise<void> {
  if (source.kind === 'rucio') {
    if (!deps.rucio)
      throw problems.validation('No Rucio server is configured in this portal', [{ path: 'source.kind', message: 'not configured' }]);
    if (!source.name.includes('*') && !(await deps.rucio.did(source.scope, source.name)))
      throw problems.validation(`${deps.rucio.label} does not know ${source.scope}:${source.name}`, [
        { path: 'source.name', message: 'no such DID' },
      ]);
  }
  if (source.kind === 'zooniverse' && !deps.zooniverse)
    throw problems.validation('Zooniverse is not configured in this portal', [{ path: 'source.kind', message: 'not configured' }]);
}

export async function resolveSource(deps: SourceDeps, scheduleId: string, source: ScheduleQuerySource, limit: number): Promise<Resolved> {
  const { db } = deps;
  switch (source.kind) {
    case 'catalogue': {
      const { where, params } = whereClause(source.filters);
      const n = params.length;
      const fresh = `${where ? `${where} AND` : 'WHERE'} NOT EXISTS (SELECT 1 FROM schedule_files p WHERE p.schedule_id = $${n + 1} AND p.file_ref = dataset_files.lfn)`;
      const [rows, count] = await Promise.all([
        db.query(`SELECT ${SELECT_COLUMNS} FROM dataset_files ${fresh} ORDER BY observation_date, name, id LIMIT $${n + 2}`, [
          ...params,
          scheduleId,
          limit,
        ]),
        db.one<{ n: number }>(`SELECT count(*) AS n FROM dataset_files ${fresh}`, [...params, scheduleId]),
      ]);
      const files = rows
        .map(toFile)
        .map((f) => ({ id: f.id, kind: 'lfn' as const, ref: f.lfn, name: f.name, sizeBytes: f.sizeBytes, seq: null }));
      return { files, left: Math.max(0, (count?.n ?? 0) - files.length), warning: null };
    }
    case 'rucio': {
      const rucio = deps.rucio;
      if (!rucio) throw problems.notFound('No Rucio server is configured in this portal any more');
      let listed: { did: string; name: string; bytes: number | null }[];
      let cut: boolean;
      if (source.name.includes('*')) {
        const page = await rucio.search({ scope: source.scope, name: source.name, type: 'file', page: 1, perPage: RUCIO_MAX_FILES });
        listed = page.items.map((d) => ({ did: d.did, name: d.name, bytes: d.bytes }));
        cut = page.hasMore;
      } else {
        const list = await rucio.files(source.scope, source.name);
        listed = list.files.map((f) => ({ did: f.did, name: f.name, bytes: f.bytes }));
        cut = list.truncated;
      }
      listed.sort((a, b) => (a.did < b.did ? -1 : a.did > b.did ? 1 : 0));
      const done = await processedAmong(
        db,
        scheduleId,
        listed.map((f) => f.did),
      );
      const fresh = listed.filter((f) => !done.has(f.did));
      const files = fresh
        .slice(0, limit)
        .map((f) => ({ id: f.did, kind: 'rucio' as const, ref: f.did, name: f.name, sizeBytes: f.bytes, seq: null }));
      return {
        files,
        left: fresh.length - files.length,
        warning: cut
          ? `${rucio.label} lists at most ${plural(RUCIO_MAX_FILES, 'file')} per run: more may match; later runs see them.`
          : null,
      };
    }
    case 'zooniverse': {
      const zoo = deps.zooniverse;
      if (!zoo) throw problems.notFound('Zooniverse is not configured in this portal any more');
      const last = await db.one<{ n: number | null }>('SELECT max(seq) AS n FROM schedule_files WHERE schedule_id = $1', [scheduleId]);
      const { items, more } = await zoo.newClassifications({
        projectId: source.projectId,
        ...(source.workflowId ? { workflowId: source.workflowId } : {}),
        lastId: last?.n ?? 0,
        limit,
      });
      const files = items.map((c) => {
        const ref = `zooniverse:classification-${c.id}`;
        return {
          id: ref,
          kind: 'esap' as const,
          ref,
          name: `classification ${c.id} (project ${source.projectId})`,
          sizeBytes: null,
          seq: c.id,
        };
      });
      return { files, left: more ? null : 0, warning: null };
    }
  }
}
