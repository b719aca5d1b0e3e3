import EventRepeatIcon from '@mui/icons-material/EventRepeat';
import { EmptyState } from '../../../shared/ui/EmptyState.tsx';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';

/** `/schedules`: placeholder until the feature lands. */
export function SchedulesPage() {
  return (
    <>
      <PageHeader title="Schedules" />
      <EmptyState icon={<EventRepeatIcon />} title="Coming soon" description="Run a saved launch automatically on a schedule, for example every night, and see the history and failures of every run." />
    </>
  );
}
