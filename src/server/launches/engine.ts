/**
 * Runs a launch in the BFF, not in the browser: uploads input sandboxes
 * through DiracX's presigned flow, submits the JDLs in batches of at most 20
 * (DiracX's limit per call) with bounded concurrency, and records every job id
 * as it arrives, so a reload or a closed tab neither stops nor duplicates it.
 *
 * Retries never duplicate: a batch refused by DiracX (4xx) fails for good; a
 * batch whose outcome is unknown (timeout, 5xx, connection lost) is first
 * looked up in DiracX by JobGroup + JobName, and only the jobs DiracX does not
 * have are sent again.
 *
 * Several BFF replicas on one database: a runner first takes the launch's lease (a conditional UPDATE),
 * renews it while it runs and before every batch, and writes only while it holds it. A launch whose
 * runner died is taken over once the lease has expired; the new runner first looks up in DiracX the jobs
 * still marked pending (the dead runner may have sent them without recording the answer).
 */
import { randomUUID } from 'node:crypto';
import { STAGING_DEFAULTS } from '../config.ts';
import { DiracxError, DiracxUnreachableError, type DiracxClient } from '../diracx/client.ts';
import { renderJdl } from '../jdl/render.ts';
import { sandboxArchive, type SandboxArchive } from '../sandbox/tar.ts';
import type { LaunchRepo, PendingJob } from './repo.ts';
import { stagingRound, type StagingRucio } from './staging.ts';
import { WRAPPER_SCRIPT, wrapperScript } from './wrapper-script.ts';

export const MAX_JDLS_PER_CALL = 20;

export interface EngineOptions {
  batchSize?: number;
  concurrency?: number;
  maxAttempts?: number;
  backoffMs?: number;
  log?: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  /** Run under a lease (several replicas): `owner` is this runner's id. */
  lease?: { owner: string; ttlMs: number };
  /** True once this process must stop touching launches at once, as if it had crashed (LaunchRunner.abandon). */
  halted?: () => boolean;
  /** Stage-first launches: Rucio (null: none configured), the staging timeout and the pause between polls. */
  staging?: { rucio: StagingRucio | null; timeoutMs: number; pollMs: number };
}

/** The lease was lost (or the runner abandoned): stop without writing anything more. */
class LeaseLost extends Error {}

/** JobName lookups of pending jobs per DiracX search. */
const RECONCILE_CHUNK = 100;

