// Build the portal's OCI image without a container engine or a base image (none can be pulled here):
//   stage 1 (build): the SPA (vite build: pre-compressed assets, no source maps in dist/) and the BFF's
//                    runtime dependencies, the closure of what src/server imports, copied from node_modules
//                    at the locked versions (no dev dependencies, no React/MUI: the SPA is already built);
//   stage 2 (runtime, from scratch): layer 1 = Node 24 from the npm `node` package (debug symbols stripped)
//                    and the shared libraries it links, taken from this machine's Debian packages (listed
//                    with their versions in /usr/share/doc/escape-portal/debian-packages.txt), /etc/passwd
//                    with the non-root user 10001, /tmp; layer 2 = /app (built SPA, src/server,
//                    src/contracts, workflows).
// Output: an OCI image layout in build/image/oci (and build/image/escape-portal.oci.tar for
// `podman load` / `skopeo copy oci-archive:`). Entrypoint: node /app/src/server/server.ts as 10001:10001,
// PORTAL_MODE=production. Usage: node scripts/image/build.mjs [--tag escape/batch-portal:0.1.0]
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ensureSpaBuild } from '../lib/build.mjs';
import { ROOT } from '../lib/stack.mjs';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const argTag = process.argv.indexOf('--tag');
const TAG = argTag > 0 ? process.argv[argTag + 1] : `escape/batch-portal:${pkg.version}`;
const OUT = path.join(ROOT, 'build/image');
const UID = 10001;
// Reproducible layers: fixed ownership and mtimes (SOURCE_DATE_EPOCH, else the last commit's time).
const EPOCH =
  process.env.SOURCE_DATE_EPOCH ?? spawnSync('git', ['log', '-1', '--format=%ct'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  return r.stdout;
}

function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true, dereference: true });
}

// ---- stage 1: build ----
ensureSpaBuild();
const dist = path.join(ROOT, 'dist');
if (fs.readdirSync(path.join(dist, 'assets')).some((f) => f.endsWith('.map'))) throw new Error('dist/ holds source maps');

const isRuntimeSource = (rel) =>
  rel.endsWith('.ts') && !/\.test\.ts$|\.d\.ts$/.test(rel) && !rel.split(path.sep).some((p) => p === 'testing' || p === 'testdata');

function sourcesUnder(dir) {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true })
    .map((rel) => path.join(dir, rel))
    .filter((rel) => isRuntimeSource(rel) || rel.endsWith('.json'));
}
const appSources = [...sourcesUnder('src/server'), ...sourcesUnder('src/contracts')];

/** Bare package names the runtime sources import. */
function importedPackages() {
  const names = new Set();
  for (const rel of appSources.filter((f) => f.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(ROOT, rel), 'utf8');
    const specs = [
      ...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*'([@a-z0-9][^'\s]*)'/gm),
      ...text.matchAll(/\bimport\(\s*'([@a-z0-9.][^'\s]*)'\s*\)/g),
    ];
    for (const [, spec] of specs) {
      if (spec.startsWith('.') || spec.startsWith('node:')) continue;
      names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  }
  return names;
}

/** node_modules directories needed at run time: the imported packages and their dependencies, resolved as Node does. */
function dependencyClosure(roots) {
  const nm = path.join(ROOT, 'node_modules');
  const found = new Set();
  const resolve = (name, fromDir) => {
    for (let dir = fromDir; dir.startsWith(nm); dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', name);
      if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    }
    const top = path.join(nm, name);
    return fs.existsSync(path.join(top, 'package.json')) ? top : null;
  };
  const visit = (dir) => {
    if (found.has(dir)) return;
    found.add(dir);
    const p = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys({ ...p.dependencies, ...p.optionalDependencies })) {
      const at = resolve(dep, dir);
      if (at) visit(at);
      else if (!p.optionalDependencies?.[dep]) throw new Error(`${dep} (needed by ${p.name}) is not installed`);
    }
  };
  for (const name of roots) {
    const at = resolve(name, nm);
    if (!at) throw new Error(`${name} is imported by the BFF but not installed`);
    visit(at);
  }
  return [...found].map((d) => path.relative(ROOT, d)).sort();
}

// ---- stage 2: the runtime filesystem ----
const stage = path.join(OUT, 'rootfs');
fs.rmSync(OUT, { recursive: true, force: true });
const base = path.join(stage, 'base');
const app = path.join(stage, 'app');

