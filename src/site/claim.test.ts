import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { claimOwner, isClaimed, tryClaim } from './claim.ts';

const run = promisify(execFile);
const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'site-claims-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('tryClaim', () => {
  it('lets the first caller win and every later one lose', () => {
    const dir = tmp();
    expect(isClaimed(dir, 'job-7.0')).toBe(false);
    expect(tryClaim(dir, 'job-7.0', 'site A')).toBe(true);
    expect(tryClaim(dir, 'job-7.0', 'site B')).toBe(false);
    expect(claimOwner(dir, 'job-7.0')).toBe('site A');
    // a rescheduled job is a new key
    expect(tryClaim(dir, 'job-7.1', 'site B')).toBe(true);
  });

  it('gives each key to exactly one of several processes racing for the same keys', async () => {
    const dir = tmp();
    const keys = Array.from({ length: 300 }, (_, i) => `job-${i}.0`);
    const script = `
      import { tryClaim } from ${JSON.stringify(path.resolve('src/site/claim.ts'))};
      const [dir, me, keys] = [process.argv[1], process.argv[2], JSON.parse(process.argv[3])];
      console.log(JSON.stringify(keys.filter((k) => tryClaim(dir, k, me))));
    `;
    const racers = ['p1', 'p2', 'p3', 'p4'];
    const won = await Promise.all(
      racers.map(async (me, i) => {
        // each process walks the keys in a different order, so the races are spread over all keys
        const order = i % 2 ? [...keys].reverse() : keys;
        const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, dir, me, JSON.stringify(order)]);
        return JSON.parse(stdout) as string[];
      }),
    );
    const all = won.flat();
    expect(all.length).toBe(keys.length);
    expect(new Set(all)).toEqual(new Set(keys));
    // the owner recorded in each claim is the process that won it
    racers.forEach((me, i) => won[i]!.forEach((k) => expect(claimOwner(dir, k)).toBe(me)));
  });
});
