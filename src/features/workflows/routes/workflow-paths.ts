import { paths } from '../../../shared/lib/paths.ts';

/** Routes of the workflows feature (they live in shared/lib/paths.ts: the launch page links to them too). */
export const workflowPaths = {
  list: paths.workflows,
  detail: paths.workflows.detail,
} as const;

/** `?version=N` → N; anything else (absent, not a positive whole number) → the newest published version. */
export function parseVersionParam(text: string | null): number | undefined {
  if (!text || !/^[1-9]\d{0,6}$/.test(text)) return undefined;
  return Number(text);
}
