import { commandTextReason } from '../text.ts';
import type { BoutiquesDescriptor, BoutiquesInput, BoutiquesOutputFile } from './descriptor.ts';

/**
 * The command line of one job, written exactly as Boutiques' reference implementation writes it
 * (`bosh exec launch|simulate`, boutiques 0.5.33 `LocalExecutor._generateCmdLineFromInDict`), so
 * that a descriptor behaves on the grid as it does under `bosh`. `command-line.bosh.test.ts`
 * compares the two on real descriptors and on generated descriptors and invocations.
 *
 * The result is shell code (Boutiques runs it with `/bin/sh -c`, or the descriptor's `shell`): the
 * descriptor's own text is kept as written; String and File values are quoted as Python's
 * `shlex.quote` does, so any printable value reaches the program as one exact argument. It goes
 * into the launch's wrapper script, never into the JDL.
 *
 * Known, deliberate differences from `bosh`: a value is never re-read for other value-keys (bosh
 * substitutes key after key, so a value holding another input's key would have it replaced), and
 * control characters are refused; `uses-absolute-path` outputs are left relative (the job's
 * directory is only known on the worker node); `conditional-path-template` is evaluated only
 * through its `default` entry.
 */

/** Longest command line of one job (it is carried in the wrapper script, not in the JDL). */
export const MAX_COMMAND_LINE = 65_536;

export class CommandLineError extends Error {
  readonly inputId: string | null;
  constructor(message: string, inputId: string | null = null) {
    super(inputId ? `${inputId}: ${message}` : message);
    this.name = 'CommandLineError';
    this.inputId = inputId;
  }
}

/** Python's `shlex.quote`: bare when only `[A-Za-z0-9_@%+=:,./-]`, else in single quotes. */
export function shellQuote(s: string): string {
  if (s === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replaceAll("'", `'"'"'`)}'`;
}

/**
 * Python's `str()` of a JSON value as `bosh` reads it: integers as digits, other numbers in
 * Python's float notation (`1e-05`, `1.5e+22`), booleans as `True`/`False`.
 */
export function pythonStr(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new CommandLineError('numbers must be finite');
    // JSON gives Python an int for integral values below 1e21 (JavaScript writes those digit by digit).
    if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
    const [mantissa = '', exp = '0'] = v.toExponential().split('e');
    const e = Number(exp);
    if (e >= -4 && e < 16) return String(v);
    return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (typeof v === 'string') return v;
  throw new CommandLineError(`cannot write ${JSON.stringify(v)} on a command line`);
}

type Param = (BoutiquesInput | BoutiquesOutputFile) & { type?: string };

type Substitution = {
  useFlags: boolean;
  unfound: 'remove' | 'keep' | 'clear';
  stripped: readonly string[];
  isOutput: boolean;
  escape: boolean;
};

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);
/** Python's str.replace: literal text (String.replaceAll would read `$&`, `$'`… in the replacement). */
const replaceAll = (s: string, find: string, by: string) => (find === '' ? s : s.split(find).join(by));

/** One run of bosh's `_replaceKeysInTemplate`. */
function replaceKeys(
  params: readonly Param[],
  values: ReadonlyMap<string, unknown>,
  outputs: ReadonlyMap<string, string>,
  template: string,
  o: Substitution,
): string {
  for (const p of params) {
    const escape = (o.escape && (p.type === 'String' || p.type === 'File')) || outputs.has(p.id);
    const key = p['value-key'];
    if (key === undefined) continue;
    const has = outputs.has(p.id) || values.has(p.id);
    if (!has) {
      if (o.unfound === 'remove')
        template = template.includes(` ${key}`) ? replaceAll(template, ` ${key}`, '') : replaceAll(template, key, '');
      else if (o.unfound === 'clear' && template.includes(key)) return '';
      continue;
    }
    let val: unknown = outputs.has(p.id) ? outputs.get(p.id) : values.get(p.id);
    if (Array.isArray(val)) {
      const sep = p.type !== undefined ? ((p as BoutiquesInput)['list-separator'] ?? ' ') : ' ';
      val = val.map((x) => (escape ? shellQuote(pythonStr(x)) : pythonStr(x))).join(sep);
    } else if (escape) val = shellQuote(pythonStr(val));
    const flag = p['command-line-flag'];
    if (o.useFlags && flag !== undefined) {
      const sep = p['command-line-flag-separator'] ?? ' ';
      if (p.type === 'Flag') val = val === false ? '' : flag;
      else val = flag + sep + pythonStr(val);
    }
    if (p.type === 'File' || p.type === 'String') {
      let text = pythonStr(val);
      for (const ext of o.stripped) text = replaceAll(text, ext, '');
      if (p.type === 'File' && template.indexOf(key) > 0 && o.isOutput) text = basename(text);
      val = text;
    }
    const text = pythonStr(val);
    template = text !== '' ? replaceAll(template, key, text) : replaceAll(template, ` ${key}`, text);
  }
  return template;
}

function control(id: string, v: unknown) {
  const texts = Array.isArray(v) ? v : [v];
  for (const t of texts) {
    const reason = typeof t === 'string' ? commandTextReason(t) : null;
    if (reason) throw new CommandLineError(reason, id);
  }
}

/**
 * bosh's invocation: the values given (null and undefined are absent). bosh adds every input's
 * default; here the values come resolved by `descriptorToZod` (which leaves out the defaults of
 * inputs whose requirements are unmet, where bosh refuses the invocation), so only File inputs
 * without a bound file take their default.
 */
