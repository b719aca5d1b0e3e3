import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CfgSyntaxError, cfgToDict, getBool, getList, getOption, getSection, parseCfg, splitList } from './cfg.ts';
import type { CfgWarning } from './cfg.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const VENV_PYTHON = `${ROOT}.venv/bin/python`;

function syntaxError(text: string): CfgSyntaxError {
  try {
    parseCfg(text);
  } catch (err) {
    if (err instanceof CfgSyntaxError) return err;
    throw err;
  }
  throw new Error('expected a CfgSyntaxError');
}

const lines = (...l: string[]): string => l.join('\n');

describe('parseCfg: structure', () => {
  it('parses nested sections and options, keeping file order', () => {
    const root = parseCfg(lines('Resources {', '  Sites {', '    LCG {', '      b = 2', '      a = 1', '    }', '  }', '}'));
    expect(cfgToDict(root)).toEqual({ Resources: { Sites: { LCG: { b: '2', a: '1' } } } });
    const lcg = getSection(root, 'Resources/Sites/LCG');
    expect(lcg && Object.keys(lcg.options)).toEqual(['b', 'a']);
    expect(lcg?.line).toBe(3);
    expect(lcg?.optionLines).toEqual({ b: 4, a: 5 });
    expect(getSection(root, 'Resources/Nope')).toBeUndefined();
  });

  it('accepts the layout DIRAC writes: the name on its own line, then "{"', () => {
    const root = parseCfg(lines('Sites', '{', '  LCG', '  {', '    # a comment between name and brace is fine', '  }', '}'));
    expect(cfgToDict(root)).toEqual({ Sites: { LCG: {} } });
    expect(getSection(root, 'Sites/LCG')?.line).toBe(4);
  });

  it('accepts several braces on one line', () => {
    const root = parseCfg(lines('A { B {', 'x = 1', '} }', 'Empty {}', 'C {', '} D {', '}'));
    expect(cfgToDict(root)).toEqual({ A: { B: { x: '1' } }, Empty: {}, C: {}, D: {} });
  });

  it('takes values verbatim: quotes, "=" and "#" stay part of the value', () => {
    const root = parseCfg(lines('a = "quoted value"', "b = 'single'", 'c = x = y', 'd = 2048 # MB', 'e =', '  spaced   key   =   v  w  '));
    expect(root.options).toEqual({
      a: '"quoted value"',
      b: "'single'",
      c: 'x = y',
      d: '2048 # MB',
      e: '',
      'spaced   key': 'v  w',
    });
  });

  it('handles CRLF line endings and a leading byte order mark', () => {
    const root = parseCfg('\uFEFFSites\r\n{\r\n  a = 1\r\n}\r\n');
    expect(cfgToDict(root)).toEqual({ Sites: { a: '1' } });
  });
});

describe('parseCfg: comments', () => {
  it('attaches full-line comments to the next entry with "#" removed', () => {
    const root = parseCfg(lines('# about the site', '## second line', 'Site {', '  # the RAM', '  MaxRAM = 2048', '}'));
    expect(root.comments['Site']).toBe(' about the site\n second line\n');
    expect(getSection(root, 'Site')?.comments['MaxRAM']).toBe(' the RAM\n');
  });

  it('a comment before "}" carries over to the next entry, as in diraccfg', () => {
    const root = parseCfg(lines('A {', '  # trailing', '}', 'b = 1'));
    expect(root.comments['b']).toBe(' trailing\n');
  });
});

describe('parseCfg: "+=" and repeated keys', () => {
  it('"+=" appends ", value" to an option set earlier in the section', () => {
    const root = parseCfg(lines('CE = ce01.example.org', 'CE += ce02.example.org', 'CE += ce03.example.org'));
    expect(root.options['CE']).toBe('ce01.example.org, ce02.example.org, ce03.example.org');
    expect(root.optionLines['CE']).toBe(3);
    expect(getList(root, 'CE')).toEqual(['ce01.example.org', 'ce02.example.org', 'ce03.example.org']);
  });

  it('"=" before "+=" on a line makes an ordinary option', () => {
    expect(parseCfg('a = b += c').options).toEqual({ a: 'b += c' });
  });

  it('"+=" on an option that is not set is an error naming the line', () => {
    const err = syntaxError(lines('S {', '  a = 1', '}', 'a += 2'));
    expect(err.line).toBe(4);
    expect(err.message).toMatch(/^line 4: "\+=" on option "a", which is not set earlier in this section/);
  });

  it('an option set twice keeps its place, takes the last value and warns', () => {
    const warnings: CfgWarning[] = [];
    const root = parseCfg(lines('a = 1', 'b = 2', 'a = 3'), { onWarning: (w) => warnings.push(w) });
    expect(Object.entries(root.options)).toEqual([
      ['a', '3'],
      ['b', '2'],
    ]);
    expect(warnings).toEqual([{ line: 3, message: 'option "a" is set again (first at line 1); the last value wins' }]);
  });

  it('a section defined twice is an error (DIRAC does not merge them)', () => {
    const err = syntaxError(lines('Sites {', '  LCG {', '  }', '  LCG {', '  }', '}'));
    expect(err.message).toBe('line 4: section "LCG" is already defined at line 2; DIRAC does not merge repeated sections');
  });
});

