/**
 * The scheduler loop of the BFF. Each tick: take over runs whose BFF died (expired lease), then for each
 * due schedule claim its slot (repo.claimSlot: unique run row + compare-and-set of next_run_at, before
 * anything is sent) and run it through the launch path with a token minted from the schedule's stored
 * refresh token. The launch's idempotency key is derived from (schedule, slot), so a run taken over
 * after a crash finds the launch the first attempt created instead of creating another.
 */
import type { AuditLog } from '../audit/log.ts';
import { isLaunchActive, LaunchRequestSchema, type Launch } from '../../contracts/launches.ts';
import { SIGN_IN_AGAIN } from '../../contracts/schedules.ts';
import { plural } from '../../contracts/wording.ts';
import type { Principal, TokenVerifier } from '../auth/verify.ts';
import type { Config, InstanceConfig } from '../config.ts';
import { DiracxUnreachableError, type DiracxClient } from '../diracx/client.ts';
import { HttpProblem } from '../errors.ts';
import { buildJobs, jobGroupFor, type InputItem, type WorkflowForLaunch } from '../launches/build.ts';
import type { LaunchRunner } from '../launches/engine.ts';
import type { WorkflowChoice } from '../launches/inputs.ts';
import type { LaunchRepo } from '../launches/repo.ts';
import { ownerOf } from '../auth/owner.ts';
import { nextSlot } from './recurrence.ts';
import type { ScheduleRepo, StoredRun, StoredSchedule } from './repo.ts';
import type { SecretBox } from './secret-box.ts';
import { resolveSource, type SourceDeps, type SourceFile } from './sources.ts';

export interface SchedulerDeps {
  config: Config;
  repo: ScheduleRepo;
  launches: LaunchRepo;
  runner: LaunchRunner;
  diracx: (instance: InstanceConfig) => DiracxClient;
  verifyToken: TokenVerifier;
  /** The (pinned) descriptor of a schedule's launch; throws a problem naming why when it cannot be used. */
  workflowFor: (launch: WorkflowChoice) => Promise<WorkflowForLaunch>;
  /** The files chosen for File inputs after the first (the launch's `fileBindings`), from the owner's basket at each run. */
  boundFilesFor: (p: Principal, bindings: Readonly<Record<string, string>>) => Promise<Record<string, InputItem>>;
  box: SecretBox | null;
  /** Where saved-query schedules find their files (catalogue database, Rucio, Zooniverse). */
  sources: SourceDeps;
  log: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  /** Each launch a run creates is recorded as `schedule.launch`, acted by the schedule's owner. */
  audit?: AuditLog;
  /** Each pass in a trace span of its own; the runs it starts (their DiracX calls) are inside it. */
  inSpan?: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

/** After a failed run: pause when the credential is gone or after `max` consecutive failures. */
export function failurePolicy(failures: number, max: number, signIn: boolean): { pause: boolean; reason: string | null } {
  if (signIn) return { pause: true, reason: SIGN_IN_AGAIN };
  if (failures >= max) return { pause: true, reason: `Paused after ${failures} consecutive failed runs.` };
  return { pause: false, reason: null };
}

/** A slot more than this late was missed (the portal was not running), not merely picked up late. */
export const missedAfterMs = (tickMs: number) => Math.max(3 * tickMs, 60_000);

/** The note of a run that took files: how many, and what is left for the next runs. */
export function tookNote(taken: number, left: number | null, warning: string | null): string {
  const rest =
    left === null
      ? ' More new files may be waiting: the next run takes them (limit per run reached).'
      : left > 0
        ? ` ${plural(left, 'more new file')} left for the next runs (limit per run reached).`
        : '';
  return `Took ${plural(taken, 'new file')}.${rest}${warning ? ` ${warning}` : ''}`;
}

function nothingNew(s: StoredSchedule, warning: string | null): string {
  const edited = s.sourceEditedAt ? ' Files taken before the query was edited are not taken again.' : '';
  return `Nothing new: every matching file was processed by an earlier run; nothing was submitted.${edited}${warning ? ` ${warning}` : ''}`;
}

export const runKey = (scheduleId: string, slot: string) => `sch_${scheduleId}_${Math.floor(Date.parse(slot) / 1000)}`;

type TokenOutcome =
  | { kind: 'ok'; principal: Principal }
  | { kind: 'busy' }
  | { kind: 'wait'; message: string }
  | { kind: 'fail'; message: string; signIn: boolean };

/** Thrown when the token minted for a schedule does not belong to its owner. */
class ForeignToken extends Error {}

export class Scheduler {
  readonly #deps: SchedulerDeps;
  readonly #inflight = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | null = null;
  #ticking: Promise<void> | null = null;

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.tick(), this.#deps.config.schedulerTickMs);
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#ticking;
    await this.idle();
  }

