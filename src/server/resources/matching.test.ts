import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { FitResultSchema, QueueRequirementSchema } from '../../contracts/resources.ts';
import type { ElementStatus, Queue, QueueRequirement } from '../../contracts/resources.ts';
import { loadCatalogue } from './catalogue.ts';
import { explainFit, formatMinutes, jobTags } from './matching.ts';

const DEMO = fileURLToPath(new URL('../../../config/resources.cfg', import.meta.url));

let queues: Map<string, Queue>;
const q = (name: string): Queue => {
  const found = queues.get(name);
  if (!found) throw new Error(`no queue ${name}`);
  return found;
};

beforeAll(async () => {
  const catalogue = await loadCatalogue(DEMO);
  queues = new Map(catalogue.sites.flatMap((s) => s.ces.flatMap((c) => c.queues.map((x) => [`${x.ce}/${x.queue}`, x] as const))));
});

const CERN_LONG = 'ce-htc01.cern.ch/long';
const CERN_SHORT = 'ce-htc01.cern.ch/short';
const GPU1 = 'grid-arcgpu01.desy.de/gpu1';
const GPU4 = 'grid-arcgpu02.desy.de/gpu4';
const MC48 = 'mn5-login.bsc.es/mc48';
const WHOLE = 'mn5-login.bsc.es/wholenode';

/** Names of the demo queues a requirement fits. */
function fitting(req: QueueRequirement): string[] {
  return [...queues.entries()].filter(([, queue]) => explainFit(queue, req).fits).map(([name]) => name);
}

