/**
 * The local execution sites of the real stack (docs/execution-site.md): jobs submitted to DiracX really run,
 * their outputs come back to their owner only, failures, the watchdog and Kill are real, several site
 * processes never run the same job, and the faults of issue #12 (an unreadable sandbox, an output larger than
 * allowed, storage, the catalogue or DiracX down while a job runs) each end in a readable status.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiracxClient, DiracxError, type DiracxClient, type JobRow } from '../server/diracx/client.ts';
import { untar } from '../server/sandbox/tar.ts';
import { faultProxy, type FaultProxy } from '../server/testing/fault-proxy.ts';
import { inProcessBff, instanceConfig, loginAs, stackRucio, stateDir } from '../server/testing/real-stack.ts';
import { productionDataset } from '../contracts/outputs.ts';
import { rucioSessionFor } from './data.ts';
import { MAX_OUTPUT_FILE_BYTES } from './wrapper.ts';

let dx: DiracxClient;
let alice: string;
let paul: string;
let ada: string;

const FINAL = ['Done', 'Failed', 'Killed'];

async function submit(token: string, jdls: string[]): Promise<number[]> {
  return (await dx.submitJdl(token, jdls)).map((j) => j.JobID);
}

async function rows(ids: number[], parameters = ['JobID', 'Status', 'MinorStatus', 'ApplicationStatus', 'Site']): Promise<JobRow[]> {
  const { rows } = await dx.searchJobs(
    ada,
    { parameters, search: [{ parameter: 'JobID', operator: 'in', values: ids }] },
    { page: 1, perPage: ids.length },
  );
  return rows;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const finished = (ids: number[]) =>
  waitFor(`jobs ${ids.join(', ')} to finish`, async () => {
    const r = await rows(ids);
    return r.length === ids.length && r.every((x) => FINAL.includes(String(x.Status))) ? r : undefined;
  });

/** The files of a job's output sandbox, downloaded with `token` (DiracX's presigned URL). */
async function outputFiles(token: string, jobId: number): Promise<Record<string, string>> {
  const { Output } = await dx.jobSandboxes(token, jobId);
  expect(Output).toHaveLength(1);
  const { url } = await dx.sandboxDownloadUrl(token, Output[0]!);
  const bytes = Buffer.from(await (await dx.fetchPresigned(url)).arrayBuffer());
  return Object.fromEntries(untar(zlib.zstdDecompressSync(bytes)).map((m) => [m.name, m.content.toString('utf8')]));
}

/** Processes whose working directory is the job's directory at a local site (the payload and its children). */
function payloadPids(jobId: number): number[] {
  const work = path.join(stateDir(), 'site', 'work');
  const pids: number[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      if (cwd.startsWith(work + path.sep) && path.basename(cwd) === String(jobId)) pids.push(Number(pid));
    } catch {
      /* gone, or not ours */
    }
  }
  return pids;
}

const jdl = (attrs: string) => `[ ${attrs} StdOutput = "std.out"; StdError = "std.err"; OutputSandbox = {"std.out", "std.err"}; ]`;

beforeAll(async () => {
  dx = createDiracxClient(instanceConfig() as Parameters<typeof createDiracxClient>[0], { timeoutMs: 20_000 });
  alice = (await loginAs('scientist')).access_token;
  paul = (await loginAs('pi')).access_token;
  ada = (await loginAs('admin')).access_token;
});

