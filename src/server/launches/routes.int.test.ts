import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, inProcessBff, loginAs, until } from '../testing/real-stack.ts';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;
const key = () => `launch-${crypto.randomUUID()}`;

describe('launch path: basket -> workflow -> jobs in the real DiracX', () => {
  let bff: Bff;
  let auth: Record<string, string>;
  beforeAll(async () => {
    bff = await inProcessBff();
    auth = bearer(await loginAs('scientist'));
  });
  afterAll(() => bff.close());

  async function basketOf(level: string, n: number): Promise<string[]> {
    const projects = (await bff.app.inject({ method: 'GET', url: '/bff/v1/datasets/projects', headers: auth })).json().items;
    const files = (
      await bff.app.inject({
        method: 'GET',
        url: `/bff/v1/datasets/files?projectId=${encodeURIComponent(projects[0].projectId)}&dataLevel=${level}&perPage=${n}`,
        headers: auth,
      })
    ).json().items;
    expect(files).toHaveLength(n);
    const added = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/basket/items',
      headers: auth,
      payload: { fileIds: files.map((f: { id: string }) => f.id) },
    });
    expect(added.statusCode).toBe(200);
    const basket = (await bff.app.inject({ method: 'GET', url: '/bff/v1/basket', headers: auth })).json();
    const lfns = new Set(files.map((f: { lfn: string }) => f.lfn));
    return basket.items.filter((i: { ref: string }) => lfns.has(i.ref)).map((i: { id: string }) => i.id);
  }

  /** The members of a job's input or output sandbox, read through the BFF as its owner. */
  async function sandboxMembers(jobId: number, kind: 'input' | 'output'): Promise<Record<string, string>> {
    const listed = await bff.app.inject({ method: 'GET', url: `/bff/v1/jobs/${jobId}/sandboxes`, headers: auth });
    expect(listed.statusCode, listed.body).toBe(200);
    const sb = listed.json().sandboxes.find((s: { kind: string }) => s.kind === kind);
    const contents = await bff.app.inject({
      method: 'GET',
      url: `/bff/v1/jobs/${jobId}/sandboxes/contents?pfn=${encodeURIComponent(sb.pfn)}`,
      headers: auth,
    });
    expect(contents.statusCode, contents.body).toBe(200);
    return Object.fromEntries(contents.json().members.map((m: { name: string; text: string }) => [m.name, m.text]));
  }

  // Cases that run real payloads on the local sites to Done wait longer than the file's default (60 s): the
  // submission (up to 2 min) and the jobs (1.5 min) have their own deadlines, which must be the ones to speak.
  const RUN_TO_DONE_MS = 240_000;
  async function waitDone(jobIds: number[]) {
    return Promise.all(
      jobIds.map((id: number) =>
        until(
          async () => {
            const d = (await bff.app.inject({ method: 'GET', url: `/bff/v1/jobs/${id}`, headers: auth })).json();
            return d.job.status === 'Done' ? d : undefined;
          },
          { timeoutMs: 90_000, what: `job ${id} Done` },
        ),
      ),
    );
  }

  async function waitSubmitted(id: string) {
    return until(
      async () => {
        const l = (await bff.app.inject({ method: 'GET', url: `/bff/v1/launches/${id}`, headers: auth })).json();
        return l.status === 'submitted' || l.status === 'partial' || l.status === 'failed' ? l : undefined;
      },
      { timeoutMs: 120_000, what: 'launch submitted' },
    );
  }

  it('CTA DL0->DL3, one job per basket file: preview, submit, every job carries its LFN and reaches DiracX', async () => {
    const itemIds = await basketOf('DL0', 12);
    const body = {
      idempotencyKey: key(),
      name: 'DL0 reprocessing test',
      workflowId: 'cta-dl0-dl3',
      values: {},
      sweeps: {},
      inputItemIds: itemIds,
      inputMode: 'per-file',
      resources: { cores: 4 },
    };
    const preview = await bff.app.inject({ method: 'POST', url: '/bff/v1/launches/preview', headers: auth, payload: body });
    expect(preview.statusCode).toBe(200);
    const pv = preview.json();
    expect(pv).toMatchObject({ totalJobs: 12, inputFiles: 12 });
    expect(pv.inputBytes).toBeGreaterThan(0);
    // The JDL names the launch's wrapper script and the job's index; the command line is in the script.
    expect(pv.sampleJdl).toMatch(/Executable = "\.\/escape-job\.sh";\n\s*Arguments = "0";/);
    expect(pv.sampleCommandLine).toMatch(/^cta-dl0-to-dl3 --input \S+\.fits\.fz /);
    expect(pv.sampleJdl).toMatch(/InputData = \{"\/cta\/[^"]+DL0[^"]+"\};/);
    expect(pv.sampleJdl).toMatch(/NumberOfProcessors = 4;/);
    expect(pv.sampleJdl).toMatch(/Tags = \{"MultiProcessor"\};/);
    const res = await bff.app.inject({ method: 'POST', url: '/bff/v1/launches', headers: auth, payload: body });
    expect(res.statusCode).toBe(202);
    const launch = await waitSubmitted(res.json().id);
    expect(launch).toMatchObject({ status: 'submitted', totalJobs: 12, submittedJobs: 12 });
    // the same key again: nothing new
    const again = await bff.app.inject({ method: 'POST', url: '/bff/v1/launches', headers: auth, payload: body });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(launch.id);
    // DiracX has exactly 12 jobs in the production; each job's JDL (kept by the portal) names its own LFN
    const list = (
      await bff.app.inject({ method: 'GET', url: `/bff/v1/jobs?jobGroup=${launch.jobGroup}&perPage=100`, headers: auth })
    ).json();
    expect(list.total).toBe(12);
    const lfns = new Set<string>();
    for (const id of launch.jobIds) {
      const d = (await bff.app.inject({ method: 'GET', url: `/bff/v1/jobs/${id}`, headers: auth })).json();
      expect(d.job.jobGroup).toBe(launch.jobGroup);
      // the JDL the portal recorded for this job id is the one DiracX holds under that id (same JobName)
      expect(d.jdl).toContain(`JobName = "${d.job.jobName}";`);
      lfns.add(/InputData = \{"([^"]+)"\}/.exec(d.jdl)![1]!);
    }
    expect(lfns.size).toBe(12);
  });

  it(
    'CORSIKA with a swept run number: one job per value, each with its own runcard, reaching Done',
    async () => {
      const body = {
        idempotencyKey: key(),
        name: 'CORSIKA gamma sweep',
        workflowId: 'corsika',
        values: { PRMPAR: 1, NSHOW: 100, ERANGE_MIN: 10, ERANGE_MAX: 10000, SEED1: 11, SEED2: 22, SEED3: 33 },
        sweeps: { RUNNR: { kind: 'list', values: [101, 102, 103] } },
        inputMode: 'none',
      };
      const preview = await bff.app.inject({ method: 'POST', url: '/bff/v1/launches/preview', headers: auth, payload: body });
      expect(preview.statusCode, preview.body).toBe(200);
      expect(preview.json()).toMatchObject({ totalJobs: 3, sweptParameters: ['RUNNR'] });
      expect(preview.json().sampleJdl).toMatch(/InputSandbox = \{"SB:SandboxSE\|[^"]+"\};/);
      const res = await bff.app.inject({ method: 'POST', url: '/bff/v1/launches', headers: auth, payload: body });
      expect(res.statusCode, res.body).toBe(202);
      const launch = await waitSubmitted(res.json().id);
      expect(launch).toMatchObject({ status: 'submitted', totalJobs: 3, submittedJobs: 3 });
      const details = await waitDone(launch.jobIds);
      // One input sandbox for the launch: the wrapper script, with each job's runcard and its container.
      const pfns = new Set(details.map((d) => /InputSandbox = \{"([^"]+)"\}/.exec(d.jdl)![1]));
      expect(pfns.size).toBe(1);
      const script = (await sandboxMembers(launch.jobIds[0], 'input'))['escape-job.sh']!;
      for (const n of [101, 102, 103]) expect(script).toMatch(new RegExp(`RUNNR +${n}\\n`));
      expect(script).toContain('docker://harbor.cta-observatory.org/corsika');
    },
    RUN_TO_DONE_MS,
  );

  it("refuses fileBindings naming the input: the first File input, a non-File input, an unknown or another user's item", async () => {
    const [mine] = await basketOf('DL0', 1);
    const pi = bearer(await loginAs('pi'));
    const projects = (await bff.app.inject({ method: 'GET', url: '/bff/v1/datasets/projects', headers: pi })).json().items;
    const [file] = (
      await bff.app.inject({
        method: 'GET',
        url: `/bff/v1/datasets/files?projectId=${encodeURIComponent(projects[0].projectId)}&dataLevel=DL0&perPage=1`,
        headers: pi,
      })
    ).json().items;
    await bff.app.inject({ method: 'POST', url: '/bff/v1/basket/items', headers: pi, payload: { fileIds: [file.id] } });
    const theirs = (await bff.app.inject({ method: 'GET', url: '/bff/v1/basket', headers: pi })).json().items[0].id;
    const refusal = async (fileBindings: Record<string, string>) => {
      const res = await bff.app.inject({
        method: 'POST',
        url: '/bff/v1/launches/preview',
        headers: auth,
        payload: {
          idempotencyKey: key(),
          name: 'bound',
          workflowId: 'cta-dl0-dl3',
          values: {},
          inputItemIds: [mine],
          inputMode: 'per-file',
          fileBindings,
        },
      });
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      return { status: res.statusCode, paths: res.json().issues?.map((i: { path: string }) => i.path) };
    };
    // Another user's item is not in my basket, whatever its id.
    expect(await refusal({ CONFIG: theirs })).toEqual({ status: 400, paths: ['fileBindings.CONFIG'] });
    expect(await refusal({ CONFIG: 'no-such-item' })).toEqual({ status: 400, paths: ['fileBindings.CONFIG'] });
    expect(await refusal({ CONFIG: mine! })).toEqual({ status: 400, paths: ['fileBindings.CONFIG'] });
    expect(await refusal({ INPUT_DL0: mine! })).toEqual({ status: 400, paths: ['fileBindings.INPUT_DL0'] });
  });

  it('refuses invalid parameters with field-level issues and submits nothing', async () => {
    const before = (await bff.app.inject({ method: 'GET', url: '/bff/v1/launches', headers: auth })).json().items.length;
    const res = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/launches',
      headers: auth,
      payload: {
        idempotencyKey: key(),
        name: 'bad',
        workflowId: 'corsika',
        values: { PRMPAR: 1, NSHOW: 100, ERANGE_MIN: 5000, ERANGE_MAX: 10 },
        inputMode: 'none',
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION');
    expect(
      res
        .json()
        .issues.map((i: { path: string }) => i.path)
        .join(' '),
    ).toMatch(/ERANGE/);
    expect((await bff.app.inject({ method: 'GET', url: '/bff/v1/launches', headers: auth })).json().items.length).toBe(before);
    const missing = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/launches',
      headers: auth,
      payload: { idempotencyKey: key(), name: 'x', workflowId: 'cta-dl0-dl3', values: {}, inputItemIds: ['nope'], inputMode: 'per-file' },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toMatch(/no longer in your basket/);
  });

  it(
    'values with JDL and shell characters reach the program exactly (wrapper script), jobs Done on the local site',
    async () => {
      // What a JDL could not carry: quotes, backslash, ; [ ] and shell syntax, each job its own value.
      const messages = [`x[0] > 1; y`, `it's "quoted" C:\\dir $HOME \`id\` *`];
      const body = {
        idempotencyKey: key(),
        name: 'hw special',
        workflowId: 'hello-world',
        values: { GREETING: 'Hello' },
        sweeps: { MESSAGE: { kind: 'list', values: messages } },
      };
      const preview = (await bff.app.inject({ method: 'POST', url: '/bff/v1/launches/preview', headers: auth, payload: body })).json();
      expect(preview.sampleJdl).toContain('Executable = "./escape-job.sh";');
      expect(preview.sampleJdl).not.toContain('x[0]');
      expect(preview.sampleCommandLine).toBe(`echo Hello, 'x[0] > 1; y'!`);
      const res = await bff.app.inject({ method: 'POST', url: '/bff/v1/launches', headers: auth, payload: body });
      expect(res.statusCode, res.body).toBe(202);
      const launch = await waitSubmitted(res.json().id);
      expect(launch).toMatchObject({ status: 'submitted', submittedJobs: 2 });
      const details = await waitDone(launch.jobIds);
      for (const d of details) {
        const index = Number(/Arguments = "(\d+)";/.exec(d.jdl)![1]);
        expect((await sandboxMembers(d.job.jobId, 'output'))['std.out']).toBe(`Hello, ${messages[index]}!\n`);
      }
    },
    RUN_TO_DONE_MS,
  );

  it(
    "the descriptor's environment-variables reach the job (literal and from an input's value-key), std.out read back",
    async () => {
      // An administrator adds and publishes the application through the BFF (no restart), then a scientist launches it.
      const admin = bearer(await loginAs('admin'));
      const descriptor = {
        name: 'Env print',
        'tool-version': '1',
        description: 'prints two environment variables',
        'schema-version': '0.5',
        'command-line': `printf '%s|%s|%s\\n' "$ESCAPE_FIXED" "$ESCAPE_TARGET" [TARGET]`,
        'environment-variables': [
          { name: 'ESCAPE_FIXED', value: `x[0] > 1; y 'q' "$HOME"` },
          { name: 'ESCAPE_TARGET', value: '[TARGET]' },
        ],
        inputs: [{ id: 'TARGET', name: 'Target', type: 'String', 'value-key': '[TARGET]' }],
      };
      const appId = `env-print-${crypto.randomUUID().slice(0, 8)}`;
      const added = await bff.app.inject({
        method: 'POST',
        url: '/bff/v1/admin/applications',
        headers: admin,
        payload: { id: appId, as: 'new', descriptor: JSON.stringify(descriptor) },
      });
      expect(added.statusCode, added.body).toBe(201);
      const published = await bff.app.inject({
        method: 'POST',
        url: `/bff/v1/admin/applications/${appId}/versions/1/publish`,
        headers: admin,
      });
      expect(published.statusCode, published.body).toBe(200);
      const target = `it's "$PATH" \\ [1]`;
      const res = await bff.app.inject({
        method: 'POST',
        url: '/bff/v1/launches',
        headers: auth,
        payload: { idempotencyKey: key(), name: 'env', workflowId: appId, values: { TARGET: target }, inputMode: 'none' },
      });
      expect(res.statusCode, res.body).toBe(202);
      const launch = await waitSubmitted(res.json().id);
      expect(launch).toMatchObject({ status: 'submitted', submittedJobs: 1 });
      const [d] = await waitDone(launch.jobIds);
      // The variable holds the value exactly as the command line passes it.
      expect((await sandboxMembers(d!.job.jobId, 'output'))['std.out']).toBe(`x[0] > 1; y 'q' "$HOME"|${target}|${target}\n`);
    },
    RUN_TO_DONE_MS,
  );

  it('a site name the JDL module refuses is a 400 naming the attribute, not a 500', async () => {
    const res = await bff.app.inject({
      method: 'POST',
      url: '/bff/v1/launches/preview',
      headers: auth,
      payload: {
        idempotencyKey: key(),
        name: 'bad site',
        workflowId: 'hello-world',
        values: {},
        resources: { sites: ['LCG.CERN HTC.ch'] },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'Site' }] });
  });

  it('another user cannot read my launch', async () => {
    const mine = (await bff.app.inject({ method: 'GET', url: '/bff/v1/launches', headers: auth })).json().items[0];
    const other = await bff.app.inject({ method: 'GET', url: `/bff/v1/launches/${mine.id}`, headers: bearer(await loginAs('admin')) });
    expect(other.statusCode).toBe(404);
  });
});
