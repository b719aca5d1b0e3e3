/**
 * The role matrix, generated from /bff/openapi.json: every documented route × no token / each demo role / another
 * user's ids, each cell with the status it must give. A route without a row (or a row without a route) fails the
 * suite, so a new route states who may call it. The DiracX double answers what the routes need to get past
 * access control; what happens after (DiracX's answers) is other tests' business.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { problems } from './errors.ts';
import { helloWorldLaunch } from './testing/hello-world.ts';
import { demoPrincipal, TEST_INSTANCE, type DemoRole } from './testing/principal.ts';
import { accessControlDiracx, unitApp } from './testing/unit-app.ts';

type Role = DemoRole;
const ROLES: Role[] = ['scientist', 'pi', 'admin'];

/**
 * `public`: no token needed. `roles`: the status a role gets instead of passing access control (403 = refused).
 * `owned`: the path's id names a resource of its owner only: alice's id gives others 404 (never 403: not even
 * its existence leaks). `query`: what makes the request valid enough to reach the access check.
 */
interface Row {
  public?: true;
  roles?: Partial<Record<Role, 403>>;
  owned?: 'launch' | 'draft' | 'schedule' | 'basketItem';
  /** Exceptions to the 404 of `owned` for the PI and the admin (admins see, pause and delete every schedule). */
  foreign?: Partial<Record<'pi' | 'admin', 'allowed' | 403>>;
  query?: string;
  body?: object;
}
// Admins moderate schedules (see, pause, delete); acting with the owner's authorization stays the owner's.
const SCHEDULE_ADMIN_SEES: Row = { owned: 'schedule', foreign: { admin: 'allowed' } };
const SCHEDULE_OWNER_ONLY: Row = { owned: 'schedule', foreign: { admin: 403 } };
const ADMIN_ONLY: Row['roles'] = { scientist: 403, pi: 403 };
const USAGE = 'from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z';

