/** Every route of the SPA, in one place (links go through these, never literal strings). */
export const paths = {
  home: { path: '/', getHref: () => '/' },
  signIn: { path: '/signin', getHref: (returnTo?: string) => (returnTo && returnTo !== '/' ? `/signin?returnTo=${encodeURIComponent(returnTo)}` : '/signin') },
  authCallback: { path: '/auth/callback', getHref: () => '/auth/callback' },
  basket: { path: '/basket', getHref: () => '/basket' },
  resources: { path: '/resources', getHref: () => '/resources' },
  workflows: {
    path: '/workflows',
    getHref: () => '/workflows',
    /** One workflow's parameter form. */
    detail: { path: '/workflows/:workflowId', getHref: (id: string) => `/workflows/${encodeURIComponent(id)}` },
    /** The launch page of one workflow (parameters, input data, resources, summary, submit). */
    launch: { path: '/workflows/:workflowId/launch', getHref: (id: string) => `/workflows/${encodeURIComponent(id)}/launch` },
  },
  launches: {
    path: '/launches',
    getHref: () => '/launches',
    /** Progress of one launch. */
    detail: { path: '/launches/:launchId', getHref: (id: string) => `/launches/${encodeURIComponent(id)}` },
  },
  jobs: {
    path: '/jobs',
    /** The jobs list, optionally only the jobs of one JobGroup (a production). */
    getHref: (filter: { jobGroup?: string } = {}) => (filter.jobGroup ? `/jobs?jobGroup=${encodeURIComponent(filter.jobGroup)}` : '/jobs'),
    detail: { path: '/jobs/:jobId', getHref: (id: number | string) => `/jobs/${id}` },
  },
  productions: { path: '/productions', getHref: () => '/productions' },
  accounting: { path: '/accounting', getHref: () => '/accounting' },
  schedules: { path: '/schedules', getHref: () => '/schedules' },
} as const;
