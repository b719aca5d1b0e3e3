/**
 * Parser for DIRAC Configuration Service (CS) `.cfg` text.
 *
 * It follows `diraccfg.CFG.loadFromBuffer` (diraccfg 1.0.1) line by line, so a
 * catalogue copied out of a DIRAC CS means the same thing here as in DIRAC:
 *
 *   - The text is split on `\n` and every line is trimmed; blank lines are skipped.
 *   - A line whose first character is `#` is a comment. Comments are collected
 *     (with every `#` removed, as diraccfg does) and attached to the next
 *     section or option. There are NO inline comments: in `MaxRAM = 2048 # MB`
 *     the value is `2048 # MB`.
 *   - `Name {` opens a section and `}` closes one. The name may sit on the line
 *     before a lone `{` (the layout DIRAC itself writes), and several braces may
 *     share a line (`Queues {}`).
 *   - `key = value` sets an option. Everything after the first `=` is the value,
 *     verbatim (trimmed): no quoting, no escapes and no line continuation, so
 *     quotes stay part of the value. Setting an option again replaces its value
 *     (last one wins, like diraccfg); the parser reports it as a warning.
 *   - `key += value` appends `, value` to an option already set in the same
 *     section (diraccfg raises an error when it does not exist).
 *   - Lists are comma separated; items are trimmed and empty items dropped
 *     (DIRAC's `List.fromChar`).
 *   - A section may not be defined twice in the same parent (diraccfg raises
 *     "key already exists"; DIRAC does not merge repeated sections).
 *
 * Where diraccfg silently does something surprising this parser refuses with a
 * `line N: ...` error instead, so every text accepted here parses to the same
 * tree in diraccfg. Those cases are: text that is neither an option nor a
 * section header (diraccfg glues it onto the next section name or drops it),
 * an option on the same line as `{`/`}` before its `=` (diraccfg makes the brace
 * part of the option name and leaves the section unclosed), an option that
 * replaces a section of the same name, and `/` in names (diraccfg treats it as
 * a path). A UTF-8 byte order mark at the start of the text is ignored.
 */

export interface CfgSection {
  /** Option values in file order, verbatim (lists are not split). */
  options: Record<string, string>;
  /** Subsections in file order. */
  sections: Record<string, CfgSection>;
  /** 1-based line of the section's `{` (0 for the root). */
  line: number;
  /** 1-based line that last set (`=`) or extended (`+=`) each option. */
  optionLines: Record<string, number>;
  /** Comment lines preceding each entry (`#` removed, one `\n` per line), as diraccfg keeps them. */
  comments: Record<string, string>;
}

export interface CfgWarning {
  line: number;
  message: string;
}

export interface ParseCfgOptions {
  /** Called for constructs DIRAC accepts but that are probably mistakes (e.g. an option set twice). */
  onWarning?: (warning: CfgWarning) => void;
}

export class CfgSyntaxError extends Error {
  readonly line: number;
  readonly detail: string;
  constructor(line: number, detail: string) {
    super(`line ${line}: ${detail}`);
    this.name = 'CfgSyntaxError';
    this.line = line;
    this.detail = detail;
  }
}

function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function newSection(line: number): CfgSection {
  return { options: dict(), sections: dict(), line, optionLines: dict(), comments: dict() };
}

const has = (record: Record<string, unknown>, key: string): boolean => Object.hasOwn(record, key);

function show(text: string): string {
  const flat = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return JSON.stringify(flat);
}

interface OpenSection {
  name: string;
  section: CfgSection;
}

