import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../lib/api-client.ts';
import { ErrorAlert } from './ErrorAlert.tsx';

describe('ErrorAlert', () => {
  it('shows the problem message, field issues and the request reference', () => {
    const error = new ApiError(400, 'VALIDATION', 'The request is invalid', {
      requestId: 'req-42',
      issues: [{ path: 'message', message: 'control characters are not allowed' }],
    });
    render(<ErrorAlert error={error} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Please check the values');
    expect(screen.getByText('The request is invalid')).toBeInTheDocument();
    expect(screen.getByText('control characters are not allowed')).toBeInTheDocument();
    expect(screen.getByText('Reference: req-42')).toBeInTheDocument();
  });

  it('offers a Retry button when given onRetry', async () => {
    const onRetry = vi.fn();
    render(<ErrorAlert error={new Error('boom')} onRetry={onRetry} />);
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
    expect(screen.getByText('boom')).toBeInTheDocument();
  });
});