describe('parseCfg: errors carry the line number', () => {
  it.each([
    ['unclosed section', lines('A {', '  B {', '  }'), 3, /section "A" opened at line 1 is never closed/],
    ['"}" closing nothing', lines('A {', '}', '}'), 3, /'}' closes more sections than were opened/],
    ['stray text', lines('A {', '  just some words', '  x = 1', '}'), 2, /unexpected text "just some words"/],
    ['text before "}"', lines('A {', '  junk }'), 2, /unexpected text "junk"/],
    ['two names before "{"', lines('Foo', 'Bar {', '}'), 1, /unexpected text "Foo".*followed on line 2 by "Bar \{"/],
    ['text at the end of the file', lines('A {', '}', 'tail'), 3, /unexpected text "tail".*\(then the file ends\)/],
    ['option on a brace line', lines('A { x = 1 }'), 1, /an option must be on its own line/],
    ['option after "}" on a line', lines('A {', '} x = 1'), 2, /an option must be on its own line/],
    ['option without name', lines('A {', '  = 3', '}'), 2, /"=" without an option name/],
    ['"{" without name', lines('{', '}'), 1, /'\{' without a section name/],
    ['"/" in an option name', lines('a/b = 1'), 1, /contains '\/'/],
    ['"/" in a section name', lines('a/b {', '}'), 1, /contains '\/'/],
    ['option named like a section', lines('A {', '}', 'A = 1'), 3, /same name as the section opened at line 1/],
    ['section named like an option', lines('A = 1', 'A {', '}'), 2, /same name as the option set at line 1/],
    ['"+=" on a section', lines('A {', '}', 'A += 1'), 3, /same name as the section/],
    [
      'inline comment after "{"',
      lines('A { # the A section', '  B {', '  }', '}'),
      1,
      /unexpected text "# the A section".*no inline comments/,
    ],
  ])('%s', (_name, text, line, message) => {
    const err = syntaxError(text);
    expect(err.line).toBe(line);
    expect(err.message.startsWith(`line ${line}: `)).toBe(true);
    expect(err.message).toMatch(message);
  });

  it('points at a "}" swallowed by an option value', () => {
    const err = syntaxError(lines('A {', '  x = 1 }'));
    expect(err.message).toMatch(/line 2 ends an option value with '}'/);
  });
});

describe('reading helpers', () => {
  it('splitList follows DIRAC List.fromChar', () => {
    expect(splitList(' GPU,MultiProcessor , , WholeNode,')).toEqual(['GPU', 'MultiProcessor', 'WholeNode']);
    expect(splitList('')).toEqual([]);
    expect(splitList(undefined)).toEqual([]);
  });

  it('getBool reads y/yes/true/1 (any case) as true, anything else as false', () => {
    const root = parseCfg(lines('a = True', 'b = YES', 'c = 1', 'd = y', 'e = False', 'f = on'));
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'missing'].map((k) => getBool(root, k))).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      undefined,
    ]);
  });

  it('getOption does not see Object.prototype keys', () => {
    const root = parseCfg('x = 1');
    expect(getOption(root, 'toString')).toBeUndefined();
    expect(getOption(root, '__proto__')).toBeUndefined();
  });

  it('stores "__proto__" as an ordinary name', () => {
    const root = parseCfg(lines('__proto__ = 1', 'constructor {', '}'));
    expect(getOption(root, '__proto__')).toBe('1');
    expect(getSection(root, 'constructor')).toBeDefined();
  });
});

// Differential check: every text this parser accepts must give the same tree and
// comments in DIRAC's own parser (diraccfg, installed in the DiracX virtualenv).
const ACCEPTED: string[] = [
  lines('Resources {', '  Sites {', '    LCG {', '      b = 2', '      a = 1', '    }', '  }', '}'),
  lines('Sites', '{', '  LCG', '  {', '    # between', '  }', '}'),
  lines('A { B {', 'x = 1', '} }', 'Empty {}', 'C {', '} D {', '}'),
  lines('a = "quoted value"', "b = 'single'", 'c = x = y', 'd = 2048 # MB', 'e =', '  spaced   key   =   v  w  '),
  lines('# about the site', '## second line', 'Site {', '  # the RAM', '  MaxRAM = 2048', '}', 'z = 1'),
  lines('CE = ce01', '# dropped', 'CE += ce02', 'CE +=', 'a = b += c', 'a = again'),
  'Sites\r\n{\r\n  a = 1\r\n}\r\n',
];

describe.skipIf(!existsSync(VENV_PYTHON))('agreement with diraccfg', () => {
  it('parses the same trees and comments as DIRAC', () => {
    const texts = [...ACCEPTED, readFileSync(`${ROOT}config/resources.cfg`, 'utf8')];
    const script = [
      'import json, sys',
      'from diraccfg import CFG',
      'def comments(c):',
      '    out = {}',
      '    for k in c.listAll():',
      '        out[k] = c.getComment(k)',
      '        if c.isSection(k):',
      '            out[k + "/"] = comments(c[k])',
      '    return out',
      'res = []',
      'for t in json.load(sys.stdin):',
      '    c = CFG().loadFromBuffer(t)',
      '    res.append({"tree": c.getAsDict(), "comments": comments(c)})',
      'print(json.dumps(res))',
    ].join('\n');
    const run = spawnSync(VENV_PYTHON, ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const expected = JSON.parse(run.stdout) as { tree: unknown; comments: unknown }[];
    const ours = texts.map((t) => {
      const root = parseCfg(t);
      const comments = (s: typeof root): Record<string, unknown> => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(s.comments)) out[k] = v;
        for (const [k, child] of Object.entries(s.sections)) out[`${k}/`] = comments(child);
        return out;
      };
      return { tree: cfgToDict(root), comments: comments(root) };
    });
    // diraccfg keeps an empty comment for entries with none; the "+=" comment is dropped by both.
    expect(ours).toEqual(expected);
  });
});
