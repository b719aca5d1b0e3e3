import InsertDriveFileIcon from '@mui/icons-material/InsertDriveFile';
import Inventory2Icon from '@mui/icons-material/Inventory2';
import MemoryIcon from '@mui/icons-material/Memory';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useId, type ReactNode } from 'react';
import type { WorkflowSummary } from '../../../contracts/workflows/catalogue.ts';
import { workflowPaths } from '../routes/workflow-paths.ts';
import { plural } from '../../../shared/lib/format.ts';

/** "1 core · 2 GB RAM · 24 h": what a workflow's jobs ask for. */
export function resourceText(r: WorkflowSummary['resources']): string {
  const parts = [plural(r.cores, 'core')];
  const round2 = (n: number) => Math.round(n * 100) / 100;
  if (r.ramMB !== null) parts.push(`${round2(r.ramMB / 1024)} GB RAM`);
  if (r.wallTimeMinutes !== null) parts.push(r.wallTimeMinutes >= 60 ? `${round2(r.wallTimeMinutes / 60)} h` : `${r.wallTimeMinutes} min`);
  return parts.join(' · ');
}

export function inputText(w: WorkflowSummary): string | null {
  if (!w.hasFileInput) return null;
  return w.inputMode === 'all-in-one' ? 'Reads basket files: one job for all of them' : 'Reads basket files: one job per file';
}

function Fact({ icon, label, children }: { icon: ReactNode; label: string; children: ReactNode }) {
  return (
    <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', minWidth: 0 }}>
      <Box aria-hidden sx={{ color: 'text.secondary', display: 'flex', pt: 0.25, '& svg': { fontSize: 18 } }}>
        {icon}
      </Box>
      <Typography variant="body2" sx={{ minWidth: 0, overflowWrap: 'anywhere' }}>
        <Box component="span" sx={{ color: 'text.secondary' }}>
          {label}:{' '}
        </Box>
        {children}
      </Typography>
    </Box>
  );
}

/** One catalogue entry; its name links to the workflow's form. */
export function WorkflowCard({ workflow }: { workflow: WorkflowSummary }) {
  const titleId = useId();
  const files = inputText(workflow);
  return (
    <Paper
      component="article"
      variant="outlined"
      aria-labelledby={titleId}
      sx={{ p: 2.5, display: 'flex', flexDirection: 'column', gap: 1.5, height: '100%' }}
    >
      <Box>
        <Typography variant="h6" component="h2" id={titleId}>
          <Link href={workflowPaths.detail.getHref(workflow.id)}>{workflow.name}</Link>
        </Typography>
        <Typography variant="caption" color="text.secondary">
          Version {workflow.version}
        </Typography>
      </Box>
      <Typography variant="body2" color="text.secondary">
        {workflow.description}
      </Typography>
      <Box sx={{ display: 'grid', gap: 0.75, mt: 'auto' }}>
        <Fact icon={<MemoryIcon />} label="Resources">
          {resourceText(workflow.resources)}
          {workflow.resources.tags.length > 0 ? ` · needs ${workflow.resources.tags.join(', ')}` : ''}
        </Fact>
        <Fact icon={<Inventory2Icon />} label="Container">
          {workflow.container ? `${workflow.container.image} (${workflow.container.type})` : 'none: runs directly on the worker node'}
        </Fact>
        {files && (
          <Fact icon={<InsertDriveFileIcon />} label="Input">
            {files}
          </Fact>
        )}
      </Box>
      {workflow.tags.length > 0 && (
        <Box component="ul" aria-label="Tags" sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.75, listStyle: 'none', m: 0, p: 0 }}>
          {workflow.tags.map((t) => (
            <li key={t}>
              <Chip size="small" variant="outlined" label={t} />
            </li>
          ))}
        </Box>
      )}
    </Paper>
  );
}