describe('the local execution sites', () => {
  it('run Hello world for real: its owner reads std.out (DiracX and the portal), another user is refused', async () => {
    const [id] = await submit(alice, [jdl('Executable = "echo"; Arguments = "Hello, world!"; CPUTime = 3000;')]);
    const [row] = await finished([id!]);
    expect(row).toMatchObject({ Status: 'Done', MinorStatus: 'Execution Complete' });
    expect(['LCG.CERN-HTC.ch', 'HPC.MareNostrum.es']).toContain(row!.Site);
    const [withHistory] = await rows([id!], ['JobID', 'LoggingInfo']);
    const steps = (withHistory!.LoggingInfo as { Status: string; MinorStatus: string }[]).map((h) => `${h.Status}/${h.MinorStatus}`);
    expect(steps).toEqual(
      expect.arrayContaining([
        'Waiting/Pilot Agent Submission',
        'Matched/Assigned',
        'Running/Job Initialization',
        'Running/Application',
        'Completing/Uploading Output Sandbox',
        'Done/Execution Complete',
      ]),
    );

    expect(await outputFiles(alice, id!)).toEqual({ 'std.out': 'Hello, world!\n', 'std.err': '' });
    // Through the portal, as alice: the listing and std.out inline.
    const bff = await inProcessBff();
    try {
      const headers = { authorization: `Bearer ${alice}` };
      const listed = await bff.app.inject({ method: 'GET', url: `/bff/v1/jobs/${id}/sandboxes`, headers });
      expect(listed.statusCode, listed.body).toBe(200);
      const out = listed.json().sandboxes.find((s: { kind: string }) => s.kind === 'output');
      const contents = await bff.app.inject({
        method: 'GET',
        url: `/bff/v1/jobs/${id}/sandboxes/contents?pfn=${encodeURIComponent(out.pfn)}`,
        headers,
      });
      expect(contents.statusCode, contents.body).toBe(200);
      expect(contents.json().members.find((m: { name: string }) => m.name === 'std.out')).toMatchObject({ text: 'Hello, world!\n' });
    } finally {
      await bff.close();
    }
    // The sandbox is alice's at DiracX: paul (another user and group) may not download it.
    const { Output } = await dx.jobSandboxes(alice, id!);
    const refused = await dx.sandboxDownloadUrl(paul, Output[0]!).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DiracxError);
    expect((refused as DiracxError).status).toBe(403);
  });

  it('report a non-zero exit as Failed with the exit code, std.err kept; a missing program as not found', async () => {
    const [bad, missing] = await submit(alice, [
      jdl(`Executable = "sh"; Arguments = "-c 'echo computing && echo disk full >&2 && exit 3'"; CPUTime = 3000;`),
      jdl('Executable = "no-such-program"; CPUTime = 3000;'),
    ]);
    const byId = Object.fromEntries((await finished([bad!, missing!])).map((r) => [Number(r.JobID), r]));
    expect(byId[bad!]).toMatchObject({
      Status: 'Failed',
      MinorStatus: 'Application Finished With Errors',
      ApplicationStatus: 'Exit code 3',
    });
    expect(await outputFiles(alice, bad!)).toEqual({ 'std.out': 'computing\n', 'std.err': 'disk full\n' });
    expect(byId[missing!]).toMatchObject({ Status: 'Failed', MinorStatus: 'Application not found' });
    expect((await outputFiles(alice, missing!))['std.err']).toMatch(/no-such-program: command not found/);
  });

  it('kill a payload that overruns its wall-clock time (watchdog)', async () => {
    // CPUTime 20 HS06·s at 10 HS06 per core: 2 s of wall-clock time.
    const [id] = await submit(alice, [jdl('Executable = "sleep"; Arguments = "120"; CPUTime = 20;')]);
    const [row] = await finished([id!]);
    expect(row).toMatchObject({ Status: 'Failed', MinorStatus: 'Job has exceeded maximum wall clock time' });
    expect((await outputFiles(alice, id!))['std.err']).toMatch(/watchdog: killed after the wall-clock limit of 2 s/);
    expect(payloadPids(id!)).toEqual([]);
  });

  // Only as root can the site run payloads as another user (`nobody`); docs/execution-site.md, trust model.
  it.runIf(process.getuid?.() === 0)('run payloads unprivileged: a job cannot read the site’s legacy-exchange key', async () => {
    const key = path.join(stateDir(), 'accounting-api-key');
    const [id] = await submit(alice, [jdl(`Executable = "sh"; Arguments = "-c 'id -u && cat ${key}'"; CPUTime = 3000;`)]);
    const [row] = await finished([id!]);
    expect(row).toMatchObject({ Status: 'Failed', ApplicationStatus: 'Exit code 1' });
    const files = await outputFiles(alice, id!);
    expect(files['std.out']).toBe('65534\n');
    expect(files['std.err']).toMatch(/Permission denied/);
  });

  it('leave a job no local queue fits Waiting, with the reason as its minor status', async () => {
    const [id] = await submit(alice, [jdl('Executable = "echo"; NumberOfProcessors = 500; CPUTime = 3000;')]);
    const row = await waitFor('the job to be optimised', async () => {
      const [r] = await rows([id!]);
      return r?.Status === 'Waiting' ? r : undefined;
    });
    expect(row.MinorStatus).toMatch(/^No local queue fits: .*needs 500 cores, queue has \d+/);
    // the sites poll every 1.5 s: a few rounds later it is still Waiting, and nobody claimed it
    await new Promise((r) => setTimeout(r, 5_000));
    const [later] = await rows([id!]);
    expect(later).toMatchObject({ Status: 'Waiting', MinorStatus: row.MinorStatus });
    await dx.setStatus(alice, { [id!]: { Status: 'Killed', MinorStatus: 'Marked for termination', Source: 'User' } });
  });

  it('stop the payload when its owner kills the job', async () => {
    const [id] = await submit(alice, [jdl(`Executable = "sh"; Arguments = "-c 'echo started && sleep 300'"; CPUTime = 30000;`)]);
    await waitFor('the payload to run', async () => {
      const [r] = await rows([id!]);
      return r?.MinorStatus === 'Application' && payloadPids(id!).length > 0 ? r : undefined;
    });
    const res = await dx.setStatus(alice, { [id!]: { Status: 'Killed', MinorStatus: 'Marked for termination', Source: 'User' } });
    expect(Object.keys(res.success)).toEqual([String(id)]);
    // The site gets Kill in its next heartbeat answer and kills the process group.
    await waitFor('the payload processes to stop', async () => (payloadPids(id!).length === 0 ? true : undefined), 30_000);
    const [row] = await rows([id!]);
    expect(row!.Status).toBe('Killed');
  });
});

