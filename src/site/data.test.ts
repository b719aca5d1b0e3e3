import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { didOfLfn, outputLfn, productionDataset } from '../contracts/outputs.ts';
import { localPathOf } from '../server/productions/outputs.ts';
import { adler32 } from './data.ts';

describe('job data naming and checksums (issue #12)', () => {
  it('computes adler32 as Rucio records it (checked against zlib-independent known values)', () => {
    expect(adler32(Buffer.from('Wikipedia'))).toBe('11e60398');
    expect(adler32(Buffer.alloc(0))).toBe('00000001');
    // Long inputs cross the modulo reduction boundary (5552 bytes) many times.
    const big = crypto.createHash('sha256').update('x').digest();
    const buf = Buffer.concat(Array.from({ length: 4000 }, () => big));
    expect(adler32(buf)).toMatch(/^[0-9a-f]{8}$/);
    expect(adler32(buf)).not.toBe(adler32(Buffer.concat([buf, Buffer.from([1])])));
  });

  it('maps LFNs to DIDs the DIRAC/Rucio way: user LFNs to user.<name>, others to their first segment', () => {
    expect(didOfLfn('/escape/user/a/alice/g-1/42/out.h5')).toEqual({ scope: 'user.alice', name: '/escape/user/a/alice/g-1/42/out.h5' });
    expect(didOfLfn('/cta/prod/2024/P/DL0/x.fits.fz')).toEqual({ scope: 'cta', name: '/cta/prod/2024/P/DL0/x.fits.fz' });
  });

  it("puts a job's outputs under the owner's JobGroup/JobID directory, or the JDL's OutputPath", () => {
    expect(outputLfn({ vo: 'escape', owner: 'alice', jobGroup: 'dl3-ab', jobId: 7, file: 'x.DL3.h5' })).toBe(
      '/escape/user/a/alice/dl3-ab/7/x.DL3.h5',
    );
    expect(outputLfn({ vo: 'escape', owner: 'alice', jobId: 7, outputPath: '/run5/', file: 'sub/x.h5' })).toBe(
      '/escape/user/a/alice/run5/x.h5',
    );
    expect(productionDataset('escape', 'alice', 'dl3-ab')).toEqual({ scope: 'user.alice', name: '/escape/user/a/alice/dl3-ab' });
  });

  it('reads only file:// PFNs as local paths', () => {
    expect(localPathOf('file://localhost/srv/se/cta//cta/x')).toBe('/srv/se/cta/cta/x');
    expect(localPathOf('https://dcache.example.org:2880/x')).toBeNull();
  });
});
