import { expect, test, type Page } from '@playwright/test';
import { axe, shot, signIn, testApplication, uploadAndCheck } from './support.ts';

/**
 * The workflow catalogue (#15) through the real stack: ada (admin) uploads a descriptor, checks it, sees
 * the generated form read-only, publishes it; alice (scientist) finds it in the workflow list and launches
 * it; ada disables it; alice can no longer launch it. Axe on the admin page; screenshots at 1280 and 390 px.
 */
const { tag, name, appId } = testApplication('E2E greeter', 'e2e-greeter');
const descriptor = {
  name,
  'tool-version': '1.0.0',
  description: 'Prints a greeting, a number of times or with extra words (one or the other).',
  'schema-version': '0.5',
  'command-line': 'echo [GREETING], [MESSAGE]! [TIMES] [EXTRA]',
  inputs: [
    {
      id: 'GREETING',
      name: 'Greeting',
      type: 'String',
      'value-key': '[GREETING]',
      'value-choices': ['Hello', 'Hola'],
      'default-value': 'Hello',
    },
    { id: 'MESSAGE', name: 'Message', type: 'String', 'value-key': '[MESSAGE]', 'default-value': 'world' },
    { id: 'TIMES', name: 'Times', type: 'Number', 'value-key': '[TIMES]', integer: true, minimum: 1, maximum: 3, optional: true },
    { id: 'EXTRA', name: 'Extra words', type: 'String', 'value-key': '[EXTRA]', list: true, 'max-list-entries': 3, optional: true },
  ],
  groups: [
    { id: 'greeting', name: 'Greeting', members: ['GREETING', 'MESSAGE'] },
    { id: 'options', name: 'Options', members: ['TIMES', 'EXTRA'], 'mutually-exclusive': true },
  ],
  'suggested-resources': { 'cpu-cores': 1, ram: 0.5, 'walltime-estimate': 300 },
  'error-codes': [{ code: 3, description: 'The greeting could not be printed' }],
};

const versionsTable = (page: Page) => page.getByRole('table', { name: `${name} (${appId})` });

test('an admin publishes a descriptor, a scientist launches it, and it can no longer be launched once disabled', async ({
  page: ada,
  browser,
  baseURL,
}) => {
  await signIn(ada, 'admin', { returnTo: '/admin/catalogue' });
  await expect(ada.getByRole('heading', { level: 1, name: 'Workflow catalogue' })).toBeVisible();
  await expect(ada.getByRole('link', { name: 'Workflow catalogue' })).toBeVisible();

  // A descriptor that does not follow the schema is refused, naming the field.
  await ada.getByLabel('Descriptor JSON').fill(JSON.stringify({ ...descriptor, inputs: [{ ...descriptor.inputs[0], type: 'Text' }] }));
  await ada.getByRole('button', { name: 'Check' }).click();
  await expect(ada.getByText('The descriptor was refused')).toBeVisible();
  await expect(ada.getByText(/inputs\[0\]/).first()).toBeVisible();

  // The file: checked, previewed as the form users will get (read-only), published.
  const preview = await uploadAndCheck(ada, appId, descriptor);
  await expect(preview.getByRole('group', { name: 'Options' })).toBeVisible();
  await expect(preview.getByLabel('Times')).toBeDisabled();
  await expect(ada.getByLabel('Application id')).toHaveValue(appId);
  expect(await axe(ada)).toEqual([]);
  await shot(ada, '70-catalogue-preview-1280');
  await ada.setViewportSize({ width: 390, height: 844 });
  await shot(ada, '71-catalogue-preview-390');
  await ada.setViewportSize({ width: 1280, height: 860 });

  await ada.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(ada.getByText(`Published ${name}, version 1 of “${appId}”`)).toBeVisible();
  await expect(versionsTable(ada).getByText('Published')).toBeVisible();
  await expect(versionsTable(ada).getByText(`Upload: ${appId}.json`)).toBeVisible();
  expect(await axe(ada)).toEqual([]);
  await shot(ada, '72-catalogue-list-1280');
  await ada.setViewportSize({ width: 390, height: 844 });
  await versionsTable(ada).scrollIntoViewIfNeeded();
  // The versions tables scroll inside their cards: the page itself stays 390 px wide.
  await expect.poll(() => ada.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await axe(ada)).toEqual([]);
  await shot(ada, '73-catalogue-list-390');
  await ada.setViewportSize({ width: 1280, height: 860 });

  // Alice sees it among the workflows and launches it, the generated form's rules included.
  // Alice in a browser context of her own (axe needs pages made by contexts).
  const aliceContext = await browser.newContext({ baseURL, viewport: { width: 1280, height: 860 } });
  const alice = await aliceContext.newPage();
  await signIn(alice, 'scientist', { returnTo: '/workflows' });
  await expect(alice.getByRole('link', { name: 'Workflow catalogue' })).toHaveCount(0);
  const card = alice.getByRole('article', { name });
  await expect(card).toBeVisible();
  await card.getByRole('link', { name }).click();
  await alice.getByRole('button', { name: 'Launch…' }).click();
  await expect(alice.getByRole('heading', { level: 1, name: `Launch ${name}` })).toBeVisible();
  await alice.getByLabel('Times').fill('2');
  await alice.getByLabel('Extra words').fill('and, more');
  await alice.getByRole('button', { name: 'Submit' }).click();
  await expect(alice.getByText(/Options: choose only one of/).first()).toBeVisible();
  await alice.getByLabel('Extra words').fill('');
  await alice.getByLabel('Production name').fill(`e2e catalogue ${tag}`);
  await alice.getByRole('button', { name: 'Submit' }).click();
  await expect(alice).toHaveURL(/\/productions\/[0-9a-f-]{36}$/);
  await expect(alice.getByRole('heading', { level: 1, name: `e2e catalogue ${tag}` })).toBeVisible();
  await expect(alice.getByText('Version', { exact: true })).toBeVisible();

  // Ada disables it (after confirming); alice can no longer launch it.
  await ada.getByRole('button', { name: `Disable version 1 of ${name}` }).click();
  const dialog = ada.getByRole('dialog', { name: `Disable version 1 of ${name}?` });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Disable' }).click();
  await expect(versionsTable(ada).getByText('Disabled')).toBeVisible();

  await alice.goto('/workflows');
  await expect(alice.getByRole('article').first()).toBeVisible();
  await expect(alice.getByRole('article', { name })).toHaveCount(0);
  await alice.goto(`/workflows/${appId}/launch`);
  await expect(alice.getByRole('heading', { level: 1, name: 'Workflow not found' })).toBeVisible();
  await aliceContext.close();
});