// layer 1: Node and what it links
const nodeBin = fs.realpathSync(path.join(ROOT, 'node_modules/node/bin/node'));
fs.mkdirSync(path.join(base, 'usr/local/bin'), { recursive: true });
sh('objcopy', ['--strip-debug', nodeBin, path.join(base, 'usr/local/bin/node')]);
const libs = [...sh('ldd', [nodeBin]).matchAll(/(\/\S+\.so[.\d]*)/g)].map((m) => m[1]);
const debs = new Set();
for (const lib of new Set(libs)) {
  copy(lib, path.join(base, lib));
  // merged /usr: dpkg knows a file by the path its package ships, /lib/… or /usr/lib/…
  for (const candidate of [lib, fs.realpathSync(lib), fs.realpathSync(lib).replace(/^\/usr\/lib\//, '/lib/')]) {
    const owner = spawnSync('dpkg', ['-S', candidate], { encoding: 'utf8' }).stdout.split(':')[0];
    if (owner) {
      debs.add(owner);
      break;
    }
  }
}
const versions = sh('dpkg-query', ['-W', '-f', '${Package}:${Architecture} ${Version}\n', ...[...debs].map((d) => d.split(':')[0])]);
const nodeVersion = sh(nodeBin, ['--version']).trim();
fs.mkdirSync(path.join(base, 'usr/share/doc/escape-portal'), { recursive: true });
fs.writeFileSync(
  path.join(base, 'usr/share/doc/escape-portal/debian-packages.txt'),
  `# Shared libraries of Node ${nodeVersion} (npm package node@${JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/node/package.json'), 'utf8')).version}), from these Debian packages:\n${versions}`,
);
fs.mkdirSync(path.join(base, 'etc'), { recursive: true });
fs.writeFileSync(
  path.join(base, 'etc/passwd'),
  `root:x:0:0:root:/root:/sbin/nologin\nportal:x:${UID}:${UID}:ESCAPE portal:/tmp:/sbin/nologin\n`,
);
fs.writeFileSync(path.join(base, 'etc/group'), `root:x:0:\nportal:x:${UID}:\n`);
fs.mkdirSync(path.join(base, 'tmp'), { recursive: true });

// layer 2: the application
for (const rel of appSources) copy(path.join(ROOT, rel), path.join(app, 'app', rel));
copy(dist, path.join(app, 'app/dist'));
copy(path.join(ROOT, 'workflows'), path.join(app, 'app/workflows'));
const modules = dependencyClosure(importedPackages());
for (const rel of modules) copy(path.join(ROOT, rel), path.join(app, 'app', rel));
// "type": "module" makes Node read the .ts sources as ES modules; nothing else of package.json is needed.
fs.writeFileSync(
  path.join(app, 'app/package.json'),
  `${JSON.stringify({ name: pkg.name, version: pkg.version, private: true, type: 'module' }, null, 2)}\n`,
);

// ---- OCI image layout ----
const blobs = path.join(OUT, 'oci/blobs/sha256');
fs.mkdirSync(blobs, { recursive: true });
const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');
function blob(buf, mediaType) {
  const digest = sha256(buf);
  fs.writeFileSync(path.join(blobs, digest), buf);
  return { mediaType, digest: `sha256:${digest}`, size: buf.length };
}
function layer(dir, { tmpMode = false } = {}) {
  const tarFile = `${dir}.tar`;
  const args = ['--create', '--file', tarFile, '--directory', dir, '--sort=name', `--mtime=@${EPOCH}`];
  args.push(
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '--format=posix',
    '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
  );
  if (tmpMode) fs.chmodSync(path.join(dir, 'tmp'), 0o1777);
  sh('tar', [...args, '.']);
  const tar = fs.readFileSync(tarFile);
  return {
    diffId: `sha256:${sha256(tar)}`,
    descriptor: blob(zlib.gzipSync(tar, { level: 9 }), 'application/vnd.oci.image.layer.v1.tar+gzip'),
    size: tar.length,
  };
}
sh('chmod', ['-R', 'u=rwX,go=rX', base, app]);
const layers = [layer(base, { tmpMode: true }), layer(app)];
const created = new Date(Number(EPOCH) * 1000).toISOString();
const config = {
  created,
  architecture: 'amd64',
  os: 'linux',
  config: {
    User: `${UID}:${UID}`,
    Entrypoint: ['/usr/local/bin/node', '/app/src/server/server.ts'],
    Env: ['PATH=/usr/local/bin', 'NODE_ENV=production', 'PORTAL_MODE=production', 'PORTAL_CONFIG=/etc/escape-portal/portal.json'],
    WorkingDir: '/app',
    ExposedPorts: { '8080/tcp': {} },
    Labels: {
      'org.opencontainers.image.title': 'ESCAPE Batch Portal',
      'org.opencontainers.image.version': pkg.version,
      'org.opencontainers.image.description': 'SPA + BFF in front of DiracX (production mode); see docs/operations.md',
    },
  },
  rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
  history: [
    { created, created_by: `scripts/image/build.mjs: Node ${nodeVersion} and its Debian shared libraries, user ${UID}` },
    { created, created_by: 'scripts/image/build.mjs: /app (built SPA, BFF sources, runtime dependencies, workflows)' },
  ],
};
const configDesc = blob(Buffer.from(JSON.stringify(config)), 'application/vnd.oci.image.config.v1+json');
const manifest = {
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: configDesc,
  layers: layers.map((l) => l.descriptor),
};
const manifestDesc = blob(Buffer.from(JSON.stringify(manifest)), 'application/vnd.oci.image.manifest.v1+json');
fs.writeFileSync(path.join(OUT, 'oci/oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
fs.writeFileSync(
  path.join(OUT, 'oci/index.json'),
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ ...manifestDesc, annotations: { 'org.opencontainers.image.ref.name': TAG } }],
  }),
);
sh('tar', [
  '--create',
  '--file',
  path.join(OUT, 'escape-portal.oci.tar'),
  '--directory',
  path.join(OUT, 'oci'),
  '--sort=name',
  `--mtime=@${EPOCH}`,
  '.',
]);
fs.rmSync(stage, { recursive: true, force: true });

const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
const compressed = layers.reduce((s, l) => s + l.descriptor.size, 0);
console.log(`image ${TAG}: ${manifestDesc.digest}`);
console.log(
  `  layers: ${layers.map((l) => `${mb(l.descriptor.size)} (${mb(l.size)} unpacked)`).join(', ')}; total ${mb(compressed)} compressed`,
);
console.log(`  ${modules.length} runtime packages; Node ${nodeVersion}; Debian libraries from ${[...debs].join(', ')}`);
console.log(
  `  ${path.relative(ROOT, path.join(OUT, 'oci'))} (OCI layout), ${path.relative(ROOT, path.join(OUT, 'escape-portal.oci.tar'))}`,
);
