import { useQuery } from '@tanstack/react-query';
import { BASKET_PAGE_MAX } from '../../../contracts/datasets.ts';
import type { BoutiquesInput } from '../../../contracts/workflows/descriptor.ts';
import { formatCount } from '../../../shared/lib/format.ts';
import { SelectField, type SelectOption } from '../../../shared/ui/fields.tsx';
import { basketQueries } from '../api/basket-queries.ts';

type BasketFileSelectProps = {
  /** A File input after a workflow's first: every job is given the one file chosen here. */
  input: BoutiquesInput;
  /** The chosen basket item's id; '' for the input's default file (or nothing). */
  value: string;
  onChange: (itemId: string) => void;
};

/**
 * One basket file for a File input (the same file in every job), from the first page of the basket (at most
 * BASKET_PAGE_MAX items: a longer basket is said, not paged through here); first the input's default, or none.
 */
export function BasketFileSelect({ input, value, onChange }: BasketFileSelectProps) {
  const basket = useQuery(basketQueries.page(0, BASKET_PAGE_MAX));
  const items = basket.data?.items ?? [];
  const fallback = input['default-value'];
  const hasDefault = typeof fallback === 'string' && fallback !== '';
  const options: SelectOption[] = [
    { value: '', label: hasDefault ? `(default file) ${fallback}` : '(none)' },
    ...items.map((i) => ({ value: i.id, label: i.name })),
  ];
  // A file chosen earlier (a draft, a relaunch) that is not on this page: kept, and checked by the portal on launch.
  if (value !== '' && !items.some((i) => i.id === value)) options.push({ value, label: 'The file chosen earlier' });
  const count = basket.data?.count ?? 0;
  const help = basket.isError
    ? 'Your basket could not be read: reload the page to choose a file.'
    : count > items.length
      ? `Every job reads this one file. Your basket holds ${formatCount(count)} items: the first ${formatCount(items.length)} are listed.`
      : 'Every job reads this one file.';
  return (
    <SelectField
      label={`${input.name}: file from your basket`}
      value={value}
      onChange={onChange}
      options={options}
      helperText={basket.isPending ? 'Reading your basket…' : help}
      error={basket.isError}
      sx={{ maxWidth: 560 }}
      fullWidth
    />
  );
}
