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

/** The one DiracX instance of BFF unit tests, with the demo VO's group sharing. */
export const TEST_INSTANCE = {
  id: 'local',
  label: 'Local',
  url: 'http://diracx.test',
  clientId: 'portal',
  groupSharing: { escape: { pis: ['scientists', 'pis'] } },
};

export type DemoRole = 'scientist' | 'pi' | 'admin';

/** The demo users as verified principals: alice (scientist), paul (PI of scientists and pis), ada (admin). */
export function demoPrincipal(role: DemoRole, instance: unknown = TEST_INSTANCE): Principal {
  const username = { scientist: 'alice', pi: 'paul', admin: 'ada' }[role];
  return testPrincipal(instance, {
    sub: `escape:${username}`,
    username,
    group: { scientist: 'scientists', pi: 'pis', admin: 'admins' }[role],
    properties: role === 'admin' ? ['NormalUser', 'JobAdministrator'] : ['NormalUser'],
    role,
    managedGroups: role === 'pi' ? ['scientists', 'pis'] : [],
  });
}
