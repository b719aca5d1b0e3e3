import { describe, expect, it } from 'vitest';
import { JobSearchQuerySchema } from '../../contracts/monitor.ts';
import { conditionSpec, filterConditions, forbiddenFilter, sortSpec } from './search.ts';
import { testPrincipal } from '../testing/principal.ts';
import { foldGroups, jobsCsv, sandboxPfnsOfJdl } from './routes.ts';

const alice = testPrincipal({ id: 'local' });
const ada = testPrincipal({ id: 'local' }, { username: 'ada', role: 'admin', properties: ['NormalUser', 'JobAdministrator'] });

describe('monitor search conditions', () => {
  it('always starts with the visibility conditions and maps each filter to a DiracX condition', () => {
    const s = filterConditions(alice, {
      status: ['Failed', 'Stalled'],
      site: 'LCG.CERN.cern',
      q: '1234',
      submittedAfter: '2026-11-01T10:00:00Z',
      submittedBefore: '2026-11-02',
    });
    expect(s.slice(0, 2)).toEqual([
      { parameter: 'VO', operator: 'eq', value: 'escape' },
      { parameter: 'Owner', operator: 'eq', value: 'alice' },
    ]);
    expect(s).toContainEqual({ parameter: 'Status', operator: 'in', values: ['Failed', 'Stalled'] });
    expect(s).toContainEqual({ parameter: 'Site', operator: 'eq', value: 'LCG.CERN.cern' });
    expect(s).toContainEqual({ parameter: 'JobID', operator: 'eq', value: 1234 });
    // "after 10:00:00" is DiracX's "gt 09:59:59" (it compares with the end of that second)
    expect(s).toContainEqual({ parameter: 'SubmissionTime', operator: 'gt', value: '2026-11-01 09:59:59' });
    expect(s).toContainEqual({ parameter: 'SubmissionTime', operator: 'lt', value: '2026-11-02 00:00:00' });
    expect(filterConditions(ada, { q: '50%_off' })).toEqual([{ parameter: 'JobName', operator: 'like', value: '%50__off%' }]);
    expect(filterConditions(alice, { status: ['Done'] }, ['status'])).toHaveLength(2);
  });

  it('sorts with a stable tie-breaker and refuses the owner filter to a scientist', () => {
    expect(sortSpec('Site', 'asc')).toEqual([
      { parameter: 'Site', direction: 'asc' },
      { parameter: 'JobID', direction: 'desc' },
    ]);
    expect(sortSpec('JobID', 'asc')).toEqual([{ parameter: 'JobID', direction: 'asc' }]);
    expect(forbiddenFilter(alice, { owner: 'paul' })).toMatch(/own jobs/);
    expect(forbiddenFilter(alice, { owner: 'alice' })).toBeNull();
    expect(forbiddenFilter(ada, { owner: 'paul' })).toBeNull();
  });
});

describe('search-bar conditions (any attribute, any DiracX operator)', () => {
  it('maps each operator to DiracX, numbers as numbers, times at DiracX resolution, "like" as contains', () => {
    expect(conditionSpec('Site:neq:LCG.CERN.cern')).toEqual({ parameter: 'Site', operator: 'neq', value: 'LCG.CERN.cern' });
    expect(conditionSpec('Status:not in:Done, Failed')).toEqual({ parameter: 'Status', operator: 'not in', values: ['Done', 'Failed'] });
    expect(conditionSpec('UserPriority:gt:3')).toEqual({ parameter: 'UserPriority', operator: 'gt', value: 3 });
    expect(conditionSpec('JobID:in:7,8')).toEqual({ parameter: 'JobID', operator: 'in', values: [7, 8] });
    expect(conditionSpec('HeartBeatTime:lt:2026-12-05T08:30')).toEqual({
      parameter: 'HeartBeatTime',
      operator: 'lt',
      value: '2026-12-05 08:30',
    });
    expect(conditionSpec('MinorStatus:like:upload')).toEqual({ parameter: 'MinorStatus', operator: 'like', value: '%upload%' });
    expect(conditionSpec('JobName:not like:cta_%')).toEqual({ parameter: 'JobName', operator: 'not like', value: 'cta_%' });
    // after the visibility conditions, ANDed with the other filters
    const s = filterConditions(alice, { site: 'X', where: ['Owner:eq:bob', 'JobType:eq:User'] });
    expect(s.slice(0, 2).map((c) => c.parameter)).toEqual(['VO', 'Owner']);
    expect(s.slice(-2)).toEqual([
      { parameter: 'Owner', operator: 'eq', value: 'bob' },
      { parameter: 'JobType', operator: 'eq', value: 'User' },
    ]);
  });

  it('refuses (400 at the querystring) unknown attributes, misplaced operators and values of the wrong kind', () => {
    const bad = (where: string | string[]) => JobSearchQuerySchema.safeParse({ where }).success;
    expect(JobSearchQuerySchema.parse({ where: 'Site:eq:A' }).where).toEqual(['Site:eq:A']);
    expect(bad(['Site:eq:A', 'Status:in:Done,Failed'])).toBe(true);
    expect(bad('Secret:eq:1')).toBe(false);
    expect(bad('Site:regex:.*')).toBe(false);
    expect(bad('SubmissionTime:like:2026')).toBe(false);
    expect(bad('SubmissionTime:gt:yesterday')).toBe(false);
    expect(bad('UserPriority:eq:high')).toBe(false);
    expect(bad('Site:eq:')).toBe(false);
    expect(bad('Site:eq:A,B')).toBe(true); // one value, with a comma in it
    expect(bad('Site:in:A,,B')).toBe(false);
    expect(bad('no-separators')).toBe(false);
    expect(bad(Array.from({ length: 21 }, () => 'Site:eq:A'))).toBe(false);
  });
});

describe('exports and sandboxes', () => {
  it('writes RFC 4180 CSV and neutralises cells a spreadsheet would run', () => {
    const csv = jobsCsv([{ jobId: 7, jobName: '=HYPERLINK("x")', status: 'Done', minorStatus: 'a, "b"' }]);
    const [header, row] = csv.split('\r\n');
    expect(header!.split(',')[0]).toBe('jobId');
    expect(row).toContain(`"'=HYPERLINK(""x"")"`);
    expect(row).toContain('"a, ""b"""');
  });

  it('keeps the chart answer bounded: the largest groups of a day, the rest as Other', () => {
    const many = Array.from({ length: 15 }, (_, i) => [`site-${i}`, 100 - i] as [string, number]);
    const folded = foldGroups(many);
    expect(Object.keys(folded)).toHaveLength(13);
    expect(folded['site-0']).toBe(100);
    expect(folded['site-12']).toBeUndefined();
    expect(folded.Other).toBe(88 + 87 + 86);
    expect(foldGroups([['Done', 2]])).toEqual({ Done: 2 });
  });

  it('reads the InputSandbox PFNs of a kept JDL', () => {
    const jdl =
      '[\n  Executable = "x";\n  InputSandbox = {"SB:SandboxSE|/S3/sb/escape/scientists/alice/sha256:ab.tar.zst", "local.txt"};\n]';
    expect(sandboxPfnsOfJdl(jdl)).toEqual(['SB:SandboxSE|/S3/sb/escape/scientists/alice/sha256:ab.tar.zst']);
    expect(sandboxPfnsOfJdl(null)).toEqual([]);
  });
});