describe('explainFit', () => {
  it('an empty requirement fits every queue without a RequiredTag', () => {
    expect(fitting({})).toEqual(['ce-htc01.cern.ch/short', CERN_LONG, 'ce-htc02.cern.ch/short', 'ce-htc02.cern.ch/long', MC48]);
    expect(explainFit(q(CERN_LONG), {})).toEqual({ fits: true, reasons: [], warnings: [] });
  });

  it('GPUs: count, GPU tag and the queue RequiredTag', () => {
    expect(explainFit(q(GPU1), { gpus: 4 })).toEqual({ fits: false, reasons: ['needs 4 GPUs, queue has 1'], warnings: [] });
    expect(explainFit(q(CERN_LONG), { gpus: 1 }).reasons).toEqual(['needs 1 GPU, queue has 0']);
    expect(explainFit(q(GPU4), { gpus: 4, cores: 16, ramMB: 60000 }).fits).toBe(true);
    expect(fitting({ gpus: 1 })).toEqual([GPU1, GPU4]);
    // A CPU-only job is kept out of GPU queues by RequiredTag = GPU.
    expect(explainFit(q(GPU1), {}).reasons).toEqual(['queue requires tag GPU']);
  });

  it('a queue with GPUs but no GPU tag is reported (DIRAC matches by tag)', () => {
    const untagged: Queue = { ...q(GPU1), tags: ['MultiProcessor'], requiredTags: [] };
    expect(explainFit(untagged, { gpus: 1 }).reasons).toEqual(['needs tag GPU, queue does not offer it']);
  });

  it('cores: count, and no duplicate MultiProcessor reason', () => {
    expect(explainFit(q(CERN_LONG), { cores: 8 }).reasons).toEqual(['needs 8 cores, queue has 1']);
    expect(fitting({ cores: 16 })).toEqual([MC48]);
    expect(fitting({ cores: 64 })).toEqual([]);
    expect(explainFit(q(WHOLE), { cores: 64 }).reasons).toEqual(['queue requires tag WholeNode']);
  });

  it('whole node: the job tag must be offered, and the whole-node queue requires it', () => {
    expect(explainFit(q(WHOLE), { cores: 112, wholeNode: true }).fits).toBe(true);
    expect(explainFit(q(WHOLE), { tags: ['WholeNode'] }).fits).toBe(true);
    expect(explainFit(q(MC48), { wholeNode: true }).reasons).toEqual(['needs tag WholeNode, queue does not offer it']);
  });

  it('RAM, with the DIRAC default of 2048 MB when MaxRAM is unset', () => {
    expect(explainFit(q(CERN_LONG), { ramMB: 4096 }).reasons).toEqual(['needs 4096 MB RAM, queue has 2048 MB']);
    expect(explainFit(q(CERN_LONG), { ramMB: 2048 }).fits).toBe(true);
    const unset: Queue = { ...q(CERN_LONG), maxRamMB: null };
    expect(explainFit(unset, { ramMB: 3000 }).reasons).toEqual([
      'needs 3000 MB RAM, queue has 2048 MB (MaxRAM not set: DIRAC assumes 2048 MB)',
    ]);
  });

  it('CPU time in minutes, and as a normalised JDL CPUTime', () => {
    expect(explainFit(q(CERN_SHORT), { wallTimeMinutes: 24 * 60 }).reasons).toEqual(['needs 24 h CPU time, queue allows 4 h']);
    expect(fitting({ wallTimeMinutes: 72 * 60, wholeNode: true })).toEqual([WHOLE]);
    expect(explainFit({ ...q(CERN_SHORT), maxCpuTimeMinutes: null }, { wallTimeMinutes: 90 }).reasons).toEqual([
      'needs 1 h 30 min CPU time, queue does not set maxCPUTime',
    ]);
    expect(explainFit(q(CERN_SHORT), { cpuTimeHS06Seconds: 144000 }).fits).toBe(true);
    expect(explainFit(q(CERN_SHORT), { cpuTimeHS06Seconds: 144001 }).reasons).toEqual([
      'needs 144001 HS06·s CPU time, queue allows 144000 HS06·s',
    ]);
    expect(explainFit({ ...q(CERN_SHORT), cpuTimeHS06Seconds: null }, { cpuTimeHS06Seconds: 1 }).reasons[0]).toMatch(
      /normalised CPU time is unknown/,
    );
  });

  it('job tags must be offered; queue required tags must be carried', () => {
    expect(explainFit(q(CERN_LONG), { tags: ['Fast', 'Big'] }).reasons).toEqual([
      'needs tag Fast, queue does not offer it',
      'needs tag Big, queue does not offer it',
    ]);
    expect(explainFit(q(GPU1), { tags: ['GPU'] }).fits).toBe(true);
  });

  it('site lists', () => {
    expect(explainFit(q(CERN_LONG), { sites: ['HPC.MareNostrum.es'] }).reasons).toEqual(['job is restricted to site HPC.MareNostrum.es']);
    expect(explainFit(q(CERN_LONG), { sites: ['A.b.c', 'D.e.f'] }).reasons).toEqual(['job is restricted to sites A.b.c, D.e.f']);
    expect(explainFit(q(CERN_LONG), { sites: [] }).fits).toBe(true);
    expect(explainFit(q(CERN_LONG), { sites: ['LCG.CERN-HTC.ch'] }).fits).toBe(true);
    expect(explainFit(q(CERN_LONG), { bannedSites: ['LCG.CERN-HTC.ch'] }).reasons).toEqual(['site LCG.CERN-HTC.ch is banned by the job']);
  });

  it('RSS: banned does not fit, degraded and unknown only warn', () => {
    const banned: ElementStatus = { state: 'banned', allowed: false, reason: 'Scheduled downtime' };
    const degraded: ElementStatus = { state: 'degraded', allowed: true, warnings: ['slow submission'] };
    const active: ElementStatus = { state: 'active', allowed: true };
    expect(explainFit(q(CERN_LONG), {}, { site: banned, ce: active })).toEqual({
      fits: false,
      reasons: ['site banned by RSS: Scheduled downtime'],
      warnings: [],
    });
    expect(explainFit(q(CERN_LONG), {}, { site: active, ce: banned }).reasons).toEqual(['CE banned by RSS: Scheduled downtime']);
    expect(explainFit(q(CERN_LONG), {}, { site: degraded, ce: null })).toEqual({
      fits: true,
      reasons: [],
      warnings: ['site degraded: slow submission', 'no RSS status for CE ce-htc01.cern.ch'],
    });
    expect(explainFit(q(CERN_LONG), {}, {}).warnings).toEqual([]);
  });

  it('reports every reason at once', () => {
    const result = explainFit(q(CERN_SHORT), { cores: 4, gpus: 4, ramMB: 8192, wallTimeMinutes: 600, tags: ['Fast'] });
    expect(result).toEqual({
      fits: false,
      reasons: [
        'needs 4 cores, queue has 1',
        'needs 4 GPUs, queue has 0',
        'needs 8192 MB RAM, queue has 2048 MB',
        'needs 10 h CPU time, queue allows 4 h',
        'needs tag Fast, queue does not offer it',
      ],
      warnings: [],
    });
    expect(FitResultSchema.parse(result)).toEqual(result);
  });

  it('accepts requirements validated by the contract', () => {
    const req = QueueRequirementSchema.parse({ cores: 48, wallTimeMinutes: 1440, tags: [] });
    expect(explainFit(q(MC48), req).fits).toBe(true);
    expect(QueueRequirementSchema.safeParse({ cores: 0 }).success).toBe(false);
    expect(QueueRequirementSchema.safeParse({ gpus: 1.5 }).success).toBe(false);
  });
});

describe('helpers', () => {
  it('jobTags adds the tags DIRAC derives', () => {
    expect([...jobTags({ cores: 2, gpus: 1, wholeNode: true, tags: ['X'] })].sort()).toEqual(['GPU', 'MultiProcessor', 'WholeNode', 'X']);
    expect([...jobTags({ cores: 1 })]).toEqual([]);
  });

  it('formatMinutes', () => {
    expect([45, 60, 90, 1440, 4320].map(formatMinutes)).toEqual(['45 min', '1 h', '1 h 30 min', '24 h', '72 h']);
  });
});
