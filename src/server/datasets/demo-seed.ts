/**
 * Deterministic demo catalogue of CTA-like data: the same files on every run and every machine
 * (seeded PRNG, no Math.random, no clock). Six projects (LST-1 campaigns, a MAGIC+LST-1 joint
 * campaign, the CTAO-South SST prototype, LST-2…4 commissioning); each observation run yields
 * one to four DL0 sub-run files plus one DL1, DL2 and DL3 file, with sizes typical of each level.
 */
import type { DataLevel, DatasetFile } from '../../contracts/datasets.ts';
import type { Database } from '../db/database.ts';
import { placeholders, rowsPerInsert } from './sql.ts';

export interface DemoProject {
  id: string;
  telescope: string;
  /** First and last observation night (inclusive), YYYY-MM-DD. */
  from: string;
  to: string;
  firstRun: number;
  /** Share of the files. */
  weight: number;
  /** Disk storage elements for DL1…DL3 (DL0 goes to tape). */
  disks: readonly string[];
  tape: string;
}

export const DEMO_PROJECTS: readonly DemoProject[] = [
  {
    id: 'CTA-LST1-2024-0031',
    telescope: 'LST-1',
    from: '2024-01-09',
    to: '2024-12-18',
    firstRun: 16_000,
    weight: 0.2,
    disks: ['CTA-PIC-DISK', 'CTA-DESY-DISK'],
    tape: 'CTA-PIC-TAPE',
  },
  {
    id: 'CTA-LST1-2025-0017',
    telescope: 'LST-1',
    from: '2025-01-07',
    to: '2025-12-19',
    firstRun: 19_000,
    weight: 0.22,
    disks: ['CTA-PIC-DISK', 'CTA-DESY-DISK', 'CTA-CSCS-DISK'],
    tape: 'CTA-PIC-TAPE',
  },
  {
    id: 'CTA-LST1-2026-0042',
    telescope: 'LST-1',
    from: '2026-01-06',
    to: '2026-06-30',
    firstRun: 23_000,
    weight: 0.18,
    disks: ['CTA-PIC-DISK', 'CTA-DESY-DISK'],
    tape: 'CTA-PIC-TAPE',
  },
  {
    id: 'CTA-MAGICLST1-2025-0008',
    telescope: 'MAGIC+LST-1',
    from: '2025-02-03',
    to: '2025-11-27',
    firstRun: 5_093_000,
    weight: 0.16,
    disks: ['CTA-PIC-DISK', 'CTA-IN2P3-DISK'],
    tape: 'CTA-PIC-TAPE',
  },
  {
    id: 'CTA-SSTPROTO-2024-0003',
    telescope: 'SST-prototype',
    from: '2024-03-04',
    to: '2026-05-29',
    firstRun: 1_000,
    weight: 0.12,
    disks: ['CTA-CNAF-DISK', 'CTA-DESY-DISK'],
    tape: 'CTA-CNAF-TAPE',
  },
  {
    id: 'CTA-LST2-4-2026-0005',
    telescope: 'LST-2',
    from: '2026-02-02',
    to: '2026-12-14',
    firstRun: 100,
    weight: 0.12,
    disks: ['CTA-PIC-DISK', 'CTA-IN2P3-DISK'],
    tape: 'CTA-PIC-TAPE',
  },
];

/** mulberry32: a small, fast, seeded PRNG returning [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const DAY_MS = 86_400_000;
const GB = 1024 ** 3;
const MB = 1024 ** 2;

/** Size ranges per level (bytes). */
const SIZE_RANGE: Record<DataLevel, readonly [number, number]> = {
  DL0: [2 * GB, 4 * GB],
  DL1: [380 * MB, 640 * MB],
  DL2: [70 * MB, 140 * MB],
  DL3: [5 * MB, 20 * MB],
};

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export interface GenerateOptions {
  count: number;
  seed?: number;
}

