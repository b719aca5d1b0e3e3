/**
 * The one place where JDL text is produced.
 *
 * DiracX parses JDL with DIRAC's ClassAdLight, which is not a real ClassAd
 * parser: it splits the text on `;`, `=` and `[` without regard to quotes, has
 * no escape sequences, drops `"` from string values, and splits list values on
 * `,` after removing every space. Backslash-escaping therefore cannot make a
 * value safe; the only safe policy is to refuse the characters the parser
 * gives meaning to. Values are validated here (defence in depth: the zod
 * schemas at the boundary already refuse control characters).
 */
import { CONTROL_CHAR, JDL_UNSAFE_CHAR, JDL_UNSAFE_LIST_ITEM_CHAR } from '../../contracts/text.ts';

export type JdlScalar = string | number | boolean;
export type JdlValue = JdlScalar | readonly string[] | readonly number[];
export type JdlAttributes = Readonly<Record<string, JdlValue | undefined>>;

export class JdlError extends Error {
  readonly attribute: string;
  constructor(attribute: string, message: string) {
    super(`${attribute}: ${message}`);
    this.name = 'JdlError';
    this.attribute = attribute;
  }
}

const NAME = /^[A-Z][A-Za-z0-9]{0,63}$/;

function describe(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (CONTROL_CHAR.test(ch)) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  if (/\s/.test(ch)) return 'whitespace';
  return `"${ch}"`;
}

export function quoteJdlString(attribute: string, value: string, { listItem = false } = {}): string {
  const bad = (listItem ? JDL_UNSAFE_LIST_ITEM_CHAR : JDL_UNSAFE_CHAR).exec(value);
  if (bad) throw new JdlError(attribute, `${describe(bad[0])} is not allowed in a JDL value`);
  if (value.length > 4096) throw new JdlError(attribute, 'value longer than 4096 characters');
  return `"${value}"`;
}

function renderNumber(attribute: string, value: number): string {
  if (!Number.isFinite(value)) throw new JdlError(attribute, 'number must be finite');
  return Number.isInteger(value) ? String(value) : value.toString();
}

function renderValue(attribute: string, value: JdlValue): string {
  if (typeof value === 'string') return quoteJdlString(attribute, value);
  if (typeof value === 'number') return renderNumber(attribute, value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value.length === 0) throw new JdlError(attribute, 'empty list');
  const items = (value as readonly (string | number)[]).map((item) =>
    typeof item === 'number' ? renderNumber(attribute, item) : quoteJdlString(attribute, item, { listItem: true }),
  );
  return `{${items.join(', ')}}`;
}

/** Render attributes (in insertion order, undefined skipped) as one JDL document. */
export function renderJdl(attributes: JdlAttributes): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    if (!NAME.test(name)) throw new JdlError(name, 'invalid attribute name');
    lines.push(`    ${name} = ${renderValue(name, value)};`);
  }
  if (lines.length === 0) throw new JdlError('JDL', 'no attributes');
  return `[\n${lines.join('\n')}\n]`;
}
