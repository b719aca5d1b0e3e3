import AccountTreeIcon from '@mui/icons-material/AccountTree';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { Application } from '../../../contracts/workflows/applications.ts';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';
import { QueryStates } from '../../../shared/ui/QueryStates.tsx';
import { catalogueQueries } from '../api/catalogue-queries.ts';
import { AddDescriptorPanel } from '../components/AddDescriptorPanel.tsx';
import { ApplicationCard } from '../components/ApplicationCard.tsx';
import { ZenodoImportPanel } from '../components/ZenodoImportPanel.tsx';

const NO_APPLICATIONS: readonly Application[] = [];

/** `/admin/catalogue` (administrators): add descriptors (upload, paste, OSSR/Zenodo), publish, disable and remove versions. */
export function CataloguePage() {
  const query = useQuery(catalogueQueries.list());
  const addHeadingId = useId();
  const listHeadingId = useId();
  const [tab, setTab] = useState<'upload' | 'zenodo'>('upload');
  const applications = query.data?.items ?? NO_APPLICATIONS;
  return (
    <>
      <PageHeader
        title="Workflow catalogue"
        description="Add Boutiques descriptors as applications or new versions, check them and their generated form, and choose which versions users may launch. Changes apply at once, without a restart."
      />
      <Paper variant="outlined" component="section" aria-labelledby={addHeadingId} sx={{ p: { xs: 1.5, md: 2.5 }, mb: 3 }}>
        <Typography id={addHeadingId} variant="h5" component="h2" sx={{ mb: 1 }}>
          Add an application or a version
        </Typography>
        <Tabs value={tab} onChange={(_, v: 'upload' | 'zenodo') => setTab(v)} aria-label="How to add" variant="scrollable" sx={{ mb: 2 }}>
          <Tab value="upload" label="Upload or paste" id="catalogue-tab-upload" aria-controls="catalogue-panel-upload" />
          <Tab value="zenodo" label="OSSR / Zenodo" id="catalogue-tab-zenodo" aria-controls="catalogue-panel-zenodo" />
        </Tabs>
        <Box role="tabpanel" id={`catalogue-panel-${tab}`} aria-labelledby={`catalogue-tab-${tab}`}>
          {tab === 'upload' ? <AddDescriptorPanel applications={applications} /> : <ZenodoImportPanel applications={applications} />}
        </Box>
      </Paper>
      <Box component="section" aria-labelledby={listHeadingId}>
        <Typography id={listHeadingId} variant="h5" component="h2" sx={{ mb: 2 }}>
          Applications
        </Typography>
        <QueryStates
          query={query}
          loading={{ label: 'Loading the catalogue…', rows: 4, columns: 6 }}
          isEmpty={(d) => d.items.length === 0}
          empty={{ icon: <AccountTreeIcon />, title: 'No applications yet', description: 'Add a Boutiques descriptor above.' }}
        >
          {(d) => (
            // minmax(0, 1fr): a wide versions table scrolls inside its card instead of widening the page.
            <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'minmax(0, 1fr)' }}>
              {d.items.map((a) => (
                <ApplicationCard key={a.id} application={a} />
              ))}
            </Box>
          )}
        </QueryStates>
      </Box>
    </>
  );
}
