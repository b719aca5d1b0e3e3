import ShoppingBasketIcon from '@mui/icons-material/ShoppingBasket';
import { EmptyState } from '../../../shared/ui/EmptyState.tsx';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';

/** `/basket`: placeholder until the feature lands. */
export function BasketPage() {
  return (
    <>
      <PageHeader title="Basket" />
      <EmptyState icon={<ShoppingBasketIcon />} title="Coming soon" description="Collect the input data for your jobs (DIRAC files, Rucio datasets or items imported from the ESAP data lake) in a basket that is kept for you between sessions." />
    </>
  );
}
