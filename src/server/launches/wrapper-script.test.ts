/**
 * The wrapper script is run here with bash, as a site runs it (`escape-job.sh INDEX`): the program must receive
 * exactly the values given (argument vectors compared), whatever printable text they hold, and the command line
 * the script runs must be the one Boutiques' reference implementation writes (`bosh exec simulate`).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCommandLine, renderEnvironment } from '../../contracts/workflows/command-line.ts';
import { BoutiquesDescriptorSchema, type BoutiquesDescriptor } from '../../contracts/workflows/descriptor.ts';
import { descriptorToZod } from '../../contracts/workflows/rules.ts';
import { bosh } from '../../contracts/workflows/testing/bosh.ts';
import { corsika, hello } from '../../contracts/workflows/testing/descriptors.ts';
import { printable } from '../../contracts/workflows/testing/values.ts';
import { LaunchRequestSchema } from '../../contracts/launches.ts';
import { HttpProblem } from '../errors.ts';
import { buildJobs } from './build.ts';
import type { JobSpec } from './repo.ts';
import { adaptWorkflow } from './workflow-adapter.ts';
import { MAX_WRAPPER_SCRIPT_BYTES, WRAPPER_SCRIPT, wrapperScript, type JobPayload } from './wrapper-script.ts';
import { workflowSummary } from '../../contracts/workflows/catalogue.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A working directory holding the script and `argv`, a program that prints its arguments NUL-terminated. */
function workDir(script: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escape-wrapper-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, WRAPPER_SCRIPT), script, { mode: 0o755 });
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.writeFileSync(path.join(dir, 'bin', 'argv'), '#!/bin/sh\nfor a in "$@"; do printf \'%s\\0\' "$a"; done\n', { mode: 0o755 });
  return dir;
}

/** Run `bash escape-job.sh index` in `dir`: the NUL-separated words it printed, and its exit status. */
function run(dir: string, index: string, prelude = ''): { words: string[]; status: number | null; stderr: string } {
  const args = prelude ? ['-c', `${prelude}. ./${WRAPPER_SCRIPT}`, WRAPPER_SCRIPT, index] : [WRAPPER_SCRIPT, index];
  const res = spawnSync('bash', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin` },
  });
  const words = res.stdout === '' ? [] : res.stdout.split('\0').slice(0, -1);
  return { words, status: res.status, stderr: res.stderr };
}
/** The command the script hands to `exec` for a job, without running it (a bash function stands in for exec). */
const execOf = (dir: string, index: string) => run(dir, index, 'exec() { printf "%s\\0" "$@"; }; ').words;

const payload = (command: string, files: JobPayload['files'] = []): JobPayload => ({ command, shell: '/bin/sh', container: null, files });

/** A descriptor whose program prints its arguments: `argv [A] [B] --list [L]`. */
const argvTool: BoutiquesDescriptor = BoutiquesDescriptorSchema.parse({
  name: 'argv',
  'tool-version': '1',
  description: 'prints its arguments',
  'schema-version': '0.5',
  'command-line': 'argv [A] [B] [L]',
  inputs: [
    { id: 'A', name: 'A', type: 'String', 'value-key': '[A]' },
    { id: 'B', name: 'B', type: 'String', 'value-key': '[B]' },
    { id: 'L', name: 'L', type: 'String', list: true, 'value-key': '[L]', 'command-line-flag': '--list' },
  ],
});

describe('the wrapper script', () => {
  it('passes any printable text to the program exactly (argument vectors compared, bash runs the script)', () => {
    // Empty text is "no value" (the input is left out, as bosh does), so the samples hold some text.
    const text = printable.filter((t) => t !== '');
    const samples = fc.sample(fc.tuple(text, text, fc.array(text, { minLength: 1, maxLength: 3 })), {
      numRuns: 150,
      seed: 1505,
    });
    const literal: [string, string, string[]] = [`x[0] > 1; y`, `it's "q" \\ $HOME \`id\` *`, ['a b', "'", '"', '\\']];
    const all = [literal, ...samples];
    const values = all.map(([A, B, L]) => descriptorToZod(argvTool).parse({ A, B, L }));
    const dir = workDir(wrapperScript(values.map((v, index) => ({ index, payload: payload(renderCommandLine(argvTool, v)) }))));
    all.forEach(([A, B, L], index) => {
      const { words, status, stderr } = run(dir, String(index));
      expect({ words, status, stderr }, JSON.stringify([A, B, L])).toEqual({ words: [A, B, '--list', ...L], status: 0, stderr: '' });
    });
  });

  it("writes each job's files exactly, and only that job's", () => {
    const content = `RUNNR 7\nUSER 'it'"'"'s' "x[0] > 1; y" \\\n€ $HOME\nEXIT\n`;
    const dir = workDir(
      wrapperScript([
        { index: 0, payload: payload('argv zero', [{ name: 'a.inp', content: 'zero\n' }]) },
        { index: 7, payload: payload('argv seven', [{ name: 'a.inp', content }]) },
      ]),
    );
    expect(run(dir, '7').words).toEqual(['seven']);
    expect(fs.readFileSync(path.join(dir, 'a.inp'), 'utf8')).toBe(content);
  });

  it('refuses an index the launch does not have, and runs the command in the container when there is one', () => {
    const dir = workDir(
      wrapperScript([{ index: 0, payload: { ...payload("echo 'hi there'"), container: 'docker://ghcr.io/x/y:1', shell: '/bin/bash' } }]),
    );
    expect(run(dir, '1; rm -rf /')).toMatchObject({ status: 2, stderr: 'escape-job.sh: this launch has no job "1; rm -rf /"\n' });
    expect(run(dir, '')).toMatchObject({ status: 2 });
    expect(execOf(dir, '0')).toEqual(['apptainer', 'exec', '--cleanenv', 'docker://ghcr.io/x/y:1', '/bin/bash', '-c', "echo 'hi there'"]);
  });

  it('refuses a NUL and a script over its bound with a message', () => {
    expect(() => wrapperScript([{ index: 0, payload: payload('echo a\0b') }])).toThrow(/NUL/);
    const big = 'x'.repeat(1024 * 1024);
    const many = Array.from({ length: MAX_WRAPPER_SCRIPT_BYTES / big.length + 1 }, (_, index) => ({ index, payload: payload(big) }));
    expect(() => wrapperScript(many)).toThrow(HttpProblem);
    expect(() => wrapperScript(many)).toThrow(/at most 16 MiB/);
  });
});

