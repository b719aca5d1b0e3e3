/**
 * Expand a launch request into jobs: one per combination of swept values ×
 * (one per input file | one for all files | one without inputs). Every job
 * gets the same JobGroup (the production), a JobName unique within it, and
 * JDL attributes rendered later by renderJdl (after its sandbox is uploaded).
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { LaunchRequestSchema } from '../../contracts/launches.ts';
import type { QueueRequirement } from '../../contracts/resources.ts';
import type { z } from 'zod';
import { problems } from '../errors.ts';
import type { JdlAttributes } from '../jdl/render.ts';
import type { JobSpec } from './repo.ts';
import { requirementsToJdl } from './requirements.ts';
import { type ConfigFile, type EnvVar, jobBranchBytes, MAX_WRAPPER_SCRIPT_BYTES, WRAPPER_EXECUTABLE } from './wrapper-script.ts';

type LaunchRequest = z.output<typeof LaunchRequestSchema>;

/** What the engine needs to know about a workflow (adapted from its Boutiques descriptor). */
export interface WorkflowForLaunch {
  id: string;
  /** The catalogue version and descriptor sha-256 (null for a descriptor outside the catalogue, in tests). */
  version: number | null;
  sha256: string | null;
  name: string;
  /** The apptainer image reference the command line runs in on the worker node (`docker://…`, a .sif, a CVMFS directory), or null. */
  container: string | null;
  /** The descriptor's shell for the command line (bosh's default /bin/sh). */
  shell: string;
  /** The descriptor's suggested resources, as a requirement the user's choice may raise. */
  resources: QueueRequirement;
  /** Id of the File input bound to basket items, or null when the workflow reads no files. */
  fileInputId: string | null;
  /** The other File inputs: each gets its default, or one chosen file (the request's `fileBindings`). */
  otherFileInputIds: string[];
  /** Validate values + sweeps with the descriptor's schema; returns the concrete value sets. */
  expand(
    values: Record<string, unknown>,
    sweeps: LaunchRequest['sweeps'],
  ): { ok: true; combos: Record<string, unknown>[] } | { ok: false; issues: { path: string; message: string }[] };
  /** One job's values: seeds left empty filled deterministically from `seedBase` (runcards.ts). */
  jobValues(values: Record<string, unknown>, seedBase: string): Record<string, unknown>;
  commandLine(values: Record<string, unknown>): string;
  /** Files the job's wrapper writes before the command: the descriptor's file-templates (e.g. a CORSIKA runcard) made from the values. */
  configFiles(values: Record<string, unknown>): ConfigFile[];
  /** The descriptor's environment variables with this job's values (the wrapper exports them before the command). */
  environment(values: Record<string, unknown>): EnvVar[];
  /**
   * The base names of the descriptor's output files for these values (bosh's path templates): `required` ones
   * become the JDL's OutputData (uploaded and registered by the site, as DIRAC does), `optional` ones go to the
   * OutputSandbox (a missing one is no error there).
   */
  outputFiles(values: Record<string, unknown>): { required: string[]; optional: string[] };
}

export interface InputItem {
  id: string;
  kind: 'lfn' | 'rucio' | 'esap';
  ref: string;
  name: string;
  sizeBytes: number | null;
}

export const MAX_JOBS_PER_LAUNCH = 10_000;

/**
 * The LFN a job's InputData carries for an input item: a catalogue LFN, or a Rucio DID whose name is an LFN
 * (the portal's and DIRAC's naming: e.g. outputs of an earlier production, `user.alice:/escape/user/a/alice/…`).
 * Other DIDs are not DIRAC LFNs: the program gets their `scope:name` and no InputData.
 */
export function inputLfn(item: Pick<InputItem, 'kind' | 'ref'>): string | null {
  if (item.kind === 'lfn') return item.ref;
  if (item.kind !== 'rucio') return null;
  const name = item.ref.slice(item.ref.indexOf(':') + 1);
  return name.startsWith('/') ? name : null;
}

export function jobGroupFor(name: string): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 20) || 'launch';
  return `${slug}-${crypto.randomBytes(4).toString('hex')}`.slice(0, 32);
}

function mergeRequirements(base: QueueRequirement, chosen: QueueRequirement): QueueRequirement {
  const max = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));
  return {
    ...base,
    ...chosen,
    cores: max(base.cores, chosen.cores),
    gpus: max(base.gpus, chosen.gpus),
    ramMB: max(base.ramMB, chosen.ramMB),
    wallTimeMinutes: max(base.wallTimeMinutes, chosen.wallTimeMinutes),
    tags: [...new Set([...(base.tags ?? []), ...(chosen.tags ?? [])])],
  };
}

/**
 * What the payload is given for an input file. A file that travels in InputData (an LFN) is put in the working
 * directory under its base name by DIRAC's JobWrapper (and the local sites), so the command line names that
 * base name: with the LFN itself, output path templates derived from it (bosh keeps the directory) would point
 * outside the working directory.
 */
