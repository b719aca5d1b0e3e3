/**
 * Data locality, pure part (issue #16): files with their replicas → per-file availability and, for every
 * site, what running there needs (read in place, stage from tape, transfer). No I/O: replicas.ts looks the
 * replicas up; this module is shared by the basket's locality answer and the locality-ranked queues.
 */
import {
  compareLocality,
  emptyLocalitySummary,
  type Availability,
  type FileLocality,
  type LocalitySummary,
  type Replica,
  type SiteLocality,
  type StorageElement,
  type StorageKind,
  type StorageUse,
} from '../../contracts/locality.ts';

/** Storage element → kind and sites, from the resource catalogue (with Rucio's rse_type as a fallback). */
export interface StorageMap {
  replica(se: string, rucioType?: 'DISK' | 'TAPE' | null): Replica;
}

export function storageMap(ses: readonly StorageElement[] | undefined): StorageMap {
  const byName = new Map((ses ?? []).map((s) => [s.name, s]));
  return {
    replica(se, rucioType) {
      const known = byName.get(se);
      // The catalogue's SEType wins; else Rucio's rse_type; else disk, DIRAC's default for an SE without SEType.
      const kind: StorageKind = known?.seType
        ? known.kind
        : rucioType === 'TAPE'
          ? 'tape'
          : rucioType === 'DISK'
            ? 'disk'
            : (known?.kind ?? 'disk');
      return { se, kind, sites: known ? [...known.sites] : [] };
    },
  };
}

/** A file as looked up: `replicas` null when the portal cannot know (ESAP items). */
export interface LookedUpFile {
  itemId: string;
  ref: string;
  name: string;
  bytes: number | null;
  source: FileLocality['source'];
  replicas: Replica[] | null;
}

function availabilityOf(replicas: Replica[] | null): Availability {
  if (replicas === null) return 'unknown';
  if (replicas.length === 0) return 'none';
  return replicas.some((r) => r.kind === 'disk') ? 'disk' : 'tape';
}

/** Per-file localities (one per ref: the first item naming a file keeps it) and the summary over all of them. */
export function summarizeLocality(
  looked: readonly LookedUpFile[],
  siteNames: readonly string[],
  extra: { rucioCalls: number; warnings: string[] },
): { summary: LocalitySummary; files: FileLocality[] } {
  const seen = new Set<string>();
  const files: FileLocality[] = [];
  for (const f of looked) {
    if (seen.has(f.ref)) continue;
    seen.add(f.ref);
    const replicas = [...(f.replicas ?? [])].sort((a, b) => (a.kind === b.kind ? a.se.localeCompare(b.se) : a.kind === 'disk' ? -1 : 1));
    files.push({
      itemId: f.itemId,
      ref: f.ref,
      name: f.name,
      bytes: f.bytes,
      source: f.source,
      availability: availabilityOf(f.replicas),
      replicas,
    });
  }

  const sites = new Map<string, SiteLocality>(
    siteNames.map((site) => [
      site,
      { site, localFiles: 0, localBytes: 0, stageFiles: 0, stageBytes: 0, transferFiles: 0, transferBytes: 0, transferFromTapeFiles: 0 },
    ]),
  );
  const storage = new Map<string, StorageUse>();
  const summary: LocalitySummary = {
    ...emptyLocalitySummary(),
    files: files.length,
    rucioCalls: extra.rucioCalls,
    warnings: extra.warnings,
  };

  for (const f of files) {
    const bytes = f.bytes ?? 0;
    if (f.bytes === null) summary.unknownSizeFiles += 1;
    summary.bytes += bytes;
    for (const r of f.replicas) {
      const use = storage.get(r.se) ?? { ...r, files: 0, bytes: 0 };
      use.files += 1;
      use.bytes += bytes;
      storage.set(r.se, use);
    }
    if (f.availability === 'unknown') summary.unknownFiles += 1;
    else if (f.availability === 'none') summary.noReplicaFiles += 1;
    else if (f.availability === 'tape') {
      summary.tapeOnlyFiles += 1;
      summary.tapeOnlyBytes += bytes;
    } else summary.diskFiles += 1;
    if (f.availability !== 'disk' && f.availability !== 'tape') continue;

    const diskSites = new Set(f.replicas.filter((r) => r.kind === 'disk').flatMap((r) => r.sites));
    const tapeSites = new Set(f.replicas.filter((r) => r.kind === 'tape').flatMap((r) => r.sites));
    for (const s of sites.values()) {
      if (diskSites.has(s.site)) {
        s.localFiles += 1;
        s.localBytes += bytes;
      } else if (tapeSites.has(s.site)) {
        s.stageFiles += 1;
        s.stageBytes += bytes;
      } else {
        s.transferFiles += 1;
        s.transferBytes += bytes;
        if (f.availability === 'tape') s.transferFromTapeFiles += 1;
      }
    }
  }
  summary.sites = [...sites.values()].sort(compareLocality);
  summary.storage = [...storage.values()].sort((a, b) => b.files - a.files || a.se.localeCompare(b.se));
  return { summary, files };
}