describe('several site processes', () => {
  const extra: ChildProcess[] = [];
  afterAll(() => {
    for (const p of extra) p.kill('SIGTERM');
  });

  it('never run the same job twice', async () => {
    // Two more processes for the HTC site (the stack runs one already), polling fast: three racers.
    const base = JSON.parse(fs.readFileSync(path.join(stateDir(), 'site-LCG.CERN-HTC.ch.json'), 'utf8'));
    for (const n of [1, 2]) {
      const file = path.join(stateDir(), `site-race-${n}.json`);
      fs.writeFileSync(file, JSON.stringify({ ...base, pollMs: 200 }), { mode: 0o600 });
      const p = spawn(process.execPath, ['src/site/main.ts', file], { stdio: 'ignore' });
      extra.push(p);
    }
    const names = Array.from({ length: 16 }, (_, i) => `race-${i}`);
    const ids = await submit(
      alice,
      names.map((n) => jdl(`Executable = "echo"; Arguments = "${n}"; Site = "LCG.CERN-HTC.ch"; CPUTime = 3000;`)),
    );
    const done = await finished(ids);
    expect(done.every((r) => r.Status === 'Done' && r.Site === 'LCG.CERN-HTC.ch')).toBe(true);
    const histories = await rows(ids, ['JobID', 'LoggingInfo']);
    for (const h of histories) {
      const steps = (h.LoggingInfo as { Status: string; MinorStatus: string; Source: string }[]).map(
        (x) => `${x.Source}: ${x.Status}/${x.MinorStatus}`,
      );
      // one claim, one wrapper, one payload run per job (DiracX logs heartbeats as well, with the current minor status)
      expect(steps.filter((s) => s === 'Matcher: Matched/Assigned')).toHaveLength(1);
      expect(steps.filter((s) => s === 'JobWrapper: Running/Job Initialization')).toHaveLength(1);
      expect(steps.filter((s) => s === 'JobWrapper: Running/Application')).toHaveLength(1);
    }
    for (const [i, id] of ids.entries()) expect(await outputFiles(alice, id)).toEqual({ 'std.out': `${names[i]}\n`, 'std.err': '' });
  });
});

