/**
 * The one CSV writer of the BFF (job export, accounting report): RFC 4180 with the OWASP rules against
 * CSV injection. A text cell that a spreadsheet would run as a formula (see FORMULA_START) gets a
 * leading `'`; a cell with `,`, `"`, CR or LF is quoted, its quotes
 * doubled. Numbers are written as numbers: `-3` from a number stays `-3` (a spreadsheet reads it as a
 * value, never a formula), while the text "-3" is prefixed like any other text starting with `-`.
 */
/**
 * A formula trigger (`=`, `+`, `-`, `@` or their fullwidth forms, which spreadsheets normalise) at the start or
 * after leading whitespace and line breaks (spreadsheets trim them), or a cell starting with tab, CR or LF.
 */
const FORMULA_START = /^(?:[\t\r\n]|[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

export type CsvValue = string | number | boolean | null | undefined;

export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A header line and one line per row, each ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((cells) => `${cells.map(csvCell).join(',')}\r\n`).join('');
}
