/**
 * Input-sandbox files made from a workflow's values. CORSIKA reads a runcard
 * (steering file); the portal writes it from the validated form values, one
 * per job (seeds and run numbers differ between jobs), and ships it in the
 * job's input sandbox.
 */
import type { SandboxFile } from '../sandbox/tar.ts';

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

export function corsikaRuncard(values: Record<string, unknown>, jobIndex: number): string {
  const run = num(values.RUNNR, 1) + jobIndex;
  const seeds = Array.isArray(values.SEEDS) ? values.SEEDS.map((s) => num(s, 1)) : [num(values.SEEDS, 1)];
  const lines = [
    `RUNNR   ${run}`,
    'EVTNR   1',
    `NSHOW   ${num(values.NSHOW, 1)}`,
    `PRMPAR  ${num(values.PRMPAR, 1)}`,
    `ESLOPE  ${num(values.ESLOPE, -2)}`,
    `ERANGE  ${num(values.ERANGE_MIN, 10)} ${num(values.ERANGE_MAX, 100000)}`,
    `THETAP  ${num(values.THETAP_MIN, 0)} ${num(values.THETAP_MAX, 0)}`,
    `PHIP    ${num(values.PHIP_MIN, 0)} ${num(values.PHIP_MAX, 360)}`,
    // Three random sequences per run, derived from the user's seeds and the job index.
    ...[0, 1, 2].map((k) => `SEED    ${(seeds[k % seeds.length]! + 1000 * jobIndex + k) % 900000000} 0 0`),
    `OBSLEV  ${num(values.OBSLEV, 2200) * 100}`,
    `ATMOSPHERE ${typeof values.ATMOSPHERE === 'string' ? values.ATMOSPHERE : 'us-standard'}`,
  ];
  if (values.CERENKOV === true) {
    lines.push(`CERSIZ  ${num(values.CERSIZ, 5)}`, `CWAVLG  ${num(values.CWAVLG_MIN, 250)} ${num(values.CWAVLG_MAX, 700)}`, 'CERFIL  T');
  }
  lines.push(`TELFIL  corsika_run${run}.zst`, 'EXIT');
  return `${lines.join('\n')}\n`;
}

export function sandboxFilesFor(workflowId: string, values: Record<string, unknown>, jobIndex: number): SandboxFile[] {
  if (workflowId === 'corsika') return [{ name: 'runcard.txt', content: corsikaRuncard(values, jobIndex) }];
  return [];
}
