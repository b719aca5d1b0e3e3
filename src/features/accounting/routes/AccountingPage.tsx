import InsightsIcon from '@mui/icons-material/Insights';
import { EmptyState } from '../../../shared/ui/EmptyState.tsx';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';

/** `/accounting`: placeholder until the feature lands. */
export function AccountingPage() {
  return (
    <>
      <PageHeader title="Accounting" />
      <EmptyState icon={<InsightsIcon />} title="Coming soon" description="See how much your VO used the grid (jobs, CPU and wall-clock hours by site, user, group and month) and export the figures as CSV." />
    </>
  );
}
