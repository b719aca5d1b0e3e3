/**
 * Launch names and BFF issue paths: plain string helpers, without zod, so that the home page's
 * Hello world card does not load the launch form's schemas (first page budget, `npm run bench`).
 */

export const NAME_MAX = 64;

/** "<workflow name> <YYYY-MM-DD>" with only the characters a production name may have. */
export function defaultLaunchName(workflowName: string, date = new Date()): string {
  const day = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  const base = workflowName
    .replace(/[^A-Za-z0-9 ._-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, NAME_MAX - day.length - 1)
    .trim();
  return base ? `${base} ${day}` : `Launch ${day}`;
}

/** The name of a relaunch: "<name> relaunch" (parentheses are not allowed in production names). */
export function relaunchName(name: string): string {
  const base = name.replace(/ relaunch$/, '');
  const suffix = ' relaunch';
  return `${base.slice(0, NAME_MAX - suffix.length).trimEnd()}${suffix}`;
}

/** Request validation paths start with `body.`; the forms name fields without it. */
export function normalizeIssuePath(path: string): string {
  return path.replace(/^body\./, '');
}
