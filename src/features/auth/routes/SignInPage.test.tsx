import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { makeInstance } from '../../../shared/testing/fixtures.ts';
import { json, mockBff, never, problem } from '../../../shared/testing/mock-bff.ts';
import { fakeAuth, renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { SignInPage } from './SignInPage.tsx';

const renderSignIn = (
  route: Parameters<typeof renderWithProviders>[1] extends infer O ? (O extends { route?: infer R } ? R : never) : never = '/signin',
) => {
  const signIn = vi.fn(async () => {});
  const utils = renderWithProviders(<SignInPage />, { route, path: '/signin', auth: fakeAuth(null, { signIn }) });
  return { ...utils, signIn };
};

describe('SignInPage', () => {
  it('shows a busy state while the instances load', () => {
    mockBff({ 'GET /bff/v1/instances': never });
    renderSignIn();
    expect(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByText('Loading DiracX instances…')).toBeInTheDocument();
  });

  it('calls the instances endpoint without a token', async () => {
    const bff = mockBff({ 'GET /bff/v1/instances': { instances: [makeInstance()] } });
    renderSignIn();
    await screen.findByRole('combobox', { name: 'Group' });
    expect(bff.calls[0]?.headers.get('authorization')).toBeNull();
  });

  it('lists the groups of the VO, preselects the default group and shows properties', async () => {
    mockBff({ 'GET /bff/v1/instances': { instances: [makeInstance()] } });
    const { user } = renderSignIn();
    const group = await screen.findByRole('combobox', { name: 'Group' });
    expect(group).toHaveValue('scientists');
    expect(group).toHaveAccessibleDescription('Properties: NormalUser');
    // A single instance and a single VO are shown as text, not as selects.
    expect(screen.getByText('Local DiracX')).toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: 'DiracX instance' })).not.toBeInTheDocument();

    expect(
      within(group)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['admins', 'pis', 'scientists']);
    await user.selectOptions(group, 'admins');
    expect(group).toHaveAccessibleDescription('Properties: JobAdministrator, NormalUser');
  });

  it('starts the sign-in with the chosen instance, VO, group and returnTo', async () => {
    mockBff({ 'GET /bff/v1/instances': { instances: [makeInstance()] } });
    const { user, signIn } = renderSignIn('/signin?returnTo=%2Fjobs%2F5');
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Group' }), 'pis');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(signIn).toHaveBeenCalledWith(
      {
        instanceId: 'local',
        clientId: 'myDIRACClientID',
        metadataUrl: '/bff/v1/instances/local/oidc/.well-known/openid-configuration',
        vo: 'escape',
        group: 'pis',
      },
      '/jobs/5',
    );
    expect(screen.getByRole('button', { name: 'Redirecting…' })).toBeDisabled();
  });

  it('never returns to another site after sign-in', async () => {
    mockBff({ 'GET /bff/v1/instances': { instances: [makeInstance()] } });
    const { user, signIn } = renderSignIn('/signin?returnTo=%2F%2Fevil.example');
    await user.click(await screen.findByRole('button', { name: 'Sign in' }));
    expect(signIn).toHaveBeenCalledWith(expect.anything(), '/');
  });

  it('offers a choice of instance and VO when there are several', async () => {
    const other = makeInstance({
      id: 'egi',
      label: 'EGI DiracX',
      vos: [
        { name: 'cta', defaultGroup: null, groups: [{ name: 'cta_user', properties: [] }] },
        { name: 'km3net', defaultGroup: 'km3_user', groups: [{ name: 'km3_user', properties: ['NormalUser'] }] },
      ],
    });
    mockBff({ 'GET /bff/v1/instances': { instances: [makeInstance(), other] } });
    const { user } = renderSignIn();
    await user.selectOptions(await screen.findByRole('combobox', { name: 'DiracX instance' }), 'EGI DiracX');
    const vo = screen.getByRole('combobox', { name: 'Virtual organisation (VO)' });
    expect(vo).toHaveValue('cta');
    expect(screen.getByRole('combobox', { name: 'Group' })).toHaveValue('cta_user');
    expect(screen.getByText('No special properties')).toBeInTheDocument();
    await user.selectOptions(vo, 'km3net');
    expect(screen.getByRole('combobox', { name: 'Group' })).toHaveValue('km3_user');
  });

  it('says when the instance is unreachable and retries', async () => {
    let calls = 0;
    const bff = mockBff({
      'GET /bff/v1/instances': () => json({ instances: [makeInstance({ label: 'CTA DiracX', reachable: ++calls > 1 })] }),
    });
    const { user } = renderSignIn();
    expect(await screen.findByText('DiracX instance CTA DiracX is unreachable')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.queryByText('DiracX instance CTA DiracX is unreachable')).not.toBeInTheDocument());
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
    expect(bff.requests('GET /bff/v1/instances')).toHaveLength(2);
  });

  it('shows an error with Retry when the list cannot be loaded', async () => {
    mockBff({ 'GET /bff/v1/instances': () => problem(503, 'UPSTREAM_UNREACHABLE', 'The BFF is starting') });
    renderSignIn();
    expect(await screen.findByText('The BFF is starting')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('confirms a sign-out', async () => {
    mockBff({ 'GET /bff/v1/instances': { instances: [makeInstance()] } });
    renderSignIn({ pathname: '/signin', state: { reason: 'signed-out' } });
    expect(await screen.findByText('You have signed out.')).toBeInTheDocument();
  });
});
