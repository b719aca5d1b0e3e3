/**
 * The launch's wrapper script: the one file of a launch's input sandbox (one upload per launch, not per job).
 * Every job's JDL says `Executable = "./escape-job.sh"; Arguments = "<job index>"`, as DIRAC users ship a
 * script; the script writes that job's configuration files (Boutiques `file-template`s, e.g. a CORSIKA
 * runcard), exports the descriptor's `environment-variables` and runs its Boutiques command line with the descriptor's shell (`sh -c`, as `bosh exec launch`
 * does), in the container when the descriptor names one. So parameter values are bound by shell quoting
 * (`shellQuote`, Python's `shlex.quote`), not by JDL syntax: any text without control characters passes
 * exactly (`wrapper-script.test.ts` runs generated scripts with bash and compares the argument vectors).
 */
import { shellQuote } from '../../contracts/workflows/command-line.ts';
import { problems } from '../errors.ts';

/** The script's name in the sandbox; the JDL names it with `./` (a file of the working directory, not a program on PATH). */
export const WRAPPER_SCRIPT = 'escape-job.sh';
export const WRAPPER_EXECUTABLE = `./${WRAPPER_SCRIPT}`;
/** Largest script (all jobs of a launch): every job downloads it, so it stays well below DiracX's 100 MiB sandbox. */
export const MAX_WRAPPER_SCRIPT_BYTES = 16 * 1024 * 1024;

/** A text file the script writes into the job's working directory (a Boutiques `file-template`). */
export interface ConfigFile {
  name: string;
  content: string;
}

/** What one job runs, kept in its stored spec until the launch's sandbox is made. */
export interface JobPayload {
  /** The Boutiques command line (shell code, exactly as `bosh exec simulate` prints it). */
  command: string;
  /** The descriptor's `shell` (bosh's default: /bin/sh). */
  shell: string;
  /** An apptainer image reference (`docker://…`, a .sif or a CVMFS directory), or null to run on the node. */
  container: string | null;
  /** Files written into the working directory before the command runs (plain names; checked by configFiles). */
  files: ConfigFile[];
  /**
   * The descriptor's `environment-variables` with their values for this job (renderEnvironment; names checked by
   * the descriptor schema). Absent in launches stored before the portal exported them.
   */
  env?: EnvVar[];
}

export interface EnvVar {
  name: string;
  value: string;
}

const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The export of one variable. In a container, apptainer's `--cleanenv` passes on only `APPTAINERENV_<name>` (as bosh
 * sets `SINGULARITYENV_<name>` for singularity), so the variable reaches the command line inside it and not the host.
 */
const exportLine = (e: EnvVar, container: boolean) => `  export ${container ? 'APPTAINERENV_' : ''}${e.name}=${shellQuote(e.value)}`;

/** The shell lines of one job's `case` branch. */
function jobBranch(index: number, p: JobPayload): string {
  const lines = p.files.map((f) => `  printf '%s' ${shellQuote(f.content)} > ${shellQuote(f.name)} || exit 1`);
  for (const e of p.env ?? []) lines.push(exportLine(e, p.container !== null));
  const run = [...(p.container ? ['apptainer', 'exec', '--cleanenv', p.container] : []), p.shell, '-c', p.command];
  lines.push(`  set -- ${run.map(shellQuote).join(' ')}`);
  return `${index})\n${lines.join('\n')}\n  ;;`;
}

/** Bytes one job adds to the script (for the launch's bound, before anything is stored). */
export const jobBranchBytes = (index: number, p: JobPayload) => Buffer.byteLength(jobBranch(index, p)) + 1;

/**
 * The script for these jobs (by index). Refuses a NUL (a shell string cannot hold one; the command line and
 * file contents are already held to printable text) and a script above MAX_WRAPPER_SCRIPT_BYTES.
 */
export function wrapperScript(jobs: readonly { index: number; payload: JobPayload }[]): string {
  const branches = jobs.map((j) => {
    const texts = [
      j.payload.command,
      j.payload.shell,
      j.payload.container ?? '',
      ...j.payload.files.map((f) => f.content),
      ...(j.payload.env ?? []).map((e) => e.value),
    ];
    // Names are written unquoted after `export`: only shell names (the descriptor check refuses others first).
    const badName = (j.payload.env ?? []).find((e) => !SHELL_NAME.test(e.name));
    if (badName) throw problems.validation(`job ${j.index}: "${badName.name}" cannot be an environment variable's name`);
    if (texts.some((t) => t.includes('\0'))) throw problems.validation(`job ${j.index}: a NUL character cannot be passed to a job`);
    return jobBranch(j.index, j.payload);
  });
  const script = [
    '#!/bin/sh',
    "# ESCAPE Batch Portal: the jobs of one launch. Run as `escape-job.sh INDEX` (the JDL's Arguments): writes",
    "# that job's files, then runs its Boutiques command line with the descriptor's shell, as `bosh exec launch` does.",
    'case "$1" in',
    ...branches,
    '*)',
    '  echo "escape-job.sh: this launch has no job \\"$1\\"" >&2',
    '  exit 2',
    '  ;;',
    'esac',
    'exec "$@"',
    '',
  ].join('\n');
  if (Buffer.byteLength(script) > MAX_WRAPPER_SCRIPT_BYTES)
    throw problems.validation(
      `This launch's jobs need a wrapper script of ${Math.ceil(Buffer.byteLength(script) / 1024 / 1024)} MiB; at most ${MAX_WRAPPER_SCRIPT_BYTES / 1024 / 1024} MiB: launch fewer jobs at once`,
    );
  return script;
}
