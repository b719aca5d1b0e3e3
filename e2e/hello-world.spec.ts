import { expect, test } from '@playwright/test';
import { shot, signIn } from './support.ts';

test('a scientist signs in through DiracX and the IdP, launches Hello world and watches it reach Done', async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  await page.goto('/');
  await shot(page, '01-signin');
  await signIn(page, 'scientist');
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome, alice' })).toBeVisible();
  await expect(page.getByText('Scientist', { exact: true }).first()).toBeVisible();
  await shot(page, '02-home');

  // A control character is refused in the form, before anything is sent.
  const message = page.getByLabel('Message');
  await message.fill('e2e\u0007test');
  await page.getByRole('button', { name: 'Launch Hello world' }).click();
  await expect(page.getByText('the control character U+0007 is not allowed in a parameter value')).toBeVisible();
  await message.fill('from Playwright');
  await page.getByRole('button', { name: 'Launch Hello world' }).click();
  const success = page.getByRole('alert').filter({ hasText: /submitted/ });
  const link = success.getByRole('link');
  await expect(link).toBeVisible();
  const jobId = Number(await link.textContent());
  expect(jobId).toBeGreaterThan(0);
  await shot(page, '03-submitted');

  await link.click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${jobId}$`));
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`Job ${jobId}`) })).toBeVisible();
  // The page polls the BFF: the status becomes Done without a reload, and the history shows every step.
  let navigations = 0;
  page.on('framenavigated', () => (navigations += 1));
  await expect(page.getByText(/This job has finished/)).toBeVisible({ timeout: 90_000 });
  await expect(page.getByRole('main').getByText('Done — Execution Complete')).toBeVisible();
  expect(navigations).toBe(0);
  const history = page.getByRole('list', { name: /status history/i });
  // The local site reports each step of the job wrapper (Running more than once, with different minor statuses).
  for (const status of ['Received', 'Waiting', 'Matched', 'Running', 'Completing', 'Done'])
    await expect(history.getByText(status, { exact: true }).first()).toBeVisible();
  // The job really ran: its std.out, uploaded by the site as alice, holds the greeting.
  // (The job has an input sandbox too: the launch's wrapper script.)
  const outputSandbox = page.getByRole('listitem').filter({ has: page.getByRole('button', { name: 'Download the output sandbox' }) });
  await outputSandbox.getByRole('button', { name: 'Show files' }).click();
  await expect(page.getByLabel('Contents of std.out')).toHaveText('Hello, from Playwright!\n');
  // An ordinary launch of workflows/hello-world.json: the JDL runs the launch's wrapper script (it holds the command line).
  await expect(page.getByText('Executable = "./escape-job.sh";')).toBeVisible();
  await shot(page, '04-job-done');
  expect(consoleErrors).toEqual([]);
});

test('signing out ends the session: tokens dropped, protected pages go back to sign-in', async ({ page }) => {
  await signIn(page, 'scientist');
  const stored = await page.evaluate(() => ({ local: JSON.stringify(localStorage), session: Object.keys(sessionStorage) }));
  expect(stored.local).not.toMatch(/access_token|refresh_token/);
  expect(stored.session.some((k) => k.startsWith('oidc.user'))).toBe(true);
  const refreshToken = await page.evaluate(() => {
    const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user'))!;
    return (JSON.parse(sessionStorage.getItem(key)!) as { refresh_token: string }).refresh_token;
  });
  const revoked = page.waitForResponse((r) => r.url().endsWith('/oidc/revoke') && r.request().method() === 'POST');
  await page.getByRole('button', { name: /user menu/i }).click();
  await page.getByRole('menuitem', { name: /sign out/i }).click();
  expect((await revoked).status()).toBe(200);
  await expect(page).toHaveURL(/\/signin/);
  // The refresh token is dead at DiracX: using it now is refused.
  const reuse = await page.request.post('/bff/v1/instances/local/oidc/token', {
    form: { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'escape-batch-portal' },
  });
  expect(reuse.status()).toBe(400);
  const after = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('oidc.user')));
  expect(after).toEqual([]);
  await page.goto('/jobs');
  await expect(page).toHaveURL(/\/signin\?returnTo=%2Fjobs/);
});

test('navigation follows the role: the scientist has Productions (their own) but no Accounting, the admin both', async ({
  page,
  context,
}) => {
  await signIn(page, 'scientist');
  const nav = page.getByRole('navigation', { name: /main/i });
  await expect(nav.getByRole('link', { name: 'Jobs' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Productions' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Accounting' })).toHaveCount(0);
  await page.goto('/accounting');
  await expect(page.getByText(/not available/i)).toBeVisible();
  await context.clearCookies();
  await page.evaluate(() => sessionStorage.clear());
  await signIn(page, 'admin');
  const adminNav = page.getByRole('navigation', { name: /main/i });
  await expect(adminNav.getByRole('link', { name: 'Productions' })).toBeVisible();
  await expect(adminNav.getByRole('link', { name: 'Accounting' })).toBeVisible();
  await shot(page, '05-admin-home');
});

test('unknown pages show a 404 page, not a blank screen', async ({ page }) => {
  await signIn(page, 'scientist');
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: /page not found/i })).toBeVisible();
});
