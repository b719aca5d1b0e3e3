import { describe, expect, it } from 'vitest';
import { MAX_STAGING_FILES } from '../../contracts/launches.ts';
import type { BasketItem } from '../../contracts/datasets.ts';
import type { RucioClient } from '../datasets/rucio.ts';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import { HttpProblem } from '../errors.ts';
import { migrations } from '../migrations.ts';
import { planStaging, stagingRound, type RuleState, type StagingRow, type StagingRucio, type StagingStore } from './staging.ts';

const T0 = Date.parse('2026-12-05T10:00:00Z');
const row = (did: string, state: StagingRow['state'], ruleId: string | null = null): StagingRow => ({
  itemId: did,
  did,
  rse: 'CTA-PIC-DISK',
  state,
  ruleId,
  error: null,
  createdAt: new Date(T0).toISOString(),
  updatedAt: new Date(T0).toISOString(),
});

/** The launch's staging rows in memory (the repository's part is covered by staging.int.test.ts). */
function store(rows: StagingRow[]): StagingStore & { rows: StagingRow[] } {
  return {
    rows,
    stagingRows: async () => rows.map((r) => ({ ...r })),
    setStaging: async (_id, key, change) => {
      const r = rows.find((x) => x.did === key.did)!;
      Object.assign(r, { state: change.state, error: change.error ?? null, ruleId: change.ruleId ?? r.ruleId });
    },
  };
}

/** A narrow Rucio double: rules by DID, states by rule id. */
function rucio(opts: { refuse?: Record<string, string>; states?: Record<string, RuleState | null>; down?: boolean }) {
  const calls: string[] = [];
  const r: StagingRucio = {
    addRule: async (did) => {
      calls.push(`add ${did}`);
      if (opts.down) throw new HttpProblem(503, 'CATALOGUE_UNREACHABLE', 'CTA Rucio is not reachable right now');
      return opts.refuse?.[did] ? { refused: opts.refuse[did] } : { ruleId: `rule-${did}` };
    },
    rule: async (id) => {
      calls.push(`get ${id}`);
      if (opts.down) throw new HttpProblem(503, 'CATALOGUE_UNREACHABLE', 'CTA Rucio is not reachable right now');
      return opts.states?.[id] ?? null;
    },
  };
  return { r, calls };
}

const round = (s: StagingStore, r: StagingRucio, now = T0 + 1000) =>
  stagingRound('L', s, r, { timeoutMs: 60_000, checkpoint: async () => {}, now: () => now });

describe('stagingRound', () => {
  it('requests a rule per file once, follows it, and fails refused, stuck and vanished rules per file', async () => {
    const s = store([
      row('a', 'requested'),
      row('b', 'requested'),
      row('c', 'replicating', 'r-c'),
      row('d', 'replicating', 'r-d'),
      row('e', 'ready'),
    ]);
    const { r, calls } = rucio({
      refuse: { b: 'CTA Rucio: InsufficientAccountLimit: no quota' },
      states: { 'r-c': { state: 'OK', error: null }, 'r-d': { state: 'STUCK', error: 'no source' } },
    });
    expect(await round(s, r)).toBeNull();
    expect(s.rows.map((x) => [x.did, x.state, x.ruleId])).toEqual([
      ['a', 'replicating', 'rule-a'],
      ['b', 'failed', null],
      ['c', 'ok', 'r-c'],
      ['d', 'failed', 'r-d'],
      ['e', 'ready', null],
    ]);
    expect(s.rows[1]!.error).toBe('Rule refused: CTA Rucio: InsufficientAccountLimit: no quota');
    expect(s.rows[3]!.error).toBe('The Rucio rule is STUCK: no source');
    // The next round only looks at the rule it made; nothing is requested twice.
    calls.length = 0;
    await round(s, r);
    expect(calls).toEqual(['get rule-a']);
    expect(s.rows[0]!.state).toBe('failed');
    expect(s.rows[0]!.error).toMatch(/no longer exists/);
  });

  it('keeps files waiting while Rucio is down, and fails them once the staging timeout has passed', async () => {
    const s = store([row('a', 'requested'), row('b', 'replicating', 'r-b')]);
    const { r } = rucio({ down: true });
    expect(await round(s, r)).toMatch(/not reachable.*staging resumes when Rucio answers/);
    expect(s.rows.map((x) => x.state)).toEqual(['requested', 'replicating']);
    await round(s, r, T0 + 61_000);
    expect(s.rows.map((x) => [x.state, x.error])).toEqual([
      ['failed', 'Not on disk after 1 min: staging timed out'],
      ['failed', 'Not on disk after 1 min: staging timed out'],
    ]);
  });

  it('fails a file whose rule is still replicating after the timeout', async () => {
    const s = store([row('a', 'replicating', 'r-a')]);
    const { r } = rucio({ states: { 'r-a': { state: 'REPLICATING', error: null } } });
    await round(s, r);
    expect(s.rows[0]!.state).toBe('replicating');
    await round(s, r, T0 + 61_000);
    expect(s.rows[0]!.state).toBe('failed');
  });
});

describe('planStaging', () => {
  const catalogue = {
    sites: [{ name: 'HPC.MareNostrum.es' }],
    storageElements: [
      { name: 'CTA-PIC-DISK', kind: 'disk' as const, seType: 'T0D1', sites: ['HPC.MareNostrum.es'] },
      { name: 'CTA-PIC-TAPE', kind: 'tape' as const, seType: 'T1D0', sites: ['HPC.MareNostrum.es'] },
    ],
  } as unknown as Parameters<typeof planStaging>[0]['catalogue'];
  const file = (i: number, se: string): BasketItem => ({
    id: `i${i}`,
    kind: 'lfn',
    ref: `/cta/dl0/run_${i}.fits.fz`,
    name: `run_${i}.fits.fz`,
    sizeBytes: 1,
    dataLevel: 'DL0',
    projectId: 'P',
    source: 'catalogue',
    group: null,
    addedAt: '',
    meta: { storageElement: se },
  });

  it('stages what is not on disk at the site, and refuses more files than one launch may stage with a clear message', async () => {
    const db = await openDatabase('sqlite::memory:');
    try {
      await migrate(db, migrations);
      // Only catalogue files here: the Rucio client is required (rules) but not asked where they are.
      const deps = { db, rucio: {} as RucioClient, catalogue };
      const plan = await planStaging(deps, [file(1, 'CTA-PIC-TAPE'), file(2, 'CTA-PIC-DISK')], 'HPC.MareNostrum.es');
      expect(plan.rse).toBe('CTA-PIC-DISK');
      expect(plan.files.map((f) => [f.did, f.state])).toEqual([
        ['cta:/cta/dl0/run_1.fits.fz', 'requested'],
        ['cta:/cta/dl0/run_2.fits.fz', 'ready'],
      ]);
      const many = Array.from({ length: MAX_STAGING_FILES + 1 }, (_, i) => file(i, 'CTA-PIC-TAPE'));
      const refused = await planStaging(deps, many, 'HPC.MareNostrum.es').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(HttpProblem);
      expect(refused).toMatchObject({ status: 400 });
      expect((refused as HttpProblem).message).toBe(
        `Stage first handles at most ${MAX_STAGING_FILES} files per launch; these inputs hold ${MAX_STAGING_FILES + 1}`,
      );
    } finally {
      await db.close();
    }
  });
});
