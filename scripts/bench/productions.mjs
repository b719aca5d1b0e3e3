// Productions list: the BFF's page of 20 productions (database + ONE DiracX summary call over their
// JobGroups) against, side by side, that one summary call sent directly to DiracX (the floor) and the
// naive alternative of one summary call per production.

const N = 20;

/**
 * @param {{ urls: { bff: string, diracx: string } }} stack
 * @param {Record<string, string>} auth  Authorization header of a scientist
 * @param {{ report: (name: string, value: number, unit: string) => void, timed: (fn: () => Promise<unknown>) => Promise<number>, pct: (xs: number[], p: number) => number }} tools
 */
export async function benchProductions(stack, auth, { report, timed, pct }) {
  const json = { ...auth, 'content-type': 'application/json' };
  const bff = (p, init = {}) =>
    fetch(`${stack.urls.bff}${p}`, { ...init, headers: { ...json, ...(init.headers ?? {}) } }).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));

  // N small productions (3 jobs each) through the BFF.
  const ids = [];
  for (let i = 0; i < N; i++) {
    const body = {
      idempotencyKey: `bench-prod-${i}-${Date.now()}`,
      name: `bench production ${i}`,
      workflowId: 'hello-world',
      values: { GREETING: 'Hello' },
      sweeps: { MESSAGE: { kind: 'list', values: ['a', 'b', 'c'] } },
    };
    const r = await bff('/bff/v1/launches', { method: 'POST', body: JSON.stringify(body) });
    if (r.status !== 202) throw new Error(`launch ${i}: ${r.status} ${JSON.stringify(r.body)}`);
    ids.push(r.body.id);
  }
  for (const id of ids) {
    for (let t = 0; ; t++) {
      const l = (await bff(`/bff/v1/launches/${id}`)).body;
      if (l.status === 'submitted') break;
      if (t > 600 || l.status === 'failed' || l.status === 'partial') throw new Error(`launch ${id} ended ${l.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const page = (await bff(`/bff/v1/productions?perPage=${N}`)).body;
  const groups = page.items.map((p) => p.jobGroup);
  if (groups.length !== N) throw new Error(`expected ${N} productions, got ${groups.length}`);

  const visibility = [
    { parameter: 'VO', operator: 'eq', value: 'escape' },
    { parameter: 'Owner', operator: 'eq', value: 'alice' },
  ];
  const summary = (search) =>
    fetch(`${stack.urls.diracx}/api/jobs/summary`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ grouping: ['JobGroup', 'Status'], search: [...visibility, ...search] }),
    }).then((r) => r.text());
  const viaBff = () => fetch(`${stack.urls.bff}/bff/v1/productions?perPage=${N}`, { headers: auth }).then((r) => r.text());
  const oneCall = () => summary([{ parameter: 'JobGroup', operator: 'in', values: groups }]);
  const perProduction = async () => {
    for (const g of groups) await summary([{ parameter: 'JobGroup', operator: 'eq', value: g }]);
  };
  for (let i = 0; i < 5; i++) await Promise.all([viaBff(), oneCall(), perProduction()]);
  const b = [];
  const o = [];
  const e = [];
  for (let i = 0; i < 40; i++) {
    b.push(await timed(viaBff));
    o.push(await timed(oneCall));
    e.push(await timed(perProduction));
  }
  report('productions_list_20_bff_p50', pct(b, 50), 'ms');
  report('productions_summary_one_call_direct_p50', pct(o, 50), 'ms');
  report('productions_summary_per_production_direct_p50', pct(e, 50), 'ms');
  report('productions_list_bff_over_one_call_direct_p50', pct(b, 50) / pct(o, 50), 'ratio');
  report('productions_per_production_over_one_call_p50', pct(e, 50) / pct(o, 50), 'ratio');
}
