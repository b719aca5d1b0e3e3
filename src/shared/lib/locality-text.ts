/** How the pages word data locality (basket, launch page, resource step): one wording for all. */
import type { Availability, Replica, SiteLocality } from '../../contracts/locality.ts';
import { formatBytes, plural } from './format.ts';

/** "all 120 files on disk at this site's storage", "38 GB must be transferred", "8 files only on tape: staging needed". */
export function siteLocalityPhrases(l: SiteLocality): string[] {
  const readable = l.localFiles + l.stageFiles + l.transferFiles;
  if (readable === 0) return ['no input file has a known replica'];
  const out: string[] = [];
  if (l.localFiles === readable)
    out.push(
      readable === 1 ? "the file is on disk at this site's storage" : `all ${plural(readable, 'file')} on disk at this site's storage`,
    );
  else if (l.localFiles > 0) out.push(`${plural(l.localFiles, 'file')} (${formatBytes(l.localBytes)}) on disk at this site's storage`);
  if (l.transferFiles > 0) {
    const fromTape = l.transferFromTapeFiles > 0 ? `, ${plural(l.transferFromTapeFiles, 'file')} of them staged from tape first` : '';
    out.push(`${formatBytes(l.transferBytes)} must be transferred (${plural(l.transferFiles, 'file')}${fromTape})`);
  }
  if (l.stageFiles > 0) out.push(`${plural(l.stageFiles, 'file')} only on tape: staging needed (${formatBytes(l.stageBytes)})`);
  return out;
}

/** "CTA-PIC-TAPE (tape, HPC.MareNostrum.es)", "CTA-CNAF-DISK (disk, no site of this portal)". */
export function replicaText(r: Replica): string {
  return `${r.se} (${r.kind}, ${r.sites.length > 0 ? r.sites.join(', ') : 'no site of this portal'})`;
}

export const AVAILABILITY_TEXT: Record<Availability, string> = {
  disk: 'On disk',
  tape: 'Only on tape: staging needed',
  none: 'No replica found',
  unknown: 'Unknown',
};
