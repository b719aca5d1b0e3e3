import zlib from 'node:zlib';
import type { DiracxClient } from '../diracx/client.ts';
import { untar } from '../sandbox/tar.ts';

/**
 * DiracX's sandbox store as a unit-test double: every launch now uploads its wrapper script (issue #15), so a
 * DiracX double that submits jobs must also take sandboxes. It keeps each upload's files by PFN, so a test can
 * read what a submitted job runs (`filesOf(jdl)`).
 */
export function sandboxStoreDouble() {
  const byPfn = new Map<string, Record<string, string>>();
  const client: Pick<DiracxClient, 'initiateSandbox' | 'uploadSandbox'> = {
    initiateSandbox: async (_token, info) => ({
      pfn: `SB:SandboxSE|/S3/sandboxes/sha256:${info.checksum}.${info.format}`,
      url: `memory://${info.checksum}`,
      fields: {},
    }),
    uploadSandbox: async (url, _fields, bytes) => {
      const members = untar(zlib.zstdDecompressSync(bytes));
      byPfn.set(
        `SB:SandboxSE|/S3/sandboxes/sha256:${url.slice('memory://'.length)}.tar.zst`,
        Object.fromEntries(members.map((m) => [m.name, m.content.toString('utf8')])),
      );
    },
  };
  /** The input sandbox files of a submitted JDL (empty when it has none or it was never uploaded here). */
  const filesOf = (jdl: string) => byPfn.get(/InputSandbox = \{"([^"]+)"\}/.exec(jdl)?.[1] ?? '') ?? {};
  /** The wrapper script's branch for this JDL's job (`Arguments` is its index): what that one job runs. */
  const jobBranchOf = (jdl: string) => {
    const index = /Arguments = "(\d+)";/.exec(jdl)?.[1];
    const script = filesOf(jdl)['escape-job.sh'] ?? '';
    return index === undefined ? '' : (new RegExp(`^${index}\\)\\n([\\s\\S]*?)\\n  ;;`, 'm').exec(script)?.[1] ?? '');
  };
  return { client, filesOf, jobBranchOf };
}
