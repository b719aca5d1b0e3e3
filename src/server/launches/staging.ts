/**
 * "Stage first" (issue #16): before a launch's jobs are submitted, inputs with no disk replica at the chosen
 * site are brought to that site's disk storage element by one Rucio replication rule per file; a job waits
 * (launch_jobs.status 'waiting') until all its files are on disk there, and fails when one of them cannot be.
 *
 * Exactly once: rules are created by the launch's runner under its lease, and Rucio itself refuses a second
 * rule for the same DID, account, RSE expression and copies (DuplicateRule): a runner that died between
 * creating a rule and recording it finds the existing rule and records that one.
 */
import type { StagingFile } from '../../contracts/launches.ts';
import { MAX_STAGING_FILES } from '../../contracts/launches.ts';
import { didOfLfn } from '../../contracts/outputs.ts';
import type { BasketItem } from '../../contracts/datasets.ts';
import { lookupLocality, type LocalityDeps } from '../datasets/replicas.ts';
import {
  createRucioSession,
  didPath,
  parseNdjson,
  rucioSourceConfig,
  splitDid,
  type RucioSession,
  type RucioSourceConfig,
} from '../datasets/rucio.ts';
import type { DatasetSourcesConfig } from '../datasets/sources-config.ts';
import { HttpProblem, problems } from '../errors.ts';

/** A staged copy is kept this long by its rule (then Rucio's cleaner may remove it). */
export const STAGED_RULE_LIFETIME_S = 7 * 24 * 3600;

export interface StagingPlanFile {
  itemId: string;
  did: string;
  state: 'ready' | 'requested';
}

/**
 * Which input files need staging for jobs pinned to `site`: those without a disk replica at one of its SEs
 * go to the site's (first) disk SE. Files whose location cannot be known (ESAP) are not staged.
 */
export async function planStaging(
  deps: LocalityDeps,
  items: readonly BasketItem[],
  site: string,
): Promise<{ rse: string; files: StagingPlanFile[] }> {
  const field = [{ path: 'stageAt', message: 'not a staging site' }];
  if (!deps.rucio) throw problems.validation('Stage first needs a Rucio server; none is configured', field);
  if (!deps.catalogue?.sites.some((s) => s.name === site)) throw problems.validation(`${site} is not a site of the catalogue`, field);
  const rse = (deps.catalogue.storageElements ?? []).find((se) => se.kind === 'disk' && se.sites.includes(site))?.name;
  if (!rse) throw problems.validation(`${site} has no disk storage element to stage to`, field);
  const { files } = await lookupLocality(deps, items);
  const known = files.filter((f) => f.availability !== 'unknown');
  if (known.length > MAX_STAGING_FILES)
    throw problems.validation(`Stage first handles at most ${MAX_STAGING_FILES} files per launch; these inputs hold ${known.length}`, [
      { path: 'inputItemIds', message: 'too many files to stage' },
    ]);
  return {
    rse,
    files: known.map((f) => {
      const did = f.source === 'rucio' ? f.ref : ((d) => `${d.scope}:${d.name}`)(didOfLfn(f.ref));
      const near = f.replicas.some((r) => r.kind === 'disk' && r.sites.includes(site));
      return { itemId: f.itemId, did, state: near ? 'ready' : 'requested' };
    }),
  };
}

export type RuleOutcome = { ruleId: string } | { refused: string };
export interface RuleState {
  state: 'OK' | 'REPLICATING' | 'STUCK' | 'SUSPENDED' | 'WAITING_APPROVAL' | 'INJECT';
  error: string | null;
}

/** The Rucio calls staging needs, with the portal's own credential. Transient failures throw (HttpProblem 5xx). */
export interface StagingRucio {
  addRule(did: string, rse: string): Promise<RuleOutcome>;
  /** null: Rucio no longer has the rule (deleted or expired). */
  rule(ruleId: string): Promise<RuleState | null>;
}

const rucioMessage = async (res: Response) => {
  const body = (await res.json().catch(() => ({}))) as { ExceptionClass?: string; ExceptionMessage?: string };
  return `${body.ExceptionClass ?? `HTTP ${res.status}`}: ${body.ExceptionMessage ?? ''}`.trim();
};

