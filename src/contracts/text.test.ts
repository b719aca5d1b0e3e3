import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { COMMAND_UNSAFE_CHAR, CONTROL_CHAR, JDL_UNSAFE_CHAR, JDL_UNSAFE_LIST_ITEM_CHAR, noControlChars } from './text.ts';

/** Every UTF-16 code unit a class matches. */
const matched = (re: RegExp) => Array.from({ length: 0x10000 }, (_, c) => c).filter((c) => re.test(String.fromCharCode(c)));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const codes = (s: string) => [...s].map((ch) => ch.charCodeAt(0));
const sorted = (list: number[]) => [...new Set(list)].sort((a, b) => a - b);

const C0_AND_DEL = [...range(0x00, 0x1f), 0x7f];
const C1_AND_SEPARATORS = [...range(0x80, 0x9f), 0x2028, 0x2029];
/** What `\s` matches besides C0 controls and the separators. */
const WHITE_SPACE = codes(' \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\ufeff');

describe('character classes', () => {
  it('match exactly the characters they name', () => {
    expect(matched(CONTROL_CHAR)).toEqual(C0_AND_DEL);
    expect(matched(JDL_UNSAFE_CHAR)).toEqual(sorted([...codes('"\\;[]'), ...C0_AND_DEL]));
    expect(matched(JDL_UNSAFE_LIST_ITEM_CHAR)).toEqual(sorted([...codes('"\\;[]{},'), ...C0_AND_DEL, ...WHITE_SPACE, 0x2028, 0x2029]));
    expect(matched(COMMAND_UNSAFE_CHAR)).toEqual(sorted([...C0_AND_DEL, ...C1_AND_SEPARATORS]));
  });
});

describe('noControlChars', () => {
  it('refuses control characters with the default or a given message', () => {
    const label = z.string().trim().check(noControlChars());
    expect(label.parse('  ON runs ')).toBe('ON runs');
    expect(label.safeParse('a\tb').error?.issues.map((i) => i.message)).toEqual(['control characters are not allowed']);
    expect(label.safeParse('a\u007fb').success).toBe(false);
    expect(label.safeParse('Grüße "quoted"; [x]').success).toBe(true);
    const other = z.string().check(noControlChars('no new lines'));
    expect(other.safeParse('a\nb').error?.issues.map((i) => i.message)).toEqual(['no new lines']);
  });
});
