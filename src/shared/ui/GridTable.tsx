import { styled } from '@mui/material/styles';
import { useStableCallback } from '../lib/use-stable-callback.ts';
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type FocusEvent,
  type KeyboardEvent,
  type ReactElement,
  type ReactNode,
} from 'react';

/** One column of a `GridTable`. Widths are fixed, so pinned columns know their offsets without measuring. */
export type GridTableColumn<Row> = {
  id: string;
  header: string;
  width: number;
  numeric?: boolean;
  /** The cell's content (plain text of `text` when left out). */
  render?: (row: Row) => ReactNode;
  text?: (row: Row) => string | number | null | undefined;
};

type GridTableProps<Row, Id extends string | number> = {
  rows: readonly Row[];
  getRowId: (row: Row) => Id;
  /** The shown columns, in order; pinned ones are moved to the left edge. */
  columns: readonly GridTableColumn<Row>[];
  pinned: ReadonlySet<string>;
  labelledBy: string;
  /** The column the rows are sorted by (server side); a header click calls `onSort`. */
  sortedBy: { column: string; order: 'asc' | 'desc' } | null;
  onSort: (column: string) => void;
  selection: ReadonlySet<Id>;
  onSelectionChange: (ids: Id[]) => void;
  /** Names a row's checkbox, e.g. "Select row of job 12". */
  rowLabel: (row: Row) => string;
  /** The rows shown are the previous view's while the next one loads (aria-busy). */
  busy?: boolean;
};

const ROW_HEIGHT = 36;
const HEADER_HEIGHT = 40;
const CHECKBOX_WIDTH = 44;
/** Rows rendered beyond the visible ones on each side (smooth scrolling, few renders). */
const OVERSCAN = 12;
/** Without a layout (jsdom) or before the first measure: enough rows to fill a tall screen. */
const FALLBACK_VIEWPORT = 1_000;

/**
 * A lean, virtualised data grid: a native `<table>` with grid semantics (role=grid, aria-sort,
 * aria-rowcount/rowindex, aria-selected), a sticky header, columns pinned with position:sticky, a
 * checkbox per row and one tab stop moved with the arrow keys (the ARIA grid pattern). It renders
 * only the rows in view, so a page of 1,000 rows costs what a page of 40 does. Paging, sorting and
 * filtering are the caller's (the server's): the monitor's MUI X DataGrid weighed ~118 KB gzipped,
 * capped pages at 100 and was most of a sort's time in the browser (issue #17).
 */
