import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { deferred, json, mockBff, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { helloWorldWorkflow, LAUNCH_ID, makeHelloLaunch } from '../testing/launch-fixtures.ts';
import { HelloWorldCard } from './HelloWorldCard.tsx';

/** `POST /bff/v1/launches` answering a launch whose job DiracX already accepted. */
const created = (jobId: number) => json(makeHelloLaunch(jobId), 202);
const launchButton = () => screen.getByRole('button', { name: /launch hello world/i });
const keysOf = (bff: ReturnType<typeof mockBff>) =>
  bff.requests('POST /bff/v1/launches').map((r) => (r.body as { idempotencyKey: string }).idempotencyKey);
const card = (onJobsSubmitted?: () => void) => <HelloWorldCard workflow={helloWorldWorkflow} onJobsSubmitted={onJobsSubmitted} />;

describe('HelloWorldCard', () => {
  it('shows a field error for a control character and sends nothing', async () => {
    const bff = mockBff();
    const { user } = renderWithProviders(card());
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'two\u0007lines' } });
    expect(await screen.findByText(/control character U\+0007 is not allowed/)).toBeInTheDocument();
    expect(screen.getByLabelText('Message')).toHaveAttribute('aria-invalid', 'true');
    await user.click(launchButton());
    expect(bff.calls).toHaveLength(0);
    expect(screen.getByLabelText('Message')).toHaveFocus();
  });

  it('disables the button while the launch is pending, then links to the new job', async () => {
    const reply = deferred();
    const bff = mockBff({ 'POST /bff/v1/launches': reply.handler });
    const { user } = renderWithProviders(card());
    await user.selectOptions(screen.getByLabelText('Greeting'), 'Bonjour');
    await user.type(screen.getByLabelText('Message'), 'ESCAPE');
    await user.click(launchButton());

    const pending = await screen.findByRole('button', { name: /launching/i });
    expect(pending).toBeDisabled();
    fireEvent.click(pending); // a second click does nothing while pending…
    await user.type(screen.getByLabelText('Message'), '{Enter}'); // …nor does submitting with Enter
    expect(bff.requests('POST /bff/v1/launches')).toHaveLength(1);
    const body = bff.calls[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({ workflowId: 'hello-world', values: { GREETING: 'Bonjour', MESSAGE: 'ESCAPE' }, inputMode: 'none' });
    expect(body.idempotencyKey).toMatch(/^[A-Za-z0-9_-]{8,128}$/);

    reply.resolve(created(4242));
    const link = await screen.findByRole('link', { name: '4242' });
    expect(link).toHaveAttribute('href', '/jobs/4242');
    expect(screen.getByText(/submitted/)).toBeInTheDocument();
    expect(launchButton()).toBeEnabled();
  });

  it('shows the problem message on an API error and keeps what was typed', async () => {
    mockBff({
      'POST /bff/v1/launches': () => problem(502, 'UPSTREAM_UNREACHABLE', 'DiracX did not answer in time', { requestId: 'req-77' }),
    });
    const { user } = renderWithProviders(card());
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
      'POST /bff/v1/launches': () =>
        problem(400, 'VALIDATION', 'The request is invalid', {
          issues: [{ path: 'body.values.MESSAGE', message: 'not allowed by the BFF' }],
        }),
    });
    const { user } = renderWithProviders(card());
    await user.type(screen.getByLabelText('Message'), 'x');
    await user.click(launchButton());
    expect(await screen.findByText('The request is invalid')).toBeInTheDocument();
    expect(screen.getAllByText('not allowed by the BFF').length).toBeGreaterThanOrEqual(1);
    expect(screen.getByLabelText('Message')).toHaveAttribute('aria-invalid', 'true');
  });

  it('reuses the idempotency key when retrying after an error, and renews it after a success', async () => {
    let attempt = 0;
    const bff = mockBff({
      'POST /bff/v1/launches': () => (++attempt === 1 ? problem(503, 'UPSTREAM_UNREACHABLE', 'Try later') : created(900 + attempt)),
    });
    const { user } = renderWithProviders(card());
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
      'POST /bff/v1/launches': () => (++attempt === 1 ? problem(500, 'INTERNAL', 'Oops') : created(1000)),
    });
    const { user } = renderWithProviders(card());
    await user.click(launchButton());
    await screen.findByText('Oops');
    await user.type(screen.getByLabelText('Message'), 'changed');
    await user.click(launchButton());
    await waitFor(() => expect(keysOf(bff)).toHaveLength(2));
    const [first, second] = keysOf(bff);
    expect(second).not.toBe(first);
  });

  it('waits while the BFF submits the job, then links to it and has recent jobs refreshed', async () => {
    let polls = 0;
    const bff = mockBff({
      'POST /bff/v1/launches': () => json(makeHelloLaunch(0, { status: 'pending', submittedJobs: 0, jobIds: [] }), 202),
      'GET /bff/v1/launches/:id': () =>
        json(++polls < 2 ? makeHelloLaunch(0, { status: 'submitting', submittedJobs: 0, jobIds: [] }) : makeHelloLaunch(777)),
    });
    const onJobsSubmitted = vi.fn();
    const { user } = renderWithProviders(card(onJobsSubmitted));
    await user.click(launchButton());
    expect(await screen.findByRole('button', { name: /launching/i })).toBeDisabled();
    const link = await screen.findByRole('link', { name: '777' }, { timeout: 10_000 });
    expect(link).toHaveAttribute('href', '/jobs/777');
    expect(bff.requests('GET /bff/v1/launches/:id')[0]?.params.id).toBe(LAUNCH_ID);
    expect(bff.requests('POST /bff/v1/launches')).toHaveLength(1);
    expect(onJobsSubmitted).toHaveBeenCalledTimes(1);
  });

  it('says so when the launch had already reached the portal (same key: nothing sent again)', async () => {
    mockBff({ 'POST /bff/v1/launches': () => json(makeHelloLaunch(4243), 200) });
    const { user } = renderWithProviders(card());
    await user.click(launchButton());
    expect(await screen.findByText(/Already submitted: job/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '4243' })).toHaveAttribute('href', '/jobs/4243');
    expect(screen.getByText('This launch had already reached the portal, so nothing was sent again.')).toBeInTheDocument();
  });

  it('shows why when DiracX refused the job', async () => {
    mockBff({
      'POST /bff/v1/launches': () =>
        json(
          makeHelloLaunch(0, {
            status: 'failed',
            submittedJobs: 0,
            failedJobs: 1,
            jobIds: [],
            errors: [{ jobIndex: 0, message: 'DiracX refused the JDL' }],
          }),
          202,
        ),
    });
    const { user } = renderWithProviders(card());
    await user.click(launchButton());
    expect(await screen.findByText('The job was not launched')).toBeInTheDocument();
    expect(screen.getByText(/DiracX refused the JDL/)).toBeInTheDocument();
    expect(launchButton()).toBeEnabled();
  });
});
