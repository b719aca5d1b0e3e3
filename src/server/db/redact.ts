/** Database URLs carry passwords: never log them nor put them in error messages. */

/** Replace the password of a URL (if any) with `***`. Safe on unparsable input. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) {
      u.password = '***';
      return u.toString();
    }
    return url;
  } catch {
    return url.replace(/(\/\/[^/@:]*:)[^@/]*@/, '$1***@');
  }
}

export function secretsOf(url: string): string[] {
  const out: string[] = [];
  try {
    const u = new URL(url);
    if (u.password) {
      out.push(u.password);
      try {
        out.push(decodeURIComponent(u.password));
      } catch {
        // keep the raw form only
      }
    }
  } catch {
    const m = /\/\/[^/@:]*:([^@/]*)@/.exec(url);
    if (m?.[1]) out.push(m[1]);
  }
  return out.filter((s) => s.length > 0);
}

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}
