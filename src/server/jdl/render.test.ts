import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LaunchRequestSchema } from '../../contracts/launches.ts';
import { workflowSummary } from '../../contracts/workflows/catalogue.ts';
import { hello } from '../../contracts/workflows/testing/descriptors.ts';
import { buildJobs } from '../launches/build.ts';
import { adaptWorkflow } from '../launches/workflow-adapter.ts';
import { helloWorldLaunch } from '../testing/hello-world.ts';
import { JdlError, quoteJdlString, renderJdl } from './render.ts';

const PY = path.resolve('.venv/bin/python');

/** Parse JDL with DIRAC's own ClassAdLight (what DiracX uses), returning attribute -> raw expression. */
function parseWithDirac(jdl: string): Record<string, string> {
  const code = [
    'import json, sys',
    'from DIRACCommon.Core.Utilities.ClassAd.ClassAdLight import ClassAd',
    'ad = ClassAd(sys.stdin.read())',
    'print(json.dumps({k: ad.get_expression(k) for k in ad.getAttributes()}))',
  ].join('\n');
  const res = spawnSync(PY, ['-c', code], { input: jdl, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(res.stderr);
  return JSON.parse(res.stdout) as Record<string, string>;
}

describe('renderJdl', () => {
  it('renders strings, numbers, booleans and lists in order, skipping undefined', () => {
    const jdl = renderJdl({ JobName: 'x', CPUTime: 300, WholeNode: false, Tags: ['GPU', 'MultiProcessor'], Site: undefined });
    expect(jdl).toBe('[\n    JobName = "x";\n    CPUTime = 300;\n    WholeNode = false;\n    Tags = {"GPU", "MultiProcessor"};\n]');
  });

  it.each([
    ['"', '"'],
    [';', '";"'],
    ['[', '"["'],
    [']', '"]"'],
    ['\\', '"\\"'],
    ['\n', 'U+000A'],
    ['\u0000', 'U+0000'],
    ['\u007f', 'U+007F'],
  ])('refuses %j in a value, naming it', (ch, shown) => {
    expect(() => quoteJdlString('Arguments', `a${ch}b`)).toThrow(JdlError);
    expect(() => quoteJdlString('Arguments', `a${ch}b`)).toThrow(shown);
  });

  it('refuses list items that ClassAdLight would split or alter', () => {
    for (const bad of ['a,b', 'a b', '{a}', 'a\tb']) expect(() => renderJdl({ InputData: [bad] })).toThrow(JdlError);
  });

  it('refuses bad attribute names, empty lists and non-finite numbers', () => {
    expect(() => renderJdl({ 'Bad Name': 'x' })).toThrow(/invalid attribute name/);
    expect(() => renderJdl({ lower: 'x' })).toThrow(/invalid attribute name/);
    expect(() => renderJdl({ Tags: [] })).toThrow(/empty list/);
    expect(() => renderJdl({ CPUTime: Number.NaN })).toThrow(/finite/);
    expect(() => renderJdl({})).toThrow(/no attributes/);
  });

  it("round-trips through DIRAC's ClassAdLight parser exactly, attribute for attribute", () => {
    const values = ['Hello, world!', 'x = y', 'κόσμε ☃', "it's {fine}", 'a/b:c@d#e%f&g*h'];
    for (const v of values) {
      const jdl = renderJdl({ JobName: 'rt', Arguments: v, CPUTime: 60, OutputSandbox: ['std.out', 'std.err'] });
      const parsed = parseWithDirac(jdl);
      expect(Object.keys(parsed).sort()).toEqual(['Arguments', 'CPUTime', 'JobName', 'OutputSandbox']);
      expect(parsed.Arguments).toBe(`"${v}"`);
      expect(parsed.CPUTime).toBe('60');
    }
  });

  it('shows why escaping is not enough: an unescaped quote-semicolon injects an attribute into ClassAdLight', () => {
    // This is the attack the refusals above prevent; the naive JDL below is NOT produced by renderJdl.
    const naive = '[\n    Arguments = "x"; Site = "EVIL";\n]';
    expect(parseWithDirac(naive).Site).toBe('"EVIL"');
  });
});

describe('the Hello world launch (workflows/hello-world.json)', () => {
  it('builds the echo job with an output sandbox: the JDL runs the wrapper script, which runs the command', () => {
    const [job] = buildJobs(
      LaunchRequestSchema.parse(helloWorldLaunch('key-00000000', { greeting: 'Bonjour', message: 'le monde' })),
      adaptWorkflow({ id: 'hello-world', descriptor: hello, summary: workflowSummary('hello-world', hello) }),
      [],
      'hello-world-1',
    );
    const parsed = parseWithDirac(renderJdl(job!.attributes));
    // The command line travels in the launch's wrapper script; the JDL names the script and the job's index.
    expect(parsed.Executable).toBe('"./escape-job.sh"');
    expect(parsed.Arguments).toBe('"0"');
    expect(job!.payload?.command).toBe(`echo Bonjour, 'le monde'!`);
    expect(parsed.OutputSandbox).toBe('{"std.out", "std.err"}');
  });
});