async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  let failed = false;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && !failed) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  });
  // After a failure no worker takes more, and all are awaited: nothing is still sending once the run has returned.
  const rejected = (await Promise.allSettled(workers)).find((r) => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

const ambiguous = (err: unknown) => err instanceof DiracxUnreachableError || (err instanceof DiracxError && err.status >= 500);

/** Runs the launch; false when another runner holds its lease (nothing was done). */
export async function runLaunch(
  launchId: string,
  jobGroup: string,
  token: string,
  repo: LaunchRepo,
  diracx: DiracxClient,
  opts: EngineOptions = {},
): Promise<boolean> {
  const batchSize = Math.min(opts.batchSize ?? MAX_JDLS_PER_CALL, MAX_JDLS_PER_CALL);
  const maxAttempts = opts.maxAttempts ?? 3;
  const lease = opts.lease;
  const owner = lease?.owner;
  if (lease && !(await repo.acquireLease(launchId, lease.owner, lease.ttlMs))) return false;
  let lost = false;
  const renewer = lease
    ? setInterval(
        () => {
          if (opts.halted?.()) return;
          repo.renewLease(launchId, lease.owner, lease.ttlMs).then(
            (ok) => (lost ||= !ok),
            () => {
              /* database unreachable: the next checkpoint finds out */
            },
          );
        },
        Math.max(lease.ttlMs / 3, 50),
      )
    : undefined;
  renewer?.unref();
  /** Before anything is sent, and before anything is recorded: still ours? */
  const checkpoint = async () => {
    if (opts.halted?.()) throw new LeaseLost('runner abandoned');
    if (!lease) return;
    if (lost || !(await repo.renewLease(launchId, lease.owner, lease.ttlMs))) {
      lost = true;
      throw new LeaseLost('the lease was taken over by another runner');
    }
  };
  const halted = () => {
    if (opts.halted?.()) throw new LeaseLost('runner abandoned');
  };
  let lastError: string | null = null;
  try {
    const before = await repo.get(launchId);
    if (!before) return true;
    const ownerName = before.owner;
    await repo.setStatus(launchId, 'submitting', null, owner);
    // Resumed (restart, takeover): jobs a previous run sent without recording the answer are in DiracX already.
    if (before.status !== 'pending') await reconcile(launchId, jobGroup, ownerName, token, repo, diracx, owner);
    // Staging phase (stage-first launches): jobs wait until their inputs are on disk at the chosen site; each
    // pass submits the jobs released since the last one, then polls Rucio again after a pause.
    let sleepFirst = false;
    for (;;) {
      if (before.staging.length > 0) {
        if (sleepFirst) {
          await checkpoint();
          await repo.setStatus(launchId, 'staging', lastError, owner);
          await new Promise((r) => setTimeout(r, opts.staging?.pollMs ?? STAGING_DEFAULTS.pollSeconds * 1000));
        }
        // Rucio down: the files keep waiting, with the reason shown on the launch.
        lastError = await stagingRound(launchId, repo, opts.staging?.rucio ?? null, {
          timeoutMs: opts.staging?.timeoutMs ?? STAGING_DEFAULTS.timeoutSeconds * 1000,
          owner,
          checkpoint,
        });
        await checkpoint();
        await repo.releaseWaiting(launchId, owner);
      }
      for (let round = 0; round < maxAttempts; round++) {
        const pending = await repo.pendingJobs(launchId);
        if (pending.length === 0) break;
        if (round > 0) await new Promise((r) => setTimeout(r, (opts.backoffMs ?? 1000) * round));
        // 1. Input sandboxes: one for the launch, the wrapper script of its pending jobs (made once per round); a
        // job stored without a payload (before the wrapper script) has its own. Identical content is uploaded once.
        const withPayload = pending.flatMap((j) => (j.spec.payload ? [{ index: j.index, payload: j.spec.payload }] : []));
        let launchArchive: SandboxArchive | Error | null = null;
        const archiveOf = (job: PendingJob): SandboxArchive | null => {
          if (!job.spec.payload) return job.spec.sandboxFiles.length > 0 ? sandboxArchive(job.spec.sandboxFiles) : null;
          if (!launchArchive) {
            try {
              launchArchive = sandboxArchive([{ name: WRAPPER_SCRIPT, content: wrapperScript(withPayload) }]);
            } catch (err) {
              launchArchive = err as Error; // made once: every job of the round fails with the same reason
            }
          }
          if (launchArchive instanceof Error) throw launchArchive;
          return launchArchive;
        };
        const pfnBySha = new Map<string, Promise<string>>();
        const jdls = new Map<number, string>();
        const unsendable: { job: PendingJob; error: string; final: boolean }[] = [];
        const prepare = async (job: PendingJob) => {
          halted();
          try {
            const attrs = { ...job.spec.attributes };
            const archive = archiveOf(job);
            if (archive) {
              let pfn = pfnBySha.get(archive.sha256);
              if (!pfn) {
                pfn = (async () => {
                  const up = await diracx.initiateSandbox(token, { checksum: archive.sha256, size: archive.size, format: archive.format });
                  if (up.url) await diracx.uploadSandbox(up.url, up.fields ?? {}, archive.bytes);
                  return up.pfn;
                })();
                pfnBySha.set(archive.sha256, pfn);
                // A failed upload is retried next round, not reused.
                pfn.catch(() => pfnBySha.delete(archive.sha256));
              }
              attrs.InputSandbox = [await pfn];
            }
            jdls.set(job.index, renderJdl(attrs));
          } catch (err) {
            if (err instanceof LeaseLost || (err instanceof DiracxError && err.status === 401)) throw err;
            // DiracX down or a 5xx (e.g. its own race when a user's first sandboxes arrive together): next round.
            unsendable.push({
              job,
              error: err instanceof DiracxError ? `DiracX: ${err.detail}` : (err as Error).message,
              final: !ambiguous(err),
            });
            lastError = (err as Error).message;
          }
        };
        // The first job alone (a user's first sandbox creates their owner row in DiracX), then the rest in parallel.
        if (pending[0]) await prepare(pending[0]);
        await pool(pending.slice(1), 4, prepare);
        await checkpoint();
        for (const u of unsendable) await repo.markAttempt(launchId, [u.job.index], u.error, { final: u.final }, owner);
        const ready = pending.filter((j) => jdls.has(j.index));
        // 2. Batches of at most 20 JDLs, a few in flight at a time.
        await pool(chunks(ready, batchSize), opts.concurrency ?? 2, async (batch) => {
          const batchJdls = batch.map((j) => jdls.get(j.index)!);
          await checkpoint();
          try {
            const inserted = await diracx.submitJdl(token, batchJdls);
            halted();
            // DiracX answers in submission order; only a short answer needs a lookup by name.
            let done = batch.map((j, i) => ({ index: j.index, jobId: inserted[i]?.JobID ?? -1, jdl: jdls.get(j.index)! }));
            if (inserted.length !== batch.length) {
              const ids = await idsByName(
                diracx,
                token,
                jobGroup,
                ownerName,
                batch.map((j) => j.jobName),
              );
              done = batch
                .filter((j) => ids.has(j.jobName))
                .map((j) => ({ index: j.index, jobId: ids.get(j.jobName)!, jdl: jdls.get(j.index)! }));
            }
            await repo.markSubmitted(launchId, done, owner);
          } catch (err) {
            // An expired or revoked token: stop here, nothing is lost; the owner's next visit resumes it.
            if (err instanceof LeaseLost || (err instanceof DiracxError && err.status === 401)) throw err;
            halted();
            if (ambiguous(err)) {
              // Outcome unknown: keep what DiracX did create, retry only the rest.
              let found = new Map<string, number>();
              try {
                found = await idsByName(
                  diracx,
                  token,
                  jobGroup,
                  ownerName,
                  batch.map((j) => j.jobName),
                );
              } catch {
                /* DiracX still down: every job of the batch stays pending */
              }
              await repo.markSubmitted(
                launchId,
                batch
                  .filter((j) => found.has(j.jobName))
                  .map((j) => ({ index: j.index, jobId: found.get(j.jobName)!, jdl: jdls.get(j.index)! })),
                owner,
              );
              const rest = batch.filter((j) => !found.has(j.jobName));
              // DiracX unreachable: the jobs wait for it (the launch stays resumable), they do not fail.
              const down = err instanceof DiracxUnreachableError;
              if (down) lastError = (err as Error).message;
              await repo.markAttempt(
                launchId,
                rest.map((j) => j.index),
                (err as Error).message,
                { final: !down && round === maxAttempts - 1 },
                owner,
              );
              opts.log?.warn({ launchId, err: (err as Error).message, retrying: rest.length }, 'batch outcome unknown');
            } else if (err instanceof DiracxError) {
              await repo.markAttempt(
                launchId,
                batch.map((j) => j.index),
                `DiracX: ${err.detail}`,
                { final: true },
                owner,
              );
            } else {
              // Not DiracX's answer (e.g. the database failed recording it): the jobs may be in DiracX, so they must
              // not be marked failed; the launch stops here, resumable, and the resumed run reconciles them by name.
              throw err;
            }
          }
        });
      }
      if (before.staging.length === 0) break;
      // Files that arrived during this pass: their jobs go at once; otherwise wait for Rucio, while jobs still wait.
      const { waiting, released } = await repo.releaseWaiting(launchId, owner);
      sleepFirst = released === 0;
      if (waiting === 0 && released === 0) break;
    }
    const launch = await repo.get(launchId);
    if (!launch) return true;
    const stillPending = (await repo.pendingJobs(launchId)).length;
    const status =
      stillPending > 0
        ? 'submitting'
        : launch.submittedJobs === launch.totalJobs
          ? 'submitted'
          : launch.submittedJobs === 0
            ? 'failed'
            : 'partial';
    // Jobs still pending (DiracX unreachable): the launch stays resumable, with the reason.
    await checkpoint();
    await repo.setStatus(launchId, status, stillPending > 0 ? lastError : null, owner);
    opts.log?.info({ launchId, status, submitted: launch.submittedJobs, total: launch.totalJobs }, 'launch finished');
  } catch (err) {
    if (err instanceof LeaseLost) {
      lost = true;
      opts.log?.warn({ launchId, reason: err.message }, 'launch left to another runner');
      return true;
    }
    opts.log?.warn({ launchId, err: (err as Error).message }, 'launch interrupted; it stays resumable');
    await repo.setStatus(launchId, 'submitting', (err as Error).message, owner);
  } finally {
    clearInterval(renewer);
    if (lease && !lost && !opts.halted?.()) await repo.releaseLease(launchId, lease.owner).catch(() => {});
  }
  return true;
}

/** Mark the pending jobs DiracX already has (same JobGroup + JobName) as submitted. */
async function reconcile(
  launchId: string,
  jobGroup: string,
  ownerName: string,
  token: string,
  repo: LaunchRepo,
  diracx: DiracxClient,
  owner: string | undefined,
) {
  const pending = await repo.pendingJobs(launchId);
  for (const part of chunks(pending, RECONCILE_CHUNK)) {
    const found = await idsByName(
      diracx,
      token,
      jobGroup,
      ownerName,
      part.map((j) => j.jobName),
    );
    const known = part.filter((j) => found.has(j.jobName)).map((j) => ({ index: j.index, jobId: found.get(j.jobName)!, jdl: null }));
    if (known.length) await repo.markSubmitted(launchId, known, owner);
  }
}

/** JobName -> JobID for jobs of this production that DiracX already has. */
async function idsByName(
  diracx: DiracxClient,
  token: string,
  jobGroup: string,
  ownerName: string,
  names: string[],
): Promise<Map<string, number>> {
  const { rows } = await diracx.searchJobs(
    token,
    {
      parameters: ['JobID', 'JobName'],
      // The owner too: a PI's token sees other users' jobs, and a JobGroup + JobName pair can be copied.
      search: [
        { parameter: 'Owner', operator: 'eq', value: ownerName },
        { parameter: 'JobGroup', operator: 'eq', value: jobGroup },
        { parameter: 'JobName', operator: 'in', values: names },
      ],
    },
    { page: 1, perPage: Math.max(names.length * 2, 10) },
  );
  const out = new Map<string, number>();
  for (const r of rows) out.set(String(r.JobName), Number(r.JobID));
  return out;
}

/** One run per launch per process; across processes (replicas), one per launch thanks to the lease. */
export class LaunchRunner {
  readonly #running = new Map<string, Promise<void>>();
  #halted = false;
  #stopping = false;
  readonly repo: LaunchRepo;
  readonly opts: EngineOptions;
  /** This runner's lease owner id (one per BFF process). */
  readonly replicaId: string;
  constructor(repo: LaunchRepo, opts: EngineOptions & { leaseTtlMs?: number; replicaId?: string } = {}) {
    this.repo = repo;
    this.replicaId = opts.replicaId ?? randomUUID();
    this.opts = { ...opts, lease: { owner: this.replicaId, ttlMs: opts.leaseTtlMs ?? 30_000 }, halted: () => this.#halted };
  }
  start(launchId: string, jobGroup: string, token: string, diracx: DiracxClient): Promise<void> {
    const existing = this.#running.get(launchId);
    if (existing) return existing;
    if (this.#halted || this.#stopping) return Promise.resolve();
    // runLaunch answers false when another replica holds the lease: then there is nothing to do here.
    const run = runLaunch(launchId, jobGroup, token, this.repo, diracx, this.opts)
      .then(() => undefined)
      .catch((err: unknown) => this.opts.log?.warn({ launchId, err: (err as Error).message }, 'launch run failed; it stays resumable'))
      .finally(() => this.#running.delete(launchId));
    this.#running.set(launchId, run);
    return run;
  }
  /** True once drain() or abandon() was called: this process takes no more launches. */
  get stopping() {
    return this.#stopping || this.#halted;
  }
  /** Launches this process is driving now (the metrics' portal_launches_running). */
  get runningCount() {
    return this.#running.size;
  }
  isRunning(launchId: string) {
    return this.#running.has(launchId);
  }
  async idle() {
    await Promise.all(this.#running.values());
  }
  /**
   * Shutdown: start nothing new (a launch asked for now stays resumable: its owner's next visit resumes it on
   * another replica) and wait up to `graceMs` for the running ones. Those still running then are abandoned
   * as a crash would leave them; their leases expire and another replica resumes them. True when all finished.
   */
  async drain(graceMs: number): Promise<boolean> {
    this.#stopping = true;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      this.idle().then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (!finished) this.abandon();
    return finished;
  }
  /**
   * Stop driving launches at once, as a crash would: nothing more is sent or recorded, leases are not
   * released (other replicas take over when they expire). For tests that kill a replica mid-launch.
   */
  abandon() {
    this.#halted = true;
  }
}
