/**
 * Job data at the local sites against the real stack's Rucio (docs/execution-site.md, "Data"): InputData read
 * from LOCAL-DISK, OutputData put there and registered once in the owner's scope, and the failures a scientist
 * must be able to read (missing input, output not produced).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDiracxClient, type DiracxClient, type JobRow } from '../server/diracx/client.ts';
import type { RucioSession } from '../server/datasets/rucio.ts';
import { instanceConfig, loginAs, stackRucio, stateDir } from '../server/testing/real-stack.ts';
import { productionDataset } from '../contracts/outputs.ts';
import { localPathOf } from '../server/productions/outputs.ts';
import { adler32, rucioSessionFor } from './data.ts';

let dx: DiracxClient;
let alice: string;
let ada: string;
let rucio: RucioSession;
let dl0: string[];
/** Raw files with bytes on CTA-PIC-TAPE: the first two only there, the third also on CTA-PIC-DISK. */
let picTapeFiles: string[];

const FINAL = ['Done', 'Failed', 'Killed'];

async function rows(ids: number[], parameters = ['JobID', 'Status', 'MinorStatus', 'ApplicationStatus']): Promise<JobRow[]> {
  const { rows } = await dx.searchJobs(
    ada,
    { parameters, search: [{ parameter: 'JobID', operator: 'in', values: ids }] },
    { page: 1, perPage: ids.length },
  );
  return rows;
}

async function finished(ids: number[]): Promise<JobRow[]> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const r = await rows(ids);
    if (r.length === ids.length && r.every((x) => FINAL.includes(String(x.Status))))
      return r.sort((a, b) => Number(a.JobID) - Number(b.JobID));
    if (Date.now() > deadline) throw new Error(`timed out waiting for jobs ${ids.join(', ')}`);
    await new Promise((res) => setTimeout(res, 500));
  }
}

const getJson = async (p: string) => {
  const res = await rucio.authed(p);
  return res ? ((await res.json()) as Record<string, unknown>) : null;
};
const ndjson = async (p: string) => {
  const res = await rucio.authed(p);
  return res
    ? (await res.text())
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];
};
const did = (scope: string, name: string) => `/dids/${scope}/${encodeURIComponent(name)}`;

const jdl = (group: string, attrs: string) =>
  `[ JobGroup = "${group}"; ${attrs} CPUTime = 3000; StdOutput = "std.out"; StdError = "std.err"; OutputSandbox = {"std.out", "std.err"}; ]`;

beforeAll(async () => {
  dx = createDiracxClient(instanceConfig() as Parameters<typeof createDiracxClient>[0], { timeoutMs: 20_000 });
  alice = (await loginAs('scientist')).access_token;
  ada = (await loginAs('admin')).access_token;
  rucio = rucioSessionFor(stackRucio());
  const { localDl0Files } = (await import(new URL('../../scripts/rucio/rucio.mjs', import.meta.url).href)) as {
    localDl0Files(): Promise<string[]>;
  };
  dl0 = await localDl0Files();
  picTapeFiles = (
    (await import(new URL('../../scripts/rucio/rucio.mjs', import.meta.url).href)) as { picTapeFiles(): string[] }
  ).picTapeFiles();
  expect(stateDir()).toBeTruthy();
});

