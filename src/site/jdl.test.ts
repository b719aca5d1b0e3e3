import { describe, expect, it } from 'vitest';
import { jdlList, jdlNumber, jdlString, parseJdl, splitArguments } from './jdl.ts';

// As DiracX 0.7 stores a job's JDL (decompressed): sorted attributes, a nested JobRequirements ClassAd.
const STORED = `[
    Arguments = "Hello, world!";
    CPUTime = 3000;
    Executable = "echo";
    InputSandbox =
        {
            "SB:SandboxSE|/S3/sandboxes/escape/scientists/alice/sha256:ab.tar.zst"
        };
    JobRequirements =
        [
            CPUTime = 3000;
            Owner = "alice";
        ];
    OutputSandbox =
        {
            "std.out",
            "std.err"
        };
    Owner = "alice";
    Site = "LCG.CERN-HTC.ch";
    Tags = { "GPU", "MultiProcessor" };
]`;

describe('parseJdl', () => {
  it('reads strings, numbers and lists, and skips the nested JobRequirements', () => {
    const jdl = parseJdl(STORED);
    expect(jdlString(jdl, 'Executable')).toBe('echo');
    expect(jdlString(jdl, 'Arguments')).toBe('Hello, world!');
    expect(jdlNumber(jdl, 'CPUTime')).toBe(3000);
    expect(jdlList(jdl, 'OutputSandbox')).toEqual(['std.out', 'std.err']);
    expect(jdlList(jdl, 'InputSandbox')).toEqual(['SB:SandboxSE|/S3/sandboxes/escape/scientists/alice/sha256:ab.tar.zst']);
    expect(jdlList(jdl, 'Tags')).toEqual(['GPU', 'MultiProcessor']);
    expect(jdlList(jdl, 'Site')).toEqual(['LCG.CERN-HTC.ch']);
    expect(jdl.JobRequirements).toBeUndefined();
    expect(jdlString(jdl, 'Owner')).toBe('alice');
  });

  it('gives no value for what the JDL does not set', () => {
    const jdl = parseJdl('[ Executable = "true"; ]');
    expect(jdlList(jdl, 'InputSandbox')).toEqual([]);
    expect(jdlNumber(jdl, 'CPUTime')).toBeUndefined();
  });
});

describe('splitArguments', () => {
  it('splits on whitespace and groups quoted words, without any shell expansion', () => {
    expect(splitArguments('Hello, world!')).toEqual(['Hello,', 'world!']);
    expect(splitArguments(`-c 'echo $HOME && exit 3'  "a b" c`)).toEqual(['-c', 'echo $HOME && exit 3', 'a b', 'c']);
    expect(splitArguments('   ')).toEqual([]);
    expect(splitArguments(`''`)).toEqual(['']);
  });
});
