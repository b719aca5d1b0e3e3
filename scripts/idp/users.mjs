// Demo accounts of the development identity provider (scripts/idp/idp.mjs).
// These are NOT real credentials: the dev IdP lists the usernames on its login page.

/** Shared password of every demo user. */
export const DEMO_PASSWORD = 'escape-demo';

/**
 * @typedef {object} DemoUser
 * @property {string} username  login name, also the `preferred_username` claim
 * @property {string} password
 * @property {string} sub       stable subject identifier (the `sub` claim)
 * @property {string} name      display name (the `name` claim)
 * @property {string} email     the `email` claim
 * @property {'scientist' | 'pi' | 'admin'} role  portal role of the demo persona
 */

/** @type {ReadonlyArray<Readonly<DemoUser>>} */
export const DEMO_USERS = Object.freeze(
  [
    { username: 'alice', name: 'Alice Scientist', role: 'scientist', sub: '8e4c5b0a-2f1d-4a57-9c1e-0a1b2c3d4e01' },
    { username: 'paul', name: 'Paul Investigator', role: 'pi', sub: '8e4c5b0a-2f1d-4a57-9c1e-0a1b2c3d4e02' },
    { username: 'ada', name: 'Ada Admin', role: 'admin', sub: '8e4c5b0a-2f1d-4a57-9c1e-0a1b2c3d4e03' },
  ].map((user) =>
    Object.freeze({
      username: user.username,
      password: DEMO_PASSWORD,
      sub: user.sub,
      name: user.name,
      email: `${user.username}@escape.example`,
      role: user.role,
    }),
  ),
);
