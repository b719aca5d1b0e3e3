import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { bosh } from '../src/contracts/workflows/testing/bosh.ts';
import { apiToken, axe, bffCall, shot, signIn, testApplication, uploadAndCheck } from './support.ts';

/**
 * The workflow catalogue (#15) with a descriptor of several File inputs, a mutually exclusive group and list
 * inputs: ada (admin) uploads and publishes it; alice (scientist) fills its generated form with the keyboard,
 * chooses two basket files for the first File input (one job per file) and a third for the second one (every job). The command line each job runs (read from the
 * launch's wrapper script in the jobs' input sandbox, run with bash) must be what Boutiques' reference
 * implementation (`bosh exec simulate`, .venv-boutiques) writes for the same invocation. Axe, 1280 and 390 px.
 */
const { tag, name, appId } = testApplication('E2E reco', 'e2e-reco');
const descriptor = {
  name,
  'tool-version': '2.1',
  description: 'Reconstructs events with a calibration, cuts, labels and either a fast or a precise mode.',
  'schema-version': '0.5',
  'command-line': 'echo reco [EVENTS] [CALIB] [CUTS] [LABELS] [THRESHOLDS] [FAST] [PRECISION] [OUT]',
  inputs: [
    { id: 'EVENTS', name: 'Events', type: 'File', 'value-key': '[EVENTS]' },
    {
      id: 'CALIB',
      name: 'Calibration',
      type: 'File',
      'value-key': '[CALIB]',
      'command-line-flag': '--calib',
      optional: true,
      'default-value': 'calib_v2.fits',
    },
    { id: 'CUTS', name: 'Cuts', type: 'String', 'value-key': '[CUTS]', 'command-line-flag': '--cuts' },
    {
      id: 'LABELS',
      name: 'Labels',
      type: 'String',
      list: true,
      'min-list-entries': 1,
      'max-list-entries': 3,
      'value-key': '[LABELS]',
      'command-line-flag': '--labels',
    },
    {
      id: 'THRESHOLDS',
      name: 'Thresholds',
      type: 'Number',
      list: true,
      'list-separator': ',',
      'value-key': '[THRESHOLDS]',
      'command-line-flag': '-t',
      'command-line-flag-separator': '=',
      optional: true,
    },
    { id: 'FAST', name: 'Fast mode', type: 'Flag', 'value-key': '[FAST]', 'command-line-flag': '--fast', optional: true },
    {
      id: 'PRECISION',
      name: 'Precision',
      type: 'Number',
      'value-key': '[PRECISION]',
      'command-line-flag': '--precision',
      minimum: 0,
      maximum: 1,
      optional: true,
    },
  ],
  groups: [
    { id: 'data', name: 'Data', members: ['EVENTS', 'CALIB'] },
    { id: 'selection', name: 'Selection', members: ['CUTS', 'LABELS', 'THRESHOLDS'] },
    { id: 'mode', name: 'Mode', members: ['FAST', 'PRECISION'], 'mutually-exclusive': true },
  ],
  'output-files': [
    {
      id: 'OUT',
      name: 'Reconstructed events',
      'path-template': '[EVENTS].reco.h5',
      'path-template-stripped-extensions': ['.fits.fz'],
      'value-key': '[OUT]',
      optional: true,
    },
  ],
};

/** What alice types: JDL and shell characters included (the command line goes into the wrapper script). */
const CUTS = `x[0] > 1; y 'q'`;
const LABELS = ['gamma', 'on run'];
const THRESHOLDS = [0.5, 2];
const PRECISION = 0.25;