/** Exactly `count` files, in project order, always the same for the same count and seed. */
export function generateDemoDatasets({ count, seed = 20_260_042 }: GenerateOptions): DatasetFile[] {
  const total = Math.max(0, Math.floor(count));
  const rand = mulberry32(seed);
  const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const checksum = () =>
    `adler32:${Math.floor(rand() * 4_294_967_296)
      .toString(16)
      .padStart(8, '0')}`;

  const weightSum = DEMO_PROJECTS.reduce((s, p) => s + p.weight, 0);
  const quotas = DEMO_PROJECTS.map((p) => Math.floor((total * p.weight) / weightSum));
  quotas[0] = (quotas[0] ?? 0) + total - quotas.reduce((s, q) => s + q, 0);

  const files: DatasetFile[] = [];
  DEMO_PROJECTS.forEach((project, pi) => {
    const quota = quotas[pi] ?? 0;
    if (quota === 0) return;
    const start = Date.parse(`${project.from}T00:00:00Z`);
    const days = Math.max(1, Math.round((Date.parse(`${project.to}T00:00:00Z`) - start) / DAY_MS) + 1);
    // ~5.5 files per run on average; spread the runs evenly over the campaign's nights.
    const expectedRuns = Math.max(1, Math.ceil(quota / 5.5));
    let made = 0;
    for (let run = 0; made < quota; run++) {
      const runNumber = project.firstRun + run;
      const day = Math.min(days - 1, Math.floor((run * days) / expectedRuns));
      const observationDate = new Date(start + day * DAY_MS).toISOString().slice(0, 10);
      const year = observationDate.slice(0, 4);
      const runTag = `run_${pad(runNumber, 6)}`;
      const disk = pick(project.disks);
      const subruns = between(1, 4);
      const entries: { level: DataLevel; stem: string; name: string; se: string }[] = [];
      for (let s = 0; s < subruns; s++)
        entries.push({ level: 'DL0', stem: `${runTag}.${pad(s, 4)}`, name: `${runTag}.${pad(s, 4)}.fits.fz`, se: project.tape });
      entries.push({ level: 'DL1', stem: runTag, name: `${runTag}.dl1.h5`, se: disk });
      entries.push({ level: 'DL2', stem: runTag, name: `${runTag}.dl2.h5`, se: disk });
      entries.push({ level: 'DL3', stem: runTag, name: `${runTag}.fits.fz`, se: disk });
      for (const e of entries) {
        if (made >= quota) break;
        const [lo, hi] = SIZE_RANGE[e.level];
        files.push({
          id: `${project.id}.${e.level}.${e.stem}`,
          lfn: `/cta/prod/${year}/${project.id}/${e.level}/${e.name}`,
          name: e.name,
          projectId: project.id,
          dataLevel: e.level,
          sizeBytes: between(lo, hi),
          checksum: checksum(),
          storageElement: e.se,
          observationDate,
          telescope: project.telescope,
          runNumber,
        });
        made += 1;
      }
    }
  });
  return files;
}

// ---------------------------------------------------------------------------------------------
// Replicas (data locality)

export interface CatalogueReplica {
  lfn: string;
  storageElement: string;
}

/** FNV-1a of a string: a per-file seed, so replicas do not depend on the order files are generated in. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Where the demo files' replicas are, deterministically per file: the file's own `storageElement`
 * always; a DL0 file (on tape) also on its project's first disk in 3 of 10 cases (staged earlier); a
 * DL1/DL2 file also archived on its project's tape in 3 of 10; any disk file also on a second disk of
 * its project in 1 of 4. So the catalogue has tape-only, disk-only and disk+tape files.
 */
