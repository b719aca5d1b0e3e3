/**
 * Property test: whatever strings a user types, a JDL rendered by renderJdl
 * parses (with DIRAC's own ClassAdLight, as DiracX does) into exactly the
 * attributes we wrote, with exactly the values we wrote — no injected
 * attribute, no truncated value. Inputs come from fast-check (biased towards
 * JDL metacharacters); all samples are parsed by one Python process.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JdlError, renderJdl } from './render.ts';

const PY = path.resolve('.venv/bin/python');
const META = ['"', ';', '[', ']', '{', '}', '=', ',', '\\', '\n', '\t', ' ', '\u0000', 'Site', 'Owner', '#', "'"];

const plain = fc.stringMatching(/^[A-Za-z0-9._:/@+-]{1,24}$/);
const nastyOnly = fc
  .array(fc.oneof(fc.constantFrom(...META), fc.string({ maxLength: 4 }), fc.string({ unit: 'grapheme', maxLength: 3 })), { maxLength: 12 })
  .map((parts) => parts.join(''));
// Mostly hostile, sometimes ordinary, so that both the refusal and the round-trip are exercised.
const nasty = fc.oneof({ weight: 2, arbitrary: nastyOnly }, { weight: 3, arbitrary: plain });

function parseAll(jdls: string[]): Record<string, string>[] {
  const code = [
    'import json, sys',
    'from DIRACCommon.Core.Utilities.ClassAd.ClassAdLight import ClassAd',
    'out = []',
    'for jdl in json.load(sys.stdin):',
    '    ad = ClassAd(jdl)',
    '    out.append({k: ad.get_expression(k) for k in ad.getAttributes()})',
    'print(json.dumps(out))',
  ].join('\n');
  const res = spawnSync(PY, ['-c', code], { input: JSON.stringify(jdls), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(res.stderr);
  return JSON.parse(res.stdout) as Record<string, string>[];
}

describe('renderJdl under arbitrary input (fast-check)', () => {
  it('either refuses the value or round-trips it exactly through ClassAdLight', () => {
    const samples = fc.sample(fc.record({ args: nasty, name: nasty, list: fc.array(nasty, { minLength: 1, maxLength: 4 }) }), {
      numRuns: 800,
      seed: 20261125,
    });
    const rendered: { jdl: string; args: string; name: string; list: string[] }[] = [];
    let refused = 0;
    for (const s of samples) {
      try {
        rendered.push({ jdl: renderJdl({ JobName: s.name, Arguments: s.args, InputData: s.list, CPUTime: 60 }), ...s });
      } catch (err) {
        expect(err).toBeInstanceOf(JdlError);
        refused += 1;
      }
    }
    // Both branches must really be exercised.
    expect(refused).toBeGreaterThan(50);
    expect(rendered.length).toBeGreaterThan(50);
    const parsed = parseAll(rendered.map((r) => r.jdl));
    parsed.forEach((attrs, i) => {
      const r = rendered[i]!;
      expect(Object.keys(attrs).sort(), r.jdl).toEqual(['Arguments', 'CPUTime', 'InputData', 'JobName']);
      expect(attrs.Arguments).toBe(`"${r.args}"`);
      expect(attrs.JobName).toBe(`"${r.name}"`);
      expect(attrs.CPUTime).toBe('60');
      expect(attrs.InputData).toBe(`{${r.list.map((x) => `"${x}"`).join(', ')}}`);
    });
  });

  it('never lets a rendered value contain a character ClassAdLight interprets', () => {
    fc.assert(
      fc.property(nasty, (value) => {
        try {
          const jdl = renderJdl({ Arguments: value });
          const inner = jdl.slice(jdl.indexOf('"') + 1, jdl.lastIndexOf('"'));
          // Spelled out rather than with the renderer's own regular expression, which this checks.
          return ![...inner].some((ch) => '"\\;[]'.includes(ch) || ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
        } catch (err) {
          return err instanceof JdlError;
        }
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