/** Parse DIRAC CS cfg text. Throws CfgSyntaxError (`line N: ...`) on malformed input. */
export function parseCfg(text: string, options: ParseCfgOptions = {}): CfgSection {
  const warn = options.onWarning ?? (() => {});
  const root = newSection(0);
  const stack: OpenSection[] = [];
  let current = root;
  let comment = '';
  // Text left at the end of a line: only valid as the name of a section whose `{` follows.
  let pending: { text: string; line: number } | null = null;
  // Last line where `}` ended up inside an option value (a likely cause of an unclosed section).
  let braceInValueLine = 0;

  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = body.split('\n');

  const checkName = (name: string, what: string, lineNo: number): void => {
    if (name.includes('/')) {
      throw new CfgSyntaxError(lineNo, `${what} name ${show(name)} contains '/', which DIRAC reads as a path`);
    }
  };
  /** Text that is neither an option nor a section header; `lineNo` null: the file ends after it. */
  const danglingError = (p: { text: string; line: number }, lineNo: number | null, next: string): CfgSyntaxError => {
    const where = lineNo === null ? ' (then the file ends)' : p.line === lineNo ? '' : ` (followed on line ${lineNo} by ${next})`;
    const hint = p.text.includes('#') ? '. Comments must start the line with "#": DIRAC has no inline comments' : '';
    return new CfgSyntaxError(
      p.line,
      `unexpected text ${show(p.text)}: expected an option ("key = value"), a section header ("Name {") or "}"${where}${hint}`,
    );
  };

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = (lines[i] ?? '').trim();
    if (line.length === 0) continue;
    if (line.startsWith('#')) {
      comment += `${line.replaceAll('#', '')}\n`;
      continue;
    }
    let buffer = '';
    let bracesOnLine = false;
    for (let idx = 0; idx < line.length; idx++) {
      const ch = line[idx];
      if (ch === '{') {
        if (pending && buffer.trim() !== '') throw danglingError(pending, lineNo, show(`${buffer.trim()} {`));
        const name = (pending ? pending.text : buffer).trim();
        pending = null;
        buffer = '';
        bracesOnLine = true;
        if (name === '') throw new CfgSyntaxError(lineNo, "'{' without a section name");
        checkName(name, 'section', lineNo);
        const existing = current.sections[name];
        if (existing) {
          throw new CfgSyntaxError(
            lineNo,
            `section ${show(name)} is already defined at line ${existing.line}; DIRAC does not merge repeated sections`,
          );
        }
        if (has(current.options, name)) {
          throw new CfgSyntaxError(
            lineNo,
            `section ${show(name)} has the same name as the option set at line ${current.optionLines[name]}`,
          );
        }
        const section = newSection(lineNo);
        current.sections[name] = section;
        current.comments[name] = comment;
        comment = '';
        stack.push({ name, section });
        current = section;
      } else if (ch === '}') {
        if (pending) throw danglingError(pending, lineNo, "'}'");
        if (buffer.trim() !== '') throw danglingError({ text: buffer.trim(), line: lineNo }, lineNo, "'}'");
        buffer = '';
        bracesOnLine = true;
        if (stack.length === 0) throw new CfgSyntaxError(lineNo, "'}' closes more sections than were opened");
        stack.pop();
        current = stack.at(-1)?.section ?? root;
      } else if (ch === '=' || (ch === '+' && line[idx + 1] === '=')) {
        const append = ch === '+';
        const op = append ? '+=' : '=';
        if (pending) throw danglingError(pending, lineNo, `an option ("${op}")`);
        if (bracesOnLine) {
          throw new CfgSyntaxError(lineNo, `an option must be on its own line: DIRAC does not read "${op}" on the same line as '{' or '}'`);
        }
        const key = line.slice(0, idx).trim();
        const value = line.slice(idx + op.length).trim();
        if (key === '') throw new CfgSyntaxError(lineNo, `"${op}" without an option name`);
        checkName(key, 'option', lineNo);
        const section = current.sections[key];
        if (section) {
          throw new CfgSyntaxError(lineNo, `option ${show(key)} has the same name as the section opened at line ${section.line}`);
        }
        if (value.endsWith('}')) braceInValueLine = lineNo;
        if (append) {
          const previous = current.options[key];
          if (previous === undefined) {
            throw new CfgSyntaxError(lineNo, `"+=" on option ${show(key)}, which is not set earlier in this section`);
          }
          current.options[key] = `${previous}, ${value}`;
          current.optionLines[key] = lineNo;
          // diraccfg drops the comment that precedes a "+=" line.
        } else {
          if (has(current.options, key)) {
            // Like diraccfg: the option keeps its first position, the last value wins.
            warn({
              line: lineNo,
              message: `option ${show(key)} is set again (first at line ${current.optionLines[key]}); the last value wins`,
            });
          }
          current.options[key] = value;
          current.optionLines[key] = lineNo;
          current.comments[key] = comment;
        }
        comment = '';
        buffer = '';
        break;
      } else {
        buffer += ch;
      }
    }
    if (buffer.trim() !== '') {
      if (pending) throw danglingError(pending, lineNo, show(buffer.trim()));
      pending = { text: buffer.trim(), line: lineNo };
    }
  }

  if (pending) throw danglingError(pending, null, '');
  const open = stack.at(-1);
  if (open) {
    const hint =
      braceInValueLine > 0
        ? ` (line ${braceInValueLine} ends an option value with '}': DIRAC reads that brace as part of the value; put '}' on its own line)`
        : '';
    throw new CfgSyntaxError(lines.length, `section ${show(open.name)} opened at line ${open.section.line} is never closed${hint}`);
  }
  return root;
}

// ---------------------------------------------------------------------------
// Reading helpers (DIRAC semantics)
// ---------------------------------------------------------------------------

/** DIRAC's `List.fromChar(value, ',')`: split on commas, trim, drop empty items. */
export function splitList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** The subsection at a `/`-separated path (e.g. `Resources/Sites`), or undefined. */
export function getSection(root: CfgSection, path: string): CfgSection | undefined {
  let node: CfgSection | undefined = root;
  for (const part of path.split('/').filter((p) => p.length > 0)) {
    node = node.sections[part];
    if (!node) return undefined;
  }
  return node;
}

/** An option's value, or undefined when it is not set. */
export function getOption(section: CfgSection, name: string): string | undefined {
  return has(section.options, name) ? section.options[name] : undefined;
}

/** An option read as a DIRAC list (empty when not set). */
export function getList(section: CfgSection, name: string): string[] {
  return splitList(getOption(section, name));
}

/** Values DIRAC's `getOption(name, False)` reads as true; anything else is false. */
export const DIRAC_TRUE_VALUES: readonly string[] = ['y', 'yes', 'true', '1'];

/** An option read as a boolean the way DIRAC does (`y`, `yes`, `true`, `1`, any case), undefined when not set. */
export function getBool(section: CfgSection, name: string): boolean | undefined {
  const value = getOption(section, name);
  return value === undefined ? undefined : DIRAC_TRUE_VALUES.includes(value.toLowerCase());
}

/** Plain-object view (`diraccfg.CFG.getAsDict()`): options first, then sections. */
export function cfgToDict(section: CfgSection): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(section.options)) out[key] = value;
  for (const [key, child] of Object.entries(section.sections)) out[key] = cfgToDict(child);
  return out;
}
