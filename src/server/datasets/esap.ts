/**
 * ESAP (ESCAPE Scientific Analysis Platform) shopping baskets → basket items.
 *
 * Format, as produced by ESCAPE's esap-api-gateway and esap-gui:
 * - `GET /esap-api/accounts/user-profiles/` answers `{count, results: [{user_name, …, shopping_cart}]}`
 *   (esap/accounts/api/serializers.py; the Python shopping client reads `results[0].shopping_cart`);
 * - each cart entry is `{item_data, user_profile}` where `item_data` is the item as JSON text
 *   (`json.dumps` on save; older gateways stored Python's `str(dict)`, with single quotes);
 * - the item itself is what esap-gui's result tables put in the basket:
 *   `{archive: "rucio", record: <Rucio DID record: scope, name, type, bytes…>}`,
 *   `{archive: "astron_vo" | "apertif" | "lofar" | …, record: <query result row: title, url, PID…>}`,
 *   `{archive: "zooniverse", catalog: "project" | "workflow", project_id, workflow_id?, category}`.
 *
 * Rucio items become Rucio DIDs (`scope:name`); items of other archives are kept as references
 * `<archive>:<record id>` with a little metadata. Entries that cannot be used are reported with a reason.
 */
import { RUCIO_NAME_PATTERN, RUCIO_SCOPE_PATTERN, type BasketMetaValue, type EsapBasketImport } from '../../contracts/datasets.ts';
import { commandTextReason } from '../../contracts/text.ts';
import type { NewBasketItem } from './basket-repo.ts';

export type EsapMapping = { ok: true; item: NewBasketItem } | { ok: false; reason: string };

