import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Boutiques' reference implementation (PyPI `boutiques`, pinned in scripts/boutiques/requirements.lock,
 * installed into .venv-boutiques by scripts/ensure-deps.mjs) for cross-check tests. All cases go to
 * one Python process (scripts/boutiques/simulate.py).
 */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PYTHON = `${ROOT}.venv-boutiques/bin/python`;
const SCRIPT = `${ROOT}scripts/boutiques/simulate.py`;

/** `launch`: also run the command as `bosh exec launch` does (no container; a harmless descriptor only). */
export type BoshCase = { descriptor: unknown; invocation?: Record<string, unknown>; launch?: boolean };
export type BoshResult =
  | { command: string; files: Record<string, string>; stdout?: string; exitCode?: number }
  | { schema: string[]; bosh: string | null }
  | { error: string };

export function bosh(cases: readonly BoshCase[]): BoshResult[] {
  const res = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (res.error) throw new Error(`cannot run ${PYTHON} (node scripts/ensure-deps.mjs --test installs it): ${res.error.message}`);
  if (res.status !== 0) throw new Error(res.stderr);
  return JSON.parse(res.stdout) as BoshResult[];
}
