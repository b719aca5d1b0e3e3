/** Every route of the SPA, in one place (links go through these, never literal strings). */
export const paths = {
  home: { path: '/', getHref: () => '/' },
  signIn: { path: '/signin', getHref: (returnTo?: string) => (returnTo && returnTo !== '/' ? `/signin?returnTo=${encodeURIComponent(returnTo)}` : '/signin') },
  authCallback: { path: '/auth/callback', getHref: () => '/auth/callback' },
  basket: { path: '/basket', getHref: () => '/basket' },
  resources: { path: '/resources', getHref: () => '/resources' },
  workflows: { path: '/workflows', getHref: () => '/workflows' },
  jobs: {
    path: '/jobs',
    getHref: () => '/jobs',
    detail: { path: '/jobs/:jobId', getHref: (id: number | string) => `/jobs/${id}` },
  },
  productions: { path: '/productions', getHref: () => '/productions' },
  accounting: { path: '/accounting', getHref: () => '/accounting' },
  schedules: { path: '/schedules', getHref: () => '/schedules' },
} as const;