export function GridTable<Row, Id extends string | number>(props: GridTableProps<Row, Id>) {
  const { rows, columns, pinned, getRowId, selection, onSelectionChange } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const table = useRef<HTMLTableElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT);
  // The one tab stop: row -1 is the header; column 0 is the checkbox column.
  const [active, setActive] = useState({ row: -1, col: 1 });
  const focusAfterRender = useRef(false);

  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setViewport(el.clientHeight || FALLBACK_VIEWPORT));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Pinned columns first, each sticking at the sum of the widths on its left. One array per column
  // set, so that memoised rows re-render only when their row, selection or columns change.
  const { cells, lastPinned } = useMemo(() => {
    const ordered = [...columns.filter((c) => pinned.has(c.id)), ...columns.filter((c) => !pinned.has(c.id))];
    const count = ordered.filter((c) => pinned.has(c.id)).length;
    let left = CHECKBOX_WIDTH;
    const out: Cell<Row>[] = ordered.map((column, i) => {
      if (!pinned.has(column.id)) return { column };
      const cell = { column, className: i === count - 1 ? 'pin pin-last' : 'pin', style: { left } };
      left += column.width;
      return cell;
    });
    return { cells: out, lastPinned: count };
  }, [columns, pinned]);
  const width = CHECKBOX_WIDTH + cells.reduce((w, c) => w + c.column.width, 0);
  const colCount = cells.length + 1;
  const checkboxClass = lastPinned ? 'pin' : 'pin pin-last';

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const ids = rows.map(getRowId);
  const chosen = ids.filter((id) => selection.has(id)).length;
  const row = Math.min(active.row, rows.length - 1);
  const col = Math.min(active.col, colCount - 1);

  // The roving tab stop, set on the DOM after each render: cells and the controls inside them
  // (links, buttons, checkboxes) are all tabindex=-1 but the active cell's control (or the cell).
  // Cells and our own controls are rendered with tabindex=-1; only what differs is written here, read
  // as an attribute, and the active one is never reset and set again: the tabIndex property makes the
  // browser recalculate styles, and so does a change on the focused element (~15-20 ms of a sort: issue #17).
  useLayoutEffect(() => {
    const t = table.current;
    if (!t) return;
    const cell =
      t.querySelector<HTMLElement>(`[data-r="${row}"] > [data-c="${col}"]`) ??
      t.querySelector<HTMLElement>(`[data-r="-1"] > [data-c="${col}"]`);
    const target = cell?.querySelector<HTMLElement>('a, button, input') ?? cell;
    for (const el of t.querySelectorAll<HTMLElement>('th, td, a, button, input'))
      if (el !== target && el.getAttribute('tabindex') !== '-1') el.setAttribute('tabindex', '-1');
    if (!target) return;
    if (target.getAttribute('tabindex') !== '0') target.setAttribute('tabindex', '0');
    if (focusAfterRender.current) {
      focusAfterRender.current = false;
      target.focus({ preventScroll: true });
    }
  });

  const moveTo = useCallback(
    (r: number, c: number) => {
      const nextRow = Math.max(-1, Math.min(rows.length - 1, r));
      const nextCol = Math.max(0, Math.min(colCount - 1, c));
      const el = scroller.current;
      if (el && nextRow >= 0) {
        // keep the row in view below the sticky header
        const top = nextRow * ROW_HEIGHT;
        const height = el.clientHeight || FALLBACK_VIEWPORT;
        if (top < el.scrollTop) el.scrollTop = top;
        else if (top + ROW_HEIGHT + HEADER_HEIGHT > el.scrollTop + height) el.scrollTop = top + ROW_HEIGHT + HEADER_HEIGHT - height;
        setScrollTop(el.scrollTop);
      }
      focusAfterRender.current = true;
      setActive({ row: nextRow, col: nextCol });
    },
    [rows.length, colCount],
  );

  // One toggle for every row (a memoised row keeps it).
  const toggle = useStableCallback((id: Id) =>
    onSelectionChange(selection.has(id) ? [...selection].filter((s) => s !== id) : [...selection, id]),
  );
  const selectPage = (select: boolean) => {
    const page = new Set(ids);
    onSelectionChange(select ? [...new Set([...selection, ...ids])] : [...selection].filter((id) => !page.has(id)));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTableElement>) => {
    const page = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
    const moves: Record<string, [number, number]> = {
      ArrowUp: [row - 1, col],
      ArrowDown: [row + 1, col],
      ArrowLeft: [row, col - 1],
      ArrowRight: [row, col + 1],
      PageUp: [row - page, col],
      PageDown: [row + page, col],
      Home: e.ctrlKey ? [-1, col] : [row, 0],
      End: e.ctrlKey ? [rows.length - 1, col] : [row, colCount - 1],
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      moveTo(...move);
    } else if (e.key === ' ' && row >= 0 && !(e.target instanceof HTMLInputElement) && !(e.target instanceof HTMLButtonElement)) {
      // Space on any cell of a row toggles the row (the checkbox does it itself)
      e.preventDefault();
      toggle(ids[row]!);
    }
  };

  // A click or a focus anywhere in the grid moves the tab stop there.
  const onFocus = (e: FocusEvent<HTMLTableElement>) => {
    const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-c]');
    const r = cell?.parentElement?.dataset.r;
    if (!cell || r === undefined) return;
    const next = { row: Number(r), col: Number(cell.dataset.c) };
    if (next.row !== active.row || next.col !== active.col) setActive(next);
  };

  return (
    <Scroller ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <table
        ref={table}
        role="grid"
        aria-labelledby={props.labelledBy}
        aria-rowcount={rows.length + 1}
        aria-colcount={colCount}
        aria-multiselectable="true"
        aria-busy={props.busy || undefined}
        style={{ width }}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
      >
        <colgroup>
          <col style={{ width: CHECKBOX_WIDTH }} />
          {cells.map(({ column: c }) => (
            <col key={c.id} style={{ width: c.width }} />
          ))}
        </colgroup>
        <thead>
          <tr role="row" aria-rowindex={1} data-r={-1}>
            <th role="columnheader" data-c={0} className={checkboxClass} style={LEFT_EDGE} tabIndex={-1}>
              <input
                type="checkbox"
                tabIndex={-1}
                aria-label="Select all rows"
                checked={ids.length > 0 && chosen === ids.length}
                ref={(el) => {
                  if (el) el.indeterminate = chosen > 0 && chosen < ids.length;
                }}
                onChange={(e) => selectPage(e.target.checked)}
              />
            </th>
            {cells.map(({ column: c, className, style }, i) => {
              const sorted = props.sortedBy?.column === c.id ? props.sortedBy.order : null;
              return (
                <th
                  key={c.id}
                  role="columnheader"
                  data-c={i + 1}
                  aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  className={className}
                  style={style}
                  tabIndex={-1}
                >
                  <button type="button" tabIndex={-1} className={c.numeric ? 'num' : undefined} onClick={() => props.onSort(c.id)}>
                    <span>{c.header}</span>
                    <span aria-hidden="true" className={sorted ? 'arrow on' : 'arrow'}>
                      {sorted === 'asc' ? '↑' : '↓'}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {first > 0 && (
            <tr aria-hidden="true" style={{ height: first * ROW_HEIGHT }}>
              <td colSpan={colCount} tabIndex={-1} />
            </tr>
          )}
          {rows.slice(first, last).map((r, k) => {
            const index = first + k;
            const id = ids[index]!;
            // Keyed by position, as the tab stop is: a new sort or page updates the rows' text in place
            // instead of removing every row and creating new ones (DOM work after the answer, issue #17).
            return (
              <GridRow<Row, Id>
                key={index}
                row={r}
                id={id}
                index={index}
                selected={selection.has(id)}
                cells={cells}
                checkboxClass={checkboxClass}
                label={props.rowLabel(r)}
                onToggle={toggle}
              />
            );
          })}
          {last < rows.length && (
            <tr aria-hidden="true" style={{ height: (rows.length - last) * ROW_HEIGHT }}>
              <td colSpan={colCount} tabIndex={-1} />
            </tr>
          )}
        </tbody>
      </table>
    </Scroller>
  );
}

type Cell<Row> = { column: GridTableColumn<Row>; className?: string; style?: CSSProperties };
const LEFT_EDGE: CSSProperties = { left: 0 };

type GridRowProps<Row, Id> = {
  row: Row;
  id: Id;
  index: number;
  selected: boolean;
  cells: readonly Cell<Row>[];
  checkboxClass: string;
  label: string;
  onToggle: (id: Id) => void;
};

/** One row, memoised: a sort's placeholder render, a scroll or a selection re-renders only the rows that changed. */
const GridRow = memo(function GridRow<Row, Id>({ row, id, index, selected, cells, checkboxClass, label, onToggle }: GridRowProps<Row, Id>) {
  return (
    <tr role="row" aria-rowindex={index + 2} aria-selected={selected} data-r={index} data-rowindex={index}>
      <td role="gridcell" data-c={0} className={checkboxClass} style={LEFT_EDGE} tabIndex={-1}>
        <input type="checkbox" tabIndex={-1} aria-label={label} checked={selected} onChange={() => onToggle(id)} />
      </td>
      {cells.map(({ column: c, className, style }, i) => (
        <td key={c.id} role="gridcell" data-c={i + 1} data-field={c.id} className={className} style={style} tabIndex={-1}>
          <div className={c.numeric ? 'cell num' : 'cell'}>{c.render ? c.render(row) : (c.text?.(row) ?? '—')}</div>
        </td>
      ))}
    </tr>
  );
}) as <Row, Id>(props: GridRowProps<Row, Id>) => ReactElement;

// One stylesheet for the whole grid (no styled component per cell): a cell is a plain <td>.
const Scroller = styled('div')(({ theme }) => {
  // CSS variables: the same rules serve both colour schemes; sticky cells need opaque backgrounds.
  const p = (theme.vars ?? theme).palette;
  return {
    overflow: 'auto',
    maxHeight: `max(360px, calc(100vh - 160px))`,
    border: `1px solid ${p.divider}`,
    borderRadius: theme.shape.borderRadius,
    '& table': {
      tableLayout: 'fixed',
      borderCollapse: 'separate',
      borderSpacing: 0,
      minWidth: '100%',
      ...theme.typography.body2,
    },
    '& th, & td': {
      height: ROW_HEIGHT,
      padding: '0 8px',
      borderBottom: `1px solid ${p.divider}`,
      background: p.background.paper,
      overflow: 'hidden',
      whiteSpace: 'nowrap',
      textOverflow: 'ellipsis',
      textAlign: 'left',
    },
    '& thead th': { position: 'sticky', top: 0, zIndex: 2, height: HEADER_HEIGHT, fontWeight: 600, padding: 0 },
    '& .pin': { position: 'sticky', zIndex: 1 },
    '& thead th.pin': { zIndex: 3 },
    '& .pin-last': { boxShadow: `inset -1px 0 0 ${p.divider}, 4px 0 4px -2px rgba(0,0,0,0.15)` },
    '& th[data-c="0"], & td[data-c="0"]': { padding: 0, textAlign: 'center' },
    '& input[type="checkbox"]': { width: 18, height: 18, margin: 0, accentColor: p.primary.main, cursor: 'pointer' },
    '& thead button': {
      all: 'unset',
      boxSizing: 'border-box',
      display: 'flex',
      alignItems: 'center',
      gap: 4,
      width: '100%',
      height: '100%',
      padding: '0 8px',
      cursor: 'pointer',
      font: 'inherit',
      fontWeight: 600,
      color: p.text.primary,
    },
    '& thead button.num': { flexDirection: 'row-reverse' },
    '& thead button > span:first-of-type': { overflow: 'hidden', textOverflow: 'ellipsis' },
    '& .arrow': { opacity: 0, color: p.text.secondary },
    '& .arrow.on': { opacity: 1 },
    '& thead button:hover .arrow, & thead button:focus-visible .arrow': { opacity: 0.6 },
    '& .cell': { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
    '& .cell.num': { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
    '& a': { color: p.primary.main, fontWeight: 500, textDecoration: 'none' },
    '& a:hover': { textDecoration: 'underline' },
    '& tbody tr:hover > td': { background: `color-mix(in srgb, ${p.text.primary} 5%, ${p.background.paper})` },
    '& tbody tr[aria-selected="true"] > td': { background: `color-mix(in srgb, ${p.primary.main} 16%, ${p.background.paper})` },
    '& :focus-visible': { outline: `2px solid ${p.primary.main}`, outlineOffset: -2 },
    '& tr[aria-hidden] > td': { padding: 0, border: 0 },
  };
});
