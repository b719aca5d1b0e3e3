/** Every route of the SPA, in one place (links go through these, never literal strings). */
export const paths = {
  home: { path: '/', getHref: () => '/' },
  signIn: {
    path: '/signin',
    getHref: (returnTo?: string) => (returnTo && returnTo !== '/' ? `/signin?returnTo=${encodeURIComponent(returnTo)}` : '/signin'),
  },
  authCallback: { path: '/auth/callback', getHref: () => '/auth/callback' },
  basket: { path: '/basket', getHref: () => '/basket' },
  resources: { path: '/resources', getHref: () => '/resources' },
  workflows: {
    path: '/workflows',
    getHref: () => '/workflows',
    /** One workflow's parameter form. */
    detail: { path: '/workflows/:workflowId', getHref: (id: string) => `/workflows/${encodeURIComponent(id)}` },
    /** The launch page of one workflow (parameters, input data, resources, summary, submit), at its newest published version or `version`. */
    launch: {
      path: '/workflows/:workflowId/launch',
      getHref: (id: string, version?: number | null) =>
        `/workflows/${encodeURIComponent(id)}/launch${version ? `?version=${version}` : ''}`,
    },
  },
  launches: {
    path: '/launches',
    getHref: () => '/launches',
    /** Progress of one launch. */
    detail: { path: '/launches/:launchId', getHref: (id: string) => `/launches/${encodeURIComponent(id)}` },
  },
  jobs: {
    path: '/jobs',
    /** The job monitor, optionally filtered (e.g. the jobs of one JobGroup, a production, in some statuses). */
    getHref: (
      filter: { jobGroup?: string; status?: string | readonly string[]; minorStatus?: string; site?: string; owner?: string } = {},
    ) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(filter)) {
        const text = Array.isArray(value) ? value.join(',') : (value as string | undefined);
        if (text) params.set(key, text);
      }
      const qs = params.toString();
      return qs ? `/jobs?${qs}` : '/jobs';
    },
    detail: { path: '/jobs/:jobId', getHref: (id: number | string) => `/jobs/${id}` },
  },
  productions: {
    path: '/productions',
    getHref: () => '/productions',
    /** One production (a launch and its JobGroup): progress, failures, bulk actions, relaunch. */
    detail: { path: '/productions/:productionId', getHref: (id: string) => `/productions/${encodeURIComponent(id)}` },
  },
  accounting: { path: '/accounting', getHref: () => '/accounting' },
  /** Administrators: the application catalogue (descriptors, versions, OSSR/Zenodo imports). */
  catalogue: { path: '/admin/catalogue', getHref: () => '/admin/catalogue' },
  schedules: { path: '/schedules', getHref: () => '/schedules' },
} as const;
