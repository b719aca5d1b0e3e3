import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import helloJson from '../../../../workflows/hello-world.json';
import type { Application, ApplicationVersion } from '../../../contracts/workflows/applications.ts';
import { workflowSummary } from '../../../contracts/workflows/catalogue.ts';
import { BoutiquesDescriptorSchema } from '../../../contracts/workflows/descriptor.ts';
import { json, mockBff, never, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { CataloguePage } from './CataloguePage.tsx';

const sha = (c: string) => c.repeat(64);
const version = (v: Partial<ApplicationVersion> & Pick<ApplicationVersion, 'version' | 'status'>): ApplicationVersion => ({
  appId: 'hello-world',
  name: 'Hello world',
  toolVersion: '1.0',
  sha256: sha(String(v.version)),
  provenance: { source: 'seed', fileName: 'hello-world.json' },
  createdBy: 'portal',
  createdAt: '2026-12-01T10:00:00Z',
  updatedAt: '2026-12-01T10:00:00Z',
  ...v,
});
const hello: Application = {
  id: 'hello-world',
  name: 'Hello world',
  versions: [
    version({
      version: 2,
      status: 'draft',
      toolVersion: '1.1',
      createdBy: 'ada',
      provenance: { source: 'zenodo', doi: '10.5281/zenodo.42', url: 'https://zenodo.org/records/42', license: 'MIT' },
    }),
    version({ version: 1, status: 'published' }),
  ],
};
const helloDescriptor = BoutiquesDescriptorSchema.parse(helloJson);
const renderPage = () => renderWithProviders(<CataloguePage />, { me: { role: 'admin', group: 'admins' } });

describe('CataloguePage', () => {
  it('shows a busy placeholder while loading', () => {
    mockBff({ 'GET /bff/v1/admin/applications': never });
    renderPage();
    expect(screen.getByText('Loading the catalogue…').closest('[aria-busy]')).toHaveAttribute('aria-busy', 'true');
  });

  it('says so when there are no applications', async () => {
    mockBff({ 'GET /bff/v1/admin/applications': { items: [] } });
    renderPage();
    expect(await screen.findByRole('heading', { name: 'No applications yet' })).toBeInTheDocument();
  });

  it('shows a failed load with Retry', async () => {
    let calls = 0;
    mockBff({
      'GET /bff/v1/admin/applications': () =>
        ++calls === 1 ? problem(503, 'UPSTREAM_UNREACHABLE', 'Database down') : json({ items: [hello] }),
    });
    const { user } = renderPage();
    expect(await screen.findByText('Database down')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('region', { name: 'Hello world (hello-world)' })).toBeInTheDocument();
  });

  it('lists versions with status, short hash and provenance; publishes a draft and disables after confirming', async () => {
    const bff = mockBff({
      'GET /bff/v1/admin/applications': { items: [hello] },
      'POST /bff/v1/admin/applications/:appId/versions/:version/:action': (req) =>
        json({ ...hello.versions[req.params.version === '2' ? 0 : 1], status: req.params.action === 'publish' ? 'published' : 'disabled' }),
    });
    const { user } = renderPage();
    const table = await screen.findByRole('table', { name: 'Hello world (hello-world)' });
    const rows = within(table).getAllByRole('row');
    expect(within(rows[1]!).getByText('2 · 1.1')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('Draft')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('222222222222')).toHaveAttribute('title', sha('2'));
    expect(within(rows[1]!).getByRole('link', { name: 'Zenodo 10.5281/zenodo.42' })).toHaveAttribute(
      'href',
      'https://zenodo.org/records/42',
    );
    expect(within(rows[2]!).getByText('Published')).toBeInTheDocument();
    expect(within(rows[2]!).getByText('Portal file: hello-world.json')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Publish version 2 of Hello world' }));
    expect(await screen.findByText('Version 2 of “hello-world” is published')).toBeInTheDocument();
    expect(bff.requests('POST /bff/v1/admin/applications/hello-world/versions/2/publish')).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Disable version 1 of Hello world' }));
    const dialog = screen.getByRole('dialog', { name: 'Disable version 1 of Hello world?' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Disable' }));
    expect(await screen.findByText(/Version 1 of “hello-world” is disabled/)).toBeInTheDocument();
    expect(bff.requests('POST /bff/v1/admin/applications/hello-world/versions/1/disable')).toHaveLength(1);
  });

  it('removes a version after confirming and says how many launches used it', async () => {
    const bff = mockBff({
      'GET /bff/v1/admin/applications': { items: [hello] },
      'DELETE /bff/v1/admin/applications/:appId/versions/:version': {
        removed: { ...hello.versions[1], status: 'removed' },
        usedBy: { launches: 3, schedules: 1 },
      },
    });
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'Remove version 1 of Hello world' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove version 1 of Hello world?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(bff.requests('DELETE /bff/v1/admin/applications/:appId/versions/:version')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Remove version 1 of Hello world' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Remove' }));
    expect(await screen.findByText(/is removed; 3 launches and 1 schedule used it/)).toBeInTheDocument();
  });

  it('checks a pasted descriptor, shows the refusal with its field, then the preview, and publishes it as the next version', async () => {
    let checks = 0;
    const bff = mockBff({
      'GET /bff/v1/admin/applications': { items: [hello] },
      'POST /bff/v1/admin/applications/check': () =>
        ++checks === 1
          ? problem(400, 'VALIDATION', 'The descriptor does not follow the Boutiques schema', {
              issues: [{ path: 'inputs[0] (name).type', message: 'one of String, File, Flag, Number' }],
            })
          : json({ sha256: sha('a'), summary: workflowSummary('preview', helloDescriptor), descriptor: helloDescriptor }),
      'POST /bff/v1/admin/applications': { ...hello.versions[1], version: 3, status: 'draft', provenance: { source: 'upload' } },
      'POST /bff/v1/admin/applications/:appId/versions/:version/publish': { ...hello.versions[1], version: 3, status: 'published' },
    });
    const { user } = renderPage();
    await screen.findByRole('table');
    const textarea = screen.getByLabelText('Descriptor JSON');
    await user.click(textarea);
    await user.paste('{"name": "bad"}');
    await user.click(screen.getByRole('button', { name: 'Check' }));
    expect(await screen.findByText('The descriptor was refused')).toBeInTheDocument();
    expect(screen.getByText('inputs[0] (name).type:')).toBeInTheDocument();

    await user.clear(textarea);
    await user.paste(JSON.stringify(helloJson));
    await user.click(screen.getByRole('button', { name: 'Check' }));
    expect(await screen.findByText(/A valid Boutiques descriptor/)).toBeInTheDocument();
    const form = screen.getByRole('group', { name: 'Form preview of Hello world' });
    const field = within(form).getByRole('textbox', { name: /message/i });
    expect(field).toBeDisabled();
    // The id is suggested from the name; it names an existing application, so this is its next version.
    expect(screen.getByLabelText('Application id')).toHaveValue('hello-world');
    expect(screen.getByText('Adds version 3 of “Hello world” (hello-world).')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Publish' }));
    expect(await screen.findByText(/Published Hello world, version 3/)).toBeInTheDocument();
    expect(bff.requests('POST /bff/v1/admin/applications')[0]?.body).toMatchObject({ id: 'hello-world', as: 'version' });
    expect(bff.requests('POST /bff/v1/admin/applications/hello-world/versions/3/publish')).toHaveLength(1);
  });

  it('imports a Zenodo record by DOI as a new application', async () => {
    const bff = mockBff({
      'GET /bff/v1/admin/applications': { items: [hello] },
      'POST /bff/v1/admin/applications/import/zenodo': {
        ...hello.versions[0],
        appId: 'fsl-bet',
        name: 'FSL BET',
        version: 1,
        status: 'draft',
      },
    });
    const { user } = renderPage();
    await screen.findByRole('table');
    await user.click(screen.getByRole('tab', { name: 'OSSR / Zenodo' }));
    await user.type(screen.getByLabelText('DOI, record id or record URL'), '10.5281/zenodo.42');
    await user.type(screen.getByLabelText('Application id'), 'fsl-bet');
    expect(screen.getByText(/A new application/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Import as draft' }));
    expect(await screen.findByText(/Imported FSL BET as a draft/)).toBeInTheDocument();
    expect(bff.requests('POST /bff/v1/admin/applications/import/zenodo')[0]?.body).toEqual({
      id: 'fsl-bet',
      as: 'new',
      record: '10.5281/zenodo.42',
    });
  });
});
