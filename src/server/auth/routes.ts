/**
 * Public routes for signing in: the list of DiracX instances (with VOs and
 * groups for the login picker), and relays of DiracX's discovery document,
 * token and revocation endpoints, so the browser talks to one origin only.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InstanceListSchema, MeSchema, type InstanceSummary } from '../../contracts/auth.ts';
import type { InstanceConfig } from '../config.ts';
import type { DiracMetadata } from '../diracx/client.ts';
import { instanceById, principalOf, publicOrigin, requireAuth, type Services } from '../plugins.ts';
import { upstream } from '../upstream.ts';

const IdParams = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/) });

const TokenRequestSchema = z.discriminatedUnion('grant_type', [
  z.object({
    grant_type: z.literal('authorization_code'),
    code: z.string().min(1).max(4096),
    redirect_uri: z.url(),
    code_verifier: z.string().min(43).max(128),
    client_id: z.string().min(1),
  }),
  z.object({
    grant_type: z.literal('refresh_token'),
    refresh_token: z.string().min(1).max(8192),
    client_id: z.string().min(1),
  }),
]);

const RevokeRequestSchema = z.object({
  token: z.string().min(1).max(8192),
  token_type_hint: z.enum(['refresh_token', 'access_token']).optional(),
  client_id: z.string().min(1),
});

const OAuthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

const PERSON_PROPERTIES = new Set(['NormalUser', 'JobAdministrator']);

export function authRoutes(services: Services): FastifyPluginAsyncZod {
  const metadataCache = new Map<string, { at: number; value: DiracMetadata }>();
  async function metadataOf(instance: InstanceConfig): Promise<DiracMetadata> {
    const hit = metadataCache.get(instance.id);
    if (hit && Date.now() - hit.at < 60_000) return hit.value;
    const value = await services.diracx(instance).metadata();
    metadataCache.set(instance.id, { at: Date.now(), value });
    return value;
  }

  return async (app) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 32 * 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    app.get(
      '/v1/instances',
      { schema: { tags: ['auth'], summary: 'DiracX instances, VOs and groups to sign in with', response: { 200: InstanceListSchema } } },
      async () => {
        const instances: InstanceSummary[] = await Promise.all(
          services.config.instances.map(async (inst) => {
            const base = {
              id: inst.id,
              label: inst.label,
              clientId: inst.clientId,
              metadataUrl: `/bff/v1/instances/${inst.id}/oidc/.well-known/openid-configuration`,
            };
            try {
              const md = await metadataOf(inst);
              const vos = Object.entries(md.virtual_organizations).map(([name, info]) => ({
                name,
                defaultGroup: info.default_group ?? null,
                // People sign in for a NormalUser group, or an administrators' group that lacks it (DIRAC's
                // dirac_admin); service groups (e.g. the accounting collector's JobMonitor group) are not offered.
                groups: Object.entries(info.groups)
                  .filter(([, gi]) => (gi.properties ?? []).some((p) => PERSON_PROPERTIES.has(p)))
                  .map(([g, gi]) => ({ name: g, properties: [...(gi.properties ?? [])].sort() })),
              }));
              return { ...base, reachable: true, vos };
            } catch {
              return { ...base, reachable: false, vos: [] };
            }
          }),
        );
        return { instances };
      },
    );

    app.get(
      '/v1/instances/:id/oidc/.well-known/openid-configuration',
      { schema: { tags: ['auth'], summary: "DiracX's discovery document, with token endpoints relayed by the BFF", params: IdParams } },
      async (request, reply) => {
        const instance = instanceById(services, request.params.id);
        const d = await upstream(() => services.diracx(instance).discovery());
        const origin = publicOrigin(services, request);
        const relay = `${origin}/bff/v1/instances/${instance.id}/oidc`;
        let authorize = String(d.authorization_endpoint);
        if (instance.publicUrl) authorize = authorize.replace(new URL(authorize).origin, new URL(instance.publicUrl).origin);
        // private: a shared cache must never hand one origin's document to another's users
        reply.header('cache-control', 'private, max-age=300');
        return {
          issuer: d.issuer,
          authorization_endpoint: authorize,
          token_endpoint: `${relay}/token`,
          revocation_endpoint: `${relay}/revoke`,
          response_types_supported: d.response_types_supported,
          grant_types_supported: ['authorization_code', 'refresh_token'],
          code_challenge_methods_supported: d.code_challenge_methods_supported,
          token_endpoint_auth_methods_supported: ['none'],
          scopes_supported: d.scopes_supported,
        };
      },
    );

    app.post(
      '/v1/instances/:id/oidc/token',
      {
        schema: {
          tags: ['auth'],
          summary: "Relay to DiracX's token endpoint (code + PKCE, refresh)",
          params: IdParams,
          body: TokenRequestSchema,
        },
      },
      async (request, reply) => {
        const instance = instanceById(services, request.params.id);
        const body = request.body;
        reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
        if (body.client_id !== instance.clientId)
          return reply.code(400).send({ error: 'invalid_client', error_description: 'unknown client_id for this instance' });
        // Forward only what DiracX needs; DiracX rejects unknown scopes, so `scope` is never relayed.
        const form = new URLSearchParams(
          body.grant_type === 'authorization_code'
            ? {
                grant_type: body.grant_type,
                code: body.code,
                redirect_uri: body.redirect_uri,
                code_verifier: body.code_verifier,
                client_id: body.client_id,
              }
            : { grant_type: body.grant_type, refresh_token: body.refresh_token, client_id: body.client_id },
        );
        const res = await upstream(() => services.diracx(instance).relayToken(form));
        if (res.status === 200) {
          const ok = z
            .object({ access_token: z.string(), token_type: z.string(), expires_in: z.number(), refresh_token: z.string().optional() })
            .parse(res.body);
          return ok;
        }
        const oauth = OAuthErrorSchema.safeParse(res.body);
        const detail = (res.body as { detail?: unknown } | null)?.detail;
        return reply
          .code(res.status >= 500 ? 502 : 400)
          .send(
            oauth.success
              ? oauth.data
              : { error: 'invalid_grant', error_description: typeof detail === 'string' ? detail : 'DiracX refused the token request' },
          );
      },
    );

    app.post(
      '/v1/instances/:id/oidc/revoke',
      { schema: { tags: ['auth'], summary: "Relay to DiracX's revocation endpoint", params: IdParams, body: RevokeRequestSchema } },
      async (request, reply) => {
        const instance = instanceById(services, request.params.id);
        if (request.body.client_id !== instance.clientId) return reply.code(400).send({ error: 'invalid_client' });
        const form = new URLSearchParams({
          token: request.body.token,
          client_id: request.body.client_id,
          ...(request.body.token_type_hint ? { token_type_hint: request.body.token_type_hint } : {}),
        });
        const res = await upstream(() => services.diracx(instance).relayRevoke(form));
        request.log.info({ instance: instance.id, status: res.status }, 'token revocation relayed');
        return reply.code(res.status === 200 ? 200 : res.status >= 500 ? 502 : 400).send(res.status === 200 ? {} : res.body);
      },
    );

    app.get(
      '/v1/me',
      {
        onRequest: requireAuth(services),
        schema: { tags: ['auth'], summary: 'Who the bearer token belongs to', security: [{ bearer: [] }], response: { 200: MeSchema } },
      },
      async (request) => {
        const p = principalOf(request);
        return {
          sub: p.sub,
          username: p.username,
          vo: p.vo,
          group: p.group,
          properties: p.properties,
          role: p.role,
          managedGroups: p.managedGroups,
          instance: { id: p.instance.id, label: p.instance.label },
          tokenExpiresAt: p.expiresAt.toISOString(),
        };
      },
    );
  };
}