  /** Wait for the runs started so far. */
  async idle(): Promise<void> {
    while (this.#inflight.size) await Promise.all([...this.#inflight]);
  }

  /** One pass; runs start in the background (see idle()). Overlapping calls share one pass. */
  tick(now = new Date()): Promise<void> {
    const pass = () => this.#pass(now);
    this.#ticking ??= (this.#deps.inSpan ? this.#deps.inSpan('schedules pass', pass) : pass())
      .catch((err: unknown) => this.#deps.log.warn({ err: (err as Error).message }, 'scheduler tick failed'))
      .finally(() => {
        this.#ticking = null;
      });
    return this.#ticking;
  }

  /** "Run now": a manual slot at the current second. */
  async runNow(s: StoredSchedule): Promise<StoredRun | null> {
    const slot = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    const run = await this.#deps.repo.claimSlot({ scheduleId: s.id, slot, manual: true, leaseMs: this.#deps.config.scheduleRunLeaseMs });
    if (run) this.#background(run, s);
    return run;
  }

  async #pass(now: Date): Promise<void> {
    const { repo, config } = this.#deps;
    for (const run of await repo.staleRuns(now)) {
      const s = await repo.get(run.scheduleId);
      if (s && (await repo.takeOver(run, config.scheduleRunLeaseMs))) {
        this.#deps.log.info({ scheduleId: s.id, slot: run.slotTime, attempt: run.attempts + 1 }, 'schedule run taken over');
        this.#background(run, s);
      }
    }
    for (const s of await repo.due(now)) await this.#fire(s, now);
  }

  async #fire(s: StoredSchedule, now: Date): Promise<void> {
    const { repo, config } = this.#deps;
    const slot = s.nextRunAt!;
    const next = nextSlot(s.spec, now)?.toISOString() ?? null;
    const advance = { expectedNext: slot, newNext: next };
    const missed = now.getTime() - Date.parse(slot) > missedAfterMs(config.schedulerTickMs);
    if (missed && s.spec.missedPolicy === 'skip') {
      await repo.claimSlot({
        scheduleId: s.id,
        slot,
        advance,
        leaseMs: 0,
        status: 'skipped',
        error: 'Missed while the portal was not running (policy: skip).',
      });
    } else {
      const run = await repo.claimSlot({ scheduleId: s.id, slot, advance, leaseMs: config.scheduleRunLeaseMs });
      if (run) this.#background(run, s);
    }
    if (next === null) await repo.setStatus(s.id, 'ended', null);
  }