function fileArgument(f: InputItem): string {
  const lfn = inputLfn(f);
  return lfn ? path.posix.basename(lfn) : f.ref;
}

/**
 * Each bound File input's value, its chosen file (the same in every job; set after the values are checked, as
 * File inputs are not user values), and the LFNs those files add to every job's InputData. `bound` holds the resolved basket items (boundFiles in inputs.ts).
 */
export function checkFileBindings(
  req: Pick<LaunchRequest, 'fileBindings'>,
  wf: WorkflowForLaunch,
  bound: Record<string, InputItem>,
  field = '',
) {
  const values: Record<string, string> = {};
  const lfns: string[] = [];
  for (const [inputId, itemId] of Object.entries(req.fileBindings)) {
    const path = `${field}fileBindings.${inputId}`;
    if (inputId === wf.fileInputId)
      throw problems.validation(`"${inputId}" is bound to the basket items by the input mode`, [
        { path, message: 'the first File input reads the basket items' },
      ]);
    if (!wf.otherFileInputIds.includes(inputId))
      throw problems.validation(`${wf.name} has no File input "${inputId}"`, [{ path, message: 'not a File input of this workflow' }]);
    const item = bound[inputId];
    if (!item || item.id !== itemId)
      throw problems.validation(`The file chosen for "${inputId}" is not in your basket`, [{ path, message: 'not in your basket' }]);
    values[inputId] = fileArgument(item);
    const lfn = inputLfn(item);
    if (lfn) lfns.push(lfn);
  }
  return { values, lfns };
}

export function buildJobs(
  req: LaunchRequest,
  wf: WorkflowForLaunch,
  inputs: InputItem[],
  jobGroup: string,
  bound: Record<string, InputItem> = {},
): JobSpec[] {
  const binding = checkFileBindings(req, wf, bound);
  const expanded = wf.expand(req.values, req.sweeps);
  if (!expanded.ok)
    throw problems.validation(
      expanded.issues[0] ? `${expanded.issues[0].path}: ${expanded.issues[0].message}` : 'invalid parameters',
      expanded.issues,
    );
  if (wf.fileInputId && req.inputMode !== 'none' && inputs.length === 0)
    throw problems.validation('Choose at least one basket item for the input files', [
      { path: 'inputItemIds', message: 'no input files chosen' },
    ]);
  if (!wf.fileInputId && req.inputMode !== 'none')
    throw problems.validation(`${wf.name} reads no input files`, [{ path: 'inputMode', message: 'this workflow takes no input files' }]);
  const fileSets: InputItem[][] =
    !wf.fileInputId || req.inputMode === 'none' ? [[]] : req.inputMode === 'per-file' ? inputs.map((i) => [i]) : [inputs];
  const total = expanded.combos.length * fileSets.length;
  if (total > MAX_JOBS_PER_LAUNCH)
    throw problems.validation(`This launch would create ${total} jobs; at most ${MAX_JOBS_PER_LAUNCH} per launch`);
  const requirements = requirementsToJdl(mergeRequirements(wf.resources, req.resources));
  const jobs: JobSpec[] = [];
  let scriptBytes = 0;
  for (const combo of expanded.combos) {
    for (const files of fileSets) {
      const index = jobs.length;
      const values = wf.jobValues(
        wf.fileInputId && files.length > 0
          ? { ...combo, ...binding.values, [wf.fileInputId]: files.map(fileArgument) }
          : { ...combo, ...binding.values },
        `${jobGroup}#${index}`,
      );
      const lfns = [...new Set([...files.map(inputLfn).filter((l): l is string => l !== null), ...binding.lfns])];
      const outputs = wf.outputFiles(values);
      const jobName = `${wf.id}-${index}`;
      const payload = {
        command: wf.commandLine(values),
        shell: wf.shell,
        container: wf.container,
        files: wf.configFiles(values),
        env: wf.environment(values),
      };
      scriptBytes += jobBranchBytes(index, payload);
      if (scriptBytes > MAX_WRAPPER_SCRIPT_BYTES)
        throw problems.validation(
          `This launch's jobs would need a wrapper script above ${MAX_WRAPPER_SCRIPT_BYTES / 1024 / 1024} MiB (long command lines or configuration files): launch fewer jobs at once`,
        );
      // The JDL holds only validated attributes: the command line and its files travel in the launch's wrapper script.
      const attributes: JdlAttributes = {
        JobName: jobName,
        JobGroup: jobGroup,
        Executable: WRAPPER_EXECUTABLE,
        Arguments: String(index),
        ...requirements,
        InputData: lfns.length > 0 ? lfns : undefined,
        OutputData: outputs.required.length > 0 ? outputs.required : undefined,
        StdOutput: 'std.out',
        StdError: 'std.err',
        OutputSandbox: ['std.out', 'std.err', ...outputs.optional],
      };
      jobs.push({
        index,
        jobName,
        attributes,
        sandboxFiles: [],
        payload,
        ...(files.length > 0 ? { inputItemIds: files.map((f) => f.id) } : {}),
      });
    }
  }
  return jobs;
}
