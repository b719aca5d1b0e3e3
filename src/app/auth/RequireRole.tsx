import { Outlet } from 'react-router';
import type { PortalRole } from '../../contracts/auth.ts';
import { useMe } from '../../shared/ui/auth-context.tsx';
import { Forbidden } from '../../shared/ui/Forbidden.tsx';

/** Client-side guard for role-restricted pages (the BFF enforces the same rule). */
export function RequireRole({ roles }: { roles: readonly PortalRole[] }) {
  const me = useMe();
  return roles.includes(me.role) ? <Outlet /> : <Forbidden group={me.group} />;
}
