/**
 * The IRF finder (issue #16, the PI's "search for corresponding IRF"): for DL3 catalogue files, the
 * instrument response functions of the same array configuration (the file's telescopes) whose validity
 * period covers the file's observation date, as basket items.
 */
import { z } from 'zod';
import type { BasketItem } from '../../contracts/datasets.ts';
import type { Database } from '../db/database.ts';
import type { NewBasketItem } from './basket-repo.ts';
import { IN_CHUNK, placeholders } from './sql.ts';

const fileRow = z.object({ lfn: z.string(), telescope: z.string().nullable(), observation_date: z.string() });
const irfRow = z.object({
  lfn: z.string(),
  name: z.string(),
  array_config: z.string(),
  irf_type: z.string(),
  period_start: z.string(),
  period_end: z.string(),
  size_bytes: z.number().int(),
  checksum: z.string(),
  storage_element: z.string(),
});

export interface IrfMatch {
  dl3Files: number;
  irfs: NewBasketItem[];
  /** DL3 files no IRF matches. */
  withoutIrf: string[];
}

export async function findIrfs(db: Database, items: readonly BasketItem[]): Promise<IrfMatch> {
  const dl3 = items.filter((i) => i.kind === 'lfn' && i.dataLevel === 'DL3');
  // The catalogue's own telescope and date, not what the basket copied when the file was added.
  const files: z.infer<typeof fileRow>[] = [];
  const lfns = [...new Set(dl3.map((i) => i.ref))];
  for (let i = 0; i < lfns.length; i += IN_CHUNK) {
    const chunk = lfns.slice(i, i + IN_CHUNK);
    const rows = await db.query(
      `SELECT lfn, telescope, observation_date FROM dataset_files WHERE lfn IN (${placeholders(chunk.length)})`,
      chunk,
    );
    files.push(...rows.map((r) => fileRow.parse(r)));
  }
  const configs = [...new Set(files.flatMap((f) => (f.telescope ? [f.telescope] : [])))];
  // IRFs are few (configurations × periods): read those of the configurations at hand and match in memory.
  const irfs =
    configs.length === 0
      ? []
      : (
          await db.query(
            `SELECT * FROM dataset_irfs WHERE array_config IN (${placeholders(configs.length)}) ORDER BY period_start, name`,
            configs,
          )
        ).map((r) => irfRow.parse(r));
  const found = new Map<string, z.infer<typeof irfRow>>();
  const matched = new Set<string>();
  for (const f of files) {
    for (const irf of irfs) {
      if (irf.array_config === f.telescope && irf.period_start <= f.observation_date && f.observation_date <= irf.period_end) {
        found.set(irf.lfn, irf);
        matched.add(f.lfn);
      }
    }
  }
  const byLfn = new Map(dl3.map((i) => [i.ref, i.name]));
  return {
    dl3Files: lfns.length,
    irfs: [...found.values()].map((irf) => ({
      kind: 'lfn',
      ref: irf.lfn,
      name: irf.name,
      sizeBytes: irf.size_bytes,
      dataLevel: null,
      projectId: null,
      source: 'catalogue',
      meta: {
        irf: irf.irf_type,
        arrayConfig: irf.array_config,
        period: `${irf.period_start} – ${irf.period_end}`,
        checksum: irf.checksum,
        storageElement: irf.storage_element,
      },
    })),
    withoutIrf: lfns.filter((l) => !matched.has(l)).map((l) => byLfn.get(l) ?? l),
  };
}
