import type { DemoUser } from './users.mjs';

export { DEMO_PASSWORD, DEMO_USERS } from './users.mjs';
export type { DemoUser } from './users.mjs';

export interface IdpClient {
  client_id: string;
  redirect_uris: string[];
  client_name?: string;
}

export interface IdpUser {
  username: string;
  password: string;
  sub: string;
  name?: string;
  email?: string;
  role?: string;
}

export interface StartIdpOptions {
  /** interface to listen on (default 127.0.0.1) */
  host?: string;
  /** port to listen on; 0 or omitted picks a free port */
  port?: number;
  /** issuer identifier; default http://<host>:<actual port>, never with a trailing slash */
  issuer?: string;
  /** public clients (no secret, PKCE S256, authorization_code + refresh_token) */
  clients: IdpClient[];
  /** accounts that can sign in (default DEMO_USERS) */
  users?: ReadonlyArray<IdpUser | DemoUser>;
  /** JSON file holding the RSA private JWK; created (mode 0600) if missing, reused otherwise */
  keyFile?: string;
}

export interface RunningIdp {
  /** the issuer, e.g. http://127.0.0.1:8711 (no trailing slash) */
  url: string;
  port: number;
  close(): Promise<void>;
}

export declare function startIdp(options: StartIdpOptions): Promise<RunningIdp>;

/** Load the RSA private JWK from keyFile (creating it if missing), or make an in-memory one. */
export declare function loadOrCreateSigningKey(keyFile?: string): Promise<Record<string, string>>;

export declare function escapeHtml(value: unknown): string;

/** Token/session lifetimes in seconds. */
export declare const IDP_TTL: Readonly<{
  AuthorizationCode: number;
  AccessToken: number;
  IdToken: number;
  RefreshToken: number;
  Interaction: number;
  Session: number;
  Grant: number;
}>;
