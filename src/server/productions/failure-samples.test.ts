import { describe, expect, it } from 'vitest';
import type { DiracxClient } from '../diracx/client.ts';
import { sandboxArchive } from '../sandbox/tar.ts';
import { failureSamples, tailOf } from './failure-samples.ts';

describe('failure samples (the std.err tail per minor status)', () => {
  it('keeps the end of a long std.err, starting at a line when one starts near the cut', () => {
    expect(tailOf('short')).toBe('short');
    const long = `${'x'.repeat(50)}\n${'y'.repeat(30)}\nend\n`;
    expect(tailOf(long, 40)).toBe(`${'y'.repeat(30)}\nend\n`);
    expect(tailOf('z'.repeat(100), 10)).toBe('z'.repeat(10));
  });

  it('reads one std.err per minor status, the newest job of the most frequent kinds first, and notes what it cannot read', async () => {
    const archive = sandboxArchive([
      { name: 'std.out', content: Buffer.from('computing\n') },
      { name: 'std.err', content: Buffer.from('[site] input data: /cta/x.fits: no replica\n') },
    ]);
    const rows = [
      { JobID: 9, MinorStatus: 'Input Data Resolution', ApplicationStatus: '/cta/x.fits: no replica' },
      { JobID: 8, MinorStatus: 'Application Finished With Errors', ApplicationStatus: 'Exit code 3' },
      { JobID: 7, MinorStatus: 'Input Data Resolution', ApplicationStatus: '/cta/y.fits: no replica' },
    ];
    // A narrow double: the job search, then the output sandbox of job 9 (job 8 has none).
    const dx = {
      searchJobs: () => Promise.resolve({ rows, total: 3 }),
      jobSandboxes: (_t: string, id: number) => Promise.resolve({ Input: [], Output: id === 9 ? [`SB:S3|/s/x.${archive.format}`] : [] }),
      sandboxDownloadUrl: () => Promise.resolve({ url: 'http://s3/x', expires_in: 60 }),
      fetchPresigned: () => Promise.resolve(new Response(archive.bytes)),
    } as unknown as DiracxClient;
    const out = await failureSamples(dx, 'token', [], 6);
    expect(out).toEqual({
      looked: 3,
      truncated: false,
      items: [
        {
          minorStatus: 'Input Data Resolution',
          applicationStatus: '/cta/x.fits: no replica',
          jobId: 9,
          count: 2,
          stderrTail: '[site] input data: /cta/x.fits: no replica\n',
          note: null,
        },
        {
          minorStatus: 'Application Finished With Errors',
          applicationStatus: 'Exit code 3',
          jobId: 8,
          count: 1,
          stderrTail: null,
          note: 'This job has no output sandbox.',
        },
      ],
    });
    expect((await failureSamples(dx, 'token', [], 1)).items).toHaveLength(1);
  });
});
