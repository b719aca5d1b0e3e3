import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { HelloWorldCard } from '../../features/jobs/components/HelloWorldCard.tsx';
import { RecentJobs } from '../../features/jobs/components/RecentJobs.tsx';
import { ROLE_LABEL, useMe } from '../../shared/ui/auth-context.tsx';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Box sx={{ display: 'flex', gap: 0.75, alignItems: 'baseline' }}>
      <Typography component="dt" variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0, fontWeight: 600 }}>
        {value}
      </Typography>
    </Box>
  );
}

/** `/`: who you are, a one-click test job and your latest jobs (composed from the jobs feature). */
export function HomePage() {
  const me = useMe();
  return (
    <>
      <PageHeader title={`Welcome, ${me.username}`} documentTitle="Home" />
      <Box
        component="dl"
        aria-label="Your session"
        sx={{ display: 'flex', flexWrap: 'wrap', columnGap: 3, rowGap: 1, m: 0, mt: -1.5, mb: 3 }}
      >
        <Fact label="VO" value={me.vo} />
        <Fact label="Group" value={me.group} />
        <Fact label="Role" value={ROLE_LABEL[me.role]} />
        <Fact label="DiracX" value={me.instance.label} />
      </Box>
      <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: 'minmax(0, 1fr)' }}>
        <HelloWorldCard />
        <RecentJobs />
      </Box>
    </>
  );
}
