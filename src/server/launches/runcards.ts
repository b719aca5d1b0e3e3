/**
 * Configuration files made from a workflow's values (written by the launch's wrapper script, wrapper-script.ts): every output file of the descriptor with a Boutiques
 * `file-template` (a configuration file such as CORSIKA's runcard), written as `bosh exec` writes it
 * (renderConfigurationFiles in contracts/workflows/command-line.ts, cross-checked with bosh), named by its
 * path template. Nothing here knows a workflow id. Seeds the descriptor marks `escape:derived-seeds` and the
 * user left empty are filled per job, deterministically from the launch's JobGroup and the job index (so every
 * job has its own random sequences, a relaunch gets new ones, and the values are recorded in the job's
 * runcard, in the launch's wrapper script).
 */
import crypto from 'node:crypto';
import { CommandLineError, renderConfigurationFiles } from '../../contracts/workflows/command-line.ts';
import { hintsOf, type BoutiquesDescriptor } from '../../contracts/workflows/descriptor.ts';
import type { ConfigFile } from './wrapper-script.ts';

/** Largest configuration file the portal writes (bytes). */
export const MAX_CONFIG_FILE_BYTES = 64 * 1024;
const SANDBOX_NAME = /^[A-Za-z0-9._-][A-Za-z0-9._-]{0,99}$/;

const absent = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * The configuration files the job's wrapper script writes: a plain file name (in the job's working directory), at most
 * MAX_CONFIG_FILE_BYTES, and, unlike bosh, a final line break (a text file; Fortran programs such as
 * CORSIKA read the last line, EXIT, as a record).
 */
export function configFiles(d: BoutiquesDescriptor, values: Readonly<Record<string, unknown>>): ConfigFile[] {
  return renderConfigurationFiles(d, values).map(({ outputId, path: name, content }) => {
    if (!SANDBOX_NAME.test(name) || name === '.' || name === '..')
      throw new CommandLineError(`the file name "${name}" is not a plain file name (letters, digits, ".", "_", "-")`, outputId);
    const text = `${content}\n`;
    if (Buffer.byteLength(text) > MAX_CONFIG_FILE_BYTES)
      throw new CommandLineError(`the file ${name} would be larger than ${MAX_CONFIG_FILE_BYTES / 1024} KiB`, outputId);
    return { name, content: text };
  });
}

/** A seed in the input's range, the same for the same launch, job and input. */
function derivedSeed(seedBase: string, id: string, min: number, max: number): number {
  const h = crypto.createHash('sha256').update(`${seedBase}\n${id}`).digest();
  return min + (h.readUInt32BE(0) % (max - min + 1));
}

/** The job's values: empty `escape:derived-seeds` inputs filled from `seedBase` (the launch's JobGroup and the job index). */
export function withDerivedSeeds(d: BoutiquesDescriptor, values: Record<string, unknown>, seedBase: string): Record<string, unknown> {
  const ids = hintsOf(d)['escape:derived-seeds'] ?? [];
  if (ids.length === 0) return values;
  const out = { ...values };
  for (const id of ids) {
    const input = d.inputs.find((i) => i.id === id);
    if (!input || !absent(out[id])) continue;
    const min = Math.max(1, Math.ceil(input.minimum ?? 1));
    const max = Math.min(2 ** 31 - 1, Math.floor(input.maximum ?? 2 ** 31 - 1));
    out[id] = derivedSeed(seedBase, id, min, Math.max(min, max));
  }
  return out;
}
