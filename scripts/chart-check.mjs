// The Helm chart check (a step of `npm test`): helm lint, helm template of each deploy/helm/escape-portal/ci
// values file, kubeconform (strict) on the rendered manifests against the Kubernetes 1.37 schemas (and the
// ServiceMonitor against prometheus-operator's CRD schema), the
// rendered portal.json accepted by the BFF's own configuration schema in production mode, and refusals
// of incomplete values. helm, kubeconform and the schemas come from scripts/lib/k8s-tools.mjs (.tools/).
// Writes test-results/chart.json ({ passed, failed }) and ends with "chart: N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, parseConfig } from '../src/server/config.ts';
import {
  CRD_SOURCES,
  GO_BIN,
  KUBERNETES_VERSION,
  SCHEMA_LOCATIONS,
  ensureCrdSchemas,
  ensureK8sBinaries,
  ensureK8sSchemas,
} from './lib/k8s-tools.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHART = path.join(ROOT, 'deploy/helm/escape-portal');
const CI_VALUES = fs
  .readdirSync(path.join(CHART, 'ci'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => path.join(CHART, 'ci', f));
const results = { passed: 0, failed: 0 };

ensureK8sBinaries();
ensureK8sSchemas();
ensureCrdSchemas();

function tool(name, args, input) {
  return spawnSync(path.join(GO_BIN, name), args, { encoding: 'utf8', input, cwd: ROOT });
}

function check(name, fn) {
  try {
    fn();
    results.passed += 1;
    console.log(`  ✓ ${name}`);
  } catch (err) {
    results.failed += 1;
    console.log(`  ✗ ${name}\n${String(err.message).replace(/^/gm, '      ')}`);
  }
}

function ok(res, what) {
  if (res.status !== 0) throw new Error(`${what} exited with ${res.status}\n${res.stdout}${res.stderr}`);
  return res.stdout;
}

const kubeconform = (manifests) =>
  tool(
    'kubeconform',
    ['-strict', '-summary', '-kubernetes-version', KUBERNETES_VERSION, ...SCHEMA_LOCATIONS.flatMap((l) => ['-schema-location', l]), '-'],
    manifests,
  );

/** The documents of a rendered chart, split on `---` (enough for Helm's output; no YAML parser needed). */
const documents = (yaml) => yaml.split(/^---\s*$/m).filter((d) => /^kind:/m.test(d));
const kindsOf = (yaml) => documents(yaml).map((d) => /^kind: (\S+)/m.exec(d)[1]);

/** portal.json from the rendered ConfigMap (a block scalar indented by 4). */
function portalJson(yaml) {
  const cm = documents(yaml).find((d) => /^kind: ConfigMap/m.test(d));
  const m = /portal\.json: \|\n((?: {4}.*\n?)+)/.exec(cm ?? '');
  if (!m) throw new Error('no portal.json in the rendered ConfigMap');
  return JSON.parse(m[1].replace(/^ {4}/gm, ''));
}

console.log(`\nchart: ${path.relative(ROOT, CHART)} (Kubernetes ${KUBERNETES_VERSION} schemas)`);

check('helm lint --strict with every ci values file', () => {
  for (const values of CI_VALUES) ok(tool('helm', ['lint', '--strict', CHART, '-f', values]), `helm lint -f ${path.basename(values)}`);
});

for (const values of CI_VALUES) {
  const name = path.basename(values);
  let rendered = '';
  check(`helm template -f ${name}`, () => {
    rendered = ok(tool('helm', ['template', 'portal', CHART, '--namespace', 'diracx', '-f', values]), 'helm template');
  });
  if (!rendered) continue;
  check(`kubeconform -strict validates every manifest of ${name}`, () => {
    const res = kubeconform(rendered);
    ok(res, 'kubeconform');
    const summary = /Valid: (\d+), Invalid: (\d+), Errors: (\d+), Skipped: (\d+)/.exec(res.stdout);
    if (!summary || Number(summary[1]) !== documents(rendered).length || summary[4] !== '0')
      throw new Error(`not every manifest was validated: ${res.stdout}`);
  });
  check(`portal.json of ${name} is a valid production configuration for the BFF`, () => {
    // Files that exist only inside the pod (the built SPA, mounted keys) are the only refusals allowed here.
    const inPodOnly = /^ {2}- (staticDir|scheduleKeyFile|instances\.\d+\.accounting\.apiKeyFile|datasetSources\.\d+\.auth\.passwordFile):/;
    try {
      parseConfig({ ...portalJson(rendered), mode: 'production', databaseUrl: 'postgres://from-the-secret/portal' });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const other = err.message
        .split('\n')
        .slice(1)
        .filter((l) => !inPodOnly.test(l));
      if (other.length) throw new Error(other.join('\n'), { cause: err });
    }
  });
  if (name === 'production-values.yaml')
    check('production-values.yaml renders every piece of an installation', () => {
      const kinds = kindsOf(rendered).sort().join(',');
      const want =
        'ConfigMap,Deployment,HorizontalPodAutoscaler,Ingress,NetworkPolicy,PodDisruptionBudget,Secret,Service,ServiceAccount,ServiceMonitor';
      if (kinds !== want) throw new Error(`kinds ${kinds}, expected ${want}`);
      if (portalJson(rendered).metrics?.port !== 9464) throw new Error('portal.json does not serve /metrics on port 9464');
      for (const needle of [
        'readOnlyRootFilesystem: true',
        'runAsNonRoot: true',
        'path: /bff/readyz',
        'path: /bff/livez',
        'secretName: escape-portal-tls',
        'prometheus.io/scrape: "true"',
        'name: metrics',
        'value: "http://otel-collector.monitoring:4318"',
        // the ServiceMonitor scrapes the Service's metrics port and is labelled for the Prometheus selecting it
        '- port: metrics',
        'release: kube-prometheus-stack',
      ])
        if (!rendered.includes(needle)) throw new Error(`the manifests lack "${needle}"`);
    });
}

check('kubeconform refuses an unknown field (the schemas are strict)', () => {
  const res = kubeconform('apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  portz: []\n');
  if (res.status === 0 || !/portz/.test(res.stdout)) throw new Error(`accepted: ${res.stdout}`);
});

check(`kubeconform refuses a ServiceMonitor with an unknown field (CRD schema of prometheus-operator ${CRD_SOURCES.version})`, () => {
  const res = kubeconform(
    'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: x\nspec:\n  selector: {}\n  endpoints:\n    - portz: metrics\n',
  );
  if (res.status === 0 || !/portz/.test(res.stdout)) throw new Error(`accepted: ${res.stdout}`);
});

check('helm template refuses incomplete or wrong values, naming the value', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-'));
  try {
    const complete = {
      hostname: 'portal:\n  hostname: p.example.org\n',
      key: 'secrets:\n  scheduleKey: k\n',
      db: 'database:\n  url: postgres://x/y\n',
      diracx:
        'diracx:\n  instances:\n    - {id: d, label: D, url: "http://diracx:8000", publicUrl: "https://d.example.org", clientId: c}\n',
    };
    const without = (key) =>
      Object.entries(complete)
        .filter(([k]) => k !== key)
        .map(([, v]) => v)
        .join('');
    const missing = [
      ['portal.hostname', without('hostname')],
      ['secrets.scheduleKey', without('key')],
      ['database.url', without('db')],
      ['diracx.instances[0].publicUrl', without('diracx')],
      // values.schema.json: the portal's database is PostgreSQL
      ['/database/url', `${without('db')}database:\n  url: mysql://x/y\n`],
      // …and /metrics has a port of its own, never the one the ingress routes to
      ['/metrics/port', `${without(null)}metrics:\n  port: 8080\n`],
      // a ServiceMonitor scrapes the metrics port: there must be one
      ['metrics.serviceMonitor.enabled', `${without(null)}metrics:\n  enabled: false\n  serviceMonitor:\n    enabled: true\n`],
    ];
    const file = path.join(dir, 'values.yaml');
    fs.writeFileSync(file, without(null));
    ok(tool('helm', ['template', 'portal', CHART, '-f', file]), 'helm template with the minimal complete values');
    for (const [field, yaml] of missing) {
      fs.writeFileSync(file, yaml);
      const res = tool('helm', ['template', 'portal', CHART, '-f', file]);
      if (res.status === 0 || !res.stderr.includes(field)) throw new Error(`values without ${field}: ${res.status} ${res.stderr}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const reports = path.join(ROOT, 'test-results');
fs.mkdirSync(reports, { recursive: true });
fs.writeFileSync(path.join(reports, 'chart.json'), JSON.stringify(results));
console.log(`chart: ${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed ? 1 : 0);
