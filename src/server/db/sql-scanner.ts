/** A SQL tokenizer just good enough for the portable SQL of database.ts: `$n` → `?n` for SQLite, statement counting. */

export interface ScannedSql {
  /** SQL with `$n` rewritten to `?n` (outside literals/comments). */
  sqliteSql: string;
  /** Highest placeholder index used (0 if none). */
  maxParam: number;
  /** Number of non-empty `;`-separated statements. */
  statements: number;
  /** A bare `?` outside literals/comments was found. */
  hasQuestionMark: boolean;
}

const isIdentChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** Tokenize SQL just enough to find placeholders and statement boundaries. */
export function scanSql(sql: string): ScannedSql {
  let out = '';
  let maxParam = 0;
  let statements = 0;
  let hasContent = false;
  let hasQuestionMark = false;
  let i = 0;
  const n = sql.length;

  const skipQuoted = (quote: string): void => {
    // from sql[i] === quote; doubled quote is an escaped quote
    let j = i + 1;
    while (j < n) {
      if (sql[j] === quote) {
        if (sql[j + 1] === quote) {
          j += 2;
          continue;
        }
        j += 1;
        break;
      }
      j += 1;
    }
    if (j > n) j = n;
    out += sql.slice(i, j);
    i = j;
  };

  while (i < n) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if (c === "'" || c === '"' || c === '`') {
      hasContent = true;
      skipQuoted(c);
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const j = end === -1 ? n : end;
      out += sql.slice(i, j);
      i = j;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const j = end === -1 ? n : end + 2;
      out += sql.slice(i, j);
      i = j;
    } else if (c === '$') {
      const digits = /^\$(\d+)/.exec(sql.slice(i, i + 12));
      if (digits && !isIdentChar(sql[i - 1])) {
        const idx = Number(digits[1]);
        if (idx < 1) throw new Error('invalid placeholder $0');
        maxParam = Math.max(maxParam, idx);
        out += `?${idx}`;
        i += digits[0].length;
        hasContent = true;
        continue;
      }
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (tag && !isIdentChar(sql[i - 1])) {
        // PostgreSQL dollar-quoted string: $tag$ … $tag$
        const end = sql.indexOf(tag[0], i + tag[0].length);
        const j = end === -1 ? n : end + tag[0].length;
        out += sql.slice(i, j);
        i = j;
        hasContent = true;
        continue;
      }
      out += c;
      i += 1;
      hasContent = true;
    } else if (c === ';') {
      if (hasContent) statements += 1;
      hasContent = false;
      out += c;
      i += 1;
    } else {
      if (c === '?') hasQuestionMark = true;
      if (!/\s/.test(c)) hasContent = true;
      out += c;
      i += 1;
    }
  }
  if (hasContent) statements += 1;
  return { sqliteSql: out, maxParam, statements, hasQuestionMark };
}
