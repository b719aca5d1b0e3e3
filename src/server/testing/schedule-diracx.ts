/**
 * The narrow DiracX double of the scheduler tests: refresh tokens are single use as at DiracX (a reused one
 * is refused), the BFF's own authorization-code exchange names the signed-in user by its code, and
 * submissions are recorded (or refused with `refuseSubmissions`, or unreachable with `down`).
 */
import type { Principal } from '../auth/verify.ts';
import type { ConfigInput, InstanceConfig } from '../config.ts';
import { DiracxError, DiracxUnreachableError, type DiracxClient } from '../diracx/client.ts';
import { problems } from '../errors.ts';
import type { Scheduler } from '../schedules/scheduler.ts';
import { testPrincipal } from './principal.ts';
import { unitApp } from './unit-app.ts';
import { sandboxStoreDouble } from './sandbox-double.ts';

export interface ScheduleDiracx {
  client: DiracxClient;
  /** Refresh tokens DiracX would still accept (one use each). */
  live: Set<string>;
  /** The JDLs of each submission call. */
  submitted: string[][];
  /** The input sandbox files of a submitted JDL: its wrapper script (`escape-job.sh`) says what it runs. */
  sandboxFilesOf: (jdl: string) => Record<string, string>;
  /** What one submitted job runs: its branch of the wrapper script. */
  jobBranchOf: (jdl: string) => string;
  refuseSubmissions: string | null;
  /** What of DiracX is down (connection refused): its token endpoint, its job submission, or nothing. */
  down: 'token' | 'submit' | null;
  nextJob: number;
}

export function scheduleDiracx(instance: Pick<InstanceConfig, 'id'>): ScheduleDiracx {
  const sandboxes = sandboxStoreDouble();
  const state: ScheduleDiracx = {
    client: null as unknown as DiracxClient,
    live: new Set(),
    submitted: [],
    sandboxFilesOf: sandboxes.filesOf,
    jobBranchOf: sandboxes.jobBranchOf,
    refuseSubmissions: null,
    down: null,
    nextJob: 100,
  };
  state.client = {
    instance,
    async relayToken(form: URLSearchParams) {
      if (state.down === 'token') throw new DiracxUnreachableError('token', new Error('connect ECONNREFUSED'));
      if (form.get('grant_type') === 'authorization_code') {
        state.live.add(`rt-code-${form.get('code')}`);
        return {
          status: 200,
          body: { access_token: form.get('code'), refresh_token: `rt-code-${form.get('code')}`, expires_in: 1200, token_type: 'bearer' },
        };
      }
      if (!state.live.delete(form.get('refresh_token')!))
        return { status: 401, body: { detail: 'Revoked refresh token reused: potential attack detected. You must authenticate again' } };
      const fresh = `rt-${Math.random()}`;
      state.live.add(fresh);
      return { status: 200, body: { access_token: `alice`, refresh_token: fresh, expires_in: 1200, token_type: 'bearer' } };
    },
    async relayRevoke(form: URLSearchParams) {
      state.live.delete(form.get('token')!);
      return { status: 200, body: 'Refresh token revoked' };
    },
    ...sandboxes.client,
    async submitJdl(_token: string, jdls: string[]) {
      if (state.down === 'submit') throw new DiracxUnreachableError('submit', new Error('connect ECONNREFUSED'));
      if (state.refuseSubmissions) throw new DiracxError(400, state.refuseSubmissions, 'submit');
      state.submitted.push(jdls);
      return jdls.map(() => ({
        JobID: state.nextJob++,
        Status: 'Received',
        MinorStatus: 'Job accepted',
        TimeStamp: new Date().toISOString(),
      }));
    },
    async searchJobs() {
      return { rows: [], total: 0 };
    },
  } as unknown as DiracxClient;
  return state;
}

/**
 * The app of the scheduler tests: buildApp with this double, the scheduler in `ref.current`, and a
 * token verifier where the bearer token is a user name of `users`.
 */
export async function scheduleApp(opts: {
  instance: ConfigInput['instances'][number];
  users: Record<string, Partial<Principal>>;
  config: Partial<ConfigInput>;
}) {
  const dx = scheduleDiracx(opts.instance);
  const ref: { current?: Scheduler } = {};
  const built = await unitApp({
    instances: [opts.instance],
    config: opts.config,
    diracx: () => dx.client,
    build: { schedulerRef: ref },
    verifyToken: async (token) => {
      const u = opts.users[token];
      if (!u) throw problems.unauthenticated('The access token is invalid');
      return testPrincipal(opts.instance, { token, ...u });
    },
  });
  return { ...built, dx, ref };
}
