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
