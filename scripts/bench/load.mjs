// The 64-user load bench (issue #13): simulated users mix the monitor's queries (job page + status summary),
// small Hello world launches, basket reads/adds and std.out reads of finished jobs for PORTAL_LOAD_SECONDS
// (default 120) against TWO BFF replicas on one throw-away PostgreSQL (requests round-robin between them),
// then the same users send the DiracX-side operations of the same mix directly to DiracX as the reference
// (direct first: DiracX's tables are smaller then, which favours the direct figures). Closed loop, no think
// time: each user sends its next request when the previous one is answered.
// The 64 users share the tokens of the three demo users (alice, paul, ada; signed in through the IdP),
// round-robin: the BFF and DiracX see 3 identities and 64 concurrent connections.
// Jobs run on the local execution sites (not the demo executor): only a job that really ran has an output
// sandbox with a std.out to read.
// Own stack on ports 8750-8759 (BFF replicas 8750/8751 with their V8 inspectors on 8758/8759, PostgreSQL 8756,
// Rucio 8757), rate limits off.
// Run alone: `node scripts/bench/load.mjs` (PORTAL_LOAD_SECONDS=20 for a short run), or `npm run bench -- --only load`.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { ensureSpaBuild } from '../lib/build.mjs';
import { loginThroughIdp } from '../lib/login.mjs';
import { startPostgres } from '../lib/postgres.mjs';
import { DEMO_VO, ROOT, startBff, startStack } from '../lib/stack.mjs';
import { DEMO_PASSWORD, DEMO_USERS } from '../idp/users.mjs';
import { createRecorder, operationMix, pct, slopePerMinute } from './load-stats.mjs';
import { JOB_COLUMNS } from '../../src/server/jobs/mapping.ts';
import { visibilityConditions } from '../../src/server/jobs/visibility.ts';
import { helloWorldLaunch } from '../../src/server/testing/hello-world.ts';

const LOAD_PORTS = { bff: 8750, diracx: 8752, idp: 8753, s3: 8754, redis: 8755, rucio: 8757 };
const SECOND_BFF_PORT = 8751;
const POSTGRES_PORT = 8756;
const USERS = 64;
/** Share of each operation in a user's sequence; basket operations exist only in the portal. */
const WEIGHTS = { search: 30, summary: 10, stdout: 25, launch: 5, basket_read: 15, basket_add: 15 };
const DIRACX_SIDE = ['search', 'summary', 'stdout', 'launch'];
/** Finished Hello world jobs per demo user whose std.out the users read. */
const FINISHED_JOBS_PER_USER = 3;

class OpError extends Error {}

async function expectOk(res, op) {
  const body = await res.arrayBuffer();
  if (!res.ok) throw new OpError(`${op} ${res.status} ${Buffer.from(body).toString('utf8').slice(0, 120)}`);
  return body;
}
const json = (buf) => JSON.parse(Buffer.from(buf).toString('utf8'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Every HEAP_SAMPLE_MS of the measured phase, each replica's V8 heap in use (MB) from its /metrics. */
const HEAP_SAMPLE_MS = 5_000;
const TOKEN_REFRESH_MS = 5 * 60_000;
const METRICS_TOKEN = 'load-bench-metrics-token';
async function heapMb(url) {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const line = text.split('\n').find((l) => l.startsWith('nodejs_heap_size_used_bytes '));
  if (!line) throw new Error(`load bench: no nodejs_heap_size_used_bytes in ${url}/metrics`);
  return Number(line.split(' ')[1]) / 1024 / 1024;
}
/**
 * The heap a replica really holds: a full collection, then the heap in use, through the replica's V8 inspector
 * (loopback, bench only). The sampled heap above is a sawtooth of garbage not yet collected; this is its floor.
 */
const GC_SAMPLE_MS = 60_000;
const INSPECT_PORTS = { bff: 8758, bff2: 8759 };
async function heapAfterGcMb(inspectPort) {
  const [target] = await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json();
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`load bench: no inspector at ${inspectPort}`));
  });
  const answers = new Map();
  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    answers.get(msg.id)?.(msg);
  };
  const send = (id, method) =>
    new Promise((resolve) => {
      answers.set(id, resolve);
      ws.send(JSON.stringify({ id, method }));
    });
  try {
    await send(1, 'HeapProfiler.collectGarbage');
    const { result } = await send(2, 'Runtime.getHeapUsage');
    return result.usedSize / 1024 / 1024;
  } finally {
    ws.close();
  }
}
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN) / 1024;