const MATRIX: Record<string, Row> = {
  'GET /bff/healthz': { public: true },
  'GET /bff/livez': { public: true },
  'GET /bff/readyz': { public: true },
  'GET /bff/v1/instances': { public: true },
  'GET /bff/v1/instances/{id}/oidc/.well-known/openid-configuration': { public: true },
  'POST /bff/v1/instances/{id}/oidc/token': { public: true },
  'POST /bff/v1/instances/{id}/oidc/revoke': { public: true },
  'GET /bff/v1/schedules/authorize/callback': { public: true },
  'GET /bff/v1/me': {},
  'GET /bff/v1/jobs': {},
  'GET /bff/v1/jobs/{jobId}': {},
  'GET /bff/v1/jobs/summary': {},
  'GET /bff/v1/jobs/timeline': {},
  'POST /bff/v1/jobs/actions': {},
  'GET /bff/v1/jobs/export': {},
  'GET /bff/v1/jobs/{jobId}/sandboxes': {},
  'GET /bff/v1/jobs/{jobId}/sandboxes/download': {},
  'GET /bff/v1/jobs/{jobId}/sandboxes/contents': {},
  'GET /bff/v1/resources': {},
  'POST /bff/v1/resources/fit': {},
  'GET /bff/v1/workflows': {},
  'GET /bff/v1/workflows/{id}': {},
  'POST /bff/v1/workflows/{id}/validate': {},
  'GET /bff/v1/admin/applications': { roles: ADMIN_ONLY },
  'POST /bff/v1/admin/applications/check': { roles: ADMIN_ONLY, body: { descriptor: '{}' } },
  'POST /bff/v1/admin/applications': { roles: ADMIN_ONLY, body: { id: 'matrix-app', as: 'new', descriptor: '{}' } },
  'POST /bff/v1/admin/applications/import/zenodo': { roles: ADMIN_ONLY, body: { id: 'matrix-app', as: 'new' } },
  'GET /bff/v1/admin/applications/{appId}/versions/{version}': { roles: ADMIN_ONLY },
  'POST /bff/v1/admin/applications/{appId}/versions/{version}/{action}': { roles: ADMIN_ONLY },
  'DELETE /bff/v1/admin/applications/{appId}/versions/{version}': { roles: ADMIN_ONLY },
  'GET /bff/v1/datasets/projects': {},
  'GET /bff/v1/datasets/files': {},
  'GET /bff/v1/datasets/sources': {},
  'GET /bff/v1/datasets/rucio/dids': {},
  'GET /bff/v1/datasets/rucio/files': {},
  'GET /bff/v1/basket': {},
  'DELETE /bff/v1/basket': {},
  'POST /bff/v1/basket/items': {},
  'PATCH /bff/v1/basket/items': {},
  'POST /bff/v1/basket/rucio': {},
  'POST /bff/v1/basket/esap': {},
  'POST /bff/v1/basket/rucio-search': {},
  'POST /bff/v1/basket/locality': {},
  'POST /bff/v1/basket/irfs': {},
  'DELETE /bff/v1/basket/items/{itemId}': { owned: 'basketItem' },
  'POST /bff/v1/launches/preview': {},
  'POST /bff/v1/launches': {},
  'GET /bff/v1/launches': {},
  'GET /bff/v1/launches/{launchId}': { owned: 'launch' },
  'GET /bff/v1/launch-drafts': {},
  'POST /bff/v1/launch-drafts': {},
  'GET /bff/v1/launch-drafts/{draftId}': { owned: 'draft' },
  'PATCH /bff/v1/launch-drafts/{draftId}': { owned: 'draft', body: { name: 'renamed' } },
  'DELETE /bff/v1/launch-drafts/{draftId}': { owned: 'draft' },
  'GET /bff/v1/productions': {},
  'GET /bff/v1/productions/{productionId}': {},
  'GET /bff/v1/productions/{productionId}/progress': {},
  'GET /bff/v1/productions/{productionId}/failures/stderr': {},
  'POST /bff/v1/productions/{productionId}/actions/{action}': {},
  'GET /bff/v1/productions/{productionId}/outputs': {},
  'GET /bff/v1/productions/{productionId}/outputs/preview': { query: 'lfn=/escape/user/a/alice/g/1/x.h5' },
  'GET /bff/v1/productions/{productionId}/outputs/file': { query: 'lfn=/escape/user/a/alice/g/1/x.h5' },
  'GET /bff/v1/productions/{productionId}/outputs/archive': {},
  'POST /bff/v1/productions/{productionId}/outputs/basket': {},
  'GET /bff/v1/accounting/usage': { roles: ADMIN_ONLY, query: USAGE },
  'GET /bff/v1/accounting/usage.csv': { roles: ADMIN_ONLY, query: USAGE },
  'POST /bff/v1/schedules/preview': {},
  'GET /bff/v1/schedules': {},
  'POST /bff/v1/schedules': {},
  'GET /bff/v1/schedules/{scheduleId}': SCHEDULE_ADMIN_SEES,
  'PATCH /bff/v1/schedules/{scheduleId}': { ...SCHEDULE_OWNER_ONLY, body: { name: 'renamed' } },
  'DELETE /bff/v1/schedules/{scheduleId}': SCHEDULE_ADMIN_SEES,
  'GET /bff/v1/schedules/{scheduleId}/files': SCHEDULE_ADMIN_SEES,
  'POST /bff/v1/schedules/{scheduleId}/pause': SCHEDULE_ADMIN_SEES,
  'POST /bff/v1/schedules/{scheduleId}/resume': SCHEDULE_OWNER_ONLY,
  'POST /bff/v1/schedules/{scheduleId}/run-now': SCHEDULE_OWNER_ONLY,
  'POST /bff/v1/schedules/{scheduleId}/authorize': SCHEDULE_OWNER_ONLY,
  'POST /bff/v1/schedules/revoke-all': {},
  'GET /bff/v1/notifications': {},
  'POST /bff/v1/notifications/read': {},
};

const auth = (role: Role) => ({ authorization: `Bearer role-${role}` });
const SOME_UUID = '00000000-0000-4000-8000-000000000001';

