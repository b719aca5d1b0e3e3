/**
 * The collector's DiracX credential: short-lived access tokens minted on demand through DiracX's legacy
 * exchange for a dedicated CS user (config `instances[].accounting`), cached until shortly before expiry.
 * The API key is read from a file when first needed and kept in memory only; it is never logged.
 */
import fs from 'node:fs/promises';
import type { InstanceConfig } from '../config.ts';
import type { DiracxClient } from '../diracx/client.ts';

export type ServiceTokenSource = () => Promise<string>;

const MARGIN_MS = 60_000;

export function serviceTokenSource(
  instance: InstanceConfig,
  client: Pick<DiracxClient, 'legacyExchange'>,
  now: () => number = Date.now,
): ServiceTokenSource {
  const acct = instance.accounting;
  if (!acct) throw new Error(`instance ${instance.id} has no accounting credential configured`);
  let cached: { token: string; expiresAt: number } | null = null;
  let apiKey: string | null = null;
  return async () => {
    if (cached && cached.expiresAt - MARGIN_MS > now()) return cached.token;
    apiKey ??= (await fs.readFile(acct.apiKeyFile, 'utf8')).trim();
    const res = await client.legacyExchange(apiKey, acct.user, `vo:${acct.vo} group:${acct.group}`);
    cached = { token: res.access_token, expiresAt: now() + res.expires_in * 1000 };
    return cached.token;
  };
}
