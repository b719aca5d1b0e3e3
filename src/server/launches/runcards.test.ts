/**
 * Configuration files from a descriptor's `file-template` (generic), and CORSIKA's runcard made that way:
 * the run number of runcard, command line and outputs agree; empty seeds differ per job and per launch;
 * the atmosphere is CORSIKA's model number.
 */
import { describe, expect, it } from 'vitest';
import { LaunchRequestSchema } from '../../contracts/launches.ts';
import { workflowSummary } from '../../contracts/workflows/catalogue.ts';
import { BoutiquesDescriptorSchema } from '../../contracts/workflows/descriptor.ts';
import { baseDescriptor, corsika } from '../../contracts/workflows/testing/descriptors.ts';
import { buildJobs } from './build.ts';
import type { JobSpec } from './repo.ts';
import { configFiles, withDerivedSeeds } from './runcards.ts';
import { adaptWorkflow } from './workflow-adapter.ts';

const wf = adaptWorkflow({ id: 'corsika', descriptor: corsika, summary: workflowSummary('corsika', corsika) });
const launch = (values: Record<string, unknown>, sweeps: Record<string, unknown> = {}) =>
  LaunchRequestSchema.parse({ idempotencyKey: 'key-00000001', name: 'runs', workflowId: 'corsika', values, sweeps });
const card = (job: JobSpec) => job.payload!.files[0]!;
const lines = (text: string, keyword: string) => text.split('\n').filter((l) => l.startsWith(keyword));

describe('CORSIKA runcard from the descriptor file-template', () => {
  it('a sweep of RUNNR 1,2,3 writes runcards 1,2,3 whose RUNNR and TELFIL match the command line and outputs', () => {
    const jobs = buildJobs(launch({}, { RUNNR: { kind: 'list', values: [1, 2, 3] } }), wf, [], 'runs-0a0b0c0d');
    expect(jobs.map((j) => card(j).name)).toEqual(['corsika_run1.inp', 'corsika_run2.inp', 'corsika_run3.inp']);
    jobs.forEach((job, i) => {
      const n = i + 1;
      const runcard = card(job).content;
      expect(lines(runcard, 'RUNNR')).toEqual([`RUNNR   ${n}`]);
      expect(lines(runcard, 'TELFIL')).toEqual([`TELFIL  corsika_run${n}.corsika.zst`]);
      expect(job.payload!.command).toContain(`corsika-run --runcard corsika_run${n}.inp --output corsika_run${n}.corsika.zst`);
    });
  });

  it('writes what CORSIKA expects: atmosphere model number, observation level in cm, Cherenkov lines only when on', () => {
    const [on] = buildJobs(launch({ ATMOSPHERE: 26, OBSLEV: 2147, CERENKOV: true, CERSIZ: 7 }), wf, [], 'g-1');
    const text = card(on!).content;
    expect(lines(text, 'ATMOSPHERE')).toEqual(['ATMOSPHERE 26 T']);
    expect(lines(text, 'OBSLEV')).toEqual(['OBSLEV  2147E2']);
    expect(lines(text, 'ERANGE')).toEqual(['ERANGE  10 100000']);
    expect(lines(text, 'CERSIZ')).toEqual(['CERSIZ  7']);
    expect(lines(text, 'CWAVLG')).toEqual(['CWAVLG  250 700']);
    expect(text.endsWith('EXIT\n')).toBe(true);
    const [def] = buildJobs(launch({ CERENKOV: false }), wf, [], 'g-1');
    const off = card(def!).content;
    expect(lines(off, 'ATMOSPHERE')).toEqual(['ATMOSPHERE 36 T']); // La Palma by default
    expect(lines(off, 'CERSIZ')).toEqual([]);
    expect(lines(off, 'CWAVLG')).toEqual([]);
  });

  it('empty seeds: four per job, different between jobs and launches, the same for the same launch and job', () => {
    const sweep = { NSHOW: { kind: 'list', values: [10, 20] } };
    const seeds = (group: string) => buildJobs(launch({}, sweep), wf, [], group).map((j) => lines(card(j).content, 'SEED').join('|'));
    const a = seeds('runs-aaaaaaaa');
    expect(a[0]!.split('|')).toHaveLength(4);
    expect(new Set(a[0]!.split('|').map((l) => l.split(/\s+/)[1])).size).toBe(4);
    expect(a[0]).not.toBe(a[1]);
    expect(seeds('runs-aaaaaaaa')).toEqual(a);
    expect(seeds('runs-bbbbbbbb')[0]).not.toBe(a[0]);
    // seeds given by the user are used as given
    const [mine] = buildJobs(launch({ SEED1: 11, SEED2: 22, SEED3: 33, SEED4: 44 }), wf, [], 'runs-cccccccc');
    expect(lines(card(mine!).content, 'SEED')).toEqual(['SEED    11 0 0', 'SEED    22 0 0', 'SEED    33 0 0', 'SEED    44 0 0']);
    expect(withDerivedSeeds(corsika, { SEED1: 5 }, 'x').SEED1).toBe(5);
  });
});

describe('file-template (any descriptor)', () => {
  const d = BoutiquesDescriptorSchema.parse(
    baseDescriptor({
      'command-line': 'tool [CONF]',
      inputs: [
        { id: 'N', name: 'Count', type: 'Number', 'value-key': '[N]', integer: true, minimum: 1, maximum: 10, 'default-value': 2 },
        { id: 'S', name: 'Label', type: 'String', 'value-key': '[S]', optional: true },
        { id: 'F', name: 'Verbose', type: 'Flag', 'value-key': '[F]', 'command-line-flag': '-v', optional: true },
        { id: 'L', name: 'List', type: 'Number', 'value-key': '[L]', list: true, 'list-separator': ',', optional: true },
      ],
      'output-files': [
        {
          id: 'conf',
          name: 'Config',
          'value-key': '[CONF]',
          'path-template': 'job_[N].cfg',
          'file-template': ['count = [N]', 'label = [S]', 'verbose = [F]', 'list = [L]', 'self = [CONF]', 'end'],
        },
      ],
    }),
  );

  it('substitutes like bosh: strings shell-quoted, lists joined, flags True/False, outputs by path, lines of absent inputs cleared', () => {
    expect(configFiles(d, { N: 3, S: "it's here", F: true, L: [1, 2] })).toEqual([
      { name: 'job_3.cfg', content: `count = 3\nlabel = 'it'"'"'s here'\nverbose = True\nlist = 1,2\nself = job_3.cfg\nend\n` },
    ]);
    expect(configFiles(d, { N: 3 })[0]!.content).toBe('count = 3\n\n\n\nself = job_3.cfg\nend\n');
  });

  it('refuses a file name that is not a plain name (it goes into the sandbox archive)', () => {
    const bad = { ...d, 'output-files': [{ ...d['output-files']![0]!, 'path-template': 'dir/[S].cfg' }] };
    expect(() => configFiles(bad, { N: 1, S: 'x' })).toThrow('is not a plain file name');
  });
});