async function until(what, fn, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`load bench: timed out waiting for ${what}`);
    await sleep(1000);
  }
}

/** One demo user signed in: its token, and what the BFF adds to its searches (the direct searches add the same). */
async function signIn(stack, user) {
  const group = DEMO_VO.roleGroup[user.role];
  const t = await loginThroughIdp({
    diracxUrl: stack.urls.diracx,
    clientId: stack.portalClientId,
    redirectUri: `${stack.urls.bff}/auth/callback`,
    vo: DEMO_VO.vo,
    group,
    username: user.username,
    password: DEMO_PASSWORD,
  });
  const principal = { role: user.role, vo: DEMO_VO.vo, username: user.username, managedGroups: DEMO_VO.groupSharing[group] ?? [] };
  return { username: user.username, token: t.access_token, visibility: visibilityConditions(principal), finished: [] };
}

/** Each operation twice: through a BFF replica and directly at DiracX. Each resolves when the answer is read whole. */
function operations({ diracx, nextBff, fileIds, jdl, launches }) {
  const h = (id, extra = {}) => ({ authorization: `Bearer ${id.token}`, ...extra });
  const hj = (id) => h(id, { 'content-type': 'application/json' });
  let seq = 0;
  const statusFilter = () => (seq++ % 2 ? ['Done'] : null); // the monitor's default view, and a status chip
  const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
  return {
    bff: {
      search: async (id) => {
        const status = statusFilter();
        const q = `page=1&perPage=25&sort=JobID&order=desc${status ? `&status=${status.join(',')}` : ''}`;
        await expectOk(await fetch(`${nextBff()}/bff/v1/jobs?${q}`, { headers: h(id) }), 'search');
      },
      summary: async (id) => expectOk(await fetch(`${nextBff()}/bff/v1/jobs/summary`, { headers: h(id) }), 'summary'),
      launch: async (id) => {
        const body = helloWorldLaunch(`load-${crypto.randomUUID()}`, { message: 'load' });
        const res = await fetch(`${nextBff()}/bff/v1/launches`, { method: 'POST', headers: hj(id), body: JSON.stringify(body) });
        launches.push({ id, launchId: json(await expectOk(res, 'launch')).id });
      },
      stdout: async (id) => {
        const { jobId, pfn } = pick(id.finished);
        const bff = nextBff();
        await expectOk(await fetch(`${bff}/bff/v1/jobs/${jobId}/sandboxes`, { headers: h(id) }), 'stdout list');
        const res = await fetch(`${bff}/bff/v1/jobs/${jobId}/sandboxes/contents?pfn=${encodeURIComponent(pfn)}`, { headers: h(id) });
        const members = json(await expectOk(res, 'stdout contents')).members;
        if (!members.some((m) => m.text?.includes('load'))) throw new OpError('stdout without the job output');
      },
      basket_read: async (id) => expectOk(await fetch(`${nextBff()}/bff/v1/basket`, { headers: h(id) }), 'basket_read'),
      basket_add: async (id) => {
        const body = JSON.stringify({ fileIds: [pick(fileIds), pick(fileIds), pick(fileIds)] });
        await expectOk(await fetch(`${nextBff()}/bff/v1/basket/items`, { method: 'POST', headers: hj(id), body }), 'basket_add');
      },
    },
    direct: {
      search: async (id) => {
        const status = statusFilter();
        const search = [...id.visibility, ...(status ? [{ parameter: 'Status', operator: 'eq', value: status[0] }] : [])];
        const body = JSON.stringify({ parameters: JOB_COLUMNS, search, sort: [{ parameter: 'JobID', direction: 'desc' }] });
        await expectOk(await fetch(`${diracx}/api/jobs/search?page=1&per_page=25`, { method: 'POST', headers: hj(id), body }), 'search');
      },
      summary: async (id) => {
        const body = JSON.stringify({ grouping: ['Status'], search: id.visibility });
        await expectOk(await fetch(`${diracx}/api/jobs/summary`, { method: 'POST', headers: hj(id), body }), 'summary');
      },
      launch: async (id) =>
        expectOk(await fetch(`${diracx}/api/jobs/jdl`, { method: 'POST', headers: hj(id), body: JSON.stringify([jdl]) }), 'launch'),
      stdout: async (id) => {
        const { jobId, pfn } = pick(id.finished);
        await expectOk(await fetch(`${diracx}/api/jobs/${jobId}/sandbox`, { headers: h(id) }), 'stdout list');
        const res = await fetch(`${diracx}/api/jobs/sandbox?pfn=${encodeURIComponent(pfn)}`, { headers: h(id) });
        const { url } = json(await expectOk(res, 'stdout url'));
        await expectOk(await fetch(url), 'stdout download');
      },
    },
  };
}

