import AccountTreeIcon from '@mui/icons-material/AccountTree';
import { EmptyState } from '../../../shared/ui/EmptyState.tsx';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';

/** `/workflows`: placeholder until the feature lands. */
export function WorkflowsPage() {
  return (
    <>
      <PageHeader title="Workflows" />
      <EmptyState icon={<AccountTreeIcon />} title="Coming soon" description="Choose an application such as CORSIKA or the CTA DL0→DL3 processing, fill in its parameters in a checked form, bind it to your basket and launch it on the grid." />
    </>
  );
}
