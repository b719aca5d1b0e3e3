import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BoutiquesDescriptorSchema, type BoutiquesDescriptor } from '../../../contracts/workflows/descriptor.ts';
import { mockBff } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { useWorkflowForm } from '../hooks/use-workflow-form.ts';
import { WorkflowForm, WorkflowFormPreview } from './WorkflowForm.tsx';

/**
 * The form generated for every Boutiques input type and rule, from one descriptor that has them all
 * (CORSIKA and Hello world are covered through the real pages in WorkflowForm.test.tsx).
 */
const num = (id: string, name: string, more: Record<string, unknown> = {}) => ({
  id,
  name,
  type: 'Number',
  'value-key': `[${id}]`,
  optional: true,
  ...more,
});
const everyType: BoutiquesDescriptor = BoutiquesDescriptorSchema.parse({
  name: 'Every type',
  'tool-version': '1',
  description: 'Every Boutiques input type and rule',
  'schema-version': '0.5',
  'command-line':
    'tool [TEXT] [SPEED] [COUNT] [RATIO] [VERBOSE] [QUIET] [ITER] [TOL] [NAMES] [IN1] [IN2] [BOX] [SPHERE] [MASK] [THRESH] [LOW] [HIGH]',
  inputs: [
    { id: 'TEXT', name: 'Label', type: 'String', 'value-key': '[TEXT]' },
    {
      id: 'SPEED',
      name: 'Speed',
      type: 'String',
      'value-key': '[SPEED]',
      optional: true,
      'value-choices': ['fast', 'slow'],
      'value-disables': { fast: ['ITER'], slow: [] },
      'value-requires': { fast: [], slow: ['TOL'] },
    },
    num('COUNT', 'Count', { integer: true, minimum: 1, maximum: 10, 'default-value': 2, optional: false }),
    num('RATIO', 'Ratio', { minimum: 0, maximum: 1, 'exclusive-minimum': true, 'exclusive-maximum': true }),
    {
      id: 'VERBOSE',
      name: 'Verbose',
      type: 'Flag',
      'value-key': '[VERBOSE]',
      'command-line-flag': '-v',
      optional: true,
      'disables-inputs': ['QUIET'],
    },
    { id: 'QUIET', name: 'Quiet', type: 'Flag', 'value-key': '[QUIET]', 'command-line-flag': '-q', optional: true },
    num('ITER', 'Iterations', { integer: true }),
    num('TOL', 'Tolerance'),
    {
      id: 'NAMES',
      name: 'Names',
      type: 'String',
      'value-key': '[NAMES]',
      optional: true,
      list: true,
      'min-list-entries': 2,
      'max-list-entries': 3,
    },
    { id: 'IN1', name: 'Events', type: 'File', 'value-key': '[IN1]' },
    { id: 'IN2', name: 'Calibration', type: 'File', 'value-key': '[IN2]', optional: true },
    num('BOX', 'Box size'),
    num('SPHERE', 'Sphere radius'),
    { id: 'MASK', name: 'Mask name', type: 'String', 'value-key': '[MASK]', optional: true },
    num('THRESH', 'Threshold'),
    num('LOW', 'Lower'),
    num('HIGH', 'Upper'),
  ],
  groups: [
    { id: 'shape', name: 'Shape', members: ['BOX', 'SPHERE'], 'mutually-exclusive': true },
    { id: 'masking', name: 'Masking', members: ['MASK', 'THRESH'], 'one-is-required': true },
    { id: 'window', name: 'Window', members: ['LOW', 'HIGH'], 'all-or-none': true },
  ],
});

