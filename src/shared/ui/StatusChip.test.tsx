import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FINAL_STATUSES, JOB_STATUSES } from '../../contracts/jobs.ts';
import { isFinalStatus, statusTone } from './job-status.ts';
import { StatusChip, StatusTag, StatusTagStyles } from './StatusChip.tsx';

describe('StatusChip', () => {
  it.each(JOB_STATUSES)('shows the text of status %s (never colour alone)', (status) => {
    render(<StatusChip status={status} />);
    expect(screen.getByText(status)).toBeInTheDocument();
  });

  it('gives every known status a colour family and marks the final ones', () => {
    expect(statusTone('Done')).toBe('success');
    expect(statusTone('Failed')).toBe('error');
    expect(statusTone('Running')).toBe('primary');
    expect(statusTone('Stalled')).toBe('warning');
    for (const s of FINAL_STATUSES) expect(isFinalStatus(s)).toBe(true);
    expect(isFinalStatus('Running')).toBe(false);
  });

  it('shows an unknown status as neutral text', () => {
    render(<StatusChip status="Frobnicated" />);
    expect(screen.getByText('Frobnicated')).toBeInTheDocument();
    expect(statusTone('Frobnicated')).toBe('default');
  });

  it('has a lean tag for tables: the status text, coloured by its tone from one stylesheet', () => {
    render(
      <StatusTagStyles>
        <StatusTag status="Failed" />
        <StatusTag status="Frobnicated" />
      </StatusTagStyles>,
    );
    expect(screen.getByText('Failed')).toHaveClass('status-tag', 'error');
    expect(screen.getByText('Frobnicated')).toHaveClass('status-tag', 'default');
    expect(getComputedStyle(screen.getByText('Failed')).fontWeight).toBe('600');
  });
});
