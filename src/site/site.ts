/**
 * A local execution site (docs/execution-site.md): polls DiracX for work, moves Received jobs to Waiting
 * (DIRAC's optimisers), matches Waiting jobs against the catalogue queues it serves, claims each job
 * through an exclusive claim file plus DiracX's Waiting → Matched transition, and runs it (wrapper.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import zlib from 'node:zlib';
import type { Queue } from '../contracts/resources.ts';
import { serviceTokenSource, type ServiceTokenSource } from '../server/accounting/service-token.ts';
import { InstanceConfigSchema } from '../server/config.ts';
import { createDiracxClient, type DiracxClient, type JobRow } from '../server/diracx/client.ts';
import { loadCatalogue } from '../server/resources/catalogue.ts';
import { isClaimed, tryClaim } from './claim.ts';
import type { SiteConfig } from './config.ts';
import { rucioSessionFor } from './data.ts';
import { parseJdl } from './jdl.ts';
import { matchQueue } from './match.ts';
import { runJob, type JobOutcome } from './wrapper.ts';

const PAGE = 100;
/** Waiting jobs looked at per poll, at most (pages of PAGE). */
const MAX_SCAN = 1000;

/** DiracX 0.7 stores a JDL zlib-compressed and base64-encoded (older rows: the text itself). */
export function decodeStoredJdl(stored: string): string {
  const t = stored.trim();
  if (t.startsWith('[')) return t;
  return zlib.inflateSync(Buffer.from(t, 'base64'), { maxOutputLength: 1024 * 1024 }).toString('utf8');
}

/** A job's claim key: its id and reschedule count, so that a rescheduled job is claimed (once) again. */
export const claimKey = (row: JobRow) => `${Number(row.JobID)}.${Number(row.RescheduleCounter ?? 0)}`;

export type SiteLog = (msg: string, extra?: Record<string, unknown>) => void;

export interface SiteHandle {
  /** One poll: optimise Received jobs, claim and start what fits the free slots. Resolves once claims are made. */
  poll(): Promise<number[]>;
  /** Jobs running now. */
  running(): number[];
  /** Wait for the running jobs to finish. */
  drain(): Promise<void>;
  close(): void;
}

