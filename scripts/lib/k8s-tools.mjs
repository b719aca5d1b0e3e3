// Helm, kubeconform and the Kubernetes JSON schemas kubeconform validates against, for the chart check
// (scripts/chart-check.mjs), installed idempotently under .tools/ (outside git) by ensure-deps:
// - helm and kubeconform are built from the Go module proxy at pinned versions (`go install mod@version`,
//   checksums verified by the Go toolchain against sum.golang.org);
// - kubeconform normally downloads its schemas from GitHub, which this machine cannot reach. Instead the
//   Kubernetes OpenAPI document that ships inside the `k8s.io/kubernetes` Go module
//   (api/openapi-spec/swagger.json, the API of the pinned release) is converted here into kubeconform's
//   "standalone-strict" layout: one file per kind and version, unknown fields refused, int-or-string and
//   quantities accepting both forms (what kubeconform's own openapi2jsonschema.py does).
// Runs on Node 20 too (ensure-deps).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TOOLS_DIR = path.join(ROOT, '.tools');
export const GO_BIN = path.join(TOOLS_DIR, 'go-bin');
/** Pinned versions: helm v4 and kubeconform from the Go module proxy; the schemas of Kubernetes 1.37.2. */
export const K8S_TOOLS = {
  helm: { module: 'helm.sh/helm/v4/cmd/helm', version: 'v4.3.2' },
  kubeconform: { module: 'github.com/yannh/kubeconform/cmd/kubeconform', version: 'v0.8.0' },
  kubernetes: { module: 'k8s.io/kubernetes', version: 'v1.37.2' },
};
export const KUBERNETES_VERSION = K8S_TOOLS.kubernetes.version.slice(1);
export const SCHEMA_DIR = path.join(TOOLS_DIR, 'k8s-schemas');
/**
 * Custom resources the chart can render (its optional ServiceMonitor), validated against the CRD schemas of
 * the pinned prometheus-operator Go module (the CRDs it installs, as JSON in jsonnet/prometheus-operator/).
 */
export const CRD_SOURCES = {
  module: 'github.com/prometheus-operator/prometheus-operator',
  version: 'v0.88.0',
  files: ['jsonnet/prometheus-operator/servicemonitors-crd.json'],
};
export const CRD_SCHEMA_DIR = path.join(SCHEMA_DIR, `crds-prometheus-operator-${CRD_SOURCES.version}`);
/** kubeconform's -schema-location for the generated files: Kubernetes' own kinds, then the custom resources. */
export const SCHEMA_LOCATIONS = [
  `${SCHEMA_DIR}/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
  `${CRD_SCHEMA_DIR}/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`,
];

export function goCommand() {
  for (const c of [process.env.GO, 'go', '/usr/local/go/bin/go']) {
    if (c && spawnSync(c, ['version'], { stdio: 'ignore' }).status === 0) return c;
  }
  throw new Error('the chart check needs Go (to build helm and kubeconform from the Go module proxy): install golang-go or /usr/local/go');
}

function go(args, opts = {}) {
  const r = spawnSync(goCommand(), args, {
    encoding: 'utf8',
    cwd: TOOLS_DIR,
    ...opts,
    env: { ...process.env, GOFLAGS: '-buildvcs=false', ...opts.env },
  });
  if (r.status !== 0) throw new Error(`go ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}`);
  return r.stdout;
}

const stampOf = (name) => path.join(GO_BIN, `.${name}.version`);

/** Build helm and kubeconform into .tools/go-bin unless the pinned version is already there. */
export function ensureK8sBinaries({ log = console.log } = {}) {
  fs.mkdirSync(GO_BIN, { recursive: true });
  for (const [name, { module, version }] of Object.entries(K8S_TOOLS)) {
    if (name === 'kubernetes') continue;
    const bin = path.join(GO_BIN, name);
    if (fs.existsSync(bin) && fs.existsSync(stampOf(name)) && fs.readFileSync(stampOf(name), 'utf8') === version) continue;
    log(`building ${name} ${version} from the Go module proxy (a few minutes the first time)`);
    go(['install', `${module}@${version}`], { env: { GOBIN: GO_BIN } });
    fs.writeFileSync(stampOf(name), version);
  }
}

/** The directory of a pinned Go module's source, downloaded into the Go module cache (checksums verified). */
function moduleDir({ module, version }) {
  const info = JSON.parse(go(['mod', 'download', '-json', `${module}@${version}`]));
  if (info.Error) throw new Error(`go mod download ${module}@${version}: ${info.Error}`);
  return info.Dir;
}

/** Kubernetes' OpenAPI v2 document from the pinned k8s.io/kubernetes module. */
function kubernetesSwagger() {
  return path.join(moduleDir(K8S_TOOLS.kubernetes), 'api/openapi-spec/swagger.json');
}

const REF = '#/definitions/';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** One definition, made strict: unknown fields refused; int-or-string and quantities accept numbers. */
function strict(node) {
  if (Array.isArray(node)) return node.map(strict);
  if (!node || typeof node !== 'object') return node;
  if (node.format === 'int-or-string') return { oneOf: [{ type: 'string' }, { type: 'integer' }] };
  const out = {};
  for (const [k, v] of Object.entries(node))
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, strict(s)])) : strict(v);
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields'])
    out.additionalProperties = false;
  return out;
}

function refsOf(node, found) {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, found));
  else if (node && typeof node === 'object') {
    if (typeof node.$ref === 'string' && node.$ref.startsWith(REF)) found.push(node.$ref.slice(REF.length));
    for (const v of Object.values(node)) refsOf(v, found);
  }
}

/** kubeconform's file name for a kind: `<kind>[-<group's first label>]-<version>.json`, lower case. */
export function schemaFileName({ group, version, kind }) {
  return `${kind.toLowerCase()}${group ? `-${group.split('.')[0].toLowerCase()}` : ''}-${version.toLowerCase()}.json`;
}

/** Convert an OpenAPI v2 document into one self-contained strict JSON schema per kind (returns the count). */
export function writeKubeconformSchemas(swagger, outDir) {
  const defs = swagger.definitions;
  const strictDefs = {};
  for (const [name, def] of Object.entries(defs)) strictDefs[name] = strict(def);
  strictDefs[QUANTITY] = { ...strictDefs[QUANTITY], type: undefined, oneOf: [{ type: 'string' }, { type: 'number' }] };
  fs.mkdirSync(outDir, { recursive: true });
  let count = 0;
  for (const [name, def] of Object.entries(defs)) {
    for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
      // Only the definitions this kind reaches, so each file stays small and self-contained.
      const needed = new Set();
      const queue = [];
      refsOf(strictDefs[name], queue);
      while (queue.length) {
        const ref = queue.pop();
        if (needed.has(ref) || !strictDefs[ref]) continue;
        needed.add(ref);
        refsOf(strictDefs[ref], queue);
      }
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      const schema = {
        $schema: 'http://json-schema.org/draft-07/schema#',
        ...strictDefs[name],
        properties: {
          ...strictDefs[name].properties,
          apiVersion: { type: 'string', enum: [apiVersion] },
          kind: { type: 'string', enum: [gvk.kind] },
        },
        definitions: Object.fromEntries([...needed].sort().map((r) => [r, strictDefs[r]])),
      };
      fs.writeFileSync(path.join(outDir, schemaFileName(gvk)), JSON.stringify(schema));
      count += 1;
    }
  }
  return count;
}

