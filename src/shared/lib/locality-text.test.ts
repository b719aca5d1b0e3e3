import { describe, expect, it } from 'vitest';
import { siteLocality } from '../testing/locality-fixtures.ts';
import { siteLocalityPhrases } from './locality-text.ts';

const base = siteLocality({ site: 'S' });

describe('siteLocalityPhrases', () => {
  it('words the issue’s three cases', () => {
    expect(siteLocalityPhrases({ ...base, localFiles: 120, localBytes: 1 })).toEqual(["all 120 files on disk at this site's storage"]);
    expect(siteLocalityPhrases({ ...base, transferFiles: 40, transferBytes: 38e9 })).toEqual(['38 GB must be transferred (40 files)']);
    expect(siteLocalityPhrases({ ...base, localFiles: 1, localBytes: 2e9, stageFiles: 8, stageBytes: 16e9 })).toEqual([
      "1 file (2 GB) on disk at this site's storage",
      '8 files only on tape: staging needed (16 GB)',
    ]);
    expect(siteLocalityPhrases({ ...base, localFiles: 1, localBytes: 5 })).toEqual(["the file is on disk at this site's storage"]);
    expect(siteLocalityPhrases(base)).toEqual(['no input file has a known replica']);
  });
});
