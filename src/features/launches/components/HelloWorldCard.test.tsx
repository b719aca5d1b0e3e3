import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { deferred, json, mockBff, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { HelloWorldCard } from './HelloWorldCard.tsx';

const created = (jobId: number) =>
  json({ submissionId: `sub-${jobId}`, jobIds: [jobId], created: true, jdl: '[ Executable = "echo"; ]' }, 201);
const launchButton = () => screen.getByRole('button', { name: /launch hello world/i });
const keysOf = (bff: ReturnType<typeof mockBff>) =>
  bff.requests('POST /bff/v1/jobs/hello-world').map((r) => (r.body as { idempotencyKey: string }).idempotencyKey);

describe('HelloWorldCard', () => {
  it('shows a field error for a control character and sends nothing', async () => {
    const bff = mockBff();
    const { user } = renderWithProviders(<HelloWorldCard />);
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'two\u0007lines' } });
    expect(screen.getByText(/control characters .* are not allowed/)).toBeInTheDocument();
    expect(screen.getByLabelText('Message')).toHaveAttribute('aria-invalid', 'true');
    await user.click(launchButton());
    expect(bff.calls).toHaveLength(0);
    expect(screen.getByLabelText('Message')).toHaveFocus();
  });

  it('disables the button while the launch is pending, then links to the new job', async () => {
    const reply = deferred();
    const bff = mockBff({ 'POST /bff/v1/jobs/hello-world': reply.handler });
    const { user } = renderWithProviders(<HelloWorldCard />);
    await user.selectOptions(screen.getByLabelText('Greeting'), 'Bonjour');
    await user.type(screen.getByLabelText('Message'), 'ESCAPE');
    await user.click(launchButton());

    const pending = await screen.findByRole('button', { name: /launching/i });
    expect(pending).toBeDisabled();
    fireEvent.click(pending); // a second click does nothing while pending…
    await user.type(screen.getByLabelText('Message'), '{Enter}'); // …nor does submitting with Enter
    expect(bff.requests('POST /bff/v1/jobs/hello-world')).toHaveLength(1);
    const body = bff.calls[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({ greeting: 'Bonjour', message: 'ESCAPE' });
    expect(body.idempotencyKey).toMatch(/^[A-Za-z0-9_-]{8,128}$/);

    reply.resolve(created(4242));
    const link = await screen.findByRole('link', { name: '4242' });
    expect(link).toHaveAttribute('href', '/jobs/4242');
    expect(screen.getByText(/submitted/)).toBeInTheDocument();
    expect(launchButton()).toBeEnabled();
  });

  it('shows the problem message on an API error and keeps what was typed', async () => {
    mockBff({
      'POST /bff/v1/jobs/hello-world': () => problem(502, 'UPSTREAM_UNREACHABLE', 'DiracX did not answer in time', { requestId: 'req-77' }),
    });
    const { user } = renderWithProviders(<HelloWorldCard />);
    await user.selectOptions(screen.getByLabelText('Greeting'), 'Hola');
    await user.type(screen.getByLabelText('Message'), 'mundo');
    await user.click(launchButton());

    expect(await screen.findByText('DiracX did not answer in time')).toBeInTheDocument();
    expect(screen.getByText('The job was not launched')).toBeInTheDocument();
    expect(screen.getByText('Reference: req-77')).toBeInTheDocument();
    expect(screen.getByLabelText('Message')).toHaveValue('mundo');
    expect(screen.getByLabelText('Greeting')).toHaveValue('Hola');
  });

  it('shows server-side field issues next to the field', async () => {
    mockBff({
      'POST /bff/v1/jobs/hello-world': () =>
        problem(400, 'VALIDATION', 'The request is invalid', { issues: [{ path: 'body.message', message: 'not allowed by the BFF' }] }),
    });
    const { user } = renderWithProviders(<HelloWorldCard />);
    await user.type(screen.getByLabelText('Message'), 'x');
    await user.click(launchButton());
    expect(await screen.findByText('The request is invalid')).toBeInTheDocument();
    expect(screen.getAllByText('not allowed by the BFF').length).toBeGreaterThanOrEqual(1);
    expect(screen.getByLabelText('Message')).toHaveAttribute('aria-invalid', 'true');
  });

  it('reuses the idempotency key when retrying after an error, and renews it after a success', async () => {
    let attempt = 0;
    const bff = mockBff({
      'POST /bff/v1/jobs/hello-world': () => (++attempt === 1 ? problem(503, 'UPSTREAM_UNREACHABLE', 'Try later') : created(900 + attempt)),
    });
    const { user } = renderWithProviders(<HelloWorldCard />);
    await user.click(launchButton());
    await screen.findByText('Try later');

    await user.click(screen.getByRole('button', { name: 'Retry' }));
    await screen.findByRole('link', { name: '902' });

    await user.click(launchButton());
    await screen.findByRole('link', { name: '903' });

    const keys = keysOf(bff);
    expect(keys).toHaveLength(3);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[1]);
  });

  it('uses a new key when the values change after an error (a different request)', async () => {
    let attempt = 0;
    const bff = mockBff({
      'POST /bff/v1/jobs/hello-world': () => (++attempt === 1 ? problem(500, 'INTERNAL', 'Oops') : created(1000)),
    });
    const { user } = renderWithProviders(<HelloWorldCard />);
    await user.click(launchButton());
    await screen.findByText('Oops');
    await user.type(screen.getByLabelText('Message'), 'changed');
    await user.click(launchButton());
    await waitFor(() => expect(keysOf(bff)).toHaveLength(2));
    const [first, second] = keysOf(bff);
    expect(second).not.toBe(first);
  });
});
