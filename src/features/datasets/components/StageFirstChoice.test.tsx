import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { LocalityAnswer } from '../../../contracts/locality.ts';
import { siteLocality } from '../../../shared/testing/locality-fixtures.ts';
import { mockBff } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { StageFirstChoice } from './StageFirstChoice.tsx';

const GB = 1_000_000_000;
const answer: LocalityAnswer = {
  summary: {
    files: 2,
    bytes: 5 * GB,
    unknownSizeFiles: 0,
    diskFiles: 1,
    tapeOnlyFiles: 1,
    tapeOnlyBytes: 3 * GB,
    noReplicaFiles: 0,
    unknownFiles: 0,
    sites: [
      siteLocality({ site: 'HPC.MareNostrum.es', localFiles: 1, localBytes: 2 * GB, stageFiles: 1, stageBytes: 3 * GB }),
      siteLocality({ site: 'LCG.DESY-GPU.de', localFiles: 2, localBytes: 5 * GB }),
    ],
    storage: [],
    rucioCalls: 1,
    warnings: [],
  },
  files: [],
  page: 1,
  perPage: 1,
  total: 2,
};

function Harness({ site, initially = false }: { site: string; initially?: boolean }) {
  const [checked, setChecked] = useState(initially);
  return <StageFirstChoice site={site} inputs={{ itemIds: ['i1', 'i2'] }} checked={checked} onChange={setChecked} />;
}

describe('StageFirstChoice', () => {
  it('is offered when the pinned site must stage some inputs, with their count and size, and toggles from the keyboard', async () => {
    mockBff({ 'POST /bff/v1/basket/locality': () => Response.json(answer) });
    renderWithProviders(<Harness site="HPC.MareNostrum.es" />);
    const box = await screen.findByRole('checkbox', { name: /^Stage first: bring 1 file \(3(\.0)? GB\) to disk at HPC\.MareNostrum\.es/ });
    expect(box).toHaveAccessibleDescription(/submitted as soon as its files are there/);
    box.focus();
    await userEvent.keyboard(' ');
    expect(box).toBeChecked();
  });

  it('is not offered when every input is on disk at the site already', async () => {
    mockBff({ 'POST /bff/v1/basket/locality': () => Response.json(answer) });
    // The same answer for both: once MareNostrum's choice shows, DESY's has its data too and shows nothing.
    renderWithProviders(
      <>
        <Harness site="LCG.DESY-GPU.de" />
        <Harness site="HPC.MareNostrum.es" />
      </>,
    );
    await screen.findByRole('checkbox', { name: /HPC\.MareNostrum\.es/ });
    expect(screen.getAllByRole('checkbox')).toHaveLength(1);
    expect(screen.queryByText(/LCG\.DESY-GPU\.de/)).toBeNull();
  });

  it('stays shown once chosen (a relaunch or a draft) when everything is on disk there by now, so it can be unchecked', async () => {
    mockBff({ 'POST /bff/v1/basket/locality': () => Response.json(answer) });
    renderWithProviders(<Harness site="LCG.DESY-GPU.de" initially />);
    const box = await screen.findByRole('checkbox', { name: /^Stage first at LCG\.DESY-GPU\.de: every input is on disk there already/ });
    expect(box).toBeChecked();
    await userEvent.click(box);
    expect(box).not.toBeChecked();
  });
});