export async function createSite(cfg: SiteConfig, log: SiteLog): Promise<SiteHandle> {
  const catalogue = await loadCatalogue(cfg.catalogue);
  const site = catalogue.sites.find((s) => s.name === cfg.site);
  if (!site) throw new Error(`site ${cfg.site} is not in the resource catalogue ${cfg.catalogue}`);
  const queues: Queue[] = site.ces.flatMap((ce) => ce.queues).filter((q) => !cfg.queues || cfg.queues.includes(q.id));
  if (queues.length === 0) throw new Error(`site ${cfg.site}: none of the queues ${String(cfg.queues)} is in the catalogue`);
  const servedBy = (s: { site: string; queues?: string[] | undefined }) =>
    (catalogue.sites.find((c) => c.name === s.site)?.ces ?? [])
      .flatMap((ce) => ce.queues)
      .filter((q) => !s.queues || s.queues.includes(q.id));
  /** The queues of every local site, for the "no local queue fits" reason. */
  const allLocalQueues = (cfg.localSites ?? [cfg]).flatMap(servedBy);
  const claimsDir = path.join(cfg.stateDir, 'claims');
  const workRoot = path.join(cfg.stateDir, 'work', cfg.site);
  fs.mkdirSync(claimsDir, { recursive: true, mode: 0o700 });
  // Traversable (not listable) by the unprivileged payload user, down to its own job directory.
  for (const d of [path.join(cfg.stateDir, 'work'), workRoot]) {
    fs.mkdirSync(d, { recursive: true });
    fs.chmodSync(d, 0o711);
  }

  const instance = InstanceConfigSchema.parse({ id: 'local', label: 'site', url: cfg.diracxUrl });
  const dx: DiracxClient = createDiracxClient(instance, { timeoutMs: 30_000 });
  const tokenFor = new Map<string, ServiceTokenSource>();
  const token = (user: string, group: string) => {
    const key = `${user}\n${group}`;
    let src = tokenFor.get(key);
    if (!src) {
      src = serviceTokenSource({ ...instance, accounting: { vo: cfg.vo, group, user, apiKeyFile: cfg.apiKeyFile } }, dx);
      tokenFor.set(key, src);
    }
    return src();
  };
  const serviceToken = () => token(cfg.serviceUser.user, cfg.serviceUser.group);
  const data = cfg.rucio ? { rucio: rucioSessionFor(cfg.rucio), rse: cfg.rucio.rse, vo: cfg.vo } : undefined;
  const owner = `${cfg.site} pid ${process.pid}`;
  const db = new DatabaseSync(cfg.jobDb, { readOnly: true, timeout: 5000 });
  const jdlStmt = db.prepare('SELECT JDL FROM JobJDLs WHERE JobID = ?');
  const jdlOf = (id: number): string | null => {
    const row = jdlStmt.get(id) as { JDL?: string } | undefined;
    return row?.JDL === undefined ? null : decodeStoredJdl(row.JDL);
  };

  /**
   * DiracX applies a status update as read-then-write, so an update racing another one for the same job can
   * undo it. Whoever submits a job and sets its status at once (an administrator's script, a test) does so
   * within milliseconds: the site leaves a job alone for its first moments, as DIRAC's optimisers do not
   * run on a job the instant it arrives either.
   */
  const settled = (row: JobRow) => {
    const raw = String(row.SubmissionTime ?? '');
    const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(raw) ? raw : `${raw}Z`);
    return !Number.isFinite(t) || Date.now() - t >= cfg.settleMs;
  };
  const active = new Map<number, Promise<JobOutcome>>();
  /** DIRAC's "Pilot Agent Submission" when a local queue fits the job, else why none does (the closest queue's reasons). */
  function waitingReason(id: number): string {
    const text = jdlOf(id);
    if (text === null) return 'Pilot Agent Submission';
    const m = matchQueue(allLocalQueues, parseJdl(text));
    if (m.queue) return 'Pilot Agent Submission';
    const closest = [...m.reasons].sort((a, b) => a.split('; ').length - b.split('; ').length)[0] ?? 'no local queue';
    const reason = `No local queue fits: ${closest}`;
    return reason.length > 128 ? `${reason.slice(0, 127)}…` : reason;
  }

  /** Jobs this process found no queue for (their JDL does not change): not looked at again. */
  const unfit = new Set<number>();

  async function search(status: string, extra: { parameter: string; operator: 'in'; values: string[] }[], page: number) {
    return dx.searchJobs(
      await serviceToken(),
      {
        parameters: ['JobID', 'Status', 'Owner', 'OwnerGroup', 'VO', 'Site', 'RescheduleCounter', 'SubmissionTime'],
        search: [{ parameter: 'Status', operator: 'eq', value: status }, { parameter: 'VO', operator: 'eq', value: cfg.vo }, ...extra],
        sort: [{ parameter: 'JobID', direction: 'asc' }],
      },
      { page, perPage: PAGE },
    );
  }

  /** DIRAC's optimisers would move a Received job to Waiting; DiracX 0.7 has none. Once per job and run (claim). */
  async function optimise() {
    const rows = (await search('Received', [], 1)).rows.filter(settled);
    const keys = rows.map((r) => [Number(r.JobID), `received-${claimKey(r)}`] as const).filter(([, key]) => !isClaimed(claimsDir, key));
    const mine = keys.filter(([, key]) => tryClaim(claimsDir, key, owner)).map(([id]) => id);
    if (mine.length === 0) return;
    await dx.setStatus(
      await serviceToken(),
      Object.fromEntries(mine.map((id) => [id, { Status: 'Waiting', MinorStatus: waitingReason(id), Source: 'JobScheduling' }])),
    );
  }

  async function statusOf(id: number): Promise<string | null> {
    const { rows } = await dx.searchJobs(
      await serviceToken(),
      { parameters: ['JobID', 'Status'], search: [{ parameter: 'JobID', operator: 'eq', value: String(id) }] },
      { page: 1, perPage: 1 },
    );
    return rows[0] ? String(rows[0].Status) : null;
  }

  /** Claim one Waiting job: the claim file first (one winner), then DiracX must agree it is Matched. */
  async function claimJob(row: JobRow): Promise<boolean> {
    const id = Number(row.JobID);
    if (!tryClaim(claimsDir, `job-${claimKey(row)}`, owner)) return false;
    await dx.setStatus(await serviceToken(), { [id]: { Status: 'Matched', MinorStatus: 'Assigned', Source: 'Matcher' } });
    const now = await statusOf(id);
    if (now !== 'Matched') {
      // A later-dated status (forced by an administrator, a seeding script) won over ours: leave the job alone.
      log('claimed job is not Matched at DiracX; left alone', { jobId: id, status: now });
      return false;
    }
    return true;
  }

  async function fill(): Promise<number[]> {
    const started: number[] = [];
    const siteFilter = { parameter: 'Site', operator: 'in' as const, values: ['ANY', 'Multiple', cfg.site] };
    for (let page = 1; page <= MAX_SCAN / PAGE && active.size < cfg.slots; page++) {
      const { rows } = await search('Waiting', [siteFilter], page);
      for (const row of rows) {
        if (active.size >= cfg.slots) break;
        if (!settled(row)) continue;
        const id = Number(row.JobID);
        if (unfit.has(id) || isClaimed(claimsDir, `job-${claimKey(row)}`)) continue;
        const text = jdlOf(id);
        if (text === null) continue;
        const jdl = parseJdl(text);
        const m = matchQueue(queues, jdl);
        if (!m.queue) {
          unfit.add(id);
          continue;
        }
        const claimStart = performance.now();
        if (!(await claimJob(row))) continue;
        // claimMs: what the claim costs (claim file, Matched, read back); the bench reads it from this log.
        log('job matched', { jobId: id, queue: m.queue.id, claimMs: Math.round((performance.now() - claimStart) * 10) / 10 });
        const job = { id, owner: String(row.Owner), ownerGroup: String(row.OwnerGroup), jdl, queue: m.queue };
        const run = runJob(
          {
            site: cfg.site,
            dx,
            serviceToken,
            ownerToken: token,
            workRoot,
            softwareDir: cfg.softwareDir,
            heartbeatMs: cfg.heartbeatMs,
            keepWorkDir: cfg.keepWorkDirs,
            data,
            log,
          },
          job,
        )
          .catch((err: Error) => {
            log('job wrapper error', { jobId: id, err: err.message });
            return 'failed' as const;
          })
          .then((outcome) => {
            log('job finished', { jobId: id, outcome });
            active.delete(id);
            return outcome;
          });
        active.set(id, run);
        started.push(id);
      }
      if (rows.length < PAGE) break;
    }
    return started;
  }

  const parseTime = (v: unknown): number => {
    const raw = String(v ?? '');
    const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(raw) ? raw : `${raw}Z`);
    return Number.isFinite(t) ? t : Number.NaN;
  };
  /** The last sign of life of a job: its heartbeat or any status update, whichever is later. */
  const lastSign = (row: JobRow) => Math.max(parseTime(row.HeartBeatTime), parseTime(row.LastUpdateTime));
  let stalledRunning = false;
  let stalledCheckedAt = 0;

  /**
   * DIRAC's StalledJobAgent: Running jobs whose last sign of life is older than `stalledAfterSeconds` go to
   * Stalled, then Failed "Job stalled: pilot not running". Conditional: each job is read again right before each
   * write and left alone if it moved on (a late heartbeat revives a Stalled job to Running at DiracX, as in DIRAC);
   * one site process acts on a job (claim `stalled-<job>`); jobs this process runs itself are alive by definition.
   */
  async function stalled() {
    const token = await serviceToken();
    const cutoff = () => Date.now() - cfg.stalledAfterSeconds * 1000;
    const params = ['JobID', 'Status', 'HeartBeatTime', 'LastUpdateTime', 'RescheduleCounter'];
    const one = async (id: number) =>
      (
        await dx.searchJobs(
          token,
          { parameters: params, search: [{ parameter: 'JobID', operator: 'eq', value: String(id) }] },
          { page: 1, perPage: 1 },
        )
      ).rows[0];
    const { rows } = await search('Running', [], 1);
    for (const row of rows) {
      const id = Number(row.JobID);
      if (active.has(id)) continue;
      const seen = await one(id);
      if (!seen || seen.Status !== 'Running' || !(lastSign(seen) < cutoff())) continue;
      if (!tryClaim(claimsDir, `stalled-${claimKey(row)}`, owner)) continue;
      const minor = 'Job stalled: pilot not running';
      await dx.setStatus(token, { [id]: { Status: 'Stalled', MinorStatus: minor, Source: 'StalledJobAgent' } });
      log('job stalled', { jobId: id, lastSign: new Date(lastSign(seen)).toISOString() });
      // DiracX orders a job's statuses by their times: Failed is dated after Stalled.
      await new Promise((r) => setTimeout(r, 100));
      const now = await one(id);
      if (now?.Status !== 'Stalled') continue; // revived by a late heartbeat, or changed by someone else
      await dx.setStatus(token, { [id]: { Status: 'Failed', MinorStatus: minor, Source: 'StalledJobAgent' } });
    }
  }

  return {
    async poll() {
      await optimise();
      // In the background, at most every 10 s (half the threshold when shorter), not holding up the claims.
      if (!stalledRunning && Date.now() - stalledCheckedAt >= Math.min(10_000, cfg.stalledAfterSeconds * 500)) {
        stalledRunning = true;
        stalledCheckedAt = Date.now();
        void stalled()
          .catch((err: Error) => log('stalled-job check failed', { err: err.message }))
          .finally(() => (stalledRunning = false));
      }
      return fill();
    },
    running: () => [...active.keys()],
    async drain() {
      await Promise.all(active.values());
    },
    close() {
      db.close();
    },
  };
}
