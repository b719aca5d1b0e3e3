/**
 * A small client of Zooniverse's Panoptes API for schedules that read "new classification data since the
 * last run" (issue #16). Written against Panoptes' documented API (github.com/zooniverse/panoptes,
 * docs/source/includes): no Panoptes server is reachable from here, so it is tested with a local HTTP
 * double (zooniverse.test.ts), not against Zooniverse itself.
 *
 * - Auth: OAuth client credentials, `POST <tokenUrl>` `{grant_type: "client_credentials", client_id,
 *   client_secret}` → `{access_token, expires_in}`, sent as `Authorization: Bearer …`; renewed a minute
 *   before it expires and once more on a 401.
 * - Every API call sends `Accept: application/vnd.api+json; version=1` (without it Panoptes answers 404).
 * - New classifications: `GET /api/classifications/project?project_id=…[&workflow_id=…]&last_id=N&sort=id
 *   &page_size=…`: classifications of a project the credential may edit, with ids greater than `last_id`;
 *   paged with `meta.classifications.next_page` (Panoptes returns no counts for this route).
 */
import fs from 'node:fs';
import { z } from 'zod';
import { HttpProblem } from '../errors.ts';

const url = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));

export const ZooniverseConfigSchema = z.object({
  label: z.string().min(1).default('Zooniverse'),
  /** Panoptes base URL (the API is under /api). */
  url: url.default('https://www.zooniverse.org'),
  /** OAuth token endpoint; default `<url>/oauth/token`. */
  tokenUrl: url.optional(),
  clientId: z.string().min(1),
  /** File whose first line is the OAuth application's secret. */
  clientSecretFile: z.string().min(1),
  timeoutMs: z.coerce.number().int().positive().default(15_000),
});
export type ZooniverseConfig = z.output<typeof ZooniverseConfigSchema>;

/** Most classifications asked per page (Panoptes' page_size). */
export const PANOPTES_PAGE_SIZE = 100;

export interface Classification {
  id: number;
  createdAt: string | null;
  workflowId: string | null;
  subjectIds: string[];
}

export interface ZooniverseClient {
  readonly label: string;
  /** Classifications with ids above `lastId`, oldest first, at most `limit`; `more` when Panoptes has further ones. */
  newClassifications(q: { projectId: string; workflowId?: string; lastId: number; limit: number }): Promise<{
    items: Classification[];
    more: boolean;
  }>;
}

const id = z.union([z.string(), z.number()]).transform(String);
const PageSchema = z.object({
  classifications: z.array(
    z.object({
      id: z.union([z.string().regex(/^\d{1,15}$/), z.number().int().nonnegative()]).transform(Number),
      created_at: z.string().nullable().optional(),
      links: z.object({ workflow: id.nullable().optional(), subjects: z.array(id).optional() }).optional(),
    }),
  ),
  meta: z.object({ classifications: z.object({ next_page: z.number().int().nullable().optional() }).optional() }).optional(),
});

export function createZooniverseClient(cfg: ZooniverseConfig, fetchImpl: typeof fetch = fetch): ZooniverseClient {
  let token: { value: string; renewAt: number } | null = null;

  async function call(href: string, init: RequestInit): Promise<Response> {
    try {
      return await fetchImpl(href, { ...init, signal: AbortSignal.timeout(cfg.timeoutMs) });
    } catch (err) {
      throw new HttpProblem(503, 'CATALOGUE_UNREACHABLE', `${cfg.label} is not reachable right now.`, {
        detail: (err as Error).message,
        cause: err,
      });
    }
  }

  async function newToken(): Promise<string> {
    let secret: string;
    try {
      secret = fs.readFileSync(cfg.clientSecretFile, 'utf8').split('\n')[0]!.trimEnd();
    } catch (err) {
      throw new HttpProblem(
        502,
        'CATALOGUE',
        `${cfg.label}: the portal's client secret file cannot be read; an administrator must fix it.`,
        {
          detail: (err as Error).message,
        },
      );
    }
    const res = await call(cfg.tokenUrl ?? `${cfg.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: cfg.clientId, client_secret: secret }),
    });
    const body = z
      .object({ access_token: z.string().min(1), expires_in: z.number().positive().optional() })
      .safeParse(await res.json().catch(() => null));
    if (!res.ok || !body.success)
      throw new HttpProblem(
        502,
        'CATALOGUE',
        `${cfg.label} refused the portal's OAuth client (HTTP ${res.status}); an administrator must fix it.`,
        {
          upstreamStatus: res.status,
        },
      );
    const lifetime = (body.data.expires_in ?? 7200) * 1000;
    token = { value: body.data.access_token, renewAt: Date.now() + Math.max(lifetime - 60_000, lifetime / 2) };
    return token.value;
  }

  async function get(path: string): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const bearer = token && Date.now() < token.renewAt ? token.value : await newToken();
      const res = await call(`${cfg.url}${path}`, {
        headers: { authorization: `Bearer ${bearer}`, accept: 'application/vnd.api+json; version=1', 'content-type': 'application/json' },
      });
      if (res.status === 401 && attempt === 0) {
        await res.body?.cancel();
        token = null;
        continue;
      }
      if (res.status === 404 || res.status === 403) {
        await res.body?.cancel();
        throw new HttpProblem(
          404,
          'NOT_FOUND',
          `${cfg.label} does not show this project's classifications to the portal (HTTP ${res.status}).`,
        );
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new HttpProblem(502, 'CATALOGUE', `${cfg.label} failed (HTTP ${res.status}).`, { upstreamStatus: res.status });
      }
      return res.json().catch((err: unknown) => {
        throw new HttpProblem(502, 'CATALOGUE', `${cfg.label} sent an answer the portal cannot read`, { detail: (err as Error).message });
      });
    }
  }

  return {
    label: cfg.label,
    async newClassifications({ projectId, workflowId, lastId, limit }) {
      const items: Classification[] = [];
      let more = true;
      for (let page = 1; more && items.length < limit; page++) {
        const params = new URLSearchParams({
          project_id: projectId,
          last_id: String(lastId),
          sort: 'id',
          page: String(page),
          page_size: String(PANOPTES_PAGE_SIZE),
        });
        if (workflowId) params.set('workflow_id', workflowId);
        const parsed = PageSchema.safeParse(await get(`/api/classifications/project?${params}`));
        if (!parsed.success)
          throw new HttpProblem(502, 'CATALOGUE', `${cfg.label} sent an answer the portal cannot read`, { detail: parsed.error.message });
        for (const c of parsed.data.classifications)
          if (c.id > lastId)
            items.push({
              id: c.id,
              createdAt: c.created_at ?? null,
              workflowId: c.links?.workflow ?? null,
              subjectIds: c.links?.subjects ?? [],
            });
        more = !!parsed.data.meta?.classifications?.next_page && parsed.data.classifications.length > 0;
      }
      return { items: items.slice(0, limit), more: more || items.length > limit };
    },
  };
}
