/**
 * Read a JDL as DiracX stores it (DIRAC's ClassAdLight `asJDL()`): `[ Name = value; … ]` where a value is
 * a "quoted string", a number, a bare word, or a `{…}` list of those. ClassAdLight has no escapes and the
 * portal's renderJdl refuses `;`, `"` and `=` inside values, so splitting on top-level `;` is exact.
 */
export type JdlRecord = Record<string, string | string[]>;

function unquote(v: string): string {
  const t = v.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

export function parseJdl(text: string): JdlRecord {
  const body = text.trim().replace(/^\[/, '').replace(/\]$/, '');
  const out: JdlRecord = {};
  let depth = 0;
  let quoted = false;
  let start = 0;
  const statements: string[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '{' || ch === '[')) depth++;
    else if (!quoted && (ch === '}' || ch === ']')) depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && ch === ';') {
      statements.push(body.slice(start, i));
      start = i + 1;
    }
  }
  statements.push(body.slice(start));
  for (const st of statements) {
    const eq = st.indexOf('=');
    if (eq < 0) continue;
    const name = st.slice(0, eq).trim();
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) continue;
    const raw = st.slice(eq + 1).trim();
    if (raw.startsWith('[')) continue; // a nested ClassAd (JobRequirements): DiracX's copy of top-level values
    out[name] = raw.startsWith('{')
      ? raw
          .replace(/^\{|\}$/g, '')
          .split(',')
          .map(unquote)
          .filter((s) => s !== '')
      : unquote(raw);
  }
  return out;
}

/** A JDL value as a list (a scalar is a one-item list, as in DIRAC). */
export function jdlList(jdl: JdlRecord, name: string): string[] {
  const v = jdl[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : v === '' ? [] : [v];
}

export function jdlString(jdl: JdlRecord, name: string): string | undefined {
  const v = jdl[name];
  return Array.isArray(v) ? v[0] : v;
}

export function jdlNumber(jdl: JdlRecord, name: string): number | undefined {
  const v = jdlString(jdl, name);
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Split `Arguments` into argv the way a POSIX shell splits words, without any expansion: whitespace
 * separates, single quotes and double quotes group (ClassAdLight already removed JDL-level quotes).
 */
export function splitArguments(args: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (const ch of args) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}
