/**
 * Schedules on the real stack for integration tests: a BFF configured for unattended runs, an every-minute
 * Hello world schedule, and its authorization through DiracX and the IdP (headless login form).
 */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { followAuthorize } from '../../../scripts/lib/login.mjs';
import { DEMO_PASSWORD } from '../../../scripts/idp/users.mjs';
import { bearer, demoUser, loginAs, stackInfo, type Role } from './real-stack.ts';

export const KEY = Buffer.alloc(32, 9).toString('base64');
const hello = (tag: string) => ({ name: `sched ${tag}`, workflowId: 'hello-world', values: { GREETING: 'Hello', MESSAGE: tag } });
export const everyMinute = () => ({
  recurrence: { kind: 'interval', every: 1, unit: 'minutes' },
  timezone: 'UTC',
  startAt: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(),
});
const callbackUri = () => `${stackInfo().urls.bff}/bff/v1/schedules/authorize/callback`;

export const bffConfig = (extra: Record<string, unknown> = {}) => ({
  publicUrl: stackInfo().urls.bff,
  scheduleKey: KEY,
  scheduleMinIntervalMinutes: 1,
  demoDatasets: 0,
  ...extra,
});

export async function createSchedule(app: FastifyInstance, role: Role, tag: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/bff/v1/schedules',
    headers: bearer(await loginAs(role)),
    payload: { name: tag, launch: hello(tag), spec: everyMinute() },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

/**
 * The user opens the authorize URL the BFF gives; the IdP login happens headlessly; the BFF callback gets the code.
 * `proxied`: the BFF reaches DiracX through this origin (a fault proxy); the browser goes to DiracX itself, whose
 * callback URL (named from the Host the browser used) is the one registered at the IdP.
 */
export async function authorize(app: FastifyInstance, id: string, role: Role, signInAs: Role = role, proxied?: string) {
  const start = await app.inject({ method: 'POST', url: `/bff/v1/schedules/${id}/authorize`, headers: bearer(await loginAs(role)) });
  expect(start.statusCode, start.body).toBe(200);
  const u = demoUser(signInAs);
  const back = new URL(
    await followAuthorize({
      authorizeUrl: proxied
        ? start.json<{ authorizeUrl: string }>().authorizeUrl.replace(proxied, stackInfo().urls.diracx)
        : start.json<{ authorizeUrl: string }>().authorizeUrl,
      redirectUri: callbackUri(),
      username: u.username,
      password: DEMO_PASSWORD,
    }),
  );
  const cb = await app.inject({ method: 'GET', url: back.pathname + back.search });
  expect(cb.statusCode).toBe(303);
  return new URL(cb.headers.location as string, 'http://x').searchParams;
}