describe('faults while jobs run (issue #12)', () => {
  it('fail a job whose input sandbox cannot be unpacked, saying so on std.err', async () => {
    const garbage = crypto.randomBytes(4096);
    const up = await dx.initiateSandbox(alice, {
      checksum: crypto.createHash('sha256').update(garbage).digest('hex'),
      size: garbage.length,
      format: 'tar.zst',
    });
    if (up.url) await dx.uploadSandbox(up.url, up.fields ?? {}, garbage);
    const [id] = await submit(alice, [jdl(`Executable = "echo"; Arguments = "never"; InputSandbox = {"${up.pfn}"}; CPUTime = 3000;`)]);
    const [row] = await finished([id!]);
    expect(row).toMatchObject({ Status: 'Failed', MinorStatus: 'Failed Downloading InputSandbox' });
    expect((await outputFiles(alice, id!))['std.err']).toMatch(/^\[site\] input sandbox: /m);
  });

  it('keep an output larger than allowed out of the output sandbox, and say so on std.err', async () => {
    const big = MAX_OUTPUT_FILE_BYTES + 1024;
    const [id] = await submit(alice, [
      `[ Executable = "sh"; Arguments = "-c 'head -c ${big} /dev/zero > big.dat && echo written'"; CPUTime = 3000; StdOutput = "std.out"; StdError = "std.err"; OutputSandbox = {"std.out", "std.err", "big.dat"}; ]`,
    ]);
    const [row] = await finished([id!]);
    expect(row).toMatchObject({ Status: 'Done', MinorStatus: 'Execution Complete' });
    const files = await outputFiles(alice, id!);
    expect(Object.keys(files).sort()).toEqual(['std.err', 'std.out']);
    expect(files['std.out']).toBe('written\n');
    expect(files['std.err']).toBe(
      `[site] big.dat is ${big} bytes, more than ${MAX_OUTPUT_FILE_BYTES} allowed in the output sandbox: not kept\n`,
    );
  });

  it('fail a job whose output storage element cannot be written, registering nothing', async () => {
    // A storage element whose directory lies under a regular file: no write there can succeed (even as root).
    const r = stackRucio();
    const rucio = rucioSessionFor(r);
    const blocker = path.join(stateDir(), 'broken-se-file');
    fs.writeFileSync(blocker, 'not a directory\n');
    const post = (p: string, body: object) =>
      rucio.authed(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, [409]);
    await post('/rses/BROKEN-DISK', { deterministic: true, volatile: false, rse_type: 'DISK' });
    await post('/rses/BROKEN-DISK/attr/lfn2pfn_algorithm', { value: 'identity' });
    await post('/rses/BROKEN-DISK/protocols/file', {
      hostname: 'localhost',
      port: 0,
      prefix: path.join(blocker, 'se'),
      impl: 'rucio.rse.protocols.posix.Default',
      domains: { lan: { read: 1, write: 1, delete: 1 }, wan: { read: 1, write: 1, delete: 1 } },
    });
    const group = `broken-se-${crypto.randomBytes(3).toString('hex')}`;
    const [id] = await submit(alice, [
      jdl(
        `JobGroup = "${group}"; Executable = "sh"; Arguments = "-c 'echo x > out.txt'"; OutputData = {"out.txt"}; OutputSE = "BROKEN-DISK"; CPUTime = 3000;`,
      ),
    ]);
    const [row] = await finished([id!]);
    expect(row).toMatchObject({ Status: 'Failed', MinorStatus: 'Uploading Job OutputData' });
    expect(String(row!.ApplicationStatus)).toMatch(/ENOTDIR/);
    expect((await outputFiles(alice, id!))['std.err']).toMatch(/\[site\] output data: .*ENOTDIR/);
    const name = `/escape/user/a/alice/${group}/${id}/out.txt`;
    expect(await rucio.authed(`/dids/user.alice/${encodeURIComponent(name)}`)).toBeNull(); // 404: never registered
  });
});

/**
 * The catalogue and DiracX stopped under a running site: one more site process, serving the whole-node queue
 * of HPC.MareNostrum.es that the stack's own sites do not (jobs that ask for it run there only), reaches
 * Rucio and DiracX through fault proxies (testing/fault-proxy.ts) that refuse and cut connections when stopped.
 */