/** Type into a field with the keyboard (focus, select what is there, type); a required field's label ends in "*". */
async function typeInto(page: Page, label: string, text: string) {
  await page.getByLabel(new RegExp(`^${label}(\\s*\\*)?$`)).focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

/** The command each job index runs, from the launch's wrapper script run with bash (`exec` replaced by a printer). */
function scriptCommands(script: string, jobs: number): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-wrapper-'));
  try {
    fs.writeFileSync(path.join(dir, 'escape-job.sh'), script);
    return Array.from({ length: jobs }, (_, index) => {
      const res = spawnSync('bash', ['-c', 'exec() { printf "%s\\0" "$@"; }; . ./escape-job.sh', 'escape-job.sh', String(index)], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(res.status, res.stderr).toBe(0);
      const words = res.stdout.split('\0').slice(0, -1);
      expect(words.slice(-3, -1)).toEqual(['/bin/sh', '-c']);
      return words.at(-1)!;
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('several File inputs, an exclusive group and lists: the jobs run the command lines bosh writes', async ({
  page: ada,
  browser,
  baseURL,
}) => {
  // Three catalogue DL0 files in alice's basket (made here; the spec assumes nothing about the database).
  const aliceToken = await apiToken('scientist');
  const projects = await bffCall<{ items: { projectId: string }[] }>(aliceToken, 'GET', '/bff/v1/datasets/projects');
  const files = await bffCall<{ items: { id: string; lfn: string; name: string }[] }>(
    aliceToken,
    'GET',
    `/bff/v1/datasets/files?projectId=${encodeURIComponent(projects.items[0]!.projectId)}&dataLevel=DL0&perPage=3`,
  );
  expect(files.items).toHaveLength(3);
  const chosen = files.items.slice(0, 2);
  const calib = files.items[2]!;
  await bffCall(aliceToken, 'POST', '/bff/v1/basket/items', { fileIds: files.items.map((f) => f.id) });

  // Ada uploads the descriptor, checks it, sees the form it makes, publishes it.
  await signIn(ada, 'admin', { returnTo: '/admin/catalogue' });
  const preview = await uploadAndCheck(ada, appId, descriptor);
  for (const group of ['Data', 'Selection', 'Mode']) await expect(preview.getByRole('group', { name: group })).toBeVisible();
  await expect(preview.getByText('Calibration', { exact: true })).toBeVisible();
  await expect(ada.getByLabel('Application id')).toHaveValue(appId);
  await ada.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(ada.getByText(`Published ${name}, version 1 of “${appId}”`)).toBeVisible();

  // Alice fills the form with the keyboard, in a browser context of her own.
  const aliceContext = await browser.newContext({ baseURL, viewport: { width: 1280, height: 860 } });
  const alice = await aliceContext.newPage();
  await signIn(alice, 'scientist', { returnTo: `/workflows/${appId}/launch` });
  await expect(alice.getByRole('heading', { level: 1, name: `Launch ${name}` })).toBeVisible();
  // Basket items bind to the first File input; the second one is given one chosen file, else its default.
  await expect(
    alice.getByText(
      'One file for every job: choose it from your basket under “Input data”, or every job is given “calib_v2.fits” (the descriptor’s default).',
    ),
  ).toBeVisible();
  const calibSelect = alice.getByLabel('Calibration: file from your basket');
  await expect(calibSelect.locator('option').first()).toHaveText('(default file) calib_v2.fits');
  await calibSelect.selectOption({ label: calib.name });
  await typeInto(alice, 'Cuts', CUTS);
  await typeInto(alice, 'Labels', LABELS.join(', '));
  await typeInto(alice, 'Thresholds', THRESHOLDS.join(', '));
  await typeInto(alice, 'Precision', String(PRECISION));
  await alice.getByLabel('Fast mode').focus();
  await alice.keyboard.press('Space');
  for (const f of chosen) {
    // The basket may hold other specs' items (50 a page, oldest first): page on until the file shows.
    const box = alice.getByRole('checkbox', { name: `Select ${f.name}` });
    const next = alice.getByRole('navigation', { name: 'Pages of basket items' }).getByRole('button', { name: 'Go to next page' });
    await alice.getByRole('table', { name: 'Basket items for this launch' }).waitFor();
    while (!(await box.isVisible()) && (await next.isVisible()) && (await next.isEnabled())) await next.click();
    await box.focus();
    await alice.keyboard.press('Space');
    await expect(box).toBeChecked();
  }
  await typeInto(alice, 'Production name', `e2e reco ${tag}`);
  // Both members of the mutually exclusive group: refused, named; Fast mode off again with the keyboard.
  await alice.getByRole('button', { name: 'Update summary' }).click();
  await expect(alice.getByText(/Mode: choose only one of/).first()).toBeVisible();
  await alice.getByLabel('Fast mode').focus();
  await alice.keyboard.press('Space');
  await alice.getByRole('button', { name: 'Update summary' }).click();
  await expect(alice.getByText('This launch will create 2 jobs.')).toBeVisible();

  // What bosh writes for each job's invocation: the file's base name (the job's working directory) and the values.
  const invocations = chosen.map((f) => ({
    EVENTS: path.posix.basename(f.lfn),
    CALIB: path.posix.basename(calib.lfn),
    CUTS,
    LABELS,
    THRESHOLDS,
    PRECISION,
  }));
  const expected = bosh(invocations.map((invocation) => ({ descriptor, invocation }))).map((r) => {
    if (!('command' in r)) throw new Error(`bosh: ${JSON.stringify(r)}`);
    return r.command;
  });
  expect(expected[0]).toContain(`--cuts 'x[0] > 1; y '"'"'q'"'"''`);
  expect(expected[0]).toContain(`--calib ${path.posix.basename(calib.lfn)}`);
  const sample = alice.getByText(/^echo reco /);
  await expect(sample).toBeVisible();
  expect(expected).toContain(await sample.textContent());

  expect(await axe(alice)).toEqual([]);
  await shot(alice, '74-catalogue-files-launch-1280');
  await alice.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => alice.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await axe(alice)).toEqual([]);
  await shot(alice, '75-catalogue-files-launch-390');
  await alice.setViewportSize({ width: 1280, height: 860 });

  await alice.getByRole('button', { name: 'Submit' }).click();
  await expect(alice).toHaveURL(/\/productions\/[0-9a-f-]{36}$/);
  const launchId = alice.url().split('/').at(-1)!;
  await expect(alice.getByRole('heading', { level: 1, name: `e2e reco ${tag}` })).toBeVisible();

  // The jobs' command lines: the wrapper script in their input sandbox, as the sites run it.
  type Launch = {
    status: string;
    jobIds: number[];
    workflowVersion: number | null;
    descriptorSha256: string | null;
    request: { fileBindings?: Record<string, string> };
  };
  await expect
    .poll(async () => (await bffCall<Launch>(aliceToken, 'GET', `/bff/v1/launches/${launchId}`)).status, { timeout: 60_000 })
    .toBe('submitted');
  const launch = await bffCall<Launch>(aliceToken, 'GET', `/bff/v1/launches/${launchId}`);
  expect(launch.jobIds).toHaveLength(2);
  expect(launch).toMatchObject({ workflowVersion: 1, descriptorSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  // The launch records the chosen file (a relaunch or a draft keeps it).
  expect(Object.keys(launch.request.fileBindings ?? {})).toEqual(['CALIB']);
  const { sandboxes } = await bffCall<{ sandboxes: { kind: string; pfn: string }[] }>(
    aliceToken,
    'GET',
    `/bff/v1/jobs/${launch.jobIds[0]}/sandboxes`,
  );
  const input = sandboxes.find((s) => s.kind === 'input')!;
  const { members } = await bffCall<{ members: { name: string; text: string }[] }>(
    aliceToken,
    'GET',
    `/bff/v1/jobs/${launch.jobIds[0]}/sandboxes/contents?pfn=${encodeURIComponent(input.pfn)}`,
  );
  const script = members.find((m) => m.name === 'escape-job.sh')!.text;
  expect(scriptCommands(script, 2).sort()).toEqual([...expected].sort());
  await aliceContext.close();
});
