import { screen, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { Basket, BasketItem } from '../../../contracts/datasets.ts';
import type { BoutiquesInput } from '../../../contracts/workflows/descriptor.ts';
import { makeBasketItem } from '../../../shared/testing/fixtures.ts';
import { mockBff } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { BasketFileSelect } from './BasketFileSelect.tsx';

const item = (id: string, name: string) => makeBasketItem({ id, ref: `/cta/calib/${name}`, name, sizeBytes: 1 });
const basket = (items: BasketItem[], count = items.length): Basket => ({ items, count, totalBytes: items.length, unknownSizeCount: 0 });
const calib: BoutiquesInput = { id: 'CALIB', name: 'Calibration', type: 'File', 'value-key': '[CALIB]', 'default-value': 'calib_v2.fits' };

function Harness({ input, onChange }: { input: BoutiquesInput; onChange: (id: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <BasketFileSelect
      input={input}
      value={value}
      onChange={(id) => {
        setValue(id);
        onChange(id);
      }}
    />
  );
}

describe('BasketFileSelect: one basket file for a File input after the first (#15)', () => {
  it('lists the default first, then the basket files, and gives the chosen item id', async () => {
    const bff = mockBff({ 'GET /bff/v1/basket': basket([item('i1', 'cal_1.h5'), item('i2', 'cal_2.h5')]) });
    const onChange = vi.fn();
    const { user } = renderWithProviders(<Harness input={calib} onChange={onChange} />);
    const select = screen.getByRole('combobox', { name: 'Calibration: file from your basket' });
    await within(select).findByRole('option', { name: 'cal_2.h5' });
    expect(
      within(select)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['(default file) calib_v2.fits', 'cal_1.h5', 'cal_2.h5']);
    expect(bff.requests('GET /bff/v1/basket').map((r) => r.query.get('limit'))).toContain('500');
    await user.selectOptions(select, 'cal_2.h5');
    expect(onChange).toHaveBeenLastCalledWith('i2');
    expect(select).toHaveValue('i2');
    await user.selectOptions(select, '(default file) calib_v2.fits');
    expect(onChange).toHaveBeenLastCalledWith('');
  });

  it('offers "(none)" for an input without a default, and says when the basket holds more than the page', async () => {
    mockBff({ 'GET /bff/v1/basket': basket([item('i1', 'cal_1.h5')], 1200) });
    renderWithProviders(<Harness input={{ ...calib, 'default-value': undefined }} onChange={() => {}} />);
    const select = screen.getByRole('combobox', { name: 'Calibration: file from your basket' });
    expect(await screen.findByText('Every job reads this one file. Your basket holds 1,200 items: the first 1 are listed.')).toBeVisible();
    expect(within(select).getAllByRole('option')[0]).toHaveTextContent('(none)');
  });
});
