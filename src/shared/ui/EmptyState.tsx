import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

type EmptyStateProps = {
  title: string;
  description?: ReactNode;
  icon?: ReactNode;
  action?: ReactNode;
  /** Heading element for the title (the page's h1 is elsewhere). */
  headingComponent?: 'h2' | 'h3';
};

/** A calm placeholder for "nothing here yet" and "coming soon". */
export function EmptyState({ title, description, icon, action, headingComponent = 'h2' }: EmptyStateProps) {
  return (
    <Paper
      variant="outlined"
      sx={{
        py: 6,
        px: 3,
        textAlign: 'center',
        borderStyle: 'dashed',
        bgcolor: 'background.default',
      }}
    >
      {icon && (
        <Box aria-hidden sx={{ color: 'text.secondary', mb: 1.5, '& svg': { fontSize: 48 } }}>
          {icon}
        </Box>
      )}
      <Typography variant="h6" component={headingComponent} gutterBottom>
        {title}
      </Typography>
      {description && (
        <Typography variant="body2" color="text.secondary" sx={{ maxWidth: 560, mx: 'auto' }}>
          {description}
        </Typography>
      )}
      {action && <Box sx={{ mt: 3 }}>{action}</Box>}
    </Paper>
  );
}