function Form({ preview = false }: { preview?: boolean }) {
  const controller = useWorkflowForm('every-type', everyType, { persist: false });
  return preview ? <WorkflowFormPreview controller={controller} label="Preview" /> : <WorkflowForm controller={controller} />;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const field = (name: string) => screen.getByLabelText(new RegExp(`^${escape(name)}(\\s*\\*)?$`), { selector: 'input' });
const toggle = (name: string) => screen.getByLabelText(name, { selector: 'input[role="switch"]' });
const help = (el: HTMLElement) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

function renderForm(preview = false) {
  const bff = mockBff({ 'POST /bff/v1/workflows/:id/validate': { ok: true, jobs: 1 } });
  return { bff, ...renderWithProviders(<Form preview={preview} />) };
}
const validate = (user: ReturnType<typeof renderForm>['user']) => user.click(screen.getByRole('button', { name: 'Validate' }));

describe('the generated form, per input type and rule', { timeout: 60_000 }, () => {
  it('renders each type: free text, choices, whole and exclusive-bound numbers, flags, lists and several File inputs', () => {
    renderForm();
    expect(field('Label')).toBeRequired();
    const speed = screen.getByRole('combobox', { name: 'Speed' });
    expect(
      within(speed)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Not set', 'fast', 'slow']);
    expect(field('Count')).toHaveValue('2');
    expect(help(field('Count'))).toContain('Whole number from 1 to 10.');
    expect(field('Ratio')).not.toBeRequired();
    expect(help(field('Ratio'))).toContain('Number, greater than 0, less than 1.');
    expect(toggle('Verbose')).not.toBeChecked();
    expect(help(field('Names'))).toContain('Separated by commas; 2 to 3 values.');
    // The first File input is bound to basket items at launch; another one says what it gets instead.
    expect(screen.getByText('Events')).toBeInTheDocument();
    expect(screen.getByText('Calibration')).toBeInTheDocument();
    expect(screen.getAllByText(/Chosen from your basket when you launch/)).toHaveLength(1);
    expect(
      screen.getByText('One file for every job: choose it from your basket under “Input data”, or it is left out of the command line.'),
    ).toBeInTheDocument();
    // Groups are fieldsets.
    for (const g of ['Shape', 'Masking', 'Window']) expect(screen.getByRole('group', { name: g })).toBeInTheDocument();
  });

  it('checks required text, number bounds (exclusive), whole numbers and list entries', async () => {
    const { user, bff } = renderForm();
    await user.type(field('Ratio'), '1');
    await user.clear(field('Count'));
    await user.type(field('Count'), '2.5');
    await user.type(field('Names'), 'only-one');
    await user.type(field('Mask name'), 'm');
    await validate(user);
    expect(await screen.findByRole('alert')).toHaveTextContent('Some values need attention');
    expect(help(field('Label'))).toContain('Required');
    expect(help(field('Ratio'))).toContain('Must be less than 1');
    expect(help(field('Count'))).toContain('Enter a whole number');
    expect(help(field('Names'))).toMatch(/at least 2/i);
    expect(field('Label')).toHaveFocus();
    expect(bff.requests('POST /bff/v1/workflows/:id/validate')).toHaveLength(0);

    await user.type(field('Label'), 'run');
    await user.clear(field('Ratio'));
    await user.type(field('Ratio'), '0.5');
    await user.clear(field('Count'));
    await user.type(field('Count'), '3');
    await user.type(field('Names'), ', two');
    await validate(user);
    expect(await screen.findByText(/^The portal accepted these values: 1 job/)).toBeInTheDocument();
    expect(bff.requests('POST /bff/v1/workflows/:id/validate')[0]?.body).toEqual({
      values: { TEXT: 'run', COUNT: 3, RATIO: 0.5, NAMES: ['only-one', 'two'], MASK: 'm', VERBOSE: false, QUIET: false },
      sweeps: {},
    });
  });

  it('applies group rules: mutually exclusive, one is required, all or none', async () => {
    const { user } = renderForm();
    await user.type(field('Label'), 'run');
    await validate(user);
    expect(help(field('Mask name'))).toContain('Masking: set at least one of “Mask name” (MASK) and “Threshold” (THRESH)');
    await user.type(field('Threshold'), '0.3');
    await user.type(field('Box size'), '2');
    await user.type(field('Sphere radius'), '1');
    await user.type(field('Lower'), '1');
    await validate(user);
    expect(help(field('Sphere radius'))).toContain('Shape: choose only one of “Box size” (BOX) and “Sphere radius” (SPHERE)');
    expect(help(field('Upper'))).toContain('Window: “Lower” (LOW) and “Upper” (HIGH) go together; set all of them or none');
    expect(help(field('Mask name'))).not.toContain('Masking');
  });

  it('applies disables-inputs, value-disables and value-requires: fields turn off with the reason, required ones are asked for', async () => {
    const { user } = renderForm();
    await user.click(toggle('Verbose'));
    expect(toggle('Quiet')).toBeDisabled();
    expect(help(toggle('Quiet'))).toContain('Not used when “Verbose” (VERBOSE) is on');
    await user.click(toggle('Verbose'));
    expect(toggle('Quiet')).toBeEnabled();

    await user.selectOptions(screen.getByRole('combobox', { name: 'Speed' }), 'fast');
    expect(field('Iterations')).toBeDisabled();
    expect(help(field('Iterations'))).toContain('Not used when “Speed” (SPEED) is fast');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Speed' }), 'slow');
    expect(field('Iterations')).toBeEnabled();
    await user.type(field('Label'), 'run');
    await user.type(field('Mask name'), 'm');
    await validate(user);
    expect(help(field('Tolerance'))).toContain('Required when “Speed” (SPEED) is slow');
  });

  it('shows the same form read-only as a preview', () => {
    renderForm(true);
    const preview = screen.getByRole('group', { name: 'Preview' });
    expect(field('Label')).toBeDisabled();
    expect(toggle('Verbose')).toBeDisabled();
    expect(within(preview).getByRole('combobox', { name: 'Speed' })).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Validate' })).not.toBeInTheDocument();
  });
});
