import { z } from 'zod';
import { ChartGroupSchema } from '../../../contracts/monitor.ts';
import { ColumnListSchema } from './monitor-columns.ts';
import { monitorSearchParams, parseMonitorSearch } from './monitor-search.ts';

/**
 * Saved monitor views: named sets of filters, search conditions, columns, sort and chart grouping,
 * kept as the view's URL querystring (the one format the monitor already reads and checks).
 * Stored per instance and user in localStorage; exported and imported as a JSON file. Whatever
 * comes back (storage, a file) is parsed with zod and its querystring re-read by the monitor's parsers.
 */
export const MAX_VIEWS = 50;
export const SavedViewSchema = z.object({
  name: z.string().trim().min(1).max(64),
  search: z.string().max(8192),
});
export type SavedView = z.infer<typeof SavedViewSchema>;
export const VIEWS_FILE_KIND = 'escape-portal/monitor-views';
export const ViewsFileSchema = z.object({
  kind: z.literal(VIEWS_FILE_KIND),
  version: z.literal(1),
  views: z.array(SavedViewSchema).max(MAX_VIEWS),
});

/** A view's querystring in canonical form (page 1, defaults left out), with the names of the values it had to drop. */
export function canonicalView(search: string): { search: string; invalid: string[] } {
  const params = new URLSearchParams(search);
  const { query, invalid } = parseMonitorSearch(params);
  const out = monitorSearchParams({ ...query, page: 1 });
  const columns = params.get('columns');
  if (columns !== null) {
    const parsed = ColumnListSchema.safeParse(columns);
    if (parsed.success) out.set('columns', parsed.data.join(','));
    else invalid.push('columns');
  }
  const chartBy = params.get('chartBy');
  if (chartBy !== null) {
    const parsed = ChartGroupSchema.safeParse(chartBy);
    if (parsed.success) out.set('chartBy', parsed.data);
    else invalid.push('chartBy');
  }
  return { search: out.toString(), invalid };
}

type User = { instanceId: string; username: string };
const storageKey = (u: User) => `escape-portal:monitor-views:${u.instanceId}:${u.username}`;

/** Views from a file or storage: only well-formed ones whose every value the monitor accepts (canonicalised). */
export function readViews(json: unknown): { views: SavedView[]; refused: string[] } {
  const file = ViewsFileSchema.safeParse(json);
  if (!file.success) return { views: [], refused: [] };
  const views: SavedView[] = [];
  const refused: string[] = [];
  for (const v of file.data.views) {
    const c = canonicalView(v.search);
    if (c.invalid.length) refused.push(v.name);
    else views.push({ name: v.name, search: c.search });
  }
  return { views, refused };
}

export const viewsFile = (views: SavedView[]) => ({ kind: VIEWS_FILE_KIND, version: 1 as const, views });

export function loadViews(u: User): SavedView[] {
  try {
    const raw = localStorage.getItem(storageKey(u));
    return raw === null ? [] : readViews(JSON.parse(raw)).views;
  } catch {
    return [];
  }
}

export function storeViews(u: User, views: SavedView[]) {
  try {
    localStorage.setItem(storageKey(u), JSON.stringify(viewsFile(views)));
  } catch {
    // storage full or refused: the views stay for this session only
  }
}

/** Add or replace (same name) views, keeping at most MAX_VIEWS. */
export function mergeViews(current: SavedView[], added: SavedView[]): SavedView[] {
  const names = new Set(added.map((v) => v.name));
  return [...current.filter((v) => !names.has(v.name)), ...added].slice(-MAX_VIEWS);
}