/** USERS closed-loop users for `seconds`, each on its own deterministic operation sequence; returns the recorder. */
async function runPhase({ ops, identities, seconds, allowed }) {
  const rec = createRecorder();
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: USERS }, async (_, u) => {
      const id = identities[u % identities.length];
      const mix = operationMix(WEIGHTS, u + 1, allowed);
      while (performance.now() < deadline) {
        const op = mix.next().value;
        const t0 = performance.now();
        try {
          await ops[op](id);
          rec.ok(op, performance.now() - t0);
        } catch (err) {
          rec.error(err instanceof OpError ? err.message : `${op} ${err?.name}: ${err?.cause?.code ?? err?.message}`);
        }
      }
    }),
  );
  return rec;
}

/** Runs the load bench on its own stack and reports through `report(name, value, unit)`. */
export async function benchLoad(report, { seconds = Number(process.env.PORTAL_LOAD_SECONDS ?? 120), log = console.log } = {}) {
  const stateDir = path.join(ROOT, '.stack/load');
  // DiracX's SQLite databases wait up to 60 s for a lock instead of 5 s: with 64 users, submissions and the
  // sites' status updates queue for the JobDB's single writer, and DiracX 0.7 turns a lock timeout into
  // 400 "JDL syntax error" (a production DiracX on MySQL locks rows, not the database).
  const stack = await startStack({ stateDir, ports: LOAD_PORTS, fresh: true, executor: 'site', sqliteTimeoutSeconds: 60, log: () => {} });
  const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-load-pg-'));
  const replicas = [];
  let pg;
  let refresher;
  try {
    pg = await startPostgres({ dir: pgDir, port: POSTGRES_PORT });
    // Rate limits off: the bench measures what the BFF costs, and its 64 users share one address.
    const extraEnv = {
      PORTAL_LOG_LEVEL: 'warn',
      PORTAL_RATE_LIMIT_PER_USER: '0',
      PORTAL_RATE_LIMIT_PER_IP: '0',
      PORTAL_METRICS_TOKEN: METRICS_TOKEN,
    };
    for (const [name, port] of [
      ['bff', LOAD_PORTS.bff],
      ['bff2', SECOND_BFF_PORT],
    ]) {
      const replica = { ...stack, ports: { ...stack.ports, bff: port }, urls: { ...stack.urls, bff: `http://127.0.0.1:${port}` } };
      const inspect = { NODE_OPTIONS: `--inspect=127.0.0.1:${INSPECT_PORTS[name]}` };
      const started = await startBff({ stack: replica, databaseUrl: pg.url, log: () => {}, extraEnv: { ...extraEnv, ...inspect }, name });
      replicas.push({ name, url: replica.urls.bff, pid: started.svc.pid, stop: started.stop, inspectPort: INSPECT_PORTS[name] });
    }
    let rr = 0;
    const nextBff = () => replicas[rr++ % replicas.length].url;
    const identities = [];
    for (const user of DEMO_USERS) identities.push(await signIn(stack, user));
    // DiracX's access tokens last 20 minutes and a soak runs longer: each user signs in again every 5 minutes
    // (the operations read `id.token` when they send).
    refresher = setInterval(
      () =>
        void Promise.all(DEMO_USERS.map(async (user, i) => (identities[i].token = (await signIn(stack, user)).token))).catch((err) =>
          log(`load: signing in again failed: ${err.message}`),
        ),
      TOKEN_REFRESH_MS,
    );
    log(`load: stack up (BFF replicas ${replicas.map((r) => r.url).join(', ')} on PostgreSQL); preparing data`);

    // Catalogue files for the basket, the JDL the BFF sends for Hello world (so the direct launch is the same job).
    const [alice] = identities;
    const get = async (url, id = alice) =>
      json(await expectOk(await fetch(url, { headers: { authorization: `Bearer ${id.token}` } }), url));
    const [project] = (await get(`${stack.urls.bff}/bff/v1/datasets/projects`)).items;
    const fileIds = (
      await get(`${stack.urls.bff}/bff/v1/datasets/files?projectId=${encodeURIComponent(project.projectId)}&perPage=150&page=1`)
    ).items.map((f) => f.id);
    const preview = await fetch(`${stack.urls.bff}/bff/v1/launches/preview`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(helloWorldLaunch('load-preview', { message: 'load' })),
    });
    const jdl = json(await expectOk(preview, 'preview')).sampleJdl;

    // Finished jobs with an output sandbox for each user, launched through the BFF and run by the local sites.
    const launches = [];
    const ops = operations({ diracx: stack.urls.diracx, nextBff, fileIds, jdl, launches });
    for (const id of identities) for (let i = 0; i < FINISHED_JOBS_PER_USER; i++) await ops.bff.launch(id);
    // A launch answers 202 before the BFF has sent it to DiracX: its end state, read back.
    const ended = ({ id, launchId }) =>
      until(
        `launch ${launchId} to be sent`,
        async () => {
          const l = await get(`${stack.urls.bff}/bff/v1/launches/${launchId}`, id);
          return l.status !== 'pending' && l.status !== 'submitting' && l;
        },
        300_000,
      );
    for (const { id, launchId } of launches.splice(0)) {
      const launch = await ended({ id, launchId });
      const [jobId] = launch.jobIds;
      if (launch.status !== 'submitted' || jobId === undefined) throw new Error(`load bench: seed launch ended ${launch.status}`);
      const pfn = await until(
        `job ${jobId} to finish with an output sandbox`,
        async () => {
          const { job } = await get(`${stack.urls.bff}/bff/v1/jobs/${jobId}`, id);
          if (job.status === 'Failed' || job.status === 'Killed') throw new Error(`load bench: seed job ${jobId} ${job.status}`);
          if (job.status !== 'Done') return undefined;
          return (await get(`${stack.urls.bff}/bff/v1/jobs/${jobId}/sandboxes`, id)).sandboxes.find((s) => s.kind === 'output')?.pfn;
        },
        300_000,
      );
      id.finished.push({ jobId, pfn });
    }

    const warmUp = Math.min(10, Math.max(2, seconds / 10));
    log(`load: direct phase (${USERS} users, ${seconds} s after ${warmUp} s warm-up)`);
    await runPhase({ ops: ops.direct, identities, seconds: warmUp, allowed: DIRACX_SIDE }); // warm-up, not recorded
    const direct = (await runPhase({ ops: ops.direct, identities, seconds, allowed: DIRACX_SIDE })).summary(seconds);

    log(`load: BFF phase (${USERS} users, ${seconds} s after ${warmUp} s warm-up, 2 replicas)`);
    await runPhase({ ops: ops.bff, identities, seconds: warmUp, allowed: Object.keys(WEIGHTS) }); // warm-up, not recorded
    const rss = replicas.map((r) => ({ start: rssMb(r.pid), middle: Number.NaN, end: Number.NaN }));
    const middle = setTimeout(() => replicas.forEach((r, i) => (rss[i].middle = rssMb(r.pid))), (seconds * 1000) / 2);
    const heap = replicas.map(() => []);
    const t0 = Date.now();
    const sampleHeap = () => Promise.all(replicas.map(async (r, i) => heap[i].push({ t: Date.now() - t0, v: await heapMb(r.url) })));
    await sampleHeap();
    const sampler = setInterval(() => void sampleHeap().catch((err) => log(`load: heap sample failed: ${err.message}`)), HEAP_SAMPLE_MS);
    const afterGc = replicas.map(() => []);
    const sampleAfterGc = () =>
      Promise.all(replicas.map(async (r, i) => afterGc[i].push({ t: Date.now() - t0, v: await heapAfterGcMb(r.inspectPort) })));
    await sampleAfterGc();
    const gcSampler = setInterval(
      () => void sampleAfterGc().catch((err) => log(`load: heap after GC failed: ${err.message}`)),
      GC_SAMPLE_MS,
    );
    launches.length = 0; // only the measured phase's launches are checked below
    const bffRecorder = await runPhase({ ops: ops.bff, identities, seconds, allowed: Object.keys(WEIGHTS) });
    clearInterval(sampler);
    clearInterval(gcSampler);
    await sampleHeap();
    await sampleAfterGc();
    clearTimeout(middle);
    replicas.forEach((r, i) => (rss[i].end = rssMb(r.pid)));

    // Each launch of the measured phase must end `submitted`; any other end is an error of the phase.
    // How long a launch took from accepted (202) to sent with its job id back (its record's createdAt ->
    // updatedAt): what compares with a direct submission, which answers only once DiracX has stored the job.
    const untilSent = [];
    for (const l of launches) {
      const { status, createdAt, updatedAt } = await ended(l);
      if (status !== 'submitted') bffRecorder.error(`launch ended ${status}`);
      else untilSent.push(Date.parse(updatedAt) - Date.parse(createdAt));
    }
    const viaBff = bffRecorder.summary(seconds);

    report('load_users', USERS, 'users');
    report('load_seconds', seconds, 's');
    report('load_launches_checked', launches.length, 'launches');
    const total = (s) => Object.values(s.ops).reduce((n, o) => n + o.perSecond, 0);
    for (const op of Object.keys(WEIGHTS)) {
      const b = viaBff.ops[op];
      const d = direct.ops[op];
      if (b) {
        report(`load_${op}_bff_per_s`, b.perSecond, 'req/s');
        report(`load_${op}_bff_p95`, b.p95, 'ms');
      }
      if (d) {
        report(`load_${op}_direct_per_s`, d.perSecond, 'req/s');
        report(`load_${op}_direct_p95`, d.p95, 'ms');
      }
      if (b && d) {
        report(`load_${op}_bff_over_direct_per_s`, b.perSecond / d.perSecond, 'ratio');
        report(`load_${op}_bff_over_direct_p95`, b.p95 / d.p95, 'ratio');
      }
    }
    if (untilSent.length && direct.ops.launch) {
      report('load_launch_bff_until_sent_p95', pct(untilSent, 95), 'ms');
      report('load_launch_bff_until_sent_over_direct_p95', pct(untilSent, 95) / direct.ops.launch.p95, 'ratio');
    }
    report('load_all_bff_per_s', total(viaBff), 'req/s');
    report('load_all_direct_per_s', total(direct), 'req/s');
    report('load_errors_bff', viaBff.errorCount, 'errors');
    report('load_errors_direct', direct.errorCount, 'errors');
    for (const [kind, n] of Object.entries({ ...viaBff.errors })) log(`load: BFF error ×${n}: ${kind}`);
    for (const [kind, n] of Object.entries({ ...direct.errors })) log(`load: direct error ×${n}: ${kind}`);
    replicas.forEach((r, i) => {
      report(`load_${r.name}_rss_start`, rss[i].start, 'MB');
      report(`load_${r.name}_rss_middle`, rss[i].middle, 'MB');
      report(`load_${r.name}_rss_end`, rss[i].end, 'MB');
      report(`load_${r.name}_rss_end_over_start`, rss[i].end / rss[i].start, 'ratio');
      // second half alone: ~1 once the heap has grown to its working size
      report(`load_${r.name}_rss_end_over_middle`, rss[i].end / rss[i].middle, 'ratio');
      // The heap over the phase (sampled every 5 s): its fitted slope is ~0 when memory stays flat. A 2-minute run
      // holds only a few GC cycles, so the slope follows the sawtooth; the lowest sample of each half (what is left
      // after a collection) is what a leak would raise.
      const h = heap[i].map((s) => s.v);
      const half = Math.floor(h.length / 2);
      report(`load_${r.name}_heap_floor_first_half`, Math.min(...h.slice(0, half)), 'MB');
      report(`load_${r.name}_heap_floor_second_half`, Math.min(...h.slice(half)), 'MB');
      report(`load_${r.name}_heap_samples`, h.length, 'samples');
      report(`load_${r.name}_heap_start`, h[0], 'MB');
      report(`load_${r.name}_heap_max`, Math.max(...h), 'MB');
      report(`load_${r.name}_heap_end`, h[h.length - 1], 'MB');
      report(`load_${r.name}_heap_slope`, slopePerMinute(heap[i]), 'MB/min');
      log(`load: ${r.name} heap ${h.map((v) => v.toFixed(0)).join(' ')} MB → slope ${slopePerMinute(heap[i]).toFixed(2)} MB/min`);
      // What a leak would raise, without the sawtooth: the heap after a full collection, each minute (flat = no leak).
      const g = afterGc[i].map((s) => s.v);
      report(`load_${r.name}_heap_after_gc_start`, g[0], 'MB');
      report(`load_${r.name}_heap_after_gc_end`, g[g.length - 1], 'MB');
      report(`load_${r.name}_heap_after_gc_slope`, slopePerMinute(afterGc[i]), 'MB/min');
      log(`load: ${r.name} heap after a full GC, each minute: ${g.map((v) => v.toFixed(1)).join(' ')} MB`);
    });
    return { errors: viaBff.errorCount + direct.errorCount };
  } finally {
    clearInterval(refresher);
    for (const r of replicas) await r.stop();
    await pg?.stop();
    await stack.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureSpaBuild();
  const { errors } = await benchLoad((name, value, unit) => console.log(`${name}: ${Number(value).toFixed(3)} ${unit}`));
  if (errors > 0) process.exitCode = 1;
}