function invocation(d: BoutiquesDescriptor, values: Readonly<Record<string, unknown>>): Map<string, unknown> {
  const known = new Set(d.inputs.map((i) => i.id));
  const inDict = new Map<string, unknown>();
  for (const [id, v] of Object.entries(values)) {
    if (!known.has(id) || v === undefined || v === null) continue;
    control(id, v);
    inDict.set(id, v);
  }
  for (const input of d.inputs) {
    const def = input['default-value'];
    if (input.type === 'File' && def !== undefined && def !== null && !inDict.has(input.id)) inDict.set(input.id, def);
  }
  return inDict;
}

/** bosh's `_generateOutputFileNames`, run twice as bosh does (path templates may hold output keys). */
function outputFileNames(d: BoutiquesDescriptor, params: readonly Param[], inDict: ReadonlyMap<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (let pass = 0; pass < 2; pass += 1) {
    for (const o of d['output-files'] ?? []) {
      let name = out.get(o.id);
      if (name === undefined) {
        if (o['path-template'] !== undefined) name = o['path-template'];
        else {
          const fallback = (o['conditional-path-template'] ?? []).find((c) => Object.keys(c)[0] === 'default')?.default;
          if (typeof fallback !== 'string') continue;
          name = fallback;
        }
      }
      const stripped = o['path-template-stripped-extensions'] ?? [];
      name = replaceKeys(params, inDict, out, name, { useFlags: false, unfound: 'keep', stripped, isOutput: true, escape: false });
      out.set(o.id, name);
    }
  }
  return out;
}

function paramsOf(d: BoutiquesDescriptor): Param[] {
  return [...d.inputs, ...(d['output-files'] ?? [])];
}

/**
 * The command line for one invocation (`{inputId: value}`; File inputs: the paths or names
 * bound to them; absent optional inputs left out). Pass values validated by `descriptorToZod`
 * (for one combination of sweeps). Throws CommandLineError for a control character or a
 * command line longer than MAX_COMMAND_LINE.
 */
export function renderCommandLine(d: BoutiquesDescriptor, values: Readonly<Record<string, unknown>>): string {
  const params = paramsOf(d);
  const inDict = invocation(d, values);
  const outputs = outputFileNames(d, params, inDict);
  const command = replaceKeys(params, inDict, outputs, d['command-line'], {
    useFlags: true,
    unfound: 'remove',
    stripped: [],
    isOutput: false,
    escape: true,
  });
  if (command.length > MAX_COMMAND_LINE)
    throw new CommandLineError(`the command line is ${command.length} characters long; at most ${MAX_COMMAND_LINE}`);
  return command;
}

/**
 * The descriptor's `environment-variables` for one invocation, as `bosh exec launch` exports them
 * (`LocalExecutor.execute`): a value that is exactly an input's value-key takes that input's value,
 * any other value is literal text (a value-key inside longer text is not replaced). Where bosh fails
 * instead (the input has no value: a KeyError; a number or a list: `os.environ` takes only text),
 * the variable is left unset, and numbers and lists are written as on the command line (Python's
 * `str`, a list joined by its `list-separator`, unquoted).
 */
export function renderEnvironment(d: BoutiquesDescriptor, values: Readonly<Record<string, unknown>>): { name: string; value: string }[] {
  const inDict = invocation(d, values);
  const byKey = new Map(d.inputs.flatMap((i) => (i['value-key'] === undefined ? [] : [[i['value-key'], i] as const])));
  const env: { name: string; value: string }[] = [];
  for (const { name, value } of d['environment-variables'] ?? []) {
    const input = byKey.get(value);
    if (!input) env.push({ name, value });
    else if (inDict.has(input.id)) {
      const v = inDict.get(input.id);
      env.push({ name, value: Array.isArray(v) ? v.map(pythonStr).join(input['list-separator'] ?? ' ') : pythonStr(v) });
    }
  }
  return env;
}

/** The output files' names for one invocation (`{outputId: path}`), as bosh names them. */
export function outputPaths(d: BoutiquesDescriptor, values: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(outputFileNames(d, paramsOf(d), invocation(d, values)));
}

/**
 * The files an invocation's `file-template` outputs hold (configuration files, runcards), as bosh
 * writes them before running the command: each line's value-keys replaced (String and File values
 * shell-quoted, as bosh does), a line whose key has no value left empty, lines joined by "\n".
 */
export function renderConfigurationFiles(
  d: BoutiquesDescriptor,
  values: Readonly<Record<string, unknown>>,
): { outputId: string; path: string; content: string }[] {
  const params = paramsOf(d);
  const inDict = invocation(d, values);
  const outputs = outputFileNames(d, params, inDict);
  const files: { outputId: string; path: string; content: string }[] = [];
  for (const o of d['output-files'] ?? []) {
    const template = o['file-template'];
    const path = outputs.get(o.id);
    if (!template || path === undefined) continue;
    const stripped = o['path-template-stripped-extensions'] ?? [];
    const lines = template.map((line) =>
      replaceKeys(params, inDict, outputs, line, { useFlags: false, unfound: 'clear', stripped, isOutput: false, escape: true }),
    );
    files.push({ outputId: o.id, path, content: lines.join('\n') });
  }
  return files;
}