export function createStagingRucio(session: RucioSession, cfg: Pick<RucioSourceConfig, 'account' | 'label'>): StagingRucio {
  const json = { 'content-type': 'application/json' };
  return {
    async addRule(did, rse) {
      const d = splitDid(did);
      if (!d) return { refused: `${did} is not a Rucio DID` };
      let res: Response | null;
      try {
        res = await session.authed(
          '/rules/',
          {
            method: 'POST',
            headers: json,
            body: JSON.stringify({
              dids: [d],
              account: cfg.account,
              copies: 1,
              rse_expression: rse,
              lifetime: STAGED_RULE_LIFETIME_S,
              comment: 'ESCAPE portal: stage first',
            }),
          },
          [404, 409],
        );
      } catch (err) {
        // Rucio's refusals (quota, no such RSE, bad expression) are final for this file; 5xx and unreachable are not.
        if (err instanceof HttpProblem && err.status === 400) return { refused: err.message };
        throw err;
      }
      if (!res) return { refused: `${cfg.label}: ${did} not found` };
      if (res.status === 404) return { refused: `${cfg.label}: ${await rucioMessage(res)}` };
      if (res.status === 409) {
        // Rucio answers 409 for several refusals (e.g. InvalidRSEExpression); only DuplicateRule means the rule
        // exists: this launch's (a runner that died before recording it) or another's, and it is reused.
        const message = await rucioMessage(res);
        if (!message.startsWith('DuplicateRule')) return { refused: `${cfg.label}: ${message}` };
        const list = await session.authed(`${didPath(d.scope, d.name)}/rules`);
        const rules = list
          ? (parseNdjson(await list.text()) as { id: string; rse_expression: string; account: string; copies: number }[])
          : [];
        const same = rules.find((r) => r.rse_expression === rse && r.account === cfg.account && r.copies === 1);
        return same ? { ruleId: same.id } : { refused: `${cfg.label}: a rule for ${did} exists but cannot be found` };
      }
      const ids = (await res.json()) as string[];
      return { ruleId: String(ids[0]) };
    },
    async rule(ruleId) {
      const res = await session.authed(`/rules/${encodeURIComponent(ruleId)}`);
      if (!res) return null;
      const r = (await res.json()) as { state: RuleState['state']; error: string | null };
      return { state: r.state, error: r.error };
    },
  };
}

/** Staging through the configured Rucio source (its own session: rule calls use the portal's credential too). */
export function stagingRucioFromConfig(sources: DatasetSourcesConfig): StagingRucio | null {
  const cfg = rucioSourceConfig(sources);
  return cfg ? createStagingRucio(createRucioSession(cfg), cfg) : null;
}

/** A file's staging row as the engine reads and writes it. */
export interface StagingRow extends StagingFile {
  itemId: string;
  createdAt: string;
}

export interface StagingStore {
  stagingRows(launchId: string): Promise<StagingRow[]>;
  setStaging(
    launchId: string,
    row: Pick<StagingRow, 'itemId' | 'did'>,
    change: { state: StagingRow['state']; ruleId?: string | null; error?: string | null },
    owner?: string,
  ): Promise<void>;
}

/**
 * One staging round: request the rules not yet made, follow the others; a rule OK means the file is on disk
 * there, STUCK/SUSPENDED or gone fails the file, and a file not there within `timeoutMs` of the launch fails
 * (its rule stays; Rucio removes it at the end of its lifetime). Returns the last transient error, if any
 * (Rucio down: the files keep waiting). `checkpoint` runs before every write (the runner's lease).
 */
export async function stagingRound(
  launchId: string,
  store: StagingStore,
  rucio: StagingRucio | null,
  opts: { timeoutMs: number; owner?: string; checkpoint: () => Promise<void>; now?: () => number },
): Promise<string | null> {
  const now = opts.now ?? Date.now;
  let transient: string | null = null;
  for (const row of await store.stagingRows(launchId)) {
    if (row.state !== 'requested' && row.state !== 'replicating') continue;
    const fail = async (error: string) => {
      await opts.checkpoint();
      await store.setStaging(launchId, row, { state: 'failed', error }, opts.owner);
    };
    if (!rucio) {
      transient = 'No Rucio server is configured';
      continue;
    }
    try {
      if (row.state === 'requested') {
        await opts.checkpoint();
        const out = await rucio.addRule(row.did, row.rse);
        await opts.checkpoint();
        if ('refused' in out) await store.setStaging(launchId, row, { state: 'failed', error: `Rule refused: ${out.refused}` }, opts.owner);
        else await store.setStaging(launchId, row, { state: 'replicating', ruleId: out.ruleId, error: null }, opts.owner);
        continue;
      }
      const rule = await rucio.rule(row.ruleId ?? '');
      if (!rule) await fail(`The Rucio rule ${row.ruleId} no longer exists`);
      else if (rule.state === 'OK') {
        await opts.checkpoint();
        await store.setStaging(launchId, row, { state: 'ok', error: null }, opts.owner);
      } else if (rule.state === 'STUCK' || rule.state === 'SUSPENDED')
        await fail(`The Rucio rule is ${rule.state}${rule.error ? `: ${rule.error}` : ''}`);
      else if (now() - Date.parse(row.createdAt) > opts.timeoutMs) await fail(timeoutMessage(opts.timeoutMs));
    } catch (err) {
      // Only Rucio's own failures wait for Rucio; a lost lease or a database failure ends the run (resumable).
      if (!(err instanceof HttpProblem)) throw err;
      transient = `${(err as Error).message} (staging resumes when Rucio answers)`;
      if (now() - Date.parse(row.createdAt) > opts.timeoutMs) await fail(timeoutMessage(opts.timeoutMs));
    }
  }
  return transient;
}

const timeoutMessage = (ms: number) => `Not on disk after ${Math.round(ms / 60_000)} min: staging timed out`;
