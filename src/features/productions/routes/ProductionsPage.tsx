import FactoryIcon from '@mui/icons-material/Factory';
import { EmptyState } from '../../../shared/ui/EmptyState.tsx';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';

/** `/productions`: placeholder until the feature lands. */
export function ProductionsPage() {
  return (
    <>
      <PageHeader title="Productions" />
      <EmptyState icon={<FactoryIcon />} title="Coming soon" description="Follow every production of your group at a glance: progress, failures by reason and by site, and rescheduling of failed jobs in one go." />
    </>
  );
}
