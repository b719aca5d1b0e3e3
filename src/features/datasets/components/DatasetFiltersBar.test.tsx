import { act, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { DatasetSearchQuerySchema } from '../../../contracts/datasets.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { DatasetFiltersBar } from './DatasetFiltersBar.tsx';

/** The URL (here: the parent's state) answers late, as on a busy machine: `flush()` delivers the pending change. */
function Harness({ sent, hold }: { sent: string[]; hold: (flush: () => void) => void }) {
  const [q, setQ] = useState('');
  return (
    <DatasetFiltersBar
      search={DatasetSearchQuerySchema.parse({ q })}
      rawTo=""
      ignoredTo={false}
      projects={[]}
      projectsPending={false}
      projectsError={false}
      onChange={(key, value) => {
        if (key !== 'q') return;
        sent.push(value);
        hold(() => setQ(value));
      }}
      onClear={() => setQ('')}
      active={q !== ''}
    />
  );
}

describe('DatasetFiltersBar free text', () => {
  it('keeps what is typed after a search was sent, when the URL catches up late', async () => {
    const sent: string[] = [];
    let flush: (() => void) | undefined;
    const { user } = renderWithProviders(<Harness sent={sent} hold={(f) => (flush = f)} />);
    const field = screen.getByLabelText('Name or LFN contains', { exact: false });
    await user.type(field, 'run_02');
    await waitFor(() => expect(sent).toEqual(['run_02']));
    await user.type(field, '30');
    act(() => flush?.());
    expect(field).toHaveValue('run_0230');
    await waitFor(() => expect(sent.at(-1)).toBe('run_0230'));
  });
});
