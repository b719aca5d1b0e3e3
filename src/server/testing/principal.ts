import type { Principal } from '../auth/verify.ts';
import type { InstanceConfig } from '../config.ts';

/** A verified principal for unit tests that stub token verification (a scientist unless overridden). */
export function testPrincipal(instance: unknown, overrides: Partial<Principal> = {}): Principal {
  return {
    instance: instance as InstanceConfig,
    token: 't',
    sub: 'escape:alice',
    username: 'alice',
    vo: 'escape',
    group: 'scientists',
    properties: ['NormalUser'],
    expiresAt: new Date(Date.now() + 600_000),
    role: 'scientist',
    managedGroups: [],
    ...overrides,
  };
}