export function demoReplicas(files: readonly DatasetFile[]): CatalogueReplica[] {
  const byProject = new Map(DEMO_PROJECTS.map((p) => [p.id, p]));
  const out: CatalogueReplica[] = [];
  for (const f of files) {
    const ses = new Set([f.storageElement]);
    const project = byProject.get(f.projectId);
    if (project) {
      const rand = mulberry32(fnv1a(f.id));
      if (f.dataLevel === 'DL0') {
        if (rand() < 0.3 && project.disks[0]) ses.add(project.disks[0]);
      } else {
        if ((f.dataLevel === 'DL1' || f.dataLevel === 'DL2') && rand() < 0.3) ses.add(project.tape);
        const other = project.disks.filter((d) => d !== f.storageElement);
        if (other.length > 0 && rand() < 0.25) ses.add(other[Math.floor(rand() * other.length)]!);
      }
    }
    for (const se of ses) out.push({ lfn: f.lfn, storageElement: se });
  }
  return out;
}

/** An instrument response function: valid for one array configuration over one period. */
export interface DemoIrf {
  id: string;
  lfn: string;
  name: string;
  /** The array configuration (the telescopes observing: "LST-1", "MAGIC+LST-1", …). */
  arrayConfig: string;
  irfType: 'point-like' | 'full-enclosure';
  /** First and last day (inclusive) of the validity period, YYYY-MM-DD. */
  periodStart: string;
  periodEnd: string;
  sizeBytes: number;
  checksum: string;
  storageElement: string;
}

/**
 * IRFs of the demo catalogue: for every project's array configuration and every half year its observations
 * touch, a point-like and a full-enclosure IRF (CTA's two IRF kinds), on the project's first disk.
 */
export function demoIrfs(): DemoIrf[] {
  const out = new Map<string, DemoIrf>();
  for (const p of DEMO_PROJECTS) {
    const config = p.telescope;
    for (let year = Number(p.from.slice(0, 4)); year <= Number(p.to.slice(0, 4)); year++) {
      for (const half of [1, 2] as const) {
        const periodStart = `${year}-${half === 1 ? '01-01' : '07-01'}`;
        const periodEnd = `${year}-${half === 1 ? '06-30' : '12-31'}`;
        if (periodEnd < p.from || periodStart > p.to) continue;
        for (const irfType of ['point-like', 'full-enclosure'] as const) {
          const slug = config.replace(/[^A-Za-z0-9-]/g, '_');
          const name = `irf_${slug}_${year}H${half}_${irfType}.fits.gz`;
          const id = `IRF.${slug}.${year}H${half}.${irfType}`;
          const rand = mulberry32(fnv1a(id));
          out.set(id, {
            id,
            lfn: `/cta/irf/${slug}/${year}H${half}/${name}`,
            name,
            arrayConfig: config,
            irfType,
            periodStart,
            periodEnd,
            sizeBytes: Math.floor((irfType === 'point-like' ? 2 : 40) * MB * (1 + rand())),
            checksum: `adler32:${Math.floor(rand() * 4_294_967_296)
              .toString(16)
              .padStart(8, '0')}`,
            storageElement: p.disks[0] ?? p.tape,
          });
        }
      }
    }
  }
  return [...out.values()];
}

