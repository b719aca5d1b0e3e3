import { createDiracxClient, type DiracxClient } from '../src/server/diracx/client.ts';
import type { InstanceConfig } from '../src/server/config.ts';
import { renderJdl } from '../src/server/jdl/render.ts';
import { stack } from './support.ts';

/** Test data for the monitor specs, made through DiracX's own API (never assumed to exist). */
export const diracx: DiracxClient = createDiracxClient({
  id: 'local',
  label: 'Local',
  url: stack().urls.diracx,
  clientId: stack().portalClientId,
} as InstanceConfig);

export async function submitJobs(token: string, jobGroup: string, names: string[]): Promise<number[]> {
  const inserted = await diracx.submitJdl(
    token,
    names.map((JobName) => renderJdl({ JobName, JobGroup: jobGroup, Executable: 'echo', Arguments: JobName, CPUTime: 300 })),
  );
  return inserted.map((j) => j.JobID);
}
