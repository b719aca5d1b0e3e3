import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../config.ts';
import { createTokenVerifier } from './verify.ts';

const instance = () =>
  parseConfig({ instances: [{ id: 'local', label: 'Local', url: 'http://diracx.test', clientId: 'portal' }] }).instances;

async function setup() {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA' };
  const local = createLocalJWKSet({ keys: [jwk] });
  const lookups = vi.fn(local);
  const verify = createTokenVerifier(instance(), { jwksFor: () => lookups });
  const mint = (expSeconds: number) =>
    new SignJWT({ vo: 'escape', dirac_group: 'scientists', preferred_username: 'alice', dirac_properties: ['NormalUser'] })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
      .setIssuer('http://diracx.test')
      .setSubject('escape:alice')
      .setJti(crypto.randomUUID())
      .setExpirationTime(Math.floor(Date.now() / 1000) + expSeconds)
      .sign(privateKey);
  return { verify, lookups, mint };
}

describe('token verification cache', () => {
  afterEach(() => vi.useRealTimers());

  it('verifies a token once and answers from the cache until it expires, then refuses it', async () => {
    const { verify, lookups, mint } = await setup();
    const token = await mint(60);
    const first = await verify(token);
    expect(first.username).toBe('alice');
    expect(await verify(token)).toBe(first);
    expect(lookups).toHaveBeenCalledTimes(1);
    vi.useFakeTimers({ now: Date.now() + 120_000, toFake: ['Date'] });
    await expect(verify(token)).rejects.toMatchObject({ status: 401, message: expect.stringMatching(/expired/) });
  });

  it('never caches a refusal: a forged token fails every time, a good one still passes', async () => {
    const { verify, mint } = await setup();
    const good = await mint(60);
    const forged = `${good.slice(0, -4)}AAAA`;
    await expect(verify(forged)).rejects.toMatchObject({ status: 401 });
    await expect(verify(forged)).rejects.toMatchObject({ status: 401 });
    expect((await verify(good)).sub).toBe('escape:alice');
  });
});
