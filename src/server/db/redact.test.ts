import { describe, expect, it } from 'vitest';
import { loadPgHelper } from '../testing/db-targets.ts';
import { openDatabase, redactUrl } from './database.ts';

describe('redactUrl', () => {
  it('never leaks the password of a database URL', async () => {
    expect(redactUrl('postgres://portal:s3cr3t-pw@db.example:5432/portal')).toBe('postgres://portal:***@db.example:5432/portal');
    expect(redactUrl('postgres://db.example/portal')).toBe('postgres://db.example/portal');
    const logs: string[] = [];
    const { findFreePort } = await loadPgHelper();
    const port = await findFreePort(); // nothing listens there
    const err = await openDatabase(`postgresql://portal:s3cr3t-pw@127.0.0.1:${port}/portal`, {
      logger: { info: (obj, msg) => logs.push(JSON.stringify(obj) + String(msg)) },
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err?.message).toContain('portal:***@127.0.0.1');
    expect(err?.message).not.toContain('s3cr3t-pw');
    expect(String(err?.stack)).not.toContain('s3cr3t-pw');
    expect(logs.join('\n')).not.toContain('s3cr3t-pw');
    await expect(openDatabase('mysql://u:s3cr3t-pw@h/db')).rejects.toThrow(/^(?!.*s3cr3t-pw).*unsupported database URL/);
  });
});
