import { z } from 'zod';

/**
 * Which characters user-typed text may hold: the one place that knows, for the zod contracts
 * (labels, filters, names, workflow parameter values) and the BFF's JDL renderer.
 *
 * DIRAC's ClassAdLight (which parses every JDL in DiracX) gives meaning to `"`, `\`, `;`, `[`
 * and `]` regardless of quoting and has no escapes; control characters break lines.
 *
 * The character classes are built from code points, so that no regular expression literal
 * holds control characters (ESLint's no-control-regex) and each class is written once.
 */

const u = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;
/** C0 controls (U+0000–U+001F: new line, tab, …) and DEL. */
const C0_AND_DEL = `${u(0x00)}-${u(0x1f)}${u(0x7f)}`;
/** C1 controls (U+0080–U+009F) and the Unicode line and paragraph separators: line breaks for some readers. */
const C1_AND_SEPARATORS = `${u(0x80)}-${u(0x9f)}${u(0x2028)}${u(0x2029)}`;
/** What ClassAdLight interprets inside a value. */
const JDL_META = '"\\\\;\\[\\]';

/** A control character (C0 or DEL). */
export const CONTROL_CHAR = new RegExp(`[${C0_AND_DEL}]`);

/** A zod check for text that must hold no control character (new lines, tabs…). */
export const noControlChars = (message = 'control characters are not allowed') => z.refine<string>((s) => !CONTROL_CHAR.test(s), message);

/** What a JDL string value may not contain (the JDL renderer's refusals). */
export const JDL_UNSAFE_CHAR = new RegExp(`[${JDL_META}${C0_AND_DEL}]`);
/** What an item of a JDL list may not contain: also `{`, `}`, `,` and white space, on which ClassAdLight splits lists. */
export const JDL_UNSAFE_LIST_ITEM_CHAR = new RegExp(`[${JDL_META}{},\\s${C0_AND_DEL}]`);

/**
 * What a value passed to a job's command line may not contain: control characters. The command
 * line travels in a shell script (the launch's wrapper), shell-quoted, never in the JDL, so any
 * printable text passes through exactly.
 */
export const COMMAND_UNSAFE_CHAR = new RegExp(`[${C0_AND_DEL}${C1_AND_SEPARATORS}]`);

/** "the character ;", "the control character U+000A (new line)": how messages name a refused character. */
export function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
    const name = ch === '\n' ? ' (new line)' : ch === '\t' ? ' (tab)' : ch === '\r' ? ' (carriage return)' : '';
    return `the control character U+${code.toString(16).padStart(4, '0').toUpperCase()}${name}`;
  }
  return `the character ${ch}`;
}

export const COMMAND_TEXT_HELP = 'Any text but control characters (new lines, tabs).';

/** Why a value cannot be passed to a job's command line (a control character), or null when it can. */
export function commandTextReason(value: string): string | null {
  const bad = COMMAND_UNSAFE_CHAR.exec(value);
  return bad ? `${describeChar(bad[0])} is not allowed in a parameter value` : null;
}
