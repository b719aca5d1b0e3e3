import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../testing/render-with-providers.tsx';
import { RouteError } from './RouteError.tsx';

function Crash(): never {
  throw new Error('Cannot read properties of undefined');
}

describe('RouteError', () => {
  it('shows the error and a Reload button instead of a blank page', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    renderWithProviders(null, { routes: [{ path: '/', element: <Crash />, errorElement: <RouteError /> }] });
    expect(screen.getByRole('heading', { level: 1, name: 'Something went wrong' })).toBeInTheDocument();
    expect(screen.getByText('Cannot read properties of undefined')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reload' })).toBeInTheDocument();
    vi.mocked(console.error).mockRestore();
  });

  it('explains a failed lazy chunk (new deployment)', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    function ChunkFail(): never {
      throw new TypeError('Failed to fetch dynamically imported module: /assets/JobsPage-abc.js');
    }
    renderWithProviders(null, { routes: [{ path: '/', element: <ChunkFail />, errorElement: <RouteError /> }] });
    expect(screen.getByText('The portal was updated')).toBeInTheDocument();
    vi.mocked(console.error).mockRestore();
  });
});