describe('job data at the local sites (Rucio, LOCAL-DISK)', () => {
  it('reads InputData from its replica and registers OutputData in the owner scope, with its checksums', async () => {
    const group = `data-int-${crypto.randomBytes(3).toString('hex')}`;
    const lfn = dl0[0]!;
    const base = lfn.split('/').pop()!;
    const out = `${base}.DL3.h5`;
    const [id] = (
      await dx.submitJdl(alice, [
        jdl(
          group,
          `Executable = "cta-dl0-to-dl3"; Arguments = "--input ${base} --output ${out}"; InputData = {"${lfn}"}; OutputData = {"${out}"};`,
        ),
      ])
    ).map((j) => j.JobID) as [number];
    const [row] = await finished([id]);
    expect(row).toMatchObject({ Status: 'Done', MinorStatus: 'Execution Complete' });
    const history = ((await rows([id], ['JobID', 'LoggingInfo']))[0]!.LoggingInfo as { MinorStatus: string }[]).map((h) => h.MinorStatus);
    expect(history).toEqual(expect.arrayContaining(['Input Data Resolution', 'Uploading Job OutputData']));

    // Registered in alice's scope, under her JobGroup/JobID directory, with the checksum of the bytes on LOCAL-DISK.
    const name = `/escape/user/a/alice/${group}/${id}/${out}`;
    const file = await getJson(did('user.alice', name));
    expect(file).toMatchObject({ scope: 'user.alice', name, type: 'FILE' });
    const listed = await rucio.authed('/replicas/list', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dids: [{ scope: 'user.alice', name }], schemes: ['file'] }),
    });
    const [replica] = (await listed!.text())
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { pfns: object });
    const pfn = Object.keys((replica?.pfns ?? {}) as object)[0]!;
    const bytes = fs.readFileSync(localPathOf(pfn)!);
    expect(file).toMatchObject({ bytes: bytes.length, adler32: adler32(bytes), md5: crypto.createHash('md5').update(bytes).digest('hex') });
    // The payload really read the 256 KiB input (4,096 64-byte events), not its name.
    expect(bytes.toString('utf8')).toContain(`DL3 event list from ${base}`);
    const ds = productionDataset('escape', 'alice', group);
    expect((await ndjson(`${did(ds.scope, ds.name)}/files`)).map((f) => f.name)).toEqual([name]);
  }, 300_000);

  it('registers nothing twice: a rescheduled job finds the outputs it registered before failing and goes on', async () => {
    const group = `data-retry-${crypto.randomBytes(3).toString('hex')}`;
    // The first run writes a.h5 only (b.h5 is missing: Failed after a.h5 is registered); the second writes both.
    const marker = `/tmp/${group}`;
    const [id] = (
      await dx.submitJdl(alice, [
        jdl(
          group,
          `Executable = "sh"; Arguments = "-c 'echo a > a.h5 && (test -e ${marker} && echo b > b.h5 || touch ${marker})'"; OutputData = {"a.h5", "b.h5"};`,
        ),
      ])
    ).map((j) => j.JobID) as [number];
    const [first] = await finished([id]);
    expect(first).toMatchObject({ Status: 'Failed', MinorStatus: 'Uploading Job OutputData' });
    const ds = productionDataset('escape', 'alice', group);
    const names = async () => (await ndjson(`${did(ds.scope, ds.name)}/files`)).map((f) => String(f.name).split('/').pop()).sort();
    expect(await names()).toEqual(['a.h5']);

    // As the portal reschedules (jobs/actions.ts): DiracX 0.7 moves a job to Received only from Rescheduled.
    await dx.setStatus(ada, { [id]: { Status: 'Rescheduled', MinorStatus: 'Reschedule requested', Source: 'test' } });
    const res = await dx.reschedule(ada, [id]);
    expect(Object.keys(res.success)).toEqual([String(id)]);
    const deadline = Date.now() + 60_000;
    while ((await rows([id]))[0]?.Status === 'Failed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 300));
    const [second] = await finished([id]);
    expect(second).toMatchObject({ Status: 'Done', MinorStatus: 'Execution Complete' });
    expect(await names()).toEqual(['a.h5', 'b.h5']);
    fs.rmSync(marker, { force: true });
  }, 300_000);

  it('fails a job whose InputData has no replica, naming the LFN; and one that does not produce its OutputData', async () => {
    const group = `data-bad-${crypto.randomBytes(3).toString('hex')}`;
    const missing = '/cta/prod/2024/CTA-LST1-2024-0031/DL0/no-such-run.fits.fz';
    const ids = (
      await dx.submitJdl(alice, [
        jdl(group, `Executable = "echo"; Arguments = "never"; InputData = {"${missing}"};`),
        jdl(group, `Executable = "echo"; Arguments = "nothing written"; OutputData = {"result.h5"};`),
      ])
    ).map((j) => j.JobID);
    const [noInput, noOutput] = await finished(ids);
    expect(noInput).toMatchObject({ Status: 'Failed', MinorStatus: 'Input Data Resolution' });
    expect(String(noInput!.ApplicationStatus)).toContain(missing);
    expect(noOutput).toMatchObject({ Status: 'Failed', MinorStatus: 'Uploading Job OutputData' });
    expect(String(noOutput!.ApplicationStatus)).toMatch(/result\.h5: the job did not produce it/);
  }, 180_000);

  it('does not read a file that is only on tape (it must be staged first); a file also on disk is read', async () => {
    const group = `data-tape-${crypto.randomBytes(3).toString('hex')}`;
    const [tapeOnly, , onDisk] = picTapeFiles;
    const job = (lfn: string) => {
      const base = lfn.split('/').pop()!;
      return jdl(group, `Executable = "cta-dl0-to-dl3"; Arguments = "--input ${base} --output ${base}.DL3"; InputData = {"${lfn}"};`);
    };
    const ids = (await dx.submitJdl(alice, [job(tapeOnly!), job(onDisk!)])).map((j) => j.JobID);
    const [tape, disk] = await finished(ids);
    expect(tape).toMatchObject({ Status: 'Failed', MinorStatus: 'Input Data Resolution' });
    expect(String(tape!.ApplicationStatus)).toBe(`${tapeOnly}: only on tape here (CTA-PIC-TAPE); stage it to disk first`);
    expect(disk).toMatchObject({ Status: 'Done', MinorStatus: 'Execution Complete' });
  }, 180_000);
});
