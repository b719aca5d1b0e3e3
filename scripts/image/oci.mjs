// The image built by scripts/image/build.mjs, run without a container engine (shared by the image smoke test
// and the production topology, so both test the shipped artifact): unpack its OCI layers into a root
// filesystem (digests checked), then start its entrypoint the way a runtime would: in a private mount
// namespace, the root mounted read-only, /tmp a tmpfs, volumes bind-mounted, chrooted (unshare --root) into its
// WorkingDir, as the image's user, with the image's environment (plus what a pod spec would add) only.
// Needs root (mount namespace, chroot).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import zlib from 'node:zlib';
import { expect } from '../lib/checks.mjs';
import { ROOT } from '../lib/stack.mjs';

export const OCI_DIR = path.join(ROOT, 'build/image/oci');

/** What the image is made of (scripts/image/build.mjs): newer files here than the image mean it is stale. */
const IMAGE_INPUTS = ['src/server', 'src/contracts', 'dist', 'workflows', 'scripts/image/build.mjs', 'package-lock.json'];

function newestMtime(rel) {
  const at = path.join(ROOT, rel);
  if (!fs.existsSync(at)) return 0;
  if (!fs.statSync(at).isDirectory()) return fs.statSync(at).mtimeMs;
  return Math.max(0, ...fs.readdirSync(at, { recursive: true }).map((f) => fs.statSync(path.join(at, f)).mtimeMs));
}

/** Build the image unless one at least as new as its inputs is there (npm test's `image` step builds it first). */
export function ensureImage() {
  const index = path.join(OCI_DIR, 'index.json');
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= Math.max(...IMAGE_INPUTS.map(newestMtime))) return false;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/image/build.mjs')], { stdio: 'inherit', cwd: ROOT });
  if (r.status !== 0) throw new Error(`scripts/image/build.mjs failed (exit ${r.status})`);
  return true;
}

/** Unpack the image's layers into `rootfs` (fresh), checking every digest. Returns its reference and config. */
export function unpackImage(rootfs) {
  const readBlob = (digest) => {
    const buf = fs.readFileSync(path.join(OCI_DIR, 'blobs/sha256', digest.replace(/^sha256:/, '')));
    if (`sha256:${crypto.createHash('sha256').update(buf).digest('hex')}` !== digest) throw new Error(`blob ${digest} is corrupt`);
    return buf;
  };
  fs.rmSync(rootfs, { recursive: true, force: true });
  fs.mkdirSync(rootfs, { recursive: true });
  const index = JSON.parse(fs.readFileSync(path.join(OCI_DIR, 'index.json'), 'utf8'));
  const manifest = JSON.parse(readBlob(index.manifests[0].digest).toString());
  const image = JSON.parse(readBlob(manifest.config.digest).toString());
  for (const [i, l] of manifest.layers.entries()) {
    const tar = zlib.gunzipSync(readBlob(l.digest));
    if (`sha256:${crypto.createHash('sha256').update(tar).digest('hex')}` !== image.rootfs.diff_ids[i])
      throw new Error(`layer ${i}: diff_id mismatch`);
    const r = spawnSync('tar', ['--extract', '--same-permissions', '--numeric-owner', '--directory', rootfs], { input: tar });
    if (r.status !== 0) throw new Error(`unpacking layer ${i}: ${r.stderr}`);
  }
  const [uid, gid] = image.config.User.split(':').map(Number);
  return { ref: index.manifests[0].annotations?.['org.opencontainers.image.ref.name'], image, uid, gid };
}

/**
 * The command that runs the image's entrypoint in `rootfs` (see the header). `volumes`: container path → host
 * directory, read-only unless `rw` lists it; `env`: variables a pod spec would add. Without `--fork`, the
 * returned command's process becomes the entrypoint's (sh and unshare exec): its pid is the BFF's, so signals
 * reach the BFF itself, as a container runtime delivers them.
 */
export function entrypointCommand({ rootfs, image, uid, gid, volumes = {}, rw = [], env = {} }) {
  const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
  const mounts = [`mount --bind ${q(rootfs)} ${q(rootfs)}`, `mount -o remount,bind,ro ${q(rootfs)}`];
  mounts.push(`mount -t tmpfs -o size=64m,mode=1777 tmpfs ${q(`${rootfs}/tmp`)}`);
  // Shorter paths first, so a volume inside another one (…/secrets in the config directory) lands on top of it.
  for (const [to, from] of Object.entries(volumes).sort(([a], [b]) => a.length - b.length)) {
    // Mount points must exist in the read-only root before it is remounted: made in the unpacked tree.
    fs.mkdirSync(path.join(rootfs, to), { recursive: true });
    mounts.push(`mount --bind ${q(from)} ${q(path.join(rootfs, to))}`);
    if (!rw.includes(to)) mounts.push(`mount -o remount,bind,ro ${q(path.join(rootfs, to))}`);
  }
  const envs = [...image.config.Env, ...Object.entries(env).map(([k, v]) => `${k}=${v}`)].map(q).join(' ');
  const run = `exec /usr/bin/env -i ${envs} /usr/bin/unshare --root=${q(rootfs)} --wd=${q(image.config.WorkingDir)} --setgid=${gid} --setuid=${uid} ${image.config.Entrypoint.map(q).join(' ')}`;
  return { cmd: '/usr/bin/unshare', args: ['--mount', '/bin/sh', '-ec', `${mounts.join('\n')}\n${run}`] };
}

/** Process `pid` is the image's entrypoint as started above: its user, chrooted into its WorkingDir, root read-only. */
export function expectRunsAsImage(pid, { rootfs, image, uid }) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  expect(
    new RegExp(`^Uid:\\s+${uid}\\s`, 'm').test(status),
    status.split('\n').find((l) => l.startsWith('Uid')),
  );
  expect(fs.readlinkSync(`/proc/${pid}/root`) === rootfs, 'not chrooted into the image');
  expect(fs.readlinkSync(`/proc/${pid}/cwd`) === path.join(rootfs, image.config.WorkingDir), 'not in the WorkingDir');
  // the process sees its own root as "/"
  const root = fs
    .readFileSync(`/proc/${pid}/mountinfo`, 'utf8')
    .split('\n')
    .find((l) => l.split(' ')[4] === '/');
  expect(root && / ro[, ]/.test(root), `root mount: ${root}`);
}