async function insertIrfs(db: Database, irfs: readonly DemoIrf[]): Promise<number> {
  let inserted = 0;
  for (const f of irfs) {
    inserted += (
      await db.exec(
        `INSERT INTO dataset_irfs (id, lfn, name, array_config, irf_type, period_start, period_end, size_bytes, checksum, storage_element)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
        [f.id, f.lfn, f.name, f.arrayConfig, f.irfType, f.periodStart, f.periodEnd, f.sizeBytes, f.checksum, f.storageElement],
      )
    ).rowCount;
  }
  return inserted;
}

/** Insert catalogue replicas in batches (existing pairs are kept). Returns rows inserted. */
export async function insertReplicas(db: Database, replicas: readonly CatalogueReplica[]): Promise<number> {
  let inserted = 0;
  const batch = rowsPerInsert(db, 1000);
  for (let i = 0; i < replicas.length; i += batch) {
    const chunk = replicas.slice(i, i + batch);
    const values = chunk.map((_, r) => `(${placeholders(2, r * 2)})`).join(', ');
    const sql = `INSERT INTO dataset_replicas (lfn, storage_element) VALUES ${values} ON CONFLICT (lfn, storage_element) DO NOTHING`;
    inserted += (
      await db.exec(
        sql,
        chunk.flatMap((r) => [r.lfn, r.storageElement]),
      )
    ).rowCount;
  }
  return inserted;
}

// ---------------------------------------------------------------------------------------------
// Loading into the BFF database

const COLUMNS = [
  'id',
  'lfn',
  'name',
  'project_id',
  'data_level',
  'size_bytes',
  'checksum',
  'storage_element',
  'observation_date',
  'telescope',
  'run_number',
] as const;
/** PostgreSQL advisory lock: one seeding replica at a time. */
const SEED_LOCK_KEY = 4_519_807_232;

function insertSql(rows: number, update: boolean): string {
  const values: string[] = [];
  for (let r = 0; r < rows; r++) values.push(`(${placeholders(COLUMNS.length, r * COLUMNS.length)})`);
  const onConflict = update
    ? `DO UPDATE SET ${COLUMNS.filter((c) => c !== 'id')
        .map((c) => `${c} = excluded.${c}`)
        .join(', ')}`
    : 'DO NOTHING';
  return `INSERT INTO dataset_files (${COLUMNS.join(', ')}) VALUES ${values.join(', ')} ON CONFLICT (id) ${onConflict}`;
}

/** Insert catalogue files in batches (call inside a transaction for speed); files already there are kept. Returns rows inserted. */
export function insertDatasetFiles(db: Database, files: readonly DatasetFile[]): Promise<number> {
  return writeDatasetFiles(db, files, false);
}

/** Insert catalogue files, or update those already there (same id). Returns rows stored. */
export function upsertDatasetFiles(db: Database, files: readonly DatasetFile[]): Promise<number> {
  return writeDatasetFiles(db, files, true);
}

async function writeDatasetFiles(db: Database, files: readonly DatasetFile[], update: boolean): Promise<number> {
  let inserted = 0;
  const batch = rowsPerInsert(db, 500);
  for (let i = 0; i < files.length; i += batch) {
    const chunk = files.slice(i, i + batch);
    const params: unknown[] = [];
    for (const f of chunk) {
      params.push(
        f.id,
        f.lfn,
        f.name,
        f.projectId,
        f.dataLevel,
        f.sizeBytes,
        f.checksum,
        f.storageElement,
        f.observationDate,
        f.telescope ?? null,
        f.runNumber ?? null,
      );
    }
    inserted += (await db.exec(insertSql(chunk.length, update), params)).rowCount;
  }
  return inserted;
}

export interface EnsureDemoOptions {
  /** Files to generate; 0 disables seeding. */
  count: number;
  seed?: number;
  logger?: { info(obj: object, msg?: string): void };
}

/**
 * Fill `dataset_files` with the demo catalogue when it is empty (and only then), in one
 * transaction. Safe when several BFF replicas start together (advisory lock on PostgreSQL,
 * BEGIN IMMEDIATE on SQLite). Returns the number of rows inserted.
 */
export async function ensureDemoDatasets(db: Database, { count, seed, logger }: EnsureDemoOptions): Promise<number> {
  if (!(count > 0)) return 0;
  const started = performance.now();
  const inserted = await db.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [SEED_LOCK_KEY]);
    const files = await tx.one('SELECT id FROM dataset_files LIMIT 1');
    const replicas = await tx.one('SELECT lfn FROM dataset_replicas LIMIT 1');
    if (files && replicas) return 0;
    const demo = generateDemoDatasets({ count, seed });
    // A catalogue seeded before replicas existed gets the demo replicas and IRFs on its next start.
    if (!replicas) {
      const irfs = demoIrfs();
      await insertReplicas(tx, [...demoReplicas(demo), ...irfs.map((f) => ({ lfn: f.lfn, storageElement: f.storageElement }))]);
      await insertIrfs(tx, irfs);
    }
    return files ? 0 : insertDatasetFiles(tx, demo);
  });
  if (inserted > 0) logger?.info({ files: inserted, ms: Math.round(performance.now() - started) }, 'demo dataset catalogue seeded');
  return inserted;
}
