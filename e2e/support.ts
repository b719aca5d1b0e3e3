import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_USERS } from '../scripts/idp/users.mjs';

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

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}

/** WCAG 2.1 A/AA violations axe finds on the page, one line each (empty = none). */
export async function axe(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
