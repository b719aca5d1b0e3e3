import { describeChar, JDL_UNSAFE_CHAR, unsafeTextReason } from '../text.ts';
import type { BoutiquesDescriptor, BoutiquesInput } from './descriptor.ts';

/** Longest rendered command line (the JDL renderer refuses longer values). */
export const MAX_COMMAND_LINE = 4096;

// ───────────────────────────── the command line ─────────────────────────────

export class CommandLineError extends Error {
  readonly inputId: string | null;
  constructor(message: string, inputId: string | null = null) {
    super(inputId ? `${inputId}: ${message}` : message);
    this.name = 'CommandLineError';
    this.inputId = inputId;
  }
}

const SHELL_BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word for a POSIX shell: bare when harmless, else in single quotes (which values never contain). */
function shellWord(id: string, text: string): string {
  const reason = unsafeTextReason(text);
  if (reason) throw new CommandLineError(reason, id);
  return SHELL_BARE.test(text) ? text : `'${text}'`;
}

function valueText(input: BoutiquesInput, v: unknown): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new CommandLineError('numbers must be finite', input.id);
    return String(v);
  }
  if (typeof v === 'string' && input.type !== 'Number') return v;
  throw new CommandLineError(`expected ${input.type === 'Number' ? 'a number' : 'text'}`, input.id);
}

/**
 * The command from the descriptor's `command-line`, each input's value-key replaced the way
 * Boutiques does it (`bosh exec`): `flag + separator + value` (a Flag input: its flag when on),
 * list items joined by the list separator, text quoted for a POSIX shell, absent inputs removed,
 * output-file keys replaced by their path template. Pass values validated by `descriptorToZod`
 * (for one combination of sweeps) plus, for a File input, the names bound to it.
 * Never returns `"`, `\`, `;`, `[`, `]` or control characters; throws CommandLineError instead.
 */
export function renderCommandLine(d: BoutiquesDescriptor, values: Readonly<Record<string, unknown>>): string {
  const raw = new Map<string, string | null>(); // value-key -> text without flag (for path templates)
  const replacements = new Map<string, string>();
  for (const input of d.inputs) {
    const key = input['value-key'];
    if (!key) continue;
    const v = values[input.id];
    const flag = input['command-line-flag'];
    const sep = input['command-line-flag-separator'] ?? ' ';
    if (input.type === 'Flag') {
      replacements.set(key, v === true && flag ? flag : '');
      raw.set(key, null);
      continue;
    }
    const items = v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v];
    if (items.length === 0) {
      replacements.set(key, '');
      raw.set(key, null);
      continue;
    }
    const texts = items.map((item) => valueText(input, item));
    const listSep = input['list-separator'] ?? ' ';
    const quoted = texts.map((t) => (input.type === 'Number' ? t : shellWord(input.id, t))).join(listSep);
    replacements.set(key, flag ? `${flag}${sep}${quoted}` : quoted);
    raw.set(key, texts.map((t) => (input.type === 'File' ? (t.split('/').pop() ?? t) : t)).join('_'));
  }
  for (const o of d['output-files'] ?? []) {
    const key = o['value-key'];
    if (!key) continue;
    let path = o['path-template'];
    const stripped = o['path-template-stripped-extensions'] ?? [];
    const inPath = new Map<string, string>();
    for (const [k, text] of raw) {
      let t = text ?? '';
      for (const ext of stripped) if (t.endsWith(ext)) t = t.slice(0, -ext.length);
      inPath.set(k, t);
    }
    path = substituteKeys(path, inPath);
    const word = shellWord(o.id, path);
    const flag = o['command-line-flag'];
    replacements.set(key, flag ? `${flag}${o['command-line-flag-separator'] ?? ' '}${word}` : word);
  }
  // Absent values take the space before their key with them (as bosh does).
  let template = d['command-line'];
  for (const [key, text] of replacements) if (text === '') template = template.split(` ${key}`).join(key);
  const command = substituteKeys(template, replacements).replace(/^\s+|\s+$/g, '');
  const bad = JDL_UNSAFE_CHAR.exec(command);
  if (bad) throw new CommandLineError(`the command line would contain ${describeChar(bad[0])}`);
  if (command.length > MAX_COMMAND_LINE)
    throw new CommandLineError(`the command line is ${command.length} characters long; at most ${MAX_COMMAND_LINE}`);
  return command;
}

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replace every value-key in `template` in one pass (longest keys first), so substituted text is never re-read. */
export function substituteKeys(template: string, replacements: ReadonlyMap<string, string>): string {
  if (replacements.size === 0) return template;
  const keys = [...replacements.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return template.replace(new RegExp(keys.join('|'), 'g'), (k) => replacements.get(k) ?? '');
}
