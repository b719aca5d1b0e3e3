import fs from 'node:fs';
import path from 'node:path';

/**
 * Claim `key` for this process: creating the file with O_CREAT|O_EXCL succeeds for exactly one caller on a
 * filesystem, however many site processes race. Claims are never released: a job is claimed once.
 */
export function tryClaim(claimsDir: string, key: string, owner: string): boolean {
  try {
    fs.writeFileSync(path.join(claimsDir, key), `${owner}\n`, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

export function isClaimed(claimsDir: string, key: string): boolean {
  return fs.existsSync(path.join(claimsDir, key));
}

/** Who holds a claim (the owner string written by tryClaim), or null. */
export function claimOwner(claimsDir: string, key: string): string | null {
  try {
    return fs.readFileSync(path.join(claimsDir, key), 'utf8').trim();
  } catch {
    return null;
  }
}
