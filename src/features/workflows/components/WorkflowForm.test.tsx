import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, mockBff, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { WorkflowDetailPage } from '../routes/WorkflowDetailPage.tsx';
import { catalogueFixture } from '../testing/workflow-fixtures.ts';

/**
 * The CORSIKA form generated from workflows/corsika.json, through the detail page (mock BFF).
 */
function renderForm(id = 'corsika') {
  return renderWithProviders(<WorkflowDetailPage />, { route: `/workflows/${id}`, path: '/workflows/:workflowId' });
}

// By label rather than by role: much faster on a form this size (the required marker " *" is allowed).
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const textbox = (name: string) => screen.getByLabelText(new RegExp(`^${escape(name)}(\\s*\\*)?$`), { selector: 'input' });
const toggle = (name: string) => screen.getByLabelText(name, { selector: 'input[role="switch"]' });
const describedBy = (el: HTMLElement) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

async function ready() {
  return screen.findByRole('group', { name: 'Primary' });
}

// Whole generated forms with MUI in jsdom: slower than the 5 s default on a busy machine.
describe('WorkflowForm (CORSIKA)', { timeout: 30_000 }, () => {
  it('renders the descriptor’s groups as fieldsets with the defaults filled in', async () => {
    mockBff({ 'GET /bff/v1/workflows/corsika': catalogueFixture.corsika });
    renderForm();
    await ready();
    expect(screen.getByRole('heading', { level: 1, name: 'CORSIKA air-shower simulation' })).toBeInTheDocument();
    for (const legend of ['Primary', 'Energy', 'Geometry', 'Cherenkov', 'Random'])
      expect(screen.getByRole('group', { name: legend })).toBeInTheDocument();

    const primary = screen.getByRole('group', { name: 'Primary' });
    const particle = within(primary).getByRole('combobox', { name: 'Primary particle' });
    expect(particle).toHaveDisplayValue('Gamma (1)');
    expect(
      within(particle)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Gamma (1)', 'Proton (14)', 'Helium (402)', 'Nitrogen (1407)', 'Iron (5626)', 'Electron (3)']);
    expect(within(primary).getByRole('textbox', { name: 'Number of showers' })).toHaveValue('1000');
    expect(describedBy(textbox('Number of showers'))).toContain('Whole number from 1 to 100,000.');

    const energy = screen.getByRole('group', { name: 'Energy' });
    expect(within(energy).getByRole('textbox', { name: 'Energy minimum (GeV)' })).toHaveValue('10');
    expect(within(energy).getByRole('textbox', { name: 'Energy maximum (GeV)' })).toHaveValue('100000');
    expect(textbox('Energy minimum (GeV)')).toBeRequired();
    expect(describedBy(textbox('Energy minimum (GeV)'))).toContain('Number, greater than 0, at most 100,000,000,000.');
    expect(screen.getByRole('combobox', { name: 'Atmosphere model' })).toHaveDisplayValue('La Palma, CTA North (atmprof36)');
    expect(toggle('Cherenkov light')).toBeChecked();
    expect(textbox('Photon bunch size')).toHaveValue('5');
    expect(textbox('Photon bunch size')).not.toBeRequired();
    // Seeds left empty are derived per job by the portal (escape:derived-seeds).
    expect(textbox('Seed 1')).toHaveValue('');
    expect(toggle('Sweep Number of showers')).not.toBeChecked();
    expect(screen.queryByLabelText('Sweep Energy minimum (GeV)', { selector: 'input' })).not.toBeInTheDocument();
    expect(screen.getByText('This launch will create 1 job.')).toBeInTheDocument();
  });

  it('shows a field error, announced with the field, for an out-of-range energy', async () => {
    mockBff({ 'GET /bff/v1/workflows/corsika': catalogueFixture.corsika });
    const { user } = renderForm();
    await ready();
    const min = textbox('Energy minimum (GeV)');
    await user.clear(min);
    await user.type(min, '-5');
    await user.tab();
    expect(await screen.findByText('Must be greater than 0')).toBeInTheDocument();
    expect(min).toHaveAttribute('aria-invalid', 'true');
    expect(describedBy(min)).toContain('Must be greater than 0');

    const max = textbox('Energy maximum (GeV)');
    await user.clear(max);
    await user.type(max, '1e12');
    await user.tab();
    expect(await screen.findByText('Must be at most 100000000000')).toBeInTheDocument();
    await user.clear(max);
    await user.type(max, 'lots');
    expect(await screen.findByText('Enter a number')).toBeInTheDocument();
  });

  it('shows the cross-field rule when the energy minimum exceeds the maximum', async () => {
    mockBff({ 'GET /bff/v1/workflows/corsika': catalogueFixture.corsika });
    const { user } = renderForm();
    await ready();
    const min = textbox('Energy minimum (GeV)');
    await user.clear(min);
    await user.type(min, '5000');
    await user.tab();
    await user.clear(textbox('Energy maximum (GeV)'));
    await user.type(textbox('Energy maximum (GeV)'), '100');
    await user.tab();
    const message = '“Energy minimum (GeV)” (ERANGE_MIN) must not be greater than “Energy maximum (GeV)” (ERANGE_MAX) (5000 > 100)';
    expect(await screen.findByText(message)).toBeInTheDocument();
    expect(textbox('Energy maximum (GeV)')).toHaveAttribute('aria-invalid', 'true');
    // Fixing the minimum clears the message on the maximum (the fields depend on each other).
    await user.clear(min);
    await user.type(min, '50');
    await waitFor(() => expect(screen.queryByText(message)).not.toBeInTheDocument());
    expect(textbox('Energy maximum (GeV)')).toHaveAttribute('aria-invalid', 'false');
  });

  it('sweeps the number of showers with start, step and end, and counts the jobs', async () => {
    mockBff({ 'GET /bff/v1/workflows/corsika': catalogueFixture.corsika });
    const { user } = renderForm();
    await ready();
    await user.click(toggle('Sweep Number of showers'));
    const sweep = screen.getByRole('group', { name: 'Number of showers: sweep' });
    expect(within(sweep).getByRole('combobox', { name: 'Sweep over' })).toHaveDisplayValue('Start, step and end');
    expect(within(sweep).getByText('Enter the start, step and end')).toBeInTheDocument();
    expect(screen.getByText('Complete the sweeps to see how many jobs this launch creates.')).toBeInTheDocument();
    await user.type(within(sweep).getByRole('textbox', { name: 'Start' }), '1000');
    await user.type(within(sweep).getByRole('textbox', { name: 'Step' }), '1000');
    await user.type(within(sweep).getByRole('textbox', { name: 'End' }), '10000');
    expect(within(sweep).getByText('10 values')).toBeInTheDocument();
    expect(screen.getByText('This launch will create 10 jobs.')).toBeInTheDocument();

    // A second sweep multiplies; an out-of-range value is reported live.
    await user.click(toggle('Sweep Run number'));
    const runs = screen.getByRole('group', { name: 'Run number: sweep' });
    await user.selectOptions(within(runs).getByRole('combobox', { name: 'Sweep over' }), 'A list of values');
    await user.type(within(runs).getByRole('textbox', { name: 'Values' }), '1, 2, 3');
    expect(within(runs).getByText('3 values')).toBeInTheDocument();
    expect(screen.getByText('This launch will create 30 jobs.')).toBeInTheDocument();
    await user.type(within(runs).getByRole('textbox', { name: 'Values' }), ', 0');
    expect(within(runs).getByText('0: Must be at least 1')).toBeInTheDocument();
  });

  it('keeps the draft across a re-mount, and resets to the defaults', async () => {
    mockBff({ 'GET /bff/v1/workflows/corsika': catalogueFixture.corsika });
    const first = renderForm();
    await ready();
    await first.user.clear(textbox('Number of showers'));
    await first.user.type(textbox('Number of showers'), '500');
    await first.user.click(toggle('Cherenkov light'));
    await first.user.click(toggle('Sweep Observation level (m)'));
    first.unmount();

    const second = renderForm();
    await ready();
    expect(textbox('Number of showers')).toHaveValue('500');
    expect(toggle('Cherenkov light')).not.toBeChecked();
    expect(toggle('Sweep Observation level (m)')).toBeChecked();

    await second.user.click(screen.getByRole('button', { name: 'Reset to defaults' }));
    expect(textbox('Number of showers')).toHaveValue('1000');
    expect(toggle('Cherenkov light')).toBeChecked();
    second.unmount();
    renderForm();
    await ready();
    expect(textbox('Number of showers')).toHaveValue('1000');
  });

  it('turns off the Cherenkov options with Cherenkov light', async () => {
    mockBff({ 'GET /bff/v1/workflows/corsika': catalogueFixture.corsika });
    const { user } = renderForm();
    await ready();
    await user.click(toggle('Cherenkov light'));
    expect(textbox('Photon bunch size')).toBeDisabled();
    expect(describedBy(textbox('Photon bunch size'))).toContain('Only used when “Cherenkov light” (CERENKOV) is on');
    expect(textbox('Wavelength minimum (nm)')).toBeDisabled();
  });

  it('blocks Validate on local errors, focusing the first field, without calling the BFF', async () => {
    const bff = mockBff({ 'GET /bff/v1/workflows/corsika': catalogueFixture.corsika });
    const { user } = renderForm();
    await ready();
    await user.clear(textbox('Number of showers'));
    await user.type(textbox('Number of showers'), '0');
    await user.click(screen.getByRole('button', { name: 'Validate' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Some values need attention');
    expect(textbox('Number of showers')).toHaveFocus();
    expect(bff.requests('POST /bff/v1/workflows/:id/validate')).toHaveLength(0);
  });

  it('sends the validated values to the BFF and reports the accepted number of jobs', async () => {
    const bff = mockBff({
      'GET /bff/v1/workflows/corsika': catalogueFixture.corsika,
      'POST /bff/v1/workflows/:id/validate': json({ ok: true, jobs: 3 }),
    });
    const { user } = renderForm();
    await ready();
    await user.click(toggle('Sweep Primary particle'));
    await user.type(
      within(screen.getByRole('group', { name: 'Primary particle: sweep' })).getByRole('textbox', { name: 'Values' }),
      '1, 14, 402',
    );
    await user.click(screen.getByRole('button', { name: 'Validate' }));
    expect(await screen.findByText('The portal accepted these values: 3 jobs.')).toBeInTheDocument();
    const [request] = bff.requests('POST /bff/v1/workflows/:id/validate');
    expect(request?.params.id).toBe('corsika');
    expect(request?.body).toEqual({
      values: expect.objectContaining({ NSHOW: 1000, ERANGE_MIN: 10, CERENKOV: true, CERSIZ: 5, RUNNR: 1 }),
      sweeps: { PRMPAR: { kind: 'list', values: [1, 14, 402] } },
    });
    expect((request?.body as { values: object }).values).not.toHaveProperty('PRMPAR');
  });

  it('puts the BFF’s validation issues on the right fields', async () => {
    mockBff({
      'GET /bff/v1/workflows/corsika': catalogueFixture.corsika,
      'POST /bff/v1/workflows/:id/validate': () =>
        problem(400, 'VALIDATION', 'values.OBSLEV: above every site of this VO', {
          issues: [
            { path: 'values.OBSLEV', message: 'Above every site of this VO' },
            { path: 'values.ESLOPE', message: 'Too steep for this production' },
            { path: 'inputItemIds', message: 'Choose at least one basket item' },
          ],
        }),
    });
    const { user } = renderForm();
    await ready();
    await user.click(screen.getByRole('button', { name: 'Validate' }));
    expect(await screen.findByText('Above every site of this VO')).toBeInTheDocument();
    const obslev = textbox('Observation level (m)');
    expect(obslev).toHaveAttribute('aria-invalid', 'true');
    expect(describedBy(obslev)).toContain('Above every site of this VO');
    expect(describedBy(textbox('Spectral slope'))).toContain('Too steep for this production');
    expect(textbox('Spectral slope')).toHaveFocus();
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The portal refused some values');
    expect(alert).toHaveTextContent('2 fields are marked above; also:');
    expect(alert).toHaveTextContent('inputItemIds: Choose at least one basket item');
    // Editing the field clears the server's message.
    await user.clear(obslev);
    await user.type(obslev, '2000');
    await waitFor(() => expect(screen.queryByText('Above every site of this VO')).not.toBeInTheDocument());
  });

  it('works with the keyboard alone', async () => {
    mockBff({
      'GET /bff/v1/workflows/corsika': catalogueFixture.corsika,
      'POST /bff/v1/workflows/:id/validate': json({ ok: true, jobs: 1 }),
    });
    const { user } = renderForm();
    await ready();
    textbox('Number of showers').focus();
    await user.tab({ shift: true });
    expect(toggle('Sweep Number of showers')).toHaveFocus();
    await user.keyboard(' ');
    expect(toggle('Sweep Number of showers')).toBeChecked();
    await user.keyboard(' ');
    textbox('Number of showers').focus();
    await user.keyboard('{Enter}');
    expect(await screen.findByText('The portal accepted these values: 1 job.')).toBeInTheDocument();
  });
});

describe('WorkflowDetailPage', { timeout: 30_000 }, () => {
  it('says when the workflow does not exist', async () => {
    mockBff({ 'GET /bff/v1/workflows/nope': () => problem(404, 'NOT_FOUND', 'There is no workflow "nope" in the catalogue') });
    renderForm('nope');
    expect(await screen.findByText('There is no workflow “nope”')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All workflows' })).toHaveAttribute('href', '/workflows');
  });

  it('explains file inputs and counts jobs per input file (CTA)', async () => {
    mockBff({ 'GET /bff/v1/workflows/cta-dl0-dl3': catalogueFixture.cta });
    const { user } = renderForm('cta-dl0-dl3');
    await screen.findByRole('group', { name: 'Input' });
    expect(screen.getByText('DL0 file (DL0)')).toBeInTheDocument();
    expect(screen.getByText(/Chosen from your basket when you launch: one job per file\./)).toBeInTheDocument();
    expect(screen.getByText('This launch will create 1 job per input file.')).toBeInTheDocument();
    // Mutually exclusive telescope selection: the group message names the parameters.
    await user.type(textbox('Telescope IDs'), '1, 2');
    await user.tab();
    expect(
      await screen.findByText(/^Telescopes: choose only one of “All telescopes” \(ALL_TELESCOPES\), “Telescope IDs” \(TEL_IDS\)/),
    ).toBeInTheDocument();
    await user.click(toggle('All telescopes'));
    await waitFor(() => expect(screen.queryByText(/^Telescopes: choose only one/)).not.toBeInTheDocument());
  });
});

describe('WorkflowForm (Hello world): any printable text, no control characters', { timeout: 30_000 }, () => {
  it('takes " \\ ; [ ] \' in a text value (the wrapper script quotes it) and refuses a tab with a message on the field', async () => {
    mockBff({ 'GET /bff/v1/workflows/hello-world': catalogueFixture.hello });
    const { user } = renderForm('hello-world');
    await screen.findByRole('group', { name: 'Greeting' });
    const message = textbox('Message');
    await user.clear(message);
    await user.click(message);
    await user.paste('a\tb');
    await user.tab();
    const reason = 'the control character U+0009 (tab) is not allowed in a parameter value';
    expect(await screen.findByText(reason)).toBeInTheDocument();
    expect(message).toHaveAttribute('aria-invalid', 'true');
    expect(describedBy(message)).toContain(reason);
    await user.clear(message);
    await user.click(message);
    await user.paste(`x[0] > 1; y "q" 'a' \\`);
    await user.tab();
    await waitFor(() => expect(screen.queryByText(reason)).not.toBeInTheDocument());
    expect(message).not.toHaveAttribute('aria-invalid', 'true');
  });
});
