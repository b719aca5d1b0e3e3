import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useEffect, type ReactNode } from 'react';

export const PRODUCT_NAME = 'ESCAPE Batch Portal';

/** Sets the document title for the current page. */
export function useDocumentTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · ${PRODUCT_NAME}` : PRODUCT_NAME;
  }, [title]);
}

type PageHeaderProps = {
  title: ReactNode;
  /** Plain text for the browser tab (defaults to `title` when it is a string). */
  documentTitle?: string;
  description?: ReactNode;
  actions?: ReactNode;
  /** Shown next to the title (e.g. a status chip). */
  adornment?: ReactNode;
};

/** The page's one `<h1>`, an optional description and actions on the right. */
export function PageHeader({ title, documentTitle, description, actions, adornment }: PageHeaderProps) {
  useDocumentTitle(documentTitle ?? (typeof title === 'string' ? title : ''));
  return (
    <Box
      component="header"
      sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', justifyContent: 'space-between', gap: 2, mb: 3 }}
    >
      <Box sx={{ minWidth: 0 }}>
        <Box sx={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 1.5 }}>
          <Typography variant="h4" component="h1" sx={{ wordBreak: 'break-word' }}>
            {title}
          </Typography>
          {adornment}
        </Box>
        {description && (
          <Typography variant="body1" color="text.secondary" sx={{ mt: 0.5, maxWidth: 760 }}>
            {description}
          </Typography>
        )}
      </Box>
      {actions && <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>{actions}</Box>}
    </Box>
  );
}
