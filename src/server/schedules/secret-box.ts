/**
 * AES-256-GCM for the refresh tokens stored for unattended runs. The keys come from configuration
 * (a file or PORTAL_SCHEDULE_KEY, 32 bytes as base64 or hex), never from the repository; the
 * associated data binds each ciphertext to its schedule, so a ciphertext copied to another row does
 * not decrypt. Each sealed value names its key (`v2.<key id>.…`, the id a hash prefix of the key), so
 * the key can be rotated: configure the new key first and the old ones after it (file lines or commas);
 * values sealed with an old key still open and are sealed again with the new one at their next run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';

export interface SecretBox {
  seal(plaintext: string, aad: string): string;
  open(sealed: string, aad: string): string;
}

export function parseKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error('the schedule credential key must be 32 bytes, as base64 or hex');
  return key;
}

/** The current key first, then the previous ones still accepted for opening; [] when none is configured. */
export function loadKeys(opts: { key?: string | undefined; keyFile?: string | undefined }): Buffer[] {
  const text = opts.key ?? (opts.keyFile ? fs.readFileSync(opts.keyFile, 'utf8') : '');
  return text
    .split(/[\n,]/)
    .map((t) => t.trim())
    .filter(Boolean)
    .map(parseKey);
}

/** A short public id of a key: not secret, it only says which configured key sealed a value. */
export function keyId(key: Buffer): string {
  return crypto.createHash('sha256').update('escape-portal schedule key id\0').update(key).digest('hex').slice(0, 12);
}

function openWith(key: Buffer, iv: string, tag: string, ct: string, aad: string): string {
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

export function createSecretBox(keys: Buffer | Buffer[]): SecretBox {
  const list = Array.isArray(keys) ? keys : [keys];
  if (list.length === 0 || list.some((k) => k.length !== 32)) throw new Error('AES-256-GCM needs 32-byte keys');
  const current = list[0]!;
  const byId = new Map(list.map((k) => [keyId(k), k]));
  return {
    seal(plaintext, aad) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(aad));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v2', keyId(current), iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join(
        '.',
      );
    },
    open(sealed, aad) {
      const parts = sealed.split('.');
      if (parts[0] === 'v2' && parts.length === 5) {
        const [, kid, iv, tag, ct] = parts as [string, string, string, string, string];
        const key = byId.get(kid);
        if (!key) throw new Error(`sealed with key ${kid}, which is no longer configured`);
        return openWith(key, iv, tag, ct, aad);
      }
      if (parts[0] === 'v1' && parts.length === 4) {
        // sealed before key ids: try each configured key
        const [, iv, tag, ct] = parts as [string, string, string, string];
        let last: unknown;
        for (const key of list) {
          try {
            return openWith(key, iv, tag, ct, aad);
          } catch (err) {
            last = err;
          }
        }
        throw last;
      }
      throw new Error('not a sealed credential');
    },
  };
}
