import { forwardRef } from 'react';
import { Link as RouterLink, type LinkProps as RouterLinkProps } from 'react-router';

/**
 * Lets MUI `Link`/`Button`/`ListItemButton` with an `href` navigate inside the SPA
 * (wired in the theme), so features write `<Button href={paths.jobs.getHref()}>`.
 */
export const LinkBehavior = forwardRef<HTMLAnchorElement, Omit<RouterLinkProps, 'to'> & { href: RouterLinkProps['to'] }>(
  function LinkBehavior({ href, ...other }, ref) {
    return <RouterLink ref={ref} to={href} {...other} />;
  },
);
