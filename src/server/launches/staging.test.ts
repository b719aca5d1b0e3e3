import { describe, expect, it } from 'vitest';
import { HttpProblem } from '../errors.ts';
import { stagingRound, type RuleState, type StagingRow, type StagingRucio, type StagingStore } from './staging.ts';

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