/**
 * A descriptor that prints its environment variables (NUL-terminated): a literal value, a value that is an input's
 * value-key (replaced by the value, as bosh does), one holding a value-key inside longer text (kept as written).
 */
const envTool: BoutiquesDescriptor = BoutiquesDescriptorSchema.parse({
  name: 'env',
  'tool-version': '1',
  description: 'prints its environment variables',
  'schema-version': '0.5',
  'command-line': `printf '%s\\0' "$PLAIN" "$FROM_A" "\${FROM_B-unset}" "$KEPT" [C]`,
  'environment-variables': [
    { name: 'PLAIN', value: `x[0] > 1; y 'q' "$HOME" \\`, description: 'literal text' },
    { name: 'FROM_A', value: '[A]' },
    { name: 'FROM_B', value: '[B]' },
    { name: 'KEPT', value: 'pre [A]' },
  ],
  inputs: [
    { id: 'A', name: 'A', type: 'String', 'value-key': '[A]' },
    { id: 'B', name: 'B', type: 'String', 'value-key': '[B]', optional: true },
    { id: 'C', name: 'C', type: 'String', 'value-key': '[C]' },
  ],
});

describe("the descriptor's environment variables", () => {
  // bosh waits half a second after each run, so a dozen generated cases.
  it('are exported as bosh exec launch exports them (its output compared, for printable values)', () => {
    const text = printable.filter((t) => t !== '');
    const samples = fc.sample(fc.tuple(text, text), { numRuns: 12, seed: 1515 });
    const all: [string, string][] = [[`x[0] > 1; y`, `it's "q" \\ $HOME`], ...samples];
    const invocations = all.map(([A, B]) => ({ A, B, C: 'c' }));
    const results = bosh(invocations.map((invocation) => ({ descriptor: envTool, invocation, launch: true })));
    const jobs = invocations.map((v, index) => ({
      index,
      payload: { ...payload(renderCommandLine(envTool, v)), env: renderEnvironment(envTool, v) },
    }));
    const dir = workDir(wrapperScript(jobs));
    invocations.forEach((v, index) => {
      const r = results[index]!;
      if (!('stdout' in r)) throw new Error(`bosh: ${JSON.stringify(r)}`);
      const ours = spawnSync('bash', [WRAPPER_SCRIPT, String(index)], { cwd: dir, encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
      expect({ stdout: ours.stdout, status: ours.status }, JSON.stringify(v)).toEqual({ stdout: r.stdout, status: r.exitCode });
      expect(ours.stdout.split('\0').slice(0, 4)).toEqual([envTool['environment-variables']![0]!.value, v.A, v.B, 'pre [A]']);
    });
  });

  it('leave a variable unset when its input has no value (bosh fails there), and write numbers and lists as Python does', () => {
    expect(renderEnvironment(envTool, { A: 'a', C: 'c' }).map((e) => e.name)).toEqual(['PLAIN', 'FROM_A', 'KEPT']);
    const dir = workDir(
      wrapperScript([
        {
          index: 0,
          payload: { ...payload(renderCommandLine(envTool, { A: 'a', C: 'c' })), env: renderEnvironment(envTool, { A: 'a', C: 'c' }) },
        },
      ]),
    );
    expect(run(dir, '0').words.slice(0, 4)).toEqual([envTool['environment-variables']![0]!.value, 'a', 'unset', 'pre [A]']);
    const typed = BoutiquesDescriptorSchema.parse({
      ...argvTool,
      'command-line': 'argv [N] [L]',
      'environment-variables': [
        { name: 'N', value: '[N]' },
        { name: 'L', value: '[L]' },
      ],
      inputs: [
        { id: 'N', name: 'N', type: 'Number', 'value-key': '[N]' },
        { id: 'L', name: 'L', type: 'String', list: true, 'list-separator': ',', 'value-key': '[L]' },
      ],
    });
    expect(renderEnvironment(typed, { N: 1e-5, L: ['a b', 'c'] })).toEqual([
      { name: 'N', value: '1e-05' },
      { name: 'L', value: 'a b,c' },
    ]);
  });

  it('reach the command inside a container as APPTAINERENV_ variables (apptainer --cleanenv passes only those)', () => {
    const env = [{ name: 'MY_VAR', value: "it's $x" }];
    const dir = workDir(wrapperScript([{ index: 0, payload: { ...payload('true'), container: '/cvmfs/x/img', env } }]));
    const seen = run(dir, '0', 'exec() { printf "%s\\0" "${MY_VAR-unset}" "$APPTAINERENV_MY_VAR" "$1"; }; ').words;
    expect(seen).toEqual(['unset', "it's $x", 'apptainer']);
  });

  it('are refused with a message for a name the shell cannot export or a NUL', () => {
    expect(() => wrapperScript([{ index: 0, payload: { ...payload('true'), env: [{ name: 'A,B', value: 'x' }] } }])).toThrow(/A,B/);
    expect(() => wrapperScript([{ index: 0, payload: { ...payload('true'), env: [{ name: 'A', value: 'x\0' }] } }])).toThrow(/NUL/);
  });
});

describe('a launch through the wrapper script', () => {
  const launch = (d: BoutiquesDescriptor, id: string, values: Record<string, unknown>, sweeps = {}): JobSpec[] =>
    buildJobs(
      LaunchRequestSchema.parse({ name: id, workflowId: id, values, sweeps, inputMode: 'none', idempotencyKey: 'k-0123456789abcdef' }),
      adaptWorkflow({ id, descriptor: d, summary: workflowSummary(id, d) }),
      [],
      'g-1',
    );

  it('runs the command line bosh writes, for the catalogue descriptors and any printable values', () => {
    const messages = [...new Set([`x[0] > 1; y`, ...fc.sample(printable, { numRuns: 40, seed: 15 })])].filter((m) => m.trim() !== '');
    const cases: { d: BoutiquesDescriptor; job: JobSpec; values: Record<string, unknown> }[] = [];
    const hellos = launch(hello, 'hello-world', {}, { MESSAGE: { kind: 'list', values: messages } });
    hellos.forEach((job, i) => cases.push({ d: hello, job, values: { GREETING: 'Hello', MESSAGE: messages[i] } }));
    const cards = launch(corsika, 'corsika', { SEED1: 11, SEED2: 12, SEED3: 13, SEED4: 14 }, { RUNNR: { kind: 'list', values: [1, 2] } });
    cards.forEach((job, i) =>
      cases.push({ d: corsika, job, values: descriptorToZod(corsika).parse({ RUNNR: i + 1, SEED1: 11, SEED2: 12, SEED3: 13, SEED4: 14 }) }),
    );
    const results = bosh(cases.map(({ d, values }) => ({ descriptor: d, invocation: values })));
    // One script per launch, as the engine makes it.
    const dirs = new Map(
      [hellos, cards].map((jobs) => [jobs, workDir(wrapperScript(jobs.map((j) => ({ index: j.index, payload: j.payload! }))))]),
    );
    const dirOf = (job: JobSpec) => [...dirs].find(([jobs]) => jobs.includes(job))![1];
    cases.forEach(({ job, values }, i) => {
      const r = results[i]!;
      if (!('command' in r)) throw new Error(`bosh: ${JSON.stringify(r)}`);
      expect(job.attributes).toMatchObject({ Executable: './escape-job.sh', Arguments: String(job.index) });
      // The last three words: what runs in the container, when the descriptor names one (CORSIKA).
      expect(execOf(dirOf(job), String(job.index)).slice(-3), JSON.stringify(values)).toEqual(['/bin/sh', '-c', r.command]);
    });
    // The runcard the script writes is the descriptor's file-template, as bosh writes it (plus a final line break).
    const dir = dirOf(cards[1]!);
    execOf(dir, '1');
    const card = cards[1]!.payload!.files[0]!;
    expect(fs.readFileSync(path.join(dir, card.name), 'utf8')).toBe(card.content);
    const boshCard = results[hellos.length + 1]!;
    expect('files' in boshCard && Object.values(boshCard.files).map((c) => `${c}\n`)).toContain(card.content);
  });

  it('the JDL holds the index only, whatever the values', () => {
    const [job] = launch(hello, 'hello-world', { MESSAGE: `x[0] > 1; y "q" 'a' \\` });
    expect(job!.attributes.Arguments).toBe('0');
    expect(job!.payload?.command).toBe(`echo Hello, 'x[0] > 1; y "q" '"'"'a'"'"' \\'!`);
  });
});
