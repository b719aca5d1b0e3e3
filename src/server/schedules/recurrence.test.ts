import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScheduleSpecSchema, type ScheduleSpecInput } from '../../contracts/schedules.ts';
import { describe as describeSpec, nextSlot, nextSlots, validateSpec } from './recurrence.ts';
import { createSecretBox, keyId, loadKeys, parseKey } from './secret-box.ts';
import { failurePolicy, missedAfterMs, runKey } from './scheduler.ts';

const spec = (s: Partial<ScheduleSpecInput> & Pick<ScheduleSpecInput, 'recurrence'>) =>
  ScheduleSpecSchema.parse({ timezone: 'UTC', startAt: '2026-01-01T00:00:00Z', ...s });
const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

describe('recurrence slots', () => {
  it('counts "every N minutes/hours" from the start, inclusive', () => {
    const s = spec({ recurrence: { kind: 'interval', every: 90, unit: 'minutes' }, startAt: '2026-01-01T10:00:00Z' });
    expect(iso(nextSlots(s, new Date('2026-01-01T09:00:00Z'), 3))).toEqual([
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T11:30:00.000Z',
      '2026-01-01T13:00:00.000Z',
    ]);
    expect(nextSlot(s, new Date('2026-01-01T11:30:00Z'))?.toISOString()).toBe('2026-01-01T13:00:00.000Z');
    const h = spec({
      recurrence: { kind: 'interval', every: 2, unit: 'hours' },
      startAt: '2026-01-01T10:00:00Z',
      endAt: '2026-01-01T14:00:00Z',
    });
    expect(iso(nextSlots(h, new Date('2026-01-01T00:00:00Z'), 10))).toEqual(['2026-01-01T10:00:00.000Z', '2026-01-01T12:00:00.000Z']); // end is exclusive
  });

  it('keeps "daily at 02:30" on local time across both DST changes in Europe/Zurich', () => {
    const s = spec({ recurrence: { kind: 'daily', time: '02:30' }, timezone: 'Europe/Zurich', startAt: '2026-03-27T00:00:00Z' });
    // 28 March: CET (UTC+1); 29 March 02:30 does not exist (02:00 → 03:00): one run at the transition; 30 March: CEST (UTC+2)
    expect(iso(nextSlots(s, new Date('2026-03-27T12:00:00Z'), 3))).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
    // 25 October: 02:30 happens twice (CEST then CET); the run happens once
    const autumn = nextSlots(s, new Date('2026-10-24T12:00:00Z'), 3);
    expect(autumn).toHaveLength(3);
    expect(new Set(autumn.map((d) => d.toISOString().slice(0, 10))).size).toBe(3);
    expect(autumn[0]!.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(autumn[2]!.toISOString()).toBe('2026-10-27T01:30:00.000Z');
  });

  it('runs weekly on the chosen days, and cron expressions in the time zone', () => {
    const w = spec({ recurrence: { kind: 'weekly', days: [4, 1], time: '08:00' }, timezone: 'America/New_York' });
    // 2026-01-05 is a Monday; New York is UTC-5 in January
    expect(iso(nextSlots(w, new Date('2026-01-04T00:00:00Z'), 3))).toEqual([
      '2026-01-05T13:00:00.000Z',
      '2026-01-08T13:00:00.000Z',
      '2026-01-12T13:00:00.000Z',
    ]);
    const c = spec({ recurrence: { kind: 'cron', expression: '0  */6 * * *' }, timezone: 'Asia/Kolkata' });
    expect(iso(nextSlots(c, new Date('2026-01-01T00:00:00Z'), 2))).toEqual(['2026-01-01T00:30:00.000Z', '2026-01-01T06:30:00.000Z']);
  });

  it('describes recurrences for people', () => {
    expect(describeSpec(spec({ recurrence: { kind: 'interval', every: 1, unit: 'hours' } }))).toBe('every hour');
    expect(describeSpec(spec({ recurrence: { kind: 'interval', every: 15, unit: 'minutes' } }))).toBe('every 15 minutes');
    expect(describeSpec(spec({ recurrence: { kind: 'weekly', days: [3, 1, 1], time: '07:05' }, timezone: 'Europe/Paris' }))).toBe(
      'weekly on Mon, Wed at 07:05 (Europe/Paris)',
    );
  });
});

describe('recurrence validation', () => {
  const min = { minIntervalMinutes: 5 };
  it('explains a bad cron expression, too-frequent runs, and an end before the start', () => {
    const bad = validateSpec(spec({ recurrence: { kind: 'cron', expression: '61 * * * *' } }), min);
    expect(bad[0]?.path).toBe('spec.recurrence.expression');
    expect(bad[0]?.message).toMatch(/invalid cron expression: .*minute/);
    expect(validateSpec(spec({ recurrence: { kind: 'cron', expression: '* * * *' } }), min)[0]?.message).toMatch(/invalid cron expression/);
    expect(validateSpec(spec({ recurrence: { kind: 'cron', expression: '*/5 * * * * *' } }), min)[0]?.message).toMatch(/five fields/); // seconds are refused
    expect(validateSpec(spec({ recurrence: { kind: 'cron', expression: '*/2 * * * *' } }), min)[0]?.message).toBe(
      'runs more often than the minimum interval of 5 minutes',
    );
    expect(validateSpec(spec({ recurrence: { kind: 'interval', every: 4, unit: 'minutes' } }), min)[0]).toEqual({
      path: 'spec.recurrence.every',
      message: 'runs more often than the minimum interval of 5 minutes',
    });
    expect(validateSpec(spec({ recurrence: { kind: 'interval', every: 1, unit: 'minutes' } }), { minIntervalMinutes: 1 })).toEqual([]);
    expect(validateSpec(spec({ recurrence: { kind: 'cron', expression: '*/5 * * * *' } }), min)).toEqual([]);
    const ended = ScheduleSpecSchema.safeParse({
      recurrence: { kind: 'daily', time: '01:00' },
      timezone: 'UTC',
      startAt: '2026-02-01T00:00:00Z',
      endAt: '2026-01-01T00:00:00Z',
    });
    expect(ended.success).toBe(false);
    expect(ended.error?.issues[0]).toMatchObject({ path: ['endAt'], message: 'the end must be after the start' });
    expect(
      ScheduleSpecSchema.safeParse({ recurrence: { kind: 'daily', time: '25:00' }, timezone: 'UTC', startAt: '2026-02-01T00:00:00Z' }).error
        ?.issues[0]?.message,
    ).toBe('a time is HH:MM, 00:00 to 23:59');
    expect(
      ScheduleSpecSchema.safeParse({
        recurrence: { kind: 'daily', time: '01:00' },
        timezone: 'Mars/Olympus',
        startAt: '2026-02-01T00:00:00Z',
      }).error?.issues[0]?.message,
    ).toMatch(/unknown time zone/);
    const window = spec({ recurrence: { kind: 'daily', time: '05:00' }, startAt: '2030-01-01T06:00:00Z', endAt: '2030-01-01T07:00:00Z' });
    expect(validateSpec(window, min)[0]).toEqual({ path: 'spec.endAt', message: 'no run falls between the start and the end' });
  });
});

describe('run policy', () => {
  it('pauses after N consecutive failures, or at once when the credential is gone', () => {
    expect(failurePolicy(1, 3, false)).toEqual({ pause: false, reason: null });
    expect(failurePolicy(2, 3, false).pause).toBe(false);
    expect(failurePolicy(3, 3, false)).toEqual({ pause: true, reason: 'Paused after 3 consecutive failed runs.' });
    expect(failurePolicy(1, 3, true).reason).toMatch(/^Sign in again to resume/);
    expect(missedAfterMs(1000)).toBe(60_000);
    expect(missedAfterMs(60_000)).toBe(180_000);
    expect(runKey('0b7e1d9c-8f5b-4e0e-9a7c-2f0f6d1c3a11', '2026-01-01T00:01:00.000Z')).toMatch(/^[A-Za-z0-9_-]{8,128}$/);
  });
});

describe('secret box (AES-256-GCM)', () => {
  const box = createSecretBox(parseKey(Buffer.alloc(32, 7).toString('base64')));
  it('round-trips, is bound to its schedule, and detects tampering', () => {
    const sealed = box.seal('refresh-token-value', 'schedule-1');
    expect(sealed).not.toContain('refresh-token-value');
    expect(box.seal('refresh-token-value', 'schedule-1')).not.toBe(sealed); // fresh IV
    expect(box.open(sealed, 'schedule-1')).toBe('refresh-token-value');
    expect(() => box.open(sealed, 'schedule-2')).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x' + Buffer.from(parts[3]!, 'base64url').toString('latin1')).toString('base64url');
    expect(() => box.open(parts.join('.'), 'schedule-1')).toThrow();
    expect(() => createSecretBox(parseKey('00'.repeat(32))).open(sealed, 'schedule-1')).toThrow();
    expect(() => parseKey('c2hvcnQ=')).toThrow(/32 bytes/);
  });

  it('names its key in every sealed value, so the key can be rotated: new key first, old ones still open', () => {
    const oldKey = Buffer.alloc(32, 1);
    const newKey = Buffer.alloc(32, 2);
    const sealedOld = createSecretBox([oldKey]).seal('rt-old', 'schedule-1');
    expect(sealedOld.split('.').slice(0, 2)).toEqual(['v2', keyId(oldKey)]);
    const rotated = createSecretBox([newKey, oldKey]);
    expect(rotated.open(sealedOld, 'schedule-1')).toBe('rt-old');
    const resealed = rotated.seal('rt-new', 'schedule-1');
    expect(resealed.split('.')[1]).toBe(keyId(newKey));
    expect(createSecretBox([newKey]).open(resealed, 'schedule-1')).toBe('rt-new');
    // once the old key is dropped, what it sealed no longer opens, with a message naming its key id
    expect(() => createSecretBox([newKey]).open(sealedOld, 'schedule-1')).toThrow(new RegExp(keyId(oldKey)));
    // values sealed before key ids (v1: no id) still open with any configured key
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', oldKey, iv);
    cipher.setAAD(Buffer.from('schedule-1'));
    const ct = Buffer.concat([cipher.update('rt-v1', 'utf8'), cipher.final()]);
    const v1 = ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
    expect(rotated.open(v1, 'schedule-1')).toBe('rt-v1');
  });

  it('loads the current key and the previous ones from one setting (lines of the file, or commas)', () => {
    const [a, b] = [Buffer.alloc(32, 3), Buffer.alloc(32, 4)];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keys-'));
    fs.writeFileSync(path.join(dir, 'k'), `${a.toString('base64')}\n${b.toString('hex')}\n\n`);
    expect(loadKeys({ keyFile: path.join(dir, 'k') })).toEqual([a, b]);
    expect(loadKeys({ key: `${a.toString('base64')},${b.toString('base64')}` })).toEqual([a, b]);
    expect(loadKeys({})).toEqual([]);
  });
});
