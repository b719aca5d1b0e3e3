/**
 * Run one claimed job the way DIRAC's JobWrapper does: fresh working directory, input sandbox in,
 * Executable + Arguments as a child process (own process group, CPU limit, wall-clock watchdog),
 * heartbeats that obey Kill, output sandbox out (as the owner), DIRAC's statuses and minor statuses.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { DiracxError, DiracxUnreachableError, type DiracxClient, type JobStatusName } from '../server/diracx/client.ts';
import type { Queue } from '../contracts/resources.ts';
import type { RucioSession } from '../server/datasets/rucio.ts';
import { HttpProblem } from '../server/errors.ts';
import { sandboxArchive, untar, type SandboxFile } from '../server/sandbox/tar.ts';
import { didOfLfn, outputLfn, productionDataset, userLfnBase } from '../contracts/outputs.ts';
import { DataError, ensureDataset, ensureUserScope, putAndRegister, resolveInputData, retryRucio } from './data.ts';
import { type JdlRecord, jdlList, jdlString, splitArguments } from './jdl.ts';
import { wallLimitSeconds } from './match.ts';

/** DiracX's own sandbox limit: nothing larger is downloaded. */
export const MAX_INPUT_SANDBOX_BYTES = 100 * 1024 * 1024;
/** Bound on what one input sandbox may unpack to (zip bombs). */
export const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;
export const MAX_SANDBOX_MEMBERS = 1000;
/** Per output file; std.out/std.err keep their last bytes beyond it. */
export const MAX_OUTPUT_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_OUTPUT_FILES = 100;
/** The names an output sandbox may carry (the portal's tar writer refuses others). */
const SAFE_NAME = /^[A-Za-z0-9._-][A-Za-z0-9._-]{0,99}$/;
/**
 * Who the payload runs as: when the site runs as root, `nobody` (it must not read the site's API key or the
 * stack's state); otherwise the site's own user (the residual risk is in docs/execution-site.md).
 */
export function payloadIdentity(): { uid: number; gid: number } | null {
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : null;
}

/** Give the job directory and everything in it to the payload user. */
function chownTree(root: string, id: { uid: number; gid: number }) {
  fs.chownSync(root, id.uid, id.gid);
  for (const e of fs.readdirSync(root, { withFileTypes: true, recursive: true })) {
    fs.lchownSync(path.join(e.parentPath, e.name), id.uid, id.gid);
  }
}

/** Process groups of the payloads running now (the site kills them when it stops). */
export const livePayloadGroups = new Set<number>();

/**
 * DiracX unreachable, or answering 5xx (it does under load), while a job runs: a status update, the input
 * sandbox or the output sandbox is retried (backing off) for up to this long, as DIRAC's JobWrapper keeps
 * failover requests (and reschedules a job whose input sandbox it could not fetch), instead of failing the job.
 * Beyond it the job stays Running and the stalled-job rule ends it (docs/execution-site.md).
 */
export const DIRACX_RETRY_MS = 180_000;

/** Worth another try: DiracX (or its S3) was not reached, or failed on its side; a 4xx is an answer. */
function isTransient(err: unknown): err is Error {
  return err instanceof DiracxUnreachableError || (err instanceof DiracxError && err.status >= 500);
}

