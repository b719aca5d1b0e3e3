import { expect, test } from '@playwright/test';
import { axe, shot, signIn } from './support.ts';

test('the sign-in page and the home page have no axe violations', async ({ page }) => {
  await page.goto('/signin');
  await expect(page.getByRole('button', { name: /^sign in$/i })).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await signIn(page, 'scientist');
  await expect(page.getByRole('button', { name: 'Launch Hello world' })).toBeVisible();
  expect(await axe(page)).toEqual([]);
});

test('the home page is usable with the keyboard alone', async ({ page }) => {
  await signIn(page, 'scientist');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: /skip to (main )?content/i })).toBeFocused();
  const visited: string[] = [];
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    visited.push(
      await page.evaluate(
        () => (document.activeElement as HTMLElement | null)?.innerText || document.activeElement?.getAttribute('aria-label') || '',
      ),
    );
  }
  expect(visited.some((t) => /Launch Hello world/.test(t))).toBe(true);
  await shot(page, '06-keyboard');
});

test('the pages have no axe violations in the dark colour scheme, which follows the system until one is chosen', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/signin');
  await expect(page.getByRole('button', { name: /^sign in$/i })).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await signIn(page, 'admin');
  await expect(page.locator('html')).toHaveClass(/dark/);
  for (const path of ['/', '/jobs', '/resources', '/productions', '/workflows', '/basket', '/schedules', '/accounting']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await axe(page), path).toEqual([]);
  }
  await shot(page, '07-dark-accounting');
  // the user's choice wins over the system's
  await page.getByRole('button', { name: 'Colour scheme: system (press for light)' }).click();
  await expect(page.locator('html')).toHaveClass(/light/);
});

// A phone is 390 px wide: every page must fit it (tables scroll inside their own box, never the page), in
// both colour schemes, and stay free of axe violations there.
const PAGES = [
  '/',
  '/basket',
  '/resources',
  '/workflows',
  '/workflows/cta-dl0-dl3',
  '/workflows/cta-dl0-dl3/launch',
  '/jobs',
  '/productions',
  '/schedules',
  '/accounting',
  '/admin/catalogue',
];
// At 1280 px (a laptop) too: no page wider than the screen, the side navigation's column as long as the
// page, the queue table's capability columns in view (R5: what each queue offers) with a shadow hinting at
// the columns beyond, and the productions list within its card (issue #17, "small things").
const SCREENS = [
  { name: 'narrow', width: 390, height: 844 },
  { name: 'wide', width: 1280, height: 860 },
] as const;
for (const scheme of ['light', 'dark'] as const) {
  for (const screen of SCREENS) {
    test(`every page fits a ${screen.width} px screen in the ${scheme} scheme`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await signIn(page, 'admin'); // at the default width: the app bar hides the signed-in chip at 390 px
      await page.setViewportSize({ width: screen.width, height: screen.height });
      for (const path of PAGES) {
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        // late content (charts, tables) can widen a page after its heading shows: measure once it has loaded
        await page.waitForLoadState('networkidle');
        expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(screen.width);
        expect(await axe(page), path).toEqual([]);
        if (screen.name === 'wide') {
          const navColumnBottom = await page.evaluate(() => {
            let el = document.querySelector('nav[aria-label="Main navigation"]') as HTMLElement;
            while (el.parentElement && !el.parentElement.querySelector(':scope > main')) el = el.parentElement;
            return el.getBoundingClientRect().bottom + window.scrollY;
          });
          expect(navColumnBottom, path).toBeGreaterThanOrEqual(await page.evaluate(() => document.documentElement.scrollHeight - 1));
        }
        await shot(page, `${screen.name}-${scheme}${path === '/' ? '-home' : path.replaceAll('/', '-')}`);
      }
      if (screen.name === 'narrow') return;

      // The monitor chart's "Group by" select: its floating label starts inside the chart's figure, whose box
      // (fixed height, overflow hidden) clipped the label's top before.
      await page.goto('/jobs');
      const figure = page.getByRole('figure', { name: /^Submitted per day/ });
      // (a select's label is a div; the outline's legend repeats the text after it, hidden)
      const label = figure.getByText('Group by', { exact: true }).first();
      await expect(label).toBeVisible();
      expect((await label.boundingBox())!.y).toBeGreaterThanOrEqual((await figure.boundingBox())!.y);

      await page.goto('/resources');
      const queues = page.getByRole('region', { name: 'Queue table (scrolls sideways)' });
      const box = (await queues.boundingBox())!;
      // each capability column's label, and the tags themselves, end inside the table's box (not under its edge)
      const textRight = (el: Element) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return range.getBoundingClientRect().right;
      };
      for (const name of ['Kind', 'Cores', 'GPUs', 'RAM', 'Time limits', 'Tags'])
        expect(await queues.getByRole('columnheader', { name, exact: true }).evaluate(textRight), name).toBeLessThanOrEqual(
          box.x + box.width,
        );
      expect(await queues.getByText('MultiProcessor').last().evaluate(textRight)).toBeLessThanOrEqual(box.x + box.width);
      // the columns beyond the edge are hinted at by a shadow (the scroller's background layers)
      expect(await queues.evaluate((el) => getComputedStyle(el).backgroundImage)).toContain('radial-gradient');

      await page.goto('/productions');
      await expect(page.getByRole('heading', { level: 1, name: 'Productions' })).toBeVisible();
      await page.waitForLoadState('networkidle');
      const list = page.getByRole('region', { name: 'Productions (scrolls sideways)' });
      if (await list.count()) expect(await list.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
    });
  }
}
