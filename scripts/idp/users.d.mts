export interface DemoUser {
  /** login name, also the `preferred_username` claim */
  readonly username: string;
  readonly password: string;
  /** stable subject identifier (the `sub` claim) */
  readonly sub: string;
  /** display name (the `name` claim) */
  readonly name: string;
  /** the `email` claim */
  readonly email: string;
  /** portal role of the demo persona */
  readonly role: 'scientist' | 'pi' | 'admin';
}

/** Shared password of every demo user. */
export declare const DEMO_PASSWORD: 'escape-demo';
export declare const DEMO_USERS: ReadonlyArray<DemoUser>;
