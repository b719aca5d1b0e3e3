// Seed a DiracX with many jobs through its own REST API, spread over owners, JobGroups, sites and
// statuses, without making the demo executor run them:
//   1. POST /api/jobs/jdl, 20 JDLs per call (DiracX's limit), as the owning user;
//   2. PATCH /api/jobs/metadata (admin): the Site (the only attribute DiracX lets an API client change);
//   3. PATCH /api/jobs/status?force=true (admin): the final or running status, dated two minutes
//      ahead so it wins over the executor (which only picks jobs still Received, and dates its
//      updates a few seconds ahead of when it runs).
// DiracX sets SubmissionTime itself at insertion and does not let a client change it, so the jobs
// cannot be spread over past months through the API; their status history spreads over the seeding run.
//
// CLI: node scripts/seed-jobs.mjs <diracxUrl> <count>   (tokens from PORTAL_STACK_FILE's stack, demo users)
// Module: seedJobs({ diracxUrl, tokens: { scientist, pi, admin } | (role) => Promise<token>, count, concurrency, prefix, log })

export const SEED_SITES = ['LCG.CERN.cern', 'LCG.DESY.de', 'LCG.PIC.es', 'LCG.IN2P3.fr', 'LCG.INFN-CNAF.it', 'CLOUD.EGI.eu', 'HPC.SURF.nl'];
/** [status, minor status, weight] */
export const SEED_STATUSES = [
  ['Done', 'Execution Complete', 50],
  ['Failed', 'Application Finished With Errors', 12],
  ['Running', 'Application', 10],
  ['Waiting', 'Pilot Agent Submission', 10],
  ['Killed', 'Marked for termination', 5],
  ['Stalled', 'Job stalled: pilot not running', 5],
  ['Matched', 'Assigned', 4],
  ['Completed', 'Pending Requests', 4],
];
const OWNERS = [
  ['scientist', 70],
  ['pi', 20],
  ['admin', 10],
];

/** Deterministic, evenly spread choice by weight (golden-ratio sequence: same n, same answer). */
function pick(table, n) {
  const total = table.reduce((s, row) => s + row.at(-1), 0);
  let x = ((n * 0.6180339887498949) % 1) * total;
  for (const row of table) {
    x -= row.at(-1);
    if (x < 0) return row;
  }
  return table[0];
}

/**
 * One DiracX call with a timeout (a busy SQLite DiracX can hold a request for a long time).
 * Status and metadata updates are idempotent and retried; a submission is not (it could duplicate jobs).
 */
async function call(url, token, method, body, what, { retries = method === 'PATCH' ? 3 : 0 } = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${what}: DiracX answered ${res.status}: ${text.slice(0, 300)}`);
      return text ? JSON.parse(text) : null;
    } catch (err) {
      if (attempt >= retries) throw err;
    }
  }
}

export async function seedJobs({
  diracxUrl,
  tokens,
  count,
  concurrency = 3,
  prefix = `seed-${Date.now().toString(36)}`,
  groups = 40,
  log = () => {},
}) {
  const batches = [];
  for (let i = 0; i < count; i += 20) batches.push(Array.from({ length: Math.min(20, count - i) }, (_, k) => i + k));
  const made = { jobs: 0, byStatus: {}, byOwner: {}, jobGroups: new Set(), ids: [] };
  let next = 0;
  const t0 = Date.now();
  async function worker() {
    while (next < batches.length) {
      const batch = batches[next++];
      // one owner per batch (DiracX takes the owner from the token)
      const [role] = pick(OWNERS, batch[0] / 20);
      const jdls = batch.map((n) => {
        const group = `${prefix}-g${String(n % groups).padStart(2, '0')}`;
        return `[\n    JobName = "${prefix}-${n}";\n    JobGroup = "${group}";\n    Executable = "echo";\n    Arguments = "seed ${n}";\n    CPUTime = 3600;\n]`;
      });
      const token = async (r) => (typeof tokens === 'function' ? tokens(r) : tokens[r]);
      const inserted = await call(`${diracxUrl}/api/jobs/jdl`, await token(role), 'POST', jdls, 'submit');
      const ids = inserted.map((j) => j.JobID);
      // dated ahead of anything the demo executor could write if it caught a job while still Received
      const date = new Date(Date.now() + 120_000).toISOString();
      const status = {};
      const meta = {};
      ids.forEach((id, k) => {
        const n = batch[k];
        const [s, minor] = pick(SEED_STATUSES, n);
        status[id] = { [date]: { Status: s, MinorStatus: minor, Source: 'seed-jobs' } };
        meta[id] = { Site: SEED_SITES[n % SEED_SITES.length] };
        made.byStatus[s] = (made.byStatus[s] ?? 0) + 1;
        made.jobGroups.add(`${prefix}-g${String(n % groups).padStart(2, '0')}`);
      });
      await call(`${diracxUrl}/api/jobs/status?force=true`, await token('admin'), 'PATCH', status, 'status');
      await call(`${diracxUrl}/api/jobs/metadata`, await token('admin'), 'PATCH', meta, 'metadata');
      made.byOwner[role] = (made.byOwner[role] ?? 0) + ids.length;
      made.jobs += ids.length;
      made.ids.push(...ids);
      if (made.jobs % 2000 < 20)
        log(`seed: ${made.jobs}/${count} jobs (${Math.round((made.jobs / ((Date.now() - t0) / 1000)) * 10) / 10}/s)`);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ...made, jobGroups: [...made.jobGroups], prefix, seconds: (Date.now() - t0) / 1000 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const fs = await import('node:fs');
  const { loginThroughIdp } = await import('./lib/login.mjs');
  const { DEMO_PASSWORD, DEMO_USERS } = await import('./idp/users.mjs');
  const [diracxUrl, countArg] = process.argv.slice(2);
  const stack = JSON.parse(fs.readFileSync(process.env.PORTAL_STACK_FILE ?? '.stack/dev/stack.json', 'utf8'));
  const url = diracxUrl ?? stack.urls.diracx;
  const tokens = {};
  for (const [role, group] of [
    ['scientist', 'scientists'],
    ['pi', 'pis'],
    ['admin', 'admins'],
  ]) {
    const u = DEMO_USERS.find((x) => x.role === role);
    tokens[role] = (
      await loginThroughIdp({
        diracxUrl: url,
        clientId: stack.portalClientId,
        redirectUri: `${stack.urls.bff}/auth/callback`,
        vo: stack.vo,
        group,
        username: u.username,
        password: DEMO_PASSWORD,
      })
    ).access_token;
  }
  const r = await seedJobs({ diracxUrl: url, tokens, count: Number(countArg ?? 1000), log: console.log });
  console.log(`seeded ${r.jobs} jobs in ${r.seconds.toFixed(1)} s`, r.byStatus, r.byOwner);
}
