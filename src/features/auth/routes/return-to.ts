import { paths } from '../../../shared/lib/paths.ts';

/** Only same-app paths; never back to the sign-in pages themselves. */
export function safeReturnTo(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return paths.home.getHref();
  if (raw.startsWith(paths.signIn.path) || raw.startsWith(paths.authCallback.path)) return paths.home.getHref();
  return raw;
}
