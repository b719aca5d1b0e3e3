// Workflow catalogue (issue #15): a 200-input Boutiques descriptor checked as the BFF checks an upload and
// its form schema built and a full set of values validated (descriptorToZod, what the SPA's form and the BFF
// run), median of 9 after a warm-up; and the catalogue listed with 500 applications × 5 versions (one
// published each): the administrators' list and the users' list through the BFF's routes (in process,
// app.inject, the BFF's own SQLite; no DiracX call is involved), p50/p95 of 30 calls each.
// Run alone: `node scripts/bench/catalogue.mjs`.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../lib/stack.mjs';

const mod = (p) => import(pathToFileURL(path.join(ROOT, p)).href);
const { checkDescriptorText } = await mod('src/server/workflows/applications.ts');
const { descriptorToZod } = await mod('src/contracts/workflows/rules.ts');
const { problems } = await mod('src/server/errors.ts');
const { accessControlDiracx, unitApp } = await mod('src/server/testing/unit-app.ts');
const { demoPrincipal, TEST_INSTANCE } = await mod('src/server/testing/principal.ts');

/** `PORTAL_BENCH_CATALOGUE_APPS` for a quick run. */
const APPS = Number(process.env.PORTAL_BENCH_CATALOGUE_APPS ?? 500);
const VERSIONS = 5;
const INPUTS = 200;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** A descriptor with INPUTS inputs of every kind (numbers with ranges, choices, flags, text, lists). */
function bigDescriptor() {
  const inputs = Array.from({ length: INPUTS }, (_, i) => {
    const base = { id: `P${i}`, name: `Parameter ${i}`, 'value-key': `[P${i}]`, 'command-line-flag': `--p${i}`, optional: i % 2 === 1 };
    switch (i % 5) {
      case 0:
        return { ...base, type: 'Number', integer: true, minimum: 0, maximum: 1000, 'default-value': i };
      case 1:
        return { ...base, type: 'String', 'value-choices': ['a', 'b', 'c'] };
      case 2:
        return { ...base, type: 'Flag', optional: true };
      case 3:
        return { ...base, type: 'String', 'default-value': `text ${i}` };
      default:
        return { ...base, type: 'Number', list: true, 'min-list-entries': 1, 'max-list-entries': 4 };
    }
  });
  return {
    name: 'Bench 200',
    'tool-version': '1',
    description: 'A descriptor with 200 inputs',
    'schema-version': '0.5',
    'command-line': `tool ${inputs.map((x) => x['value-key']).join(' ')}`,
    inputs,
  };
}

/** @param {(name: string, value: number, unit: string) => void} report */
export async function benchCatalogue(report) {
  // 1. The 200-input descriptor.
  const text = JSON.stringify(bigDescriptor());
  const values = Object.fromEntries(
    Array.from({ length: INPUTS }, (_, i) => [`P${i}`, [i % 1000, 'b', true, `x[0] > 1; y ${i}`, [1, 2, 3]][i % 5]]),
  );
  const time = (fn) => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  const check = () => {
    const c = checkDescriptorText(text);
    if (c.descriptor.inputs.length !== INPUTS) throw new Error('descriptor not read');
    return c.descriptor;
  };
  const d = check();
  const form = () => {
    const parsed = descriptorToZod(d).safeParse(values);
    if (!parsed.success) throw new Error(`values refused: ${parsed.error.issues[0]?.message}`);
  };
  for (let i = 0; i < 3; i++) {
    check();
    form();
  }
  report('catalogue_descriptor_200_inputs_check_ms', median(Array.from({ length: 9 }, () => time(check))), 'ms');
  report('catalogue_form_200_inputs_schema_and_validate_ms', median(Array.from({ length: 9 }, () => time(form))), 'ms');

  // 2. 500 applications × 5 versions.
  const { app, close } = await unitApp({
    instances: [TEST_INSTANCE],
    diracx: accessControlDiracx,
    // 2,500 uploads by one administrator in a few seconds: the per-user rate limit is not what is measured.
    config: { rateLimitPerUserPerMinute: 0, rateLimitPerIpPerMinute: 0 },
    verifyToken: async (token) => {
      const role = token.replace(/^role-/, '');
      if (!['scientist', 'pi', 'admin'].includes(role)) throw problems.unauthenticated('The access token is invalid');
      return demoPrincipal(role);
    },
  });
  const as = (role) => ({ authorization: `Bearer role-${role}` });
  try {
    const hello = JSON.parse(fs.readFileSync(path.join(ROOT, 'workflows/hello-world.json'), 'utf8'));
    for (let a = 0; a < APPS; a++) {
      for (let v = 1; v <= VERSIONS; v++) {
        const descriptor = JSON.stringify({ ...hello, name: `App ${a}`, 'tool-version': `${v}.0` });
        const res = await app.inject({
          method: 'POST',
          url: '/bff/v1/admin/applications',
          headers: as('admin'),
          payload: { id: `bench-app-${a}`, as: v === 1 ? 'new' : 'version', descriptor },
        });
        if (res.statusCode !== 201) throw new Error(`adding bench-app-${a} v${v}: ${res.statusCode} ${res.body}`);
      }
      const pub = await app.inject({
        method: 'POST',
        url: `/bff/v1/admin/applications/bench-app-${a}/versions/${VERSIONS}/publish`,
        headers: as('admin'),
      });
      if (pub.statusCode !== 200) throw new Error(`publishing bench-app-${a}: ${pub.statusCode}`);
    }
    for (const [name, url, role, expected] of [
      [`catalogue_admin_list_${APPS}x${VERSIONS}`, '/bff/v1/admin/applications', 'admin', APPS],
      [`catalogue_user_list_${APPS}`, '/bff/v1/workflows', 'scientist', APPS],
    ]) {
      const times = [];
      for (let i = 0; i < 33; i++) {
        const t0 = performance.now();
        const res = await app.inject({ method: 'GET', url, headers: as(role) });
        const ms = performance.now() - t0;
        const items = res.json().items;
        if (res.statusCode !== 200 || items.filter((x) => String(x.id).startsWith('bench-app-')).length !== expected)
          throw new Error(`${url}: ${res.statusCode}, ${items?.length} items`);
        if (i >= 3) times.push(ms); // 3 warm-up calls
      }
      report(`${name}_p50`, pct(times, 50), 'ms');
      report(`${name}_p95`, pct(times, 95), 'ms');
    }
  } finally {
    await close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchCatalogue((name, value, unit) => console.log(`${name}: ${value.toFixed(3)} ${unit}`));
}
