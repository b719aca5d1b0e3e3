import { screen } from '@testing-library/react';
import { useQuery } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { api } from '../shared/lib/api-client.ts';
import { json, mockBff, problem } from '../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../shared/testing/render-with-providers.tsx';

function Thing() {
  const { data, refetch } = useQuery({ queryKey: ['thing'], queryFn: () => api.get('/bff/v1/thing', z.object({ n: z.number() })) });
  return (
    <>
      <p>n = {data?.n ?? '…'}</p>
      <button type="button" onClick={() => void refetch()}>
        refresh
      </button>
    </>
  );
}

describe('global query error handling', () => {
  it('raises a snackbar when a background refetch fails, keeping the data on screen', async () => {
    let calls = 0;
    mockBff({
      'GET /bff/v1/thing': () => (++calls === 1 ? json({ n: 1 }) : problem(502, 'UPSTREAM_UNREACHABLE', 'DiracX is unreachable')),
    });
    const { user } = renderWithProviders(<Thing />);
    expect(await screen.findByText('n = 1')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'refresh' }));
    expect(await screen.findByText('Could not refresh: DiracX is unreachable')).toBeInTheDocument();
    expect(screen.getByText('n = 1')).toBeInTheDocument();
  });

  it('stays quiet for a failed first load (the page shows it inline)', async () => {
    mockBff({ 'GET /bff/v1/thing': () => problem(500, 'INTERNAL', 'boom') });
    renderWithProviders(<Thing />);
    await new Promise((r) => setTimeout(r, 100));
    expect(screen.queryByText(/could not refresh/i)).not.toBeInTheDocument();
  });
});
