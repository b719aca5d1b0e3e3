/**
 * The production page's "why did it fail" samples: DIRAC's minor status says what step failed, the end of the
 * job's std.err says why. One job per minor status (the newest), read from its output sandbox as the job page
 * does, with the caller's token (DiracX decides who may read it). Bounded: the newest FAILED_SCAN failed jobs
 * are grouped, at most `kinds` sandboxes are read, each through the bounded archive lister.
 */
import { STDERR_TAIL_CHARS, type FailureSample, type FailureSamples } from '../../contracts/productions.ts';
import type { DiracxClient, SearchSpec } from '../diracx/client.ts';
import { listSandboxArchive } from '../sandbox/archive.ts';

/** Failed jobs looked at, newest first. */
export const FAILED_SCAN = 200;

/** The last `chars` characters of a text, cut at a line start when one is near. */
export function tailOf(text: string, chars = STDERR_TAIL_CHARS): string {
  if (text.length <= chars) return text;
  const cut = text.slice(-chars);
  const nl = cut.indexOf('\n');
  return nl >= 0 && nl < chars / 4 ? cut.slice(nl + 1) : cut;
}

async function stderrOf(dx: DiracxClient, token: string, jobId: number): Promise<{ stderrTail: string | null; note: string | null }> {
  try {
    const { Output } = await dx.jobSandboxes(token, jobId);
    const pfn = Output.at(-1);
    if (!pfn) return { stderrTail: null, note: 'This job has no output sandbox.' };
    const { url } = await dx.sandboxDownloadUrl(token, pfn);
    const res = await dx.fetchPresigned(url);
    const members = await listSandboxArchive(res.body ?? new Uint8Array(), pfn);
    const err = members?.find((m) => m.name === 'std.err') ?? members?.find((m) => m.name.endsWith('.err'));
    if (!err) return { stderrTail: null, note: 'Its output sandbox has no std.err.' };
    if (err.head.includes(0)) return { stderrTail: null, note: 'Its std.err is not text.' };
    const text = err.head.toString('utf8');
    const cut = err.size > err.head.length;
    return {
      stderrTail: tailOf(text),
      note: cut ? `std.err is ${err.size} bytes: this is the end of its first ${err.head.length}.` : null,
    };
  } catch (e) {
    return { stderrTail: null, note: `Its std.err could not be read (${(e as Error).message.slice(0, 120)}).` };
  }
}

export async function failureSamples(dx: DiracxClient, token: string, search: SearchSpec[], kinds: number): Promise<FailureSamples> {
  const { rows, total } = await dx.searchJobs(
    token,
    {
      parameters: ['JobID', 'MinorStatus', 'ApplicationStatus'],
      search: [...search, { parameter: 'Status', operator: 'eq', value: 'Failed' }],
      sort: [{ parameter: 'JobID', direction: 'desc' }],
    },
    { page: 1, perPage: FAILED_SCAN },
  );
  const byMinor = new Map<string | null, { jobId: number; applicationStatus: string | null; count: number }>();
  for (const r of rows) {
    const key = r.MinorStatus == null ? null : String(r.MinorStatus);
    const seen = byMinor.get(key);
    if (seen) seen.count += 1;
    else
      byMinor.set(key, {
        jobId: Number(r.JobID),
        applicationStatus: r.ApplicationStatus == null ? null : String(r.ApplicationStatus),
        count: 1,
      });
  }
  const chosen = [...byMinor].sort((a, b) => b[1].count - a[1].count).slice(0, kinds);
  const items: FailureSample[] = await Promise.all(
    chosen.map(async ([minorStatus, s]) => ({ minorStatus, ...s, ...(await stderrOf(dx, token, s.jobId)) })),
  );
  return { items, looked: rows.length, truncated: total > rows.length };
}
