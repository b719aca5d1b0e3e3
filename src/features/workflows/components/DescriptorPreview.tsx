import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import type { DescriptorPreview as Preview } from '../../../contracts/workflows/applications.ts';
import { useWorkflowForm } from '../hooks/use-workflow-form.ts';
import { WorkflowFormPreview } from './WorkflowForm.tsx';
import { inputText, resourceText } from './WorkflowCard.tsx';

/** A checked descriptor as users will see it: its summary and its generated form, read-only. */
export function DescriptorPreview({ preview }: { preview: Preview }) {
  const controller = useWorkflowForm(preview.summary.id, preview.descriptor, { persist: false });
  const files = inputText(preview.summary);
  const { summary } = preview;
  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <Box>
        <Typography variant="subtitle1" component="p" sx={{ fontWeight: 600 }}>
          {summary.name} {summary.version}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {summary.description}
        </Typography>
        <Typography variant="body2" sx={{ mt: 0.5 }}>
          {resourceText(summary.resources)}
          {summary.container ? ` · ${summary.container.image} (${summary.container.type})` : ''}
          {files ? ` · ${files}` : ''}
        </Typography>
        {summary.tags.length > 0 && (
          <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', mt: 1 }}>
            {summary.tags.map((t) => (
              <Chip key={t} size="small" variant="outlined" label={t} />
            ))}
          </Box>
        )}
      </Box>
      <WorkflowFormPreview controller={controller} label={`Form preview of ${summary.name}`} />
    </Box>
  );
}
