/**
 * Bearer-token verification. Every protected BFF route verifies the DiracX
 * access token here before anything is forwarded: signature against the
 * instance's JWKS, issuer, expiry, audience, and the claims DiracX always sets.
 * The instance is chosen by the token's issuer, so one BFF fronts several
 * DiracX instances without any extra header.
 */
import { decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import type { PortalRole } from '../../contracts/auth.ts';
import type { InstanceConfig } from '../config.ts';
import { HttpProblem, problems } from '../errors.ts';
import { createDiracxJwks } from './jwks.ts';

const DiracClaimsSchema = z.object({
  sub: z.string().min(1),
  vo: z.string().min(1),
  dirac_group: z.string().min(1),
  preferred_username: z.string().min(1),
  dirac_properties: z.array(z.string()),
  jti: z.string().min(1),
  exp: z.number(),
});

export interface Principal {
  instance: InstanceConfig;
  token: string;
  sub: string;
  username: string;
  vo: string;
  group: string;
  properties: string[];
  expiresAt: Date;
  role: PortalRole;
  managedGroups: string[];
}

export function managedGroupsOf(instance: InstanceConfig, vo: string, group: string): string[] {
  return instance.groupSharing[vo]?.[group] ?? [];
}

export function roleOf(properties: string[], managedGroups: string[]): PortalRole {
  if (properties.includes('JobAdministrator')) return 'admin';
  if (managedGroups.length > 0) return 'pi';
  return 'scientist';
}

export type TokenVerifier = (token: string) => Promise<Principal>;

const ALGORITHMS = ['EdDSA', 'Ed25519', 'RS256', 'ES256', 'PS256'];

export function createTokenVerifier(
  instances: InstanceConfig[],
  opts: { jwksFor?: (instance: InstanceConfig) => Parameters<typeof jwtVerify>[1] } = {},
): TokenVerifier {
  const byIssuer = new Map<string, { instance: InstanceConfig; jwks: Parameters<typeof jwtVerify>[1] }>();
  for (const instance of instances) {
    const issuer = instance.issuer ?? instance.url;
    const jwks = opts.jwksFor?.(instance) ?? createDiracxJwks(instance.jwksUrl ?? `${instance.url}/.well-known/jwks.json`);
    byIssuer.set(issuer, { instance, jwks });
  }
  const verify = async (token: string): Promise<Principal> => {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw problems.unauthenticated('The access token is malformed');
    }
    const entry = typeof unverified.iss === 'string' ? byIssuer.get(unverified.iss.replace(/\/+$/, '')) : undefined;
    if (!entry) throw problems.unauthenticated('The access token was not issued by a DiracX instance this portal knows');
    const { instance, jwks } = entry;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: instance.issuer ?? instance.url,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub', 'jti'],
        ...(instance.audience ? { audience: instance.audience } : {}),
        clockTolerance: 30,
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw problems.unauthenticated('The access token has expired; sign in again');
      if (err instanceof joseErrors.JWKSTimeout || !(err instanceof joseErrors.JOSEError)) {
        // The keys could not be fetched: that is DiracX being down, not a bad token.
        throw new HttpProblem(
          503,
          'UPSTREAM_UNREACHABLE',
          'Your sign-in cannot be checked right now: DiracX is unreachable. Try again in a moment.',
          { cause: err },
        );
      }
      throw problems.unauthenticated('The access token is invalid');
    }
    // DiracX 0.7 issues tokens without `aud`; a token minted for some other audience must not pass.
    if (!instance.audience && payload.aud !== undefined) throw problems.unauthenticated('The access token is meant for another audience');
    const claims = DiracClaimsSchema.safeParse(payload);
    if (!claims.success) throw problems.unauthenticated('The access token lacks DiracX claims');
    const c = claims.data;
    const managedGroups = managedGroupsOf(instance, c.vo, c.dirac_group);
    return {
      instance,
      token,
      sub: c.sub,
      username: c.preferred_username,
      vo: c.vo,
      group: c.dirac_group,
      properties: c.dirac_properties,
      expiresAt: new Date(c.exp * 1000),
      managedGroups,
      role: roleOf(c.dirac_properties, managedGroups),
    };
  };
  // A verified token stays valid until it expires (DiracX cannot revoke access tokens, only refresh
  // tokens), so the answer is kept per token, in a bounded LRU, until exp (+ the same 30 s tolerance).
  const verified = new Map<string, Principal>();
  return async (token) => {
    const hit = verified.get(token);
    if (hit) {
      if (Date.now() < hit.expiresAt.getTime() + 30_000) {
        verified.delete(token);
        verified.set(token, hit);
        return hit;
      }
      verified.delete(token);
    }
    const principal = await verify(token);
    verified.set(token, principal);
    if (verified.size > VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    return principal;
  };
}

/** How many verified tokens the BFF remembers (one per active session is enough). */
export const VERIFIED_CACHE_SIZE = 1000;

export function bearerFrom(header: string | undefined): string {
  if (!header) throw problems.unauthenticated('Sign in first: no access token was sent');
  const m = /^Bearer\s+([A-Za-z0-9_.~+/=-]+)$/i.exec(header.trim());
  if (!m?.[1]) throw problems.unauthenticated('The Authorization header must be "Bearer <token>"');
  return m[1];
}
