import { emptyLocalitySummary, type LocalitySummary, type SiteLocality } from '../../contracts/locality.ts';

/** A site's locality with nothing to read, stage or transfer, and what the test sets. */
export const siteLocality = (over: Partial<SiteLocality> & Pick<SiteLocality, 'site'>): SiteLocality => ({
  localFiles: 0,
  localBytes: 0,
  stageFiles: 0,
  stageBytes: 0,
  transferFiles: 0,
  transferBytes: 0,
  transferFromTapeFiles: 0,
  ...over,
});

/** A locality summary of no files: tests spread what they need over it. */
export const emptyLocality: LocalitySummary = emptyLocalitySummary();
