export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
}
export declare function loginThroughIdp(args: {
  diracxUrl: string;
  clientId: string;
  redirectUri: string;
  vo: string;
  group?: string;
  username: string;
  password: string;
}): Promise<TokenResponse>;
/** Follow an authorization URL through the IdP login form; returns the redirect to `redirectUri` (not followed). */
export declare function followAuthorize(args: {
  authorizeUrl: string;
  redirectUri: string;
  username: string;
  password: string;
}): Promise<string>;
