import { describe, expect, it } from 'vitest';
import { LaunchRequestSchema, MAX_FILE_BINDINGS } from '../../contracts/launches.ts';
import type { HttpProblem } from '../errors.ts';
import { buildJobs, inputLfn, type InputItem, type WorkflowForLaunch } from './build.ts';

/** A narrow workflow double: one file input, no parameters. */
const wf: WorkflowForLaunch = {
  id: 'reco',
  version: null,
  sha256: null,
  name: 'Reco',
  container: null,
  resources: {},
  fileInputId: 'files',
  otherFileInputIds: [],
  expand: () => ({ ok: true, combos: [{}] }),
  jobValues: (values) => values,
  commandLine: (values) => `reco ${JSON.stringify(values['files'] ?? [])}`,
  shell: '/bin/sh',
  configFiles: () => [],
  environment: () => [],
  outputFiles: () => ({ required: ['out.h5'], optional: ['out.log'] }),
};
const inputs: InputItem[] = [
  { id: 'a', kind: 'lfn', ref: '/cta/prod/2026/P/DL0/run_1.fits.fz', name: 'run_1.fits.fz', sizeBytes: 1 },
  { id: 'b', kind: 'lfn', ref: '/cta/prod/2026/P/DL0/run_2.fits.fz', name: 'run_2.fits.fz', sizeBytes: 1 },
  { id: 'c', kind: 'rucio', ref: 'cta:LST-1.1.Run02967.0001.dl1.h5', name: 'LST-1.1.Run02967.0001.dl1.h5', sizeBytes: null },
];
const request = (resources: object) =>
  LaunchRequestSchema.parse({
    name: 'reco',
    workflowId: 'reco',
    values: {},
    inputItemIds: ['a', 'b', 'c'],
    inputMode: 'all-in-one',
    idempotencyKey: 'k-0123456789abcdef',
    resources,
  });

describe('JDL placement the DIRAC way (issue #16)', () => {
  it("names the job's LFNs in InputData so DIRAC's optimizers can place it, and pins no site", () => {
    const [job] = buildJobs(request({}), wf, inputs, 'g');
    expect(job!.attributes.InputData).toEqual(['/cta/prod/2026/P/DL0/run_1.fits.fz', '/cta/prod/2026/P/DL0/run_2.fits.fz']);
    expect(job!.attributes.Site).toBeUndefined();
    expect(job!.attributes.BannedSites).toBeUndefined();
  });

  it('sets Site only when the user pins one', () => {
    const [job] = buildJobs(request({ sites: ['HPC.MareNostrum.es'] }), wf, inputs, 'g');
    expect(job!.attributes.Site).toEqual(['HPC.MareNostrum.es']);
    expect(job!.attributes.InputData).toHaveLength(2);
  });
});

describe('results the DIRAC way (issue #12)', () => {
  it("names the descriptor's required outputs in OutputData and keeps optional ones in the OutputSandbox", () => {
    const [job] = buildJobs(request({}), wf, inputs, 'g');
    expect(job!.attributes.OutputData).toEqual(['out.h5']);
    expect(job!.attributes.OutputSandbox).toEqual(['std.out', 'std.err', 'out.log']);
    // InputData files reach the payload by base name (where the JobWrapper puts them); other DIDs as scope:name
    expect(job!.payload?.command).toBe('reco ["run_1.fits.fz","run_2.fits.fz","cta:LST-1.1.Run02967.0001.dl1.h5"]');
    // The JDL holds only validated attributes: the wrapper script and the job's index.
    expect(job!.attributes).toMatchObject({ Executable: './escape-job.sh', Arguments: '0' });
  });

  it("takes a Rucio DID named by an LFN (an earlier production's output) as InputData, not other DIDs", () => {
    expect(inputLfn({ kind: 'rucio', ref: 'user.alice:/escape/user/a/alice/g/7/x.h5' })).toBe('/escape/user/a/alice/g/7/x.h5');
    expect(inputLfn({ kind: 'rucio', ref: 'cta:LST-1.1.Run02967.0001.dl1.h5' })).toBeNull();
    expect(inputLfn({ kind: 'esap', ref: 'zenodo:1' })).toBeNull();
  });
});

describe('File inputs after the first, each bound to one chosen file (issue #15)', () => {
  const twoFiles: WorkflowForLaunch = {
    ...wf,
    otherFileInputIds: ['calib'],
    // As the descriptor's check does: a File input is not a user value (its file is set after the check).
    expand: (values) =>
      'calib' in values ? { ok: false, issues: [{ path: 'values.calib', message: 'an input file' }] } : { ok: true, combos: [values] },
    commandLine: (values) => `reco ${JSON.stringify(values['files'] ?? [])} ${String(values['calib'] ?? '-')}`,
  };
  const calib: InputItem = { id: 'k', kind: 'lfn', ref: '/cta/calib/cal_7.h5', name: 'cal_7.h5', sizeBytes: 1 };
  const bound = (fileBindings: Record<string, string>, inputMode = 'per-file') =>
    LaunchRequestSchema.parse({ ...request({}), inputMode, fileBindings });
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return { status: (err as HttpProblem).status, paths: (err as HttpProblem).issues?.map((i) => i.path) };
    }
    return null;
  };

  it("gives every job the chosen file by base name and adds its LFN to every job's InputData", () => {
    const jobs = buildJobs(bound({ calib: 'k' }), twoFiles, inputs, 'g', { calib });
    expect(jobs).toHaveLength(3);
    for (const job of jobs) {
      expect(job.payload?.command).toMatch(/ cal_7\.h5$/);
      expect(job.attributes.InputData).toContain('/cta/calib/cal_7.h5');
    }
    expect(jobs[0]!.attributes.InputData).toEqual(['/cta/prod/2026/P/DL0/run_1.fits.fz', '/cta/calib/cal_7.h5']);
    // a job reading no LFN of the basket still carries the bound file
    expect(jobs[2]!.attributes.InputData).toEqual(['/cta/calib/cal_7.h5']);
  });

  it('refuses binding the first File input, an input that is not a File input, and an item not resolved from the basket', () => {
    expect(refusal(() => buildJobs(bound({ files: 'k' }), twoFiles, inputs, 'g', { files: calib }))).toEqual({
      status: 400,
      paths: ['fileBindings.files'],
    });
    expect(refusal(() => buildJobs(bound({ threshold: 'k' }), twoFiles, inputs, 'g', { threshold: calib }))).toEqual({
      status: 400,
      paths: ['fileBindings.threshold'],
    });
    expect(refusal(() => buildJobs(bound({ calib: 'other' }), twoFiles, inputs, 'g', { calib }))).toEqual({
      status: 400,
      paths: ['fileBindings.calib'],
    });
    expect(refusal(() => buildJobs(bound({ calib: 'k' }), twoFiles, inputs, 'g', {}))).toEqual({
      status: 400,
      paths: ['fileBindings.calib'],
    });
  });

  it('bounds the bindings and their ids in the contract', () => {
    const many = Object.fromEntries(Array.from({ length: MAX_FILE_BINDINGS + 1 }, (_, i) => [`in_${i}`, 'k']));
    expect(LaunchRequestSchema.safeParse({ ...request({}), fileBindings: many }).success).toBe(false);
    expect(LaunchRequestSchema.safeParse({ ...request({}), fileBindings: { 'a b': 'k' } }).success).toBe(false);
    expect(LaunchRequestSchema.safeParse({ ...request({}), fileBindings: { calib: '' } }).success).toBe(false);
    expect(LaunchRequestSchema.parse({ ...request({}) }).fileBindings).toEqual({});
  });
});