describe('a site whose catalogue or DiracX goes down', () => {
  let rucioProxy: FaultProxy;
  let dxProxy: FaultProxy;
  let site: ChildProcess;
  const wholeNode = (attrs: string) => jdl(`Site = "HPC.MareNostrum.es"; Tags = {"WholeNode"}; CPUTime = 3000; ${attrs}`);

  beforeAll(async () => {
    const base = JSON.parse(fs.readFileSync(path.join(stateDir(), 'site-HPC.MareNostrum.es.json'), 'utf8'));
    rucioProxy = await faultProxy(base.rucio.url);
    dxProxy = await faultProxy(base.diracxUrl);
    const file = path.join(stateDir(), 'site-faults.json');
    const cfg = {
      ...base,
      queues: ['HPC.MareNostrum.es/mn5-login.bsc.es/wholenode'],
      diracxUrl: dxProxy.url,
      rucio: { ...base.rucio, url: rucioProxy.url },
      pollMs: 500,
      heartbeatMs: 1000,
    };
    fs.writeFileSync(file, JSON.stringify(cfg), { mode: 0o600 });
    site = spawn(process.execPath, ['src/site/main.ts', file], { stdio: 'ignore' });
  });
  afterAll(async () => {
    site?.kill('SIGTERM');
    await rucioProxy?.close();
    await dxProxy?.close();
  });

  it('catalogue down: input data and output registration fail readably; once it is back, a rescheduled job registers its output once', async () => {
    const { localDl0Files } = (await import(new URL('../../scripts/rucio/rucio.mjs', import.meta.url).href)) as {
      localDl0Files(): Promise<string[]>;
    };
    const [lfn] = await localDl0Files();
    const group = `rucio-down-${crypto.randomBytes(3).toString('hex')}`;
    await rucioProxy.stop();
    const [input, output] = await submit(alice, [
      wholeNode(`JobGroup = "${group}"; Executable = "echo"; Arguments = "never"; InputData = {"${lfn}"};`),
      wholeNode(`JobGroup = "${group}"; Executable = "sh"; Arguments = "-c 'echo result > out.txt'"; OutputData = {"out.txt"};`),
    ]);
    const byId = Object.fromEntries((await finished([input!, output!])).map((r) => [Number(r.JobID), r]));
    expect(byId[input!]).toMatchObject({ Status: 'Failed', MinorStatus: 'Input Data Resolution', Site: 'HPC.MareNostrum.es' });
    expect(String(byId[input!]!.ApplicationStatus)).toMatch(/Rucio is not reachable/);
    expect(byId[output!]).toMatchObject({ Status: 'Failed', MinorStatus: 'Failed to register' });
    expect((await outputFiles(alice, output!))['std.err']).toMatch(/\[site\] output data: Rucio is not reachable/);

    await rucioProxy.start();
    await dx.setStatus(ada, { [output!]: { Status: 'Rescheduled', MinorStatus: 'Reschedule requested', Source: 'test' } });
    expect(Object.keys((await dx.reschedule(ada, [output!])).success)).toEqual([String(output)]);
    await waitFor('the rescheduled job to leave Failed', async () => ((await rows([output!]))[0]?.Status !== 'Failed' ? true : undefined));
    const [again] = await finished([output!]);
    expect(again).toMatchObject({ Status: 'Done', MinorStatus: 'Execution Complete' });
    const ds = productionDataset('escape', 'alice', group);
    const rucio = rucioSessionFor(stackRucio());
    const listed = await rucio.authed(`/dids/${ds.scope}/${encodeURIComponent(ds.name)}/files`);
    const names = (await listed!.text())
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { name: string }).name);
    expect(names).toEqual([`/escape/user/a/alice/${group}/${output}/out.txt`]);
  }, 240_000);

  it('DiracX down while a job runs: the payload finishes, the site retries, and the job ends Done once DiracX is back', async () => {
    const [id] = await submit(alice, [wholeNode(`Executable = "sh"; Arguments = "-c 'echo started && sleep 6 && echo finished'";`)]);
    await waitFor('the payload to run', async () => ((await rows([id!]))[0]?.MinorStatus === 'Application' ? true : undefined));
    await dxProxy.stop();
    // The payload ends while DiracX is unreachable: the site's status updates and output sandbox wait for it.
    await new Promise((r) => setTimeout(r, 12_000));
    const [during] = await rows([id!]);
    expect(during).toMatchObject({ Status: 'Running', MinorStatus: 'Application' });
    await dxProxy.start();
    const [row] = await finished([id!]);
    expect(row).toMatchObject({ Status: 'Done', MinorStatus: 'Execution Complete', Site: 'HPC.MareNostrum.es' });
    expect(await outputFiles(alice, id!)).toEqual({ 'std.out': 'started\nfinished\n', 'std.err': '' });
  }, 180_000);
});