describe('role matrix (generated from /bff/openapi.json)', () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let routes: { key: string; method: string; path: string }[] = [];
  const owned: Record<NonNullable<Row['owned']>, string> = { launch: '', draft: '', schedule: '', basketItem: '' };

  beforeAll(async () => {
    ({ app, close } = await unitApp({
      instances: [TEST_INSTANCE],
      diracx: accessControlDiracx,
      config: { scheduleKey: 'k'.repeat(43) + '=', scheduleMinIntervalMinutes: 5 },
      verifyToken: async (token) => {
        const role = token.replace(/^role-/, '') as Role;
        if (!ROLES.includes(role)) throw problems.unauthenticated('The access token is invalid');
        return demoPrincipal(role);
      },
    }));
    const doc = (await app.inject({ method: 'GET', url: '/bff/openapi.json' })).json<{ paths: Record<string, object> }>();
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => ({ key: `${m.toUpperCase()} ${path}`, method: m.toUpperCase(), path })),
    );
    // alice's resources, for the "another user's ids" column
    const launch = await app.inject({
      method: 'POST',
      url: '/bff/v1/launches',
      headers: auth('scientist'),
      payload: helloWorldLaunch('matrix-00000001'),
    });
    owned.launch = launch.json().id;
    const draft = await app.inject({
      method: 'POST',
      url: '/bff/v1/launch-drafts',
      headers: auth('scientist'),
      payload: { name: 'mine', workflowId: 'hello-world', content: { form: {}, settings: {} } },
    });
    owned.draft = draft.json().id;
    const schedule = await app.inject({
      method: 'POST',
      url: '/bff/v1/schedules',
      headers: auth('scientist'),
      payload: {
        name: 'mine',
        launch: { name: 'x', workflowId: 'hello-world', values: { GREETING: 'Hello', MESSAGE: 'm' } },
        spec: { recurrence: { kind: 'interval', every: 5, unit: 'minutes' }, timezone: 'UTC', startAt: '2030-01-01T00:00:00Z' },
      },
    });
    owned.schedule = schedule.json().id;
    const basket = await app.inject({
      method: 'POST',
      url: '/bff/v1/basket/rucio',
      headers: auth('scientist'),
      payload: { dids: 'cta:file-1.fits' },
    });
    owned.basketItem = basket.json().basket?.items?.[0]?.id ?? '';
    for (const [what, id] of Object.entries(owned)) expect(id, `alice's ${what} for the matrix`).toBeTruthy();
  }, 60_000);
  afterAll(() => close());

  it('has exactly one row per documented route', () => {
    expect(routes.map((r) => r.key).sort()).toEqual(Object.keys(MATRIX).sort());
  });

  const request = (method: string, path: string, row: Row, headers: Record<string, string>, id = SOME_UUID) =>
    app.inject({
      method: method as 'GET',
      url: `${path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'jobId' ? '42' : name === 'action' ? 'reschedule' : id))}${row.query ? `?${row.query}` : ''}`,
      headers,
      ...(method === 'GET' || method === 'DELETE' ? {} : { payload: row.body ?? {} }),
    });

  it('no token: 401 problem+json on every protected route; public routes answer without one', async () => {
    const wrong: string[] = [];
    for (const r of routes) {
      const row = MATRIX[r.key]!;
      const res = await request(r.method, r.path, row, {});
      const ok = row.public ? res.statusCode !== 401 && res.statusCode !== 403 : res.statusCode === 401;
      if (!ok) wrong.push(`${r.key}: ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });

  it('each role: refused (403) exactly where the matrix says, let through everywhere else', async () => {
    const wrong: string[] = [];
    for (const r of routes) {
      const row = MATRIX[r.key]!;
      if (row.public) continue;
      for (const role of ROLES) {
        const res = await request(r.method, r.path, row, auth(role));
        const expected = row.roles?.[role];
        const ok = expected ? res.statusCode === expected : res.statusCode !== 401 && res.statusCode !== 403;
        if (!ok) wrong.push(`${r.key} as ${role}: ${res.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("another user's ids: 404 for everyone but the owner (and admins where the matrix says), who get past the check", async () => {
    const wrong: string[] = [];
    const passed = (status: number) => status !== 401 && status !== 403 && status !== 404;
    const ownedRoutes = routes.filter((r) => MATRIX[r.key]!.owned);
    // the owner first, DELETE routes last: they remove the resource
    for (const r of ownedRoutes.filter((x) => x.method !== 'DELETE')) {
      const row = MATRIX[r.key]!;
      const res = await request(r.method, r.path, row, auth('scientist'), owned[row.owned!]);
      if (!passed(res.statusCode)) wrong.push(`${r.key} as alice: ${res.statusCode}`);
    }
    for (const r of [...ownedRoutes.filter((x) => x.method !== 'DELETE'), ...ownedRoutes.filter((x) => x.method === 'DELETE')]) {
      const row = MATRIX[r.key]!;
      for (const role of ['pi', 'admin'] as const) {
        const expected = row.foreign?.[role] ?? 404;
        const res = await request(r.method, r.path, row, auth(role), owned[row.owned!]);
        const ok = expected === 'allowed' ? passed(res.statusCode) : res.statusCode === expected;
        if (!ok) wrong.push(`${r.key} as ${role} on alice's ${row.owned}: ${res.statusCode} (expected ${expected})`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
