import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { GridTable, type GridTableColumn } from './GridTable.tsx';

type Row = { id: number; name: string; site: string };
const COLUMNS: GridTableColumn<Row>[] = [
  { id: 'id', header: 'ID', width: 80, numeric: true, text: (r) => r.id },
  { id: 'name', header: 'Name', width: 150, text: (r) => r.name },
  { id: 'site', header: 'Site', width: 120, text: (r) => r.site },
];
const rowsOf = (n: number): Row[] => Array.from({ length: n }, (_, i) => ({ id: i + 1, name: `job-${i + 1}`, site: `site-${i % 3}` }));

function Harness({ rows, pinned = [], onSort = () => {} }: { rows: Row[]; pinned?: string[]; onSort?: (c: string) => void }) {
  const [selection, setSelection] = useState<number[]>([]);
  return (
    <>
      <h2 id="t">Jobs</h2>
      <GridTable<Row, number>
        rows={rows}
        getRowId={(r) => r.id}
        columns={COLUMNS}
        pinned={new Set(pinned)}
        labelledBy="t"
        sortedBy={{ column: 'name', order: 'asc' }}
        onSort={onSort}
        selection={new Set(selection)}
        onSelectionChange={setSelection}
        rowLabel={(r) => `Select row of job ${r.id}`}
      />
      <output>{selection.join(',')}</output>
    </>
  );
}

describe('GridTable', () => {
  it('is a named grid with sortable headers (aria-sort on the sorted one) and a checkbox per row', async () => {
    const onSort = vi.fn();
    render(<Harness rows={rowsOf(3)} onSort={onSort} />);
    const grid = screen.getByRole('grid', { name: 'Jobs' });
    expect(grid).toHaveAttribute('aria-rowcount', '4');
    expect(within(grid).getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'ascending');
    expect(within(grid).getByRole('columnheader', { name: 'Site' })).not.toHaveAttribute('aria-sort');
    await userEvent.click(within(grid).getByRole('button', { name: 'Site' }));
    expect(onSort).toHaveBeenCalledWith('site');
    expect(within(grid).getAllByRole('row')).toHaveLength(4);

    await userEvent.click(within(grid).getByRole('checkbox', { name: 'Select row of job 2' }));
    expect(screen.getByRole('status')).toHaveTextContent('2');
    expect(within(grid).getAllByRole('row')[2]).toHaveAttribute('aria-selected', 'true');
    const all = within(grid).getByRole('checkbox', { name: 'Select all rows' });
    expect(all).toHaveProperty('indeterminate', true);
    await userEvent.click(all);
    expect(screen.getByRole('status')).toHaveTextContent('2,1,3');
    await userEvent.click(all);
    expect(screen.getByRole('status')).toHaveTextContent(/^$/);
  });

  it('shows a new order in the same row elements (no rows removed and created), each checkbox following its job', async () => {
    const { rerender } = render(<Harness rows={rowsOf(3)} />);
    const before = within(screen.getByRole('grid')).getAllByRole('row');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select row of job 3' }));
    rerender(<Harness rows={rowsOf(3).reverse()} />);
    const after = within(screen.getByRole('grid')).getAllByRole('row');
    expect(after[1]).toBe(before[1]);
    expect(after[1]).toHaveTextContent('job-3');
    expect(within(after[1]!).getByRole('checkbox', { name: 'Select row of job 3' })).toBeChecked();
    expect(within(after[3]!).getByRole('checkbox', { name: 'Select row of job 1' })).not.toBeChecked();
  });

  it('has one tab stop, moved with the arrow keys, Home/End and Page keys; Space selects the row', async () => {
    const user = userEvent.setup();
    render(<Harness rows={rowsOf(5)} />);
    const grid = screen.getByRole('grid');
    const tabbable = () => grid.querySelectorAll('[tabindex="0"]');
    expect(tabbable()).toHaveLength(1);
    await user.tab();
    expect(within(grid).getByRole('button', { name: 'ID' })).toHaveFocus();
    await user.keyboard('{ArrowRight}');
    expect(within(grid).getByRole('button', { name: 'Name' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    const firstName = within(grid).getByText('job-1').closest('td')!;
    expect(firstName).toHaveFocus();
    await user.keyboard(' ');
    expect(screen.getByRole('status')).toHaveTextContent('1');
    await user.keyboard('{Home}');
    expect(within(grid).getByRole('checkbox', { name: 'Select row of job 1' })).toHaveFocus();
    await user.keyboard('{Control>}{End}{/Control}');
    expect(within(grid).getByRole('checkbox', { name: 'Select row of job 5' })).toHaveFocus();
    await user.keyboard('{End}');
    expect(document.activeElement).toHaveAttribute('data-field', 'site');
    expect(document.activeElement?.closest('tr')).toHaveAttribute('aria-rowindex', '6');
    expect(tabbable()).toHaveLength(1);
    // Tab leaves the grid at once (no stop per row)
    await user.tab();
    expect(grid).not.toContainElement(document.activeElement as HTMLElement);
  });

  it('renders only the rows in view of a 1,000-row page, with their true row indexes', () => {
    render(<Harness rows={rowsOf(1000)} />);
    const grid = screen.getByRole('grid');
    expect(grid).toHaveAttribute('aria-rowcount', '1001');
    const shown = within(grid).getAllByRole('row');
    expect(shown.length).toBeLessThan(100);
    expect(within(grid).queryByText('job-900')).not.toBeInTheDocument();
    const scroller = grid.parentElement!;
    scroller.scrollTop = 36 * 890;
    fireEvent.scroll(scroller);
    const row = within(grid).getByText('job-900').closest('tr')!;
    expect(row).toHaveAttribute('aria-rowindex', '901');
    expect(within(grid).queryByText('job-1')).not.toBeInTheDocument();
  });

  it('moves pinned columns to the left edge, each sticking after the checkbox and the pinned ones before it', () => {
    render(<Harness rows={rowsOf(2)} pinned={['site', 'name']} />);
    const headers = within(screen.getByRole('grid')).getAllByRole('columnheader');
    expect(headers.map((h) => h.textContent)).toEqual(['', 'Name↑', 'Site↓', 'ID↓']);
    expect(headers[1]).toHaveClass('pin');
    expect(headers[1]).toHaveStyle({ left: '44px' });
    expect(headers[2]).toHaveClass('pin', 'pin-last');
    expect(headers[2]).toHaveStyle({ left: '194px' });
    expect(headers[3]).not.toHaveClass('pin');
  });
});
