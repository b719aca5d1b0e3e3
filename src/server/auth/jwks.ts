/**
 * DiracX's JWKS. DiracX 0.7 publishes its public keys with `key_ops:
 * ["sign","verify"]`, which WebCrypto refuses for a public key, so jose's
 * remote JWKS cannot import them as they are. This fetches the set, keeps only
 * public members, and hands it to jose's local JWKS; it refetches when a token
 * names an unknown key (rotation), at most once per cooldown.
 */
import {
  createLocalJWKSet,
  errors as joseErrors,
  type JSONWebKeySet,
  type JWK,
  type JWTHeaderParameters,
  type FlattenedJWSInput,
} from 'jose';

const PUBLIC_MEMBERS = ['kty', 'kid', 'alg', 'use', 'crv', 'x', 'y', 'n', 'e'] as const;

export function publicOnly(set: JSONWebKeySet): JSONWebKeySet {
  return {
    keys: set.keys.map((k) => {
      const out: JWK = {};
      for (const m of PUBLIC_MEMBERS) if (k[m] !== undefined) (out as Record<string, unknown>)[m] = k[m];
      return out;
    }),
  };
}

export function createDiracxJwks(url: string, { maxAgeMs = 10 * 60_000, cooldownMs = 30_000, timeoutMs = 5_000, fetchImpl = fetch } = {}) {
  let local: ReturnType<typeof createLocalJWKSet> | null = null;
  let fetchedAt = 0;
  let inflight: Promise<void> | null = null;

  async function reload() {
    inflight ??= (async () => {
      try {
        const res = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
        if (!res.ok) throw new joseErrors.JWKSInvalid(`JWKS answered ${res.status}`);
        local = createLocalJWKSet(publicOnly((await res.json()) as JSONWebKeySet));
        fetchedAt = Date.now();
      } finally {
        inflight = null;
      }
    })();
    return inflight;
  }

  return async (header: JWTHeaderParameters, token: FlattenedJWSInput) => {
    if (!local || Date.now() - fetchedAt > maxAgeMs) await reload();
    try {
      return await local!(header, token);
    } catch (err) {
      if (err instanceof joseErrors.JWKSNoMatchingKey && Date.now() - fetchedAt > cooldownMs) {
        await reload();
        return local!(header, token);
      }
      throw err;
    }
  };
}