export async function retryWhileUnreachable<T>(fn: () => Promise<T>, onRetry: (err: Error) => void, limitMs = DIRACX_RETRY_MS): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (let wait = 500; ; wait = Math.min(wait * 2, 10_000)) {
    try {
      return await fn();
    } catch (err) {
      if (!isTransient(err) || Date.now() + wait > deadline) throw err;
      onRetry(err);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** Grace between SIGTERM and SIGKILL of the payload's process group. */
const KILL_GRACE_MS = 3000;

export interface ClaimedJob {
  id: number;
  owner: string;
  ownerGroup: string;
  jdl: JdlRecord;
  queue: Queue;
}

export interface WrapperContext {
  site: string;
  dx: DiracxClient;
  /** The site's own (JobAdministrator) token. */
  serviceToken: () => Promise<string>;
  /** A token of the job's owner, for their sandboxes. */
  ownerToken: (user: string, group: string) => Promise<string>;
  workRoot: string;
  softwareDir: string;
  heartbeatMs: number;
  keepWorkDir: boolean;
  /** The data catalogue and the storage element for OutputData (absent: jobs with InputData/OutputData fail). */
  data?: { rucio: RucioSession; rse: string; vo: string } | undefined;
  log: (msg: string, extra?: Record<string, unknown>) => void;
}

export type JobOutcome = 'done' | 'failed' | 'killed';

class JobFailure extends Error {
  readonly minor: string;
  readonly application: string | undefined;
  constructor(minor: string, application?: string) {
    super(minor);
    this.minor = minor;
    this.application = application;
  }
}

async function readBounded(res: Response, max: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > max) throw new Error(`sandbox of ${declared} bytes exceeds ${max}`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body ?? []) {
    total += (chunk as Uint8Array).length;
    if (total > max) throw new Error(`sandbox exceeds ${max} bytes`);
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}

/** Unpack a sandbox archive into dir, bounded in size and member count, refusing names that leave dir. */
export function unpackSandbox(bytes: Buffer, pfn: string, dir: string, maxUnpacked = MAX_UNPACKED_BYTES): string[] {
  const opts = { maxOutputLength: maxUnpacked };
  let raw: Buffer;
  if (pfn.endsWith('.tar.zst')) raw = zlib.zstdDecompressSync(bytes, opts);
  else if (pfn.endsWith('.tar.gz') || pfn.endsWith('.tgz')) raw = zlib.gunzipSync(bytes, opts);
  else if (pfn.endsWith('.tar')) raw = bytes;
  else throw new Error(`unsupported sandbox format: ${pfn.split('/').pop()}`);
  const members = untar(raw);
  if (members.length > MAX_SANDBOX_MEMBERS) throw new Error(`sandbox has ${members.length} files (at most ${MAX_SANDBOX_MEMBERS})`);
  const root = path.resolve(dir);
  const names: string[] = [];
  for (const m of members) {
    const target = path.resolve(root, m.name);
    if (!target.startsWith(root + path.sep) || m.name.includes('\0'))
      throw new Error(`sandbox member "${m.name}" leaves the working directory`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, m.content, { mode: 0o644 });
    names.push(m.name);
  }
  return names;
}

/** The executable the payload names: a path in the working directory or the software area / system PATH. */
export function resolveExecutable(exe: string, dir: string, pathDirs: string[]): string | null {
  const isExec = (p: string) => {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (exe.includes('/')) {
    const p = path.resolve(dir, exe);
    // A sandbox file named as the executable comes without its mode bit: make it executable, as DIRAC does.
    if (p.startsWith(path.resolve(dir) + path.sep) && fs.existsSync(p) && !isExec(p)) fs.chmodSync(p, 0o755);
    return isExec(p) ? p : null;
  }
  for (const d of pathDirs) {
    const p = path.join(d, exe);
    if (isExec(p)) return p;
  }
  return null;
}

/** The output sandbox: std streams (tail kept when too large) and the JDL's OutputSandbox names / `*` globs. */
export function collectOutputs(dir: string, patterns: string[], streams: string[]): { files: SandboxFile[]; notes: string[] } {
  const notes: string[] = [];
  const files = new Map<string, Buffer>();
  const present = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile());
  const globToRe = (g: string) =>
    new RegExp(
      `^${g
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
  for (const pat of [...streams, ...patterns]) {
    if (pat.startsWith('LFN:') || pat.includes('/')) continue;
    const re = globToRe(pat);
    for (const e of present) {
      if (!re.test(e.name) || files.has(e.name)) continue;
      if (!SAFE_NAME.test(e.name)) {
        notes.push(`${JSON.stringify(e.name)}: not a portable file name, not kept`);
        continue;
      }
      if (files.size >= MAX_OUTPUT_FILES) {
        notes.push(`more than ${MAX_OUTPUT_FILES} output files: the rest were not kept`);
        break;
      }
      const p = path.join(dir, e.name);
      const size = fs.statSync(p).size;
      if (size <= MAX_OUTPUT_FILE_BYTES) files.set(e.name, fs.readFileSync(p));
      else if (streams.includes(e.name)) {
        const fd = fs.openSync(p, 'r');
        const buf = Buffer.alloc(MAX_OUTPUT_FILE_BYTES);
        fs.readSync(fd, buf, 0, buf.length, size - buf.length);
        fs.closeSync(fd);
        files.set(e.name, buf);
        notes.push(`${e.name} is ${size} bytes: only its last ${MAX_OUTPUT_FILE_BYTES} are kept`);
      } else notes.push(`${e.name} is ${size} bytes, more than ${MAX_OUTPUT_FILE_BYTES} allowed in the output sandbox: not kept`);
    }
  }
  return { files: [...files].map(([name, content]) => ({ name, content })), notes };
}

function tail(file: string, bytes = 2048): string {
  try {
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(Math.min(bytes, size));
    fs.readSync(fd, buf, 0, buf.length, size - buf.length);
    fs.closeSync(fd);
    return buf.toString('utf8');
  } catch {
    return '';
  }
}

export async function runJob(ctx: WrapperContext, job: ClaimedJob): Promise<JobOutcome> {
  const { dx, log } = ctx;
  const dir = path.join(ctx.workRoot, String(job.id));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const unreachable = (what: string) => (err: Error) => log('DiracX unreachable; retrying', { jobId: job.id, what, err: err.message });
  const report = async (Status: JobStatusName, MinorStatus: string, ApplicationStatus?: string) => {
    const update = { Status, MinorStatus, ...(ApplicationStatus ? { ApplicationStatus } : {}), Source: 'JobWrapper' };
    await retryWhileUnreachable(
      async () => dx.setStatus(await ctx.serviceToken(), { [job.id]: update }),
      unreachable(`${Status}/${MinorStatus}`),
    );
  };
  const stdoutName = jdlString(job.jdl, 'StdOutput') || 'std.out';
  const stderrName = jdlString(job.jdl, 'StdError') || 'std.err';
  const outPath = path.join(dir, path.basename(stdoutName));
  const errPath = path.join(dir, path.basename(stderrName));
  let killed = false;
  let child: ReturnType<typeof spawn> | null = null;
  const killGroup = () => {
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const pid = child.pid;
    setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, KILL_GRACE_MS).unref();
  };
  const started = Date.now();
  const heartbeat = async () => {
    try {
      const commands = await dx.heartbeat(await ctx.serviceToken(), {
        [job.id]: { WallClockTime: (Date.now() - started) / 1000, LoadAverage: os.loadavg()[0] },
      });
      if (commands.some((c) => c.job_id === job.id && c.command === 'Kill')) {
        if (!killed) log('kill command received', { jobId: job.id });
        killed = true;
        killGroup();
      }
    } catch (err) {
      log('heartbeat failed', { jobId: job.id, err: (err as Error).message });
    }
  };
  let hb: ReturnType<typeof setInterval> | undefined;
  try {
    await dx.setMetadata(await ctx.serviceToken(), { [job.id]: { Site: ctx.site } }).catch((err: Error) => {
      log('could not set the Site attribute', { jobId: job.id, err: err.message });
    });
    await report('Running', 'Job Initialization');
    // Heartbeats from now on (DiracX turns a heartbeat on a Matched job into Running itself).
    hb = setInterval(() => void heartbeat(), ctx.heartbeatMs);
    await heartbeat();
    if (killed) return 'killed';

    await report('Running', 'Downloading InputSandbox');
    const pfns = jdlList(job.jdl, 'InputSandbox').filter((s) => s.startsWith('SB:'));
    try {
      for (const pfn of pfns) {
        const bytes = await retryWhileUnreachable(async () => {
          const token = await ctx.ownerToken(job.owner, job.ownerGroup);
          const { url } = await dx.sandboxDownloadUrl(token, pfn);
          return readBounded(await dx.fetchPresigned(url), MAX_INPUT_SANDBOX_BYTES);
        }, unreachable('input sandbox'));
        unpackSandbox(bytes, pfn, dir);
      }
    } catch (err) {
      fs.appendFileSync(errPath, `[site] input sandbox: ${(err as Error).message}\n`);
      throw new JobFailure('Failed Downloading InputSandbox');
    }

    const inputData = jdlList(job.jdl, 'InputData').map((l) => l.replace(/^LFN:/, ''));
    if (inputData.length > 0) {
      await report('Running', 'Input Data Resolution');
      try {
        if (!ctx.data) throw new Error('this site has no data catalogue');
        await resolveInputData(ctx.data.rucio, inputData, dir);
      } catch (err) {
        const reason = (err as Error).message;
        fs.appendFileSync(errPath, `[site] input data: ${reason}\n`);
        throw new JobFailure('Input Data Resolution', reason.slice(0, 250));
      }
    }

    const exe = jdlString(job.jdl, 'Executable') ?? '';
    const args = splitArguments(jdlString(job.jdl, 'Arguments') ?? '');
    const pathDirs = [path.join(ctx.softwareDir, 'bin'), '/usr/local/bin', '/usr/bin', '/bin'];
    const resolved = exe ? resolveExecutable(exe, dir, pathDirs) : null;
    if (!resolved) {
      fs.appendFileSync(errPath, `[site] ${exe || '(no Executable)'}: command not found\n`);
      throw new JobFailure('Application not found', `${exe || 'Executable'}: command not found`);
    }
    const wallLimit = wallLimitSeconds(job.queue, job.jdl);
    const cpuLimit = wallLimit * Math.max(1, job.queue.cores);
    await report('Running', 'Application');
    const out = fs.openSync(outPath, 'a');
    const errFd = fs.openSync(errPath, 'a');
    const runAs = payloadIdentity();
    if (runAs) chownTree(dir, runAs);
    let timedOut = false;
    const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
      // ulimit -t: the kernel stops a payload that uses more CPU than the slot grants (SIGXCPU).
      // A program of the working directory (a sandbox script) by its relative path: the payload user may not traverse
      // the site's own directories above it.
      const inDir = path.relative(dir, resolved);
      const program = inDir.startsWith('..') || path.isAbsolute(inDir) ? resolved : `./${inDir}`;
      child = spawn('/bin/sh', ['-c', 'ulimit -t "$0" && exec "$@"', String(cpuLimit), program, ...args], {
        cwd: dir,
        detached: true,
        ...(runAs ?? {}),
        stdio: ['ignore', out, errFd],
        env: {
          PATH: pathDirs.join(':'),
          HOME: dir,
          TMPDIR: dir,
          LANG: 'C.UTF-8',
          JOBID: String(job.id),
          DIRACJOBID: String(job.id),
          DIRACSITE: ctx.site,
          OMP_NUM_THREADS: String(job.queue.cores),
        },
      });
      const pgid = child.pid;
      if (pgid) livePayloadGroups.add(pgid);
      const watchdog = setTimeout(() => {
        timedOut = true;
        log('watchdog: wall-clock limit reached', { jobId: job.id, wallLimit });
        killGroup();
      }, wallLimit * 1000);
      child.on('error', (error) => {
        clearTimeout(watchdog);
        resolve({ code: null, signal: null, error });
      });
      child.on('exit', (code, signal) => {
        clearTimeout(watchdog);
        if (pgid) livePayloadGroups.delete(pgid);
        resolve({ code, signal });
      });
    });
    fs.closeSync(out);
    fs.closeSync(errFd);
    if (killed) return 'killed';
    let failure: JobFailure | null = null;
    if (result.error) failure = new JobFailure('Application not found', result.error.message);
    else if (timedOut) {
      fs.appendFileSync(errPath, `[site] watchdog: killed after the wall-clock limit of ${wallLimit} s\n`);
      failure = new JobFailure('Job has exceeded maximum wall clock time', `Killed by the watchdog after ${wallLimit} s`);
    } else if (result.signal === 'SIGXCPU' || result.signal === 'SIGKILL') {
      failure = new JobFailure('Job has reached the CPU limit of the queue', `Killed by ${result.signal}`);
    } else if (result.signal) failure = new JobFailure('Application Finished With Errors', `Killed by ${result.signal}`);
    else if (result.code !== 0) failure = new JobFailure('Application Finished With Errors', `Exit code ${result.code}`);

    if (failure) throw failure;
    // OutputData before the output sandbox: a failure's reason, appended to std.err, then reaches the owner.
    const outputData = jdlList(job.jdl, 'OutputData').map((l) => l.replace(/^LFN:/, ''));
    if (outputData.length > 0) {
      await report('Completing', 'Uploading Job OutputData');
      await uploadOutputData(ctx, job, dir, outputData).catch((err: Error) => {
        fs.appendFileSync(errPath, `[site] output data: ${err.message}\n`);
        const catalogue = err instanceof HttpProblem || (err instanceof DataError && err.stage === 'catalogue');
        throw new JobFailure(catalogue ? 'Failed to register' : 'Uploading Job OutputData', err.message.slice(0, 250));
      });
    }
    await report('Completing', 'Uploading Output Sandbox');
    await retryWhileUnreachable(
      () =>
        uploadOutputs(
          ctx,
          job,
          dir,
          [stdoutName, stderrName].map((n) => path.basename(n)),
          errPath,
        ),
      unreachable('output sandbox'),
    );
    // No heartbeat after the final status (DiracX turns a heartbeat on a Stalled job into Running).
    clearInterval(hb);
    await report('Done', 'Execution Complete');
    return 'done';
  } catch (err) {
    if (killed) return 'killed';
    const failure = err instanceof JobFailure ? err : new JobFailure('Exception During Execution', (err as Error).message.slice(0, 200));
    log('job failed', { jobId: job.id, minor: failure.minor, app: failure.application, stderrTail: tail(errPath, 300) });
    // What the job wrote so far (and the site's note in std.err) goes back to the owner in any case.
    await retryWhileUnreachable(() => uploadOutputs(ctx, job, dir, [stdoutName, stderrName], errPath), unreachable('output sandbox')).catch(
      (e: Error) => log('could not upload the output sandbox', { jobId: job.id, err: e.message }),
    );
    clearInterval(hb);
    await report('Failed', failure.minor, failure.application).catch((e: Error) =>
      log('could not report Failed', { jobId: job.id, err: e.message }),
    );
    return 'failed';
  } finally {
    clearInterval(hb);
    if (!ctx.keepWorkDir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function uploadOutputs(ctx: WrapperContext, job: ClaimedJob, dir: string, streams: string[], errPath: string) {
  if (fs.existsSync(path.join(dir, '.uploaded'))) return;
  for (const s of streams) if (!fs.existsSync(path.join(dir, path.basename(s)))) fs.writeFileSync(path.join(dir, path.basename(s)), '');
  const patterns = jdlList(job.jdl, 'OutputSandbox');
  const { files, notes } = collectOutputs(
    dir,
    patterns,
    streams.map((s) => path.basename(s)),
  );
  if (notes.length) {
    fs.appendFileSync(errPath, notes.map((n) => `[site] ${n}\n`).join(''));
    const name = path.basename(errPath);
    const i = files.findIndex((f) => f.name === name);
    if (i >= 0) files[i] = { name, content: fs.readFileSync(errPath) };
  }
  const archive = sandboxArchive(files);
  const token = await ctx.ownerToken(job.owner, job.ownerGroup);
  const up = await ctx.dx.initiateSandbox(token, { checksum: archive.sha256, size: archive.size, format: archive.format });
  if (up.url) await ctx.dx.uploadSandbox(up.url, up.fields ?? {}, archive.bytes);
  // A rescheduled job that writes the same bytes again has this very sandbox assigned already (DiracX: 400).
  const { Output } = await ctx.dx.jobSandboxes(token, job.id);
  if (!Output.includes(up.pfn.split('|').pop()!)) await ctx.dx.assignOutputSandbox(token, job.id, up.pfn);
  fs.writeFileSync(path.join(dir, '.uploaded'), up.pfn);
}

/**
 * OutputData, as DIRAC's JobWrapper: each file of the working directory named in the JDL's OutputData put on
 * the OutputSE (default: the site's RSE) at its LFN (see data.ts `outputLfn`) and registered with its checksums
 * in the owner's scope, attached to the production's dataset (JobGroup). A retried run finds its files
 * registered already and registers nothing twice.
 */
async function uploadOutputData(ctx: WrapperContext, job: ClaimedJob, dir: string, names: string[]) {
  if (!ctx.data) throw new Error('this site has no data catalogue');
  const { rucio, vo } = ctx.data;
  const rse = jdlString(job.jdl, 'OutputSE') || ctx.data.rse;
  const jobGroup = jdlString(job.jdl, 'JobGroup');
  const outputPath = jdlString(job.jdl, 'OutputPath');
  const files = names.map((n) => {
    // An LFN given in full is kept (DIRAC: "LFN:/vo/user/…"); a plain name is a file of the working directory.
    const file = path.join(dir, path.basename(n));
    const lfn = n.startsWith('/') ? n : outputLfn({ vo, owner: job.owner, jobGroup, jobId: job.id, outputPath, file: n });
    // The site writes with a catalogue administrator's credential: only into the owner's own directory.
    if (!lfn.startsWith(`${userLfnBase(vo, job.owner)}/`) || lfn.split('/').includes('..'))
      throw new Error(`${lfn}: not under ${userLfnBase(vo, job.owner)}/`);
    return { file, lfn };
  });
  await retryRucio(() => ensureUserScope(rucio, job.owner));
  const dataset = jobGroup ? productionDataset(vo, job.owner, jobGroup) : undefined;
  if (dataset) await retryRucio(() => ensureDataset(rucio, dataset.scope, dataset.name));
  // File by file, as DIRAC does: a retried job finds the ones registered before its failure and goes on.
  for (const f of files) {
    if (!fs.existsSync(f.file)) throw new Error(`${path.basename(f.file)}: the job did not produce it`);
    const { scope, name } = didOfLfn(f.lfn);
    const r = await retryRucio(() => putAndRegister(rucio, { rse, scope, name, file: f.file, dataset }));
    ctx.log(r.already ? 'output data already registered' : 'output data registered', { jobId: job.id, did: `${scope}:${name}`, rse });
  }
}
