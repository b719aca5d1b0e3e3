/**
 * AES-256-GCM for the refresh tokens stored for unattended runs. The key comes from configuration
 * (a file or PORTAL_SCHEDULE_KEY, 32 bytes as base64 or hex), never from the repository; the
 * associated data binds each ciphertext to its schedule, so a ciphertext copied to another row does
 * not decrypt.
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

export function loadKey(opts: { key?: string | undefined; keyFile?: string | undefined }): Buffer | null {
  if (opts.key) return parseKey(opts.key);
  if (opts.keyFile) return parseKey(fs.readFileSync(opts.keyFile, 'utf8'));
  return null;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key');
  return {
    seal(plaintext, aad) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(aad));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
    },
    open(sealed, aad) {
      const [v, iv, tag, ct] = sealed.split('.');
      if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('not a sealed credential');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(aad));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
