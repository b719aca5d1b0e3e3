// Scheduled submissions, side by side: one Hello world job created by a schedule's "run now" (slot claim,
// refresh-token exchange and rotation at DiracX, launch) against the same launch posted directly to the BFF.
// Each figure is the time until the BFF reports the job submitted (polled every 25 ms).
import { followAuthorize } from '../lib/login.mjs';
import { DEMO_PASSWORD } from '../idp/users.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function benchSchedules({ stack, auth, report, pct, rounds = 10 }) {
  const api = async (p, init = {}) => {
    const r = await fetch(`${stack.urls.bff}${p}`, {
      ...init,
      headers: { ...auth, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
    return { status: r.status, body: r.status === 204 ? null : await r.json() };
  };
  const launch = {
    name: 'bench scheduled',
    workflowId: 'hello-world',
    values: { GREETING: 'Hello', MESSAGE: 'bench' },
    resources: { wallTimeMinutes: 6 },
  };
  const created = await api('/bff/v1/schedules', {
    method: 'POST',
    body: JSON.stringify({
      name: 'bench',
      launch,
      spec: { recurrence: { kind: 'daily', time: '03:00' }, timezone: 'UTC', startAt: new Date().toISOString() },
    }),
  });
  if (created.status !== 201) throw new Error(`schedule: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id;
  const { authorizeUrl } = (await api(`/bff/v1/schedules/${id}/authorize`, { method: 'POST', body: '{}' })).body;
  const back = await followAuthorize({
    authorizeUrl,
    redirectUri: `${stack.urls.bff}/bff/v1/schedules/authorize/callback`,
    username: 'alice',
    password: DEMO_PASSWORD,
  });
  const cb = await fetch(back, { redirect: 'manual' });
  if (!/authorized=/.test(cb.headers.get('location') ?? '')) throw new Error(`authorization: ${cb.headers.get('location')}`);

  const scheduled = [];
  const manual = [];
  for (let i = 0; i < rounds; i++) {
    await sleep(1000); // "run now" slots are whole seconds
    let t0 = performance.now();
    const before = (await api(`/bff/v1/schedules/${id}`)).body.runs.length;
    if ((await api(`/bff/v1/schedules/${id}/run-now`, { method: 'POST', body: '{}' })).status !== 202) throw new Error('run now refused');
    for (;;) {
      const runs = (await api(`/bff/v1/schedules/${id}`)).body.runs;
      if (runs.length > before && runs[0].status !== 'claimed') {
        if (runs[0].status !== 'submitted') throw new Error(`scheduled run ${runs[0].status}: ${runs[0].error}`);
        break;
      }
      await sleep(25);
    }
    scheduled.push(performance.now() - t0);
    t0 = performance.now();
    let l = (
      await api('/bff/v1/launches', {
        method: 'POST',
        body: JSON.stringify({ ...launch, idempotencyKey: `bench-sched-${i}-${Date.now()}` }),
      })
    ).body;
    while (l.status === 'pending' || l.status === 'submitting') {
      await sleep(25);
      l = (await api(`/bff/v1/launches/${l.id}`)).body;
    }
    if (l.status !== 'submitted') throw new Error(`manual launch ${l.status}`);
    manual.push(performance.now() - t0);
  }
  await api(`/bff/v1/schedules/${id}`, { method: 'DELETE' });
  report('schedule_run_now_p50', pct(scheduled, 50), 'ms');
  report('launch_manual_p50', pct(manual, 50), 'ms');
  report('schedule_run_over_manual_launch_p50', pct(scheduled, 50) / pct(manual, 50), 'ratio');
}
