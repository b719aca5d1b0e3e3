import Checkbox from '@mui/material/Checkbox';
import TableCell from '@mui/material/TableCell';

/**
 * The header cell of a table with a checkbox per row: checked when every row shown is selected,
 * indeterminate when some are; `onChange(true)` selects them all, `onChange(false)` clears them.
 */
export function SelectAllCell({
  ids,
  selected,
  onChange,
  label,
}: {
  /** The rows shown. */
  ids: readonly string[];
  selected: ReadonlySet<string>;
  onChange: (select: boolean) => void;
  /** The checkbox's accessible name, e.g. "Select page". */
  label: string;
}) {
  const chosen = ids.filter((id) => selected.has(id)).length;
  const all = ids.length > 0 && chosen === ids.length;
  return (
    <TableCell padding="checkbox">
      <Checkbox
        checked={all}
        indeterminate={chosen > 0 && !all}
        onChange={(e) => onChange(e.target.checked)}
        slotProps={{ input: { 'aria-label': label } }}
      />
    </TableCell>
  );
}
