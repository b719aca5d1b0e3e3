/**
 * Input-sandbox files made from a workflow's values: every output file of the descriptor with a Boutiques
 * `file-template` (a configuration file such as CORSIKA's runcard) is written the way `bosh exec` writes it
 * (boutiques localExec `_writeConfigurationFiles`): line by line, each value-key replaced by its value
 * (String and File values shell-quoted, lists joined by their separator, a Flag as True/False, an output
 * key by its path), and a line naming an input without a value left empty. Its name is its `path-template`.
 * Nothing here knows a workflow id. Seeds the descriptor marks `escape:derived-seeds` and the user left empty
 * are filled per job, deterministically from the launch's JobGroup and the job index (so every job has its
 * own random sequences, a relaunch gets new ones, and the values are recorded in the job's runcard and JDL).
 */
import crypto from 'node:crypto';
import { CommandLineError, substituteKeys } from '../../contracts/workflows/command-line.ts';
import type { BoutiquesDescriptor, BoutiquesOutputFile } from '../../contracts/workflows/descriptor.ts';
import type { SandboxFile } from '../sandbox/tar.ts';

/** Largest configuration file the portal writes (bytes). */
export const MAX_CONFIG_FILE_BYTES = 64 * 1024;
const SANDBOX_NAME = /^[A-Za-z0-9._-][A-Za-z0-9._-]{0,99}$/;

const absent = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Python's shlex.quote, as bosh quotes String and File values. */
function shlexQuote(s: string): string {
  if (s === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

/** An output's path: its path-template with the inputs' raw values (File names without directory, stripped extensions). */
export function outputPath(d: BoutiquesDescriptor, o: BoutiquesOutputFile, values: Readonly<Record<string, unknown>>): string {
  const keys = new Map<string, string>();
  for (const input of d.inputs) {
    const key = input['value-key'];
    if (!key) continue;
    const v = values[input.id];
    let text = absent(v)
      ? ''
      : (Array.isArray(v) ? v : [v]).map((x) => (input.type === 'File' ? (String(x).split('/').pop() ?? '') : String(x))).join('_');
    for (const ext of o['path-template-stripped-extensions'] ?? []) if (text.endsWith(ext)) text = text.slice(0, -ext.length);
    keys.set(key, text);
  }
  return substituteKeys(o['path-template'], keys);
}

/** The value-key's text in a file template, or null when the input has no value (bosh clears that line). */
function templateValue(d: BoutiquesDescriptor, id: string, v: unknown): string | null {
  const input = d.inputs.find((i) => i.id === id);
  if (!input || absent(v)) return null;
  const quote = input.type === 'String' || input.type === 'File';
  if (input.type === 'Flag') return v === true ? 'True' : 'False';
  const items = Array.isArray(v) ? v : [v];
  return items.map((x) => (quote ? shlexQuote(String(x)) : String(x))).join(input['list-separator'] ?? ' ');
}

export function configFiles(d: BoutiquesDescriptor, values: Readonly<Record<string, unknown>>): SandboxFile[] {
  const outputs = d['output-files'] ?? [];
  const outputKeys = new Map(outputs.filter((o) => o['value-key']).map((o) => [o['value-key']!, shlexQuote(outputPath(d, o, values))]));
  const files: SandboxFile[] = [];
  for (const o of outputs) {
    const template = o['file-template'];
    if (!template) continue;
    const name = outputPath(d, o, values);
    if (!SANDBOX_NAME.test(name) || name === '.' || name === '..')
      throw new CommandLineError(`the file name "${name}" is not a plain file name (letters, digits, ".", "_", "-")`, o.id);
    const lines = template.map((line) => {
      const keys = new Map(outputKeys);
      for (const input of d.inputs) {
        const key = input['value-key'];
        if (!key || !line.includes(key)) continue;
        const text = templateValue(d, input.id, values[input.id]);
        if (text === null) return '';
        keys.set(key, text);
      }
      return substituteKeys(line, keys);
    });
    const content = `${lines.join('\n')}\n`;
    if (Buffer.byteLength(content) > MAX_CONFIG_FILE_BYTES)
      throw new CommandLineError(`the file ${name} would be larger than ${MAX_CONFIG_FILE_BYTES / 1024} KiB`, o.id);
    files.push({ name, content });
  }
  return files;
}

/** A seed in the input's range, the same for the same launch, job and input. */
function derivedSeed(seedBase: string, id: string, min: number, max: number): number {
  const h = crypto.createHash('sha256').update(`${seedBase}\n${id}`).digest();
  return min + (h.readUInt32BE(0) % (max - min + 1));
}

/** The job's values: empty `escape:derived-seeds` inputs filled from `seedBase` (the launch's JobGroup and the job index). */
export function withDerivedSeeds(d: BoutiquesDescriptor, values: Record<string, unknown>, seedBase: string): Record<string, unknown> {
  const ids = d.custom?.['escape:derived-seeds'] ?? [];
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