  #background(run: StoredRun, s: StoredSchedule): void {
    const p = this.#execute(run, s)
      .catch((err: unknown) => this.#deps.log.warn({ scheduleId: s.id, err: (err as Error).message }, 'schedule run failed unexpectedly'))
      .finally(() => this.#inflight.delete(p));
    this.#inflight.add(p);
  }

  async #execute(run: StoredRun, s: StoredSchedule): Promise<void> {
    const { repo, config, launches, runner, diracx } = this.#deps;
    if (config.scheduleHoldMs > 0) await new Promise((r) => setTimeout(r, config.scheduleHoldMs));
    // A saved query: see what is new before asking DiracX for a token (a "nothing new" run needs none).
    let query: { files: SourceFile[]; left: number | null; warning: string | null; resumed: boolean } | null = null;
    if (s.source.kind !== 'snapshot') {
      const mine = await repo.runFiles(run.id);
      if (mine.total > 0) {
        // Taken over after a crash: this run's files are already in the ledger (with its launch, same transaction).
        query = { files: mine.items.map((f) => ({ ...f, seq: null })), left: run.filesLeft, warning: null, resumed: true };
      } else {
        const limit = Math.min(s.source.maxFilesPerRun ?? config.scheduleMaxFilesPerRun, config.scheduleMaxFilesPerRun);
        try {
          query = { ...(await resolveSource(this.#deps.sources, s.id, s.source, limit)), resumed: false };
        } catch (err) {
          const why = err instanceof HttpProblem ? err.message : (err as Error).message;
          const retry = !(err instanceof HttpProblem) || err.status >= 500;
          return this.#failed(
            run,
            s,
            retry ? `${why} Nothing was marked processed: the next run tries these files again.` : `${why} Nothing was marked processed.`,
            false,
          );
        }
        if (query.files.length === 0) {
          await repo.finishRun(run.id, 'skipped', null, { taken: 0, left: query.left, note: nothingNew(s, query.warning) });
          await repo.countOutcome(s.id, true);
          return;
        }
      }
    }
    const token = await this.#accessToken(s);
    if (token.kind === 'busy') return; // another replica holds the credential: the lease expires and the run is taken over
    if (token.kind === 'wait') return this.#wait(run, s, token.message);
    if (token.kind === 'fail') return this.#failed(run, s, token.message, token.signIn);
    const p = token.principal;
    let launch: Launch | null;
    let taken = 0;
    try {
      const key = runKey(s.id, run.slotTime);
      if (!query) launch = await this.#launch(s, p, key, s.inputs);
      else if (query.resumed) launch = await this.#launch(s, p, key, query.files);
      else {
        const q = query;
        // The ledger rows and the launch (with its jobs) commit together, or neither does.
        launch = await repo.transaction(async () => {
          const mine = await repo.takeFiles(s.id, run.id, q.files);
          if (mine.length === 0) return null;
          taken = mine.length;
          const l = await this.#launch(s, p, key, mine);
          await repo.setRunLaunch(run.id, l.id, { taken: mine.length, left: q.left });
          return l;
        });
        if (!launch) {
          await repo.finishRun(run.id, 'skipped', null, {
            taken: 0,
            left: q.left,
            note: 'Nothing new: another run took these files at the same time.',
          });
          await repo.countOutcome(s.id, true);
          return;
        }
      }
    } catch (err) {
      return this.#failed(
        run,
        s,
        err instanceof HttpProblem || err instanceof ForeignToken ? err.message : `Could not create the launch: ${(err as Error).message}`,
        false,
      );
    }
    await repo.setRunLaunch(run.id, launch.id);
    if (isLaunchActive(launch.status)) await runner.start(launch.id, launch.jobGroup, p.token, diracx(p.instance));
    const done = await launches.get(launch.id);
    if (done && (done.status === 'submitted' || done.status === 'partial')) {
      const files = query
        ? {
            taken: query.resumed ? query.files.length : taken,
            left: query.left,
            note: tookNote(query.resumed ? query.files.length : taken, query.left, query.warning),
          }
        : undefined;
      await repo.finishRun(
        run.id,
        'submitted',
        done.status === 'partial' ? `${done.failedJobs} of ${done.totalJobs} jobs were refused: ${done.errors[0]?.message ?? ''}` : null,
        files,
      );
      await repo.countOutcome(s.id, true);
      return;
    }
    // This BFF is shutting down and the launch did not finish here: leave the run claimed, another tick or replica takes it over.
    if (runner.stopping) return;
    // Still active: DiracX (or its sandbox store) stopped answering, or the token ran out. The launch keeps its unsent
    // jobs; failing the run would leave them to nobody. The run waits with the reason and is taken over when its
    // lease ends: the same key finds the same launch, which resumes (each job once).
    if (done && isLaunchActive(done.status)) return this.#wait(run, s, done.error ?? 'The launch is waiting to be resumed.');
    await this.#failed(run, s, done?.error ?? done?.errors[0]?.message ?? 'DiracX did not accept the jobs', false);
  }

  async #launch(s: StoredSchedule, p: Principal, key: string, inputs: InputItem[]): Promise<Launch> {
    if (p.sub !== s.ownerSub || p.instance.id !== s.instanceId) throw new ForeignToken('The stored authorization belongs to another user');
    const wf = await this.#deps.workflowFor(s.launch);
    const body = LaunchRequestSchema.parse({ ...s.launch, idempotencyKey: key });
    const jobGroup = jobGroupFor(body.name);
    const jobs = buildJobs(body, wf, inputs, jobGroup, await this.#deps.boundFilesFor(p, body.fileBindings));
    const { launch, created } = await this.#deps.launches.claim({
      ...ownerOf(p),
      idempotencyKey: key,
      name: body.name,
      jobGroup,
      workflowId: body.workflowId,
      workflowVersion: wf.version,
      descriptorSha256: wf.sha256,
      request: body,
      jobs,
    });
    // Once per launch: a run resumed by another tick or replica finds it already claimed.
    if (created)
      await this.#deps.audit?.record({
        actorSub: p.sub,
        actorName: p.username,
        instanceId: p.instance.id,
        action: 'schedule.launch',
        target: launch.id,
        detail: { scheduleId: s.id, jobs: launch.totalJobs },
      });
    return launch;
  }

  /** The run stays claimed with the reason shown; after its lease another tick (or replica) takes it over and tries again. */
  async #wait(run: StoredRun, s: StoredSchedule, message: string): Promise<void> {
    await this.#deps.repo.noteWaiting(run.id, `Waiting: ${message} The run is tried again shortly.`);
    this.#deps.log.warn({ scheduleId: s.id, slot: run.slotTime, err: message }, 'schedule run waits; tried again when its lease ends');
  }

  async #failed(run: StoredRun, s: StoredSchedule, message: string, signIn: boolean): Promise<void> {
    const { repo, config } = this.#deps;
    await repo.finishRun(run.id, 'failed', message);
    const failures = await repo.countOutcome(s.id, false);
    const policy = failurePolicy(failures, config.scheduleMaxFailures, signIn);
    if (policy.pause) await repo.setStatus(s.id, 'paused', policy.reason);
    await repo.notify({
      ownerSub: s.ownerSub,
      instanceId: s.instanceId,
      scheduleId: s.id,
      level: policy.pause ? 'error' : 'warning',
      message: policy.pause
        ? `Schedule "${s.name}" paused: ${policy.reason} Last error: ${message}`
        : `A run of schedule "${s.name}" failed: ${message}`,
    });
    this.#deps.log.warn({ scheduleId: s.id, slot: run.slotTime, failures, paused: policy.pause, err: message }, 'schedule run failed');
  }

  /** Mint an access token from the stored refresh token, storing the rotated one (DiracX refresh tokens are single use). */
  async #accessToken(s: StoredSchedule): Promise<TokenOutcome> {
    const { repo, box, config } = this.#deps;
    if (!box) return { kind: 'fail', message: 'Unattended runs are not configured on this portal (no credential key).', signIn: false };
    const take = await repo.beginRotation(s.id, 60_000);
    if (take.kind === 'busy') return take;
    if (take.kind === 'unusable') return { kind: 'fail', message: SIGN_IN_AGAIN, signIn: true };
    const instance = config.instances.find((i) => i.id === s.instanceId);
    if (!instance) {
      await repo.abortRotation(s.id);
      return { kind: 'fail', message: `DiracX instance "${s.instanceId}" is no longer configured`, signIn: false };
    }
    let refreshToken: string;
    try {
      refreshToken = box.open(take.ciphertext, s.id);
    } catch {
      await repo.invalidateCredential(s.id);
      return {
        kind: 'fail',
        message: `${SIGN_IN_AGAIN} (the stored authorization cannot be decrypted with this portal's key)`,
        signIn: true,
      };
    }
    let res;
    try {
      res = await this.#deps
        .diracx(instance)
        .relayToken(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: instance.clientId }));
    } catch (err) {
      // Never reached DiracX: the refresh token is unspent; the run waits for DiracX.
      await repo.abortRotation(s.id);
      if (err instanceof DiracxUnreachableError) return { kind: 'wait', message: 'DiracX is not reachable.' };
      return { kind: 'fail', message: (err as Error).message, signIn: false };
    }
    if (res.status >= 500) {
      await repo.abortRotation(s.id);
      return { kind: 'fail', message: `DiracX could not issue a token (HTTP ${res.status}).`, signIn: false };
    }
    const body = res.body as { access_token?: unknown; refresh_token?: unknown; detail?: unknown } | null;
    if (res.status !== 200 || typeof body?.access_token !== 'string') {
      await repo.invalidateCredential(s.id);
      return { kind: 'fail', message: SIGN_IN_AGAIN, signIn: true };
    }
    if (typeof body.refresh_token === 'string') await repo.finishRotation(s.id, box.seal(body.refresh_token, s.id));
    else await repo.invalidateCredential(s.id);
    try {
      return { kind: 'ok', principal: await this.#deps.verifyToken(body.access_token) };
    } catch (err) {
      return { kind: 'fail', message: `DiracX issued a token this portal does not accept: ${(err as Error).message}`, signIn: false };
    }
  }
}
