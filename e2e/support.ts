import AxeBuilder from '@axe-core/playwright';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_USERS } from '../scripts/idp/users.mjs';
import { loginThroughIdp } from '../scripts/lib/login.mjs';

export type Role = 'scientist' | 'pi' | 'admin';
export const GROUP: Record<Role, string> = { scientist: 'scientists', pi: 'pis', admin: 'admins' };
export const userOf = (role: Role) => DEMO_USERS.find((u) => u.role === role)!;

/** Sign in through the real chain: portal sign-in page -> DiracX -> the IdP's login form -> back. */
export async function signIn(page: Page, role: Role, { returnTo = '/' } = {}) {
  await page.goto(returnTo);
  await expect(page).toHaveURL(/\/signin/);
  const group = page.getByLabel('Group');
  await expect(group).toBeVisible();
  await group.selectOption(GROUP[role]);
  await page.getByRole('button', { name: /^sign in$/i }).click();
  await expect(page.getByRole('heading', { name: /ESCAPE VO identity provider/i })).toBeVisible();
  await page.getByLabel('Username').fill(userOf(role).username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`${userOf(role).username} · escape / ${GROUP[role]}`)).toBeVisible();
}

/**
 * "Create and authorize" in a schedule dialog: the BFF's own authorization, DiracX → the IdP (already signed in,
 * or its form) → the BFF → /schedules, which says the schedule is active.
 */
export async function createAndAuthorize(page: Page, dialog: Locator, role: Role) {
  await dialog.getByRole('button', { name: 'Create and authorize' }).click();
  await page.waitForURL(/\/schedules\?|\/interaction\//, { timeout: 60_000 });
  if (/\/interaction\//.test(page.url())) {
    await page.getByLabel('Username').fill(userOf(role).username);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await expect(page).toHaveURL(/\/schedules\?authorized=/);
  await expect(page.getByText('Unattended runs are authorized: the schedule is active.')).toBeVisible();
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}

/** WCAG 2.1 A/AA violations axe finds on the page, one line each (empty = none). */
export async function axe(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

export type StackInfo = { urls: { bff: string; diracx: string }; vo: string; portalClientId: string };
let stackInfo: StackInfo | undefined;
/** The running stack (scripts/test.mjs writes its description to PORTAL_STACK_FILE); read once per worker. */
export function stack(): StackInfo {
  stackInfo ??= JSON.parse(fs.readFileSync(process.env.PORTAL_STACK_FILE ?? '.stack/test/stack.json', 'utf8')) as StackInfo;
  return stackInfo;
}

/** A real access token for a demo user (DiracX -> IdP form -> DiracX), for setting up data outside the browser. */
export async function apiToken(role: Role): Promise<string> {
  const s = stack();
  const tokens = await loginThroughIdp({
    diracxUrl: s.urls.diracx,
    clientId: s.portalClientId,
    redirectUri: `${s.urls.bff}/auth/callback`,
    vo: s.vo,
    group: GROUP[role],
    username: userOf(role).username,
    password: DEMO_PASSWORD,
  });
  return tokens.access_token;
}

/** Call the BFF with a user's token (JSON in and out); throws on a non-2xx answer. */
export async function bffCall<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${stack().urls.bff}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Report job statuses at DiracX directly, as a pilot would (admin token, force: e.g. Done -> Failed). */
export async function reportJobStatus(adminToken: string, updates: Record<number, { Status: string; MinorStatus: string }>) {
  const at = new Date().toISOString();
  const body = Object.fromEntries(Object.entries(updates).map(([id, u]) => [id, { [at]: { ...u, Source: 'JobWrapper' } }]));
  const res = await fetch(`${stack().urls.diracx}/api/jobs/status?force=true`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`PATCH /api/jobs/status: ${res.status} ${await res.text()}`);
}

/** A test application's name and id, new in each run (the catalogue keeps what earlier runs added). */
export function testApplication(label: string, idPrefix: string) {
  const tag = randomBytes(3).toString('hex');
  return { tag, name: `${label} ${tag}`, appId: `${idPrefix}-${tag}` };
}

/** On the admin catalogue page: upload a descriptor as a file and check it; answers the read-only form preview. */
export async function uploadAndCheck(page: Page, appId: string, descriptor: { name: string }) {
  await page.getByLabel('Descriptor file (Boutiques JSON)').setInputFiles({
    name: `${appId}.json`,
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(descriptor, null, 2)),
  });
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByText(/A valid Boutiques descriptor/)).toBeVisible();
  return page.getByRole('group', { name: `Form preview of ${descriptor.name}` });
}

type Detail = { production: { counts: { done: number; failed: number } } };
type Samples = { items: { minorStatus: string | null; applicationStatus: string | null; jobId: number; stderrTail: string | null }[] };

/**
 * Wait (through the BFF, as the token's user) until a production's jobs are all Done. A failed job ends the wait at once,
 * with what the portal shows a scientist about it (minor and application status, std.err tail), so that a failure
 * on a CI machine names its cause.
 */
export async function allDone(token: string, productionId: string, n: number) {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const { counts } = (await bffCall<Detail>(token, 'GET', `/bff/v1/productions/${productionId}`)).production;
    if (counts.failed > 0) {
      const samples = await bffCall<Samples>(token, 'GET', `/bff/v1/productions/${productionId}/failures/stderr`);
      expect({ ...counts, samples: samples.items }).toMatchObject({ done: n, failed: 0 });
    }
    if (counts.done === n || Date.now() > deadline) {
      expect(counts).toMatchObject({ done: n, failed: 0 });
      return;
    }
    await new Promise((r) => setTimeout(r, 2_000));
  }
}
