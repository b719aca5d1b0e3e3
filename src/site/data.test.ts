import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { didOfLfn, outputLfn, productionDataset } from '../contracts/outputs.ts';
import { HttpProblem } from '../server/errors.ts';
import { localPathOf } from '../server/productions/outputs.ts';
import { adler32, retryRucio } from './data.ts';

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

describe('Rucio failures on its side (retryRucio)', () => {
  it('tries again after a 5xx or an unreachable Rucio, but not after a refusal, and gives up after three tries', async () => {
    const failing = (errors: HttpProblem[]) => {
      let calls = 0;
      const call = () => {
        calls += 1;
        const err = errors[calls - 1];
        return err ? Promise.reject(err) : Promise.resolve('registered');
      };
      return { call, calls: () => calls };
    };
    const locked = new HttpProblem(502, 'CATALOGUE', 'Rucio failed: DatabaseException', { upstreamStatus: 500 });
    const once = failing([locked]);
    expect(await retryRucio(once.call)).toBe('registered');
    expect(once.calls()).toBe(2);

    const refused = failing([new HttpProblem(400, 'CATALOGUE', 'Rucio: InvalidObject')]);
    await expect(retryRucio(refused.call)).rejects.toThrow('InvalidObject');
    expect(refused.calls()).toBe(1);

    const down = new HttpProblem(503, 'CATALOGUE_UNREACHABLE', 'Rucio is not reachable right now');
    const always = failing([down, down, down]);
    await expect(retryRucio(always.call)).rejects.toThrow('not reachable');
    expect(always.calls()).toBe(3);
  });
});
