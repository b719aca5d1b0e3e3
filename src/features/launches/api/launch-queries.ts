import type { LaunchStatus } from '../../../contracts/launches.ts';

/** The BFF is still submitting this launch's jobs. */
export const isLaunchActive = (status: LaunchStatus) => status === 'pending' || status === 'submitting';

/**
 * How often a launch being submitted is checked (the BFF runs it; the page only watches). A launch
 * is followed on its production's page, whose query (features/productions) polls at this pace.
 */
export const LAUNCH_POLL_MS = 2_000;