/** The shopping cart inside whichever shape was sent. */
export function esapCart(body: EsapBasketImport): unknown[] {
  if (Array.isArray(body)) return body;
  if ('shopping_cart' in body && Array.isArray(body.shopping_cart)) return body.shopping_cart;
  if ('results' in body && Array.isArray(body.results)) return body.results[0]?.shopping_cart ?? [];
  return [];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON text, or the Python `str(dict)` form older ESAP gateways stored. */
function parseItemData(text: string): Obj | null {
  const attempts = [
    text,
    text
      .replace(/'/g, '"')
      .replace(/\bNone\b/g, 'null')
      .replace(/\bTrue\b/g, 'true')
      .replace(/\bFalse\b/g, 'false'),
  ];
  for (const attempt of attempts) {
    try {
      const v: unknown = JSON.parse(attempt);
      if (isObj(v)) return v;
    } catch {
      // try the next form
    }
  }
  return null;
}

const str = (v: unknown): string | null => {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
};
const clip = (s: string, max = 500) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const nonNegInt = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null);

function scalarMeta(entries: Record<string, unknown>): Record<string, BasketMetaValue> {
  const out: Record<string, BasketMetaValue> = {};
  for (const [k, v] of Object.entries(entries)) {
    if (typeof v === 'string' && v !== '') out[k] = clip(v);
    else if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  return out;
}

const ARCHIVE_PATTERN = /^[A-Za-z0-9_.-]{1,40}$/;
/** Record fields that identify a result row, most specific first. */
const ID_FIELDS = ['id', 'PID', 'pid', 'did', 'obs_publisher_did', 'obs_id', 'doi', 'url', 'access_url'] as const;

function rucioItem(data: Obj): EsapMapping {
  const record = isObj(data.record) ? data.record : data;
  let scope = str(record.scope);
  let name = str(record.name);
  const did = str(record.did);
  if ((!scope || !name) && did && did.includes(':')) {
    scope = did.slice(0, did.indexOf(':'));
    name = did.slice(did.indexOf(':') + 1);
  }
  if (!scope || !name) return { ok: false, reason: 'Rucio item without a DID: its record has no scope and name' };
  if (!RUCIO_SCOPE_PATTERN.test(scope))
    return { ok: false, reason: `Rucio scope "${clip(scope, 60)}" is not valid (1 to 25 letters, digits, ".", "_" or "-")` };
  if (!RUCIO_NAME_PATTERN.test(name))
    return { ok: false, reason: `Rucio name "${clip(name, 60)}" is not valid (1 to 250 letters, digits, ".", "_", "-" or "/")` };
  return {
    ok: true,
    item: {
      kind: 'rucio',
      ref: `${scope}:${name}`,
      name,
      sizeBytes: nonNegInt(record.bytes),
      dataLevel: null,
      projectId: null,
      source: 'esap',
      meta: scalarMeta({ archive: 'rucio', scope, didType: record.type ?? record.did_type, adler32: record.adler32, md5: record.md5 }),
    },
  };
}

/** Longest record identifier kept (a reference is `<archive>:<id>`; VO publisher DIDs and URLs are the long ones). */
export const MAX_ESAP_ID = 1000;

/**
 * Why an identifier cannot become a basket reference, or null. A reference reaches a job's command line as an
 * input value, shell-quoted in the launch's wrapper script (never in the JDL), so what ESAP ids really hold —
 * URLs with `?`, `&`, `'`, `;`, IVOA ids with `#`, brackets — passes as it is; only control characters (a NUL
 * included) are refused, and length is bounded.
 */
function unusableId(id: string): string | null {
  if (id.length > MAX_ESAP_ID) return `"${clip(id, 60)}" cannot be used: longer than ${MAX_ESAP_ID} characters`;
  const reason = commandTextReason(id);
  return reason ? `"${clip(id, 60)}" cannot be used: ${reason.replace(' in a parameter value', '')}` : null;
}

function zooniverseItem(data: Obj): EsapMapping {
  const catalog = str(data.catalog);
  const projectId = str(data.project_id);
  const workflowId = str(data.workflow_id);
  const category = str(data.category);
  if (!catalog || !projectId) return { ok: false, reason: 'Zooniverse item without a catalog and project_id' };
  const id = [catalog, projectId, ...(catalog === 'workflow' && workflowId ? [workflowId] : []), ...(category ? [category] : [])].join('/');
  const unusable = unusableId(id);
  if (unusable) return { ok: false, reason: `Zooniverse identifier ${unusable}` };
  const what = catalog === 'workflow' && workflowId ? `workflow ${workflowId} of project ${projectId}` : `project ${projectId}`;
  return {
    ok: true,
    item: {
      kind: 'esap',
      ref: `zooniverse:${id}`,
      name: `Zooniverse ${what}${category ? ` (${category})` : ''}`,
      sizeBytes: null,
      dataLevel: null,
      projectId: null,
      source: 'esap',
      meta: scalarMeta({ archive: 'zooniverse', recordId: id, catalog, zooniverseProject: projectId, workflow: workflowId, category }),
    },
  };
}

function recordItem(archive: string, data: Obj): EsapMapping {
  if (!isObj(data.record)) return { ok: false, reason: `"${archive}" item without a record` };
  const record = data.record;
  let id: string | null = null;
  for (const field of ID_FIELDS) {
    id = str(record[field]);
    if (id) break;
  }
  if (!id) return { ok: false, reason: `"${archive}" record has no identifier (looked for ${ID_FIELDS.join(', ')})` };
  const ref = `${archive}:${id}`;
  const unusable = unusableId(id);
  if (unusable) return { ok: false, reason: `"${archive}" record identifier ${unusable}` };
  const named = [record.title, record.name, record.target, record.dataset_name].map(str).find((s) => s !== null && s !== 'unknown');
  return {
    ok: true,
    item: {
      kind: 'esap',
      ref,
      name: clip(named ?? id, 200),
      sizeBytes: null,
      dataLevel: null,
      projectId: null,
      source: 'esap',
      meta: scalarMeta({
        archive,
        recordId: id,
        url: record.url ?? record.access_url,
        dataset: record.dataset,
        collection: record.collection ?? record.obs_collection,
        facility: record.facility,
        instrument: record.instrument,
        dataproductType: record.dataproduct_type,
      }),
    },
  };
}

/** One cart entry → a basket item, or the reason it cannot be imported. */
export function mapEsapItem(entry: unknown): EsapMapping {
  if (!isObj(entry)) return { ok: false, reason: 'not an object' };
  let data: Obj = entry;
  if ('item_data' in entry) {
    const raw = entry.item_data;
    const parsed = typeof raw === 'string' ? parseItemData(raw) : isObj(raw) ? raw : null;
    if (!parsed) return { ok: false, reason: 'item_data is not a JSON object' };
    data = parsed;
  }
  const archive = str(data.archive);
  if (!archive) return { ok: false, reason: 'no "archive" given, so the item cannot be interpreted' };
  if (!ARCHIVE_PATTERN.test(archive)) return { ok: false, reason: `unknown archive "${clip(archive, 40)}"` };
  if (archive === 'rucio') return rucioItem(data);
  if (archive === 'zooniverse') return zooniverseItem(data);
  return recordItem(archive, data);
}