/** Generate the schemas of the pinned Kubernetes release unless they are already there. */
export function ensureK8sSchemas({ log = console.log } = {}) {
  const outDir = path.join(SCHEMA_DIR, `v${KUBERNETES_VERSION}-standalone-strict`);
  const stamp = path.join(outDir, '.complete');
  if (fs.existsSync(stamp)) return outDir;
  log(`generating Kubernetes ${KUBERNETES_VERSION} JSON schemas for kubeconform (from the k8s.io/kubernetes Go module)`);
  fs.rmSync(outDir, { recursive: true, force: true });
  const count = writeKubeconformSchemas(JSON.parse(fs.readFileSync(kubernetesSwagger(), 'utf8')), outDir);
  fs.writeFileSync(stamp, `${count} kinds\n`);
  return outDir;
}

/**
 * A CRD's schemas (one per served version) in kubeconform's layout `<group>/<kind>_<version>.json`, made strict
 * as Kubernetes' own kinds are (unknown fields refused where the CRD lists the properties).
 */
export function writeCrdSchemas(crd, outDir) {
  const { group, names, versions } = crd.spec;
  const written = [];
  for (const v of versions.filter((x) => x.served)) {
    const schema = strict(v.schema.openAPIV3Schema);
    const file = path.join(outDir, group, `${names.kind.toLowerCase()}_${v.name}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      JSON.stringify({
        $schema: 'http://json-schema.org/draft-07/schema#',
        ...schema,
        properties: {
          ...schema.properties,
          apiVersion: { type: 'string', enum: [`${group}/${v.name}`] },
          kind: { type: 'string', enum: [names.kind] },
        },
      }),
    );
    written.push(file);
  }
  return written;
}

/** Generate the schemas of the chart's custom resources (CRD_SOURCES) unless they are already there. */
export function ensureCrdSchemas({ log = console.log } = {}) {
  const stamp = path.join(CRD_SCHEMA_DIR, '.complete');
  if (fs.existsSync(stamp)) return CRD_SCHEMA_DIR;
  log(`generating JSON schemas of the prometheus-operator ${CRD_SOURCES.version} CRDs for kubeconform (Go module)`);
  fs.rmSync(CRD_SCHEMA_DIR, { recursive: true, force: true });
  const dir = moduleDir(CRD_SOURCES);
  const files = CRD_SOURCES.files.flatMap((f) => writeCrdSchemas(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')), CRD_SCHEMA_DIR));
  fs.writeFileSync(stamp, `${files.map((f) => path.relative(CRD_SCHEMA_DIR, f)).join('\n')}\n`);
  return CRD_SCHEMA_DIR;
}
