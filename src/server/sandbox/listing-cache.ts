/**
 * Sandbox listings kept by PFN, so reading a job's std.out again does not download and unpack its archive
 * again (under load that was most of the cost of a std.out read through the BFF).
 *
 * Safe to keep without expiry: DiracX names a sandbox by the checksum of its bytes
 * (`…/<user>/sha256:<hex>.<format>`) and hands out an upload URL only for a PFN not stored yet, so a PFN's
 * archive never changes. Only such PFNs are kept. The cache answers *what is in* an archive, never *who may
 * read it*: callers check on every request that the user may see the job and that the job has this sandbox.
 */
import { ArchiveRefused, type ListedMember } from './archive.ts';

/** An archive's regular files, null when the portal cannot list its format, or why it was refused. */
export type Listing = { members: ListedMember[] | null } | { refused: string };

/** DiracX's content-addressed sandbox names (diracx SANDBOX_PFN_REGEX ends in `<algorithm>:<checksum>.<format>`). */
const CONTENT_ADDRESSED = /\/sha256:[0-9a-f]{64}\.[a-z0-9.]+$/;

/** Bytes charged per entry and per member on top of their text: map entries, objects, strings. */
const ENTRY_OVERHEAD = 256;
const MEMBER_OVERHEAD = 128;

function weight(listing: Listing, key: string): number {
  if ('refused' in listing) return ENTRY_OVERHEAD + key.length + listing.refused.length;
  return (listing.members ?? []).reduce((n, m) => n + MEMBER_OVERHEAD + m.name.length * 2 + m.head.length, ENTRY_OVERHEAD + key.length);
}

export interface ListingCache {
  /**
   * The listing of `pfn` on DiracX instance `instance`: kept, or from `load` (one load per PFN at a time,
   * however many requests ask for it). A refusal (a bomb, a corrupt archive) is kept too: asking again
   * must not make the BFF unpack it again.
   */
  get(instance: string, pfn: string, load: () => Promise<ListedMember[] | null>): Promise<Listing>;
  readonly stats: { hits: number; misses: number; bytes: number; entries: number };
}

/** At most `maxBytes` of listings (each archive's heads are already bounded); the least recently read go first. */
export function createListingCache(maxBytes: number): ListingCache {
  const kept = new Map<string, { listing: Listing; bytes: number }>(); // insertion order = recency
  const loading = new Map<string, Promise<Listing>>();
  const stats = { hits: 0, misses: 0, bytes: 0, entries: 0 };

  function keep(key: string, listing: Listing) {
    const bytes = weight(listing, key);
    if (bytes > maxBytes) return;
    kept.set(key, { listing, bytes });
    stats.bytes += bytes;
    for (const [k, v] of kept) {
      if (stats.bytes <= maxBytes) break;
      kept.delete(k);
      stats.bytes -= v.bytes;
    }
    stats.entries = kept.size;
  }

  return {
    stats,
    async get(instance, pfn, load) {
      const cacheable = CONTENT_ADDRESSED.test(pfn);
      const key = `${instance}\n${pfn}`;
      const found = cacheable ? kept.get(key) : undefined;
      if (found) {
        stats.hits += 1;
        kept.delete(key);
        kept.set(key, found);
        return found.listing;
      }
      const pending = loading.get(key);
      if (pending) {
        stats.hits += 1;
        return pending;
      }
      stats.misses += 1;
      const run = load().then(
        (members): Listing => ({ members }),
        (err: unknown): Listing => {
          if (err instanceof ArchiveRefused) return { refused: err.message };
          throw err; // DiracX or S3 failing is not a fact about the archive: not kept
        },
      );
      if (!cacheable) return run;
      loading.set(key, run);
      try {
        const listing = await run;
        keep(key, listing);
        return listing;
      } finally {
        loading.delete(key);
      }
    },
  };
}
