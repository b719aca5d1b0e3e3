import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useId, type ReactNode } from 'react';

/** A step number in a circle, then the title. The number is decoration: the heading's name is the title alone. */
export function StepTitle({ n, children }: { n: number; children: ReactNode }) {
  return (
    <>
      <Box
        component="span"
        aria-hidden
        sx={{
          display: 'inline-flex',
          alignItems: 'center',
          justifyContent: 'center',
          width: 28,
          height: 28,
          mr: 1.25,
          borderRadius: '50%',
          bgcolor: 'primary.main',
          color: 'primary.contrastText',
          fontSize: '0.95rem',
          fontWeight: 700,
          verticalAlign: 'middle',
        }}
      >
        {n}
      </Box>
      {children}
    </>
  );
}

type LaunchStepProps = {
  n: number;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  /** id for the heading (to focus it or point at it); generated when absent. */
  headingId?: string;
};

/** One numbered section of the launch page: a landmark named by its h2. */
export function LaunchStep({ n, title, description, children, headingId }: LaunchStepProps) {
  const generated = useId();
  const id = headingId ?? generated;
  return (
    <Paper variant="outlined" component="section" aria-labelledby={id} sx={{ p: { xs: 2, md: 3 } }}>
      <Typography id={id} variant="h6" component="h2" tabIndex={-1} sx={{ mb: description ? 0.5 : 2, '&:focus': { outline: 'none' } }}>
        <StepTitle n={n}>{title}</StepTitle>
      </Typography>
      {description && (
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {description}
        </Typography>
      )}
      {children}
    </Paper>
  );
}
