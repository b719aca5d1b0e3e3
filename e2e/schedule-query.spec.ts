import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { apiToken, axe, bffCall, createAndAuthorize, shot, signIn } from './support.ts';

const stackDir = path.dirname(process.env.PORTAL_STACK_FILE ?? '.stack/test/stack.json');

/** The catalogue grows the way an operator grows it: a newer dump loaded with the import CLI, on the BFF's own config. */
function importDl0(project: string, from: number, to: number) {
  const lines = ['lfn,project_id,data_level,size_bytes,checksum,storage_element,observation_date'];
  for (let i = from; i <= to; i++) {
    const day = String(i).padStart(2, '0');
    lines.push(
      `/cta/e2e/${project}/DL0/run_${day}.dl0.fits.fz,${project},DL0,${1000 + i},adler32:${i.toString(16).padStart(8, '0')},CTA-PIC-DISK,2026-11-${day}`,
    );
  }
  execFileSync(process.execPath, [path.resolve('src/server/datasets/import-cli.ts'), '-'], {
    input: `${lines.join('\n')}\n`,
    env: { ...process.env, PORTAL_CONFIG: path.join(stackDir, 'portal.json') },
  });
}

/** "Run now", then the runs dialog once that run has an outcome: the newest run's row. */
async function runNow(page: Page, name: string, runs: number) {
  // One run per schedule and second (the BFF's double-click guard answers 409): runs here end within a second, so
  // the next "Run now" can land in the previous run's second; then it is clicked again in the next one.
  for (let attempt = 1; ; attempt++) {
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/run-now')),
      page.getByRole('row').filter({ hasText: name }).getByRole('button', { name: 'Run now' }).click(),
    ]);
    if (answer.status() !== 409 || attempt === 3) {
      expect(answer.status()).toBe(202);
      break;
    }
    await page.waitForTimeout(1000);
  }
  await expect(async () => {
    await page.reload();
    await page.getByRole('row').filter({ hasText: name }).getByRole('button', { name: 'Runs' }).click();
    const dialog = page.getByRole('dialog', { name: `Runs of “${name}”` });
    await expect(dialog.getByRole('row')).toHaveCount(runs + 1, { timeout: 2000 });
    await expect(
      dialog
        .getByRole('row')
        .nth(1)
        .getByText(/^(Submitted|Nothing new|Failed)$/),
    ).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 120_000, intervals: [3000] });
  return page
    .getByRole('dialog', { name: `Runs of “${name}”` })
    .getByRole('row')
    .nth(1);
}

/** The names of the files a run took ("Show the N files"). */
async function filesOf(row: ReturnType<Page['getByRole']>) {
  await row.getByRole('button', { name: /^Show the \d+ files?$/ }).click();
  return (await row.getByRole('list', { name: 'Files this run took' }).getByRole('listitem').allInnerTexts()).map((t) => t.split('\n')[0]);
}

// The PI's basket: the scientist's is the other specs'.
test('a schedule on a growing catalogue takes only the new files, over three runs, then finds nothing new (issue #16)', async ({
  page,
}) => {
  test.setTimeout(420_000);
  const project = `E2E-GROW-${Date.now() % 1_000_000}`;
  const name = `e2e growing ${project}`;
  importDl0(project, 1, 3);
  // The launch the schedule repeats: CTA DL0 → DL3, one job per file; the page needs one chosen input to check it.
  const token = await apiToken('pi');
  const found = await bffCall<{ items: { id: string; name: string }[] }>(
    token,
    'GET',
    `/bff/v1/datasets/files?projectId=${project}&perPage=1`,
  );
  await bffCall(token, 'POST', '/bff/v1/basket/items', { fileIds: found.items.map((f) => f.id) });
  await signIn(page, 'pi', { returnTo: '/workflows/cta-dl0-dl3/launch' });
  await page.getByRole('checkbox', { name: `Select ${found.items[0]!.name}` }).check();
  await page.getByLabel('Production name').fill('e2e growing');
  await page.getByRole('button', { name: 'Schedule…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Schedule this launch' });
  await dialog.getByLabel('Schedule name').fill(name);
  await dialog.getByRole('radio', { name: /^A saved query/ }).check();
  await dialog.getByLabel('Search in').selectOption('catalogue');
  await dialog.getByLabel('Project').fill(project);
  await dialog.getByLabel('Data level').selectOption('DL0');
  await dialog.getByLabel('Repeat').selectOption('daily'); // runs below are "Run now" only
  expect(await axe(page)).toEqual([]);
  await shot(page, '68-schedule-query-dialog');
  await createAndAuthorize(page, dialog, 'pi');

  // Run 1: the three files there are.
  let run = await runNow(page, name, 1);
  await expect(run).toContainText('Submitted');
  await expect(run).toContainText('Took 3 new files.');
  await expect(run.getByRole('link', { name: /^3 jobs/ })).toBeVisible();
  expect(await filesOf(run)).toEqual(['run_01.dl0.fits.fz', 'run_02.dl0.fits.fz', 'run_03.dl0.fits.fz']);
  await page.keyboard.press('Escape');

  // Run 2: two files arrived since; only they are taken.
  importDl0(project, 4, 5);
  run = await runNow(page, name, 2);
  await expect(run).toContainText('Took 2 new files.');
  await expect(run.getByRole('link', { name: /^2 jobs/ })).toBeVisible();
  expect(await filesOf(run)).toEqual(['run_04.dl0.fits.fz', 'run_05.dl0.fits.fz']);
  await page.keyboard.press('Escape');

  // Run 3: one more file (and the dump loaded again with the old ones: an update, not new files).
  importDl0(project, 1, 6);
  run = await runNow(page, name, 3);
  await expect(run).toContainText('Took 1 new file.');
  await expect(run.getByRole('link', { name: /^Job \d+/ })).toBeVisible();
  expect(await filesOf(run)).toEqual(['run_06.dl0.fits.fz']);
  await page.keyboard.press('Escape');

  // Run 4: nothing new, nothing submitted.
  run = await runNow(page, name, 4);
  await expect(run).toContainText('Nothing new');
  await expect(run).toContainText('nothing was submitted');
  await expect(run.getByRole('link')).toHaveCount(0);
  expect(await axe(page)).toEqual([]);
  await shot(page, '69-schedule-query-runs-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(run).toBeVisible();
  // The runs fit the phone's width: the table does not overflow its dialog.
  const runsDialog = page.getByRole('dialog', { name: `Runs of “${name}”` });
  const [table, box] = [(await runsDialog.getByRole('table').boundingBox())!, (await runsDialog.boundingBox())!];
  expect(table.x + table.width).toBeLessThanOrEqual(box.x + box.width);
  await shot(page, '70-schedule-query-runs-390');
  await page.setViewportSize({ width: 1280, height: 860 });
  await runsDialog.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('row').filter({ hasText: name }).getByRole('button', { name: 'Delete' }).click();
  await page
    .getByRole('dialog', { name: `Delete “${name}”?` })
    .getByRole('button', { name: 'Delete' })
    .click();
  await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(0);
  await bffCall(token, 'DELETE', '/bff/v1/basket');
});
