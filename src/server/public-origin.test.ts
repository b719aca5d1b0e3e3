import { describe, expect, it } from 'vitest';
import type { DiracxClient } from './diracx/client.ts';
import { problems } from './errors.ts';
import { unitApp } from './testing/unit-app.ts';

const instance = { id: 'local', label: 'Local', url: 'http://diracx.test', clientId: 'portal' };
const diracx = () =>
  ({
    discovery: async () => ({
      issuer: 'http://diracx.test',
      authorization_endpoint: 'http://diracx.test/api/auth/authorize',
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['vo:escape'],
    }),
  }) as unknown as DiracxClient;
const verifyToken = async () => {
  throw problems.unauthenticated('unused');
};
const discovery = '/bff/v1/instances/local/oidc/.well-known/openid-configuration';

describe('absolute URLs the BFF builds (discovery document)', () => {
  it('without publicUrl (development): only loopback hosts, never reflecting another Host, never cached publicly', async () => {
    const t = await unitApp({ instances: [instance], verifyToken, diracx });
    try {
      const ok = await t.app.inject({ method: 'GET', url: discovery, headers: { host: '127.0.0.1:8080' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().token_endpoint).toBe('http://127.0.0.1:8080/bff/v1/instances/local/oidc/token');
      expect(ok.headers['cache-control']).not.toMatch(/public/);
      for (const host of ['evil.example', 'evil.example:8080', '127.0.0.1.evil.example', 'localhost.evil.example']) {
        const res = await t.app.inject({ method: 'GET', url: discovery, headers: { host } });
        expect(res.statusCode, host).toBe(400);
        expect(res.body).not.toContain('evil.example');
        expect(res.json().message).toMatch(/publicUrl/);
      }
    } finally {
      await t.close();
    }
  });

  it('with publicUrl: absolute URLs come from it whatever the Host header says', async () => {
    const t = await unitApp({ instances: [instance], verifyToken, diracx, config: { publicUrl: 'https://portal.example.org' } });
    try {
      const res = await t.app.inject({ method: 'GET', url: discovery, headers: { host: 'evil.example' } });
      expect(res.statusCode).toBe(200);
      expect(res.json().token_endpoint).toBe('https://portal.example.org/bff/v1/instances/local/oidc/token');
      expect(res.body).not.toContain('evil.example');
      expect(res.headers['cache-control']).not.toMatch(/public/);
    } finally {
      await t.close();
    }
  });
});
