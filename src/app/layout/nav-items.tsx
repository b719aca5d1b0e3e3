import AccountTreeIcon from '@mui/icons-material/AccountTree';
import DnsIcon from '@mui/icons-material/Dns';
import EventRepeatIcon from '@mui/icons-material/EventRepeat';
import FactoryIcon from '@mui/icons-material/Factory';
import HomeIcon from '@mui/icons-material/Home';
import InsightsIcon from '@mui/icons-material/Insights';
import LibraryBooksIcon from '@mui/icons-material/LibraryBooks';
import ShoppingBasketIcon from '@mui/icons-material/ShoppingBasket';
import WorkIcon from '@mui/icons-material/Work';
import type { ReactElement } from 'react';
import type { PortalRole } from '../../contracts/auth.ts';
import { paths } from '../../shared/lib/paths.ts';

/** Which roles may use each restricted page (routes and navigation both read this). */
export const PAGE_ROLES = {
  productions: ['scientist', 'pi', 'admin'],
  accounting: ['admin'],
  catalogue: ['admin'],
} as const satisfies Record<string, readonly PortalRole[]>;

export type NavItem = { label: string; href: string; icon: ReactElement; end?: boolean; roles?: readonly PortalRole[] };

export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Home', href: paths.home.getHref(), icon: <HomeIcon />, end: true },
  { label: 'Basket', href: paths.basket.getHref(), icon: <ShoppingBasketIcon /> },
  { label: 'Resources', href: paths.resources.getHref(), icon: <DnsIcon /> },
  { label: 'Workflows', href: paths.workflows.getHref(), icon: <AccountTreeIcon /> },
  { label: 'Jobs', href: paths.jobs.getHref(), icon: <WorkIcon /> },
  { label: 'Productions', href: paths.productions.getHref(), icon: <FactoryIcon />, roles: PAGE_ROLES.productions },
  { label: 'Accounting', href: paths.accounting.getHref(), icon: <InsightsIcon />, roles: PAGE_ROLES.accounting },
  { label: 'Schedules', href: paths.schedules.getHref(), icon: <EventRepeatIcon /> },
  { label: 'Workflow catalogue', href: paths.catalogue.getHref(), icon: <LibraryBooksIcon />, roles: PAGE_ROLES.catalogue },
];

export function navItemsFor(role: PortalRole): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.roles || item.roles.includes(role));
}
