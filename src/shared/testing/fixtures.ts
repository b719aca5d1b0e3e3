import type { InstanceSummary, Me } from '../../contracts/auth.ts';
import type { BasketItem } from '../../contracts/datasets.ts';
import type { JobDetail, JobPage, JobSummary } from '../../contracts/jobs.ts';

export function makeMe(overrides: Partial<Me> = {}): Me {
  return {
    sub: 'sub-alice',
    username: 'alice',
    vo: 'escape',
    group: 'scientists',
    properties: ['NormalUser'],
    role: 'scientist',
    managedGroups: [],
    instance: { id: 'local', label: 'Local DiracX' },
    tokenExpiresAt: '2030-01-01T00:00:00Z',
    ...overrides,
  };
}

export function makeJob(overrides: Partial<JobSummary> = {}): JobSummary {
  return {
    jobId: 101,
    jobName: 'hello-world',
    status: 'Running',
    minorStatus: 'Application',
    applicationStatus: 'Unknown',
    site: 'LCG.CERN-HTC.ch',
    jobGroup: null,
    owner: 'alice',
    ownerGroup: 'scientists',
    vo: 'escape',
    submissionTime: '2025-11-25T10:00:00',
    lastUpdateTime: '2025-11-25T10:02:00',
    startExecTime: '2025-11-25T10:01:00',
    endExecTime: null,
    ...overrides,
  };
}

export function makeJobPage(items: JobSummary[], overrides: Partial<JobPage> = {}): JobPage {
  return { items, total: items.length, page: 1, perPage: 10, ...overrides };
}

export function makeJobDetail(overrides: Partial<JobSummary> = {}, extra: Partial<Omit<JobDetail, 'job'>> = {}): JobDetail {
  const job = makeJob(overrides);
  return {
    job,
    attributes: { JobID: job.jobId, Status: job.status, Owner: job.owner ?? null, CPUTime: 300 },
    history: [
      { status: 'Received', minorStatus: 'Job accepted', applicationStatus: 'Unknown', source: 'JobManager', time: '2025-11-25T10:00:00' },
      {
        status: 'Waiting',
        minorStatus: 'Pilot Agent Submission',
        applicationStatus: 'Unknown',
        source: 'JobScheduling',
        time: '2025-11-25T10:00:20',
      },
      { status: 'Matched', minorStatus: 'Assigned', applicationStatus: 'Unknown', source: 'Matcher', time: '2025-11-25T10:00:40' },
      { status: job.status, minorStatus: job.minorStatus, applicationStatus: 'Unknown', source: 'JobWrapper', time: '2025-11-25T10:01:00' },
    ],
    jdl: '[\n  Executable = "echo";\n  Arguments = "Hello, world!";\n  JobName = "hello-world";\n]',
    exitCodeReason: null,
    ...extra,
  };
}

export function makeInstance(overrides: Partial<InstanceSummary> = {}): InstanceSummary {
  return {
    id: 'local',
    label: 'Local DiracX',
    clientId: 'myDIRACClientID',
    metadataUrl: '/bff/v1/instances/local/oidc/.well-known/openid-configuration',
    reachable: true,
    vos: [
      {
        name: 'escape',
        defaultGroup: 'scientists',
        groups: [
          { name: 'admins', properties: ['JobAdministrator', 'NormalUser'] },
          { name: 'pis', properties: ['JobSharing', 'NormalUser'] },
          { name: 'scientists', properties: ['NormalUser'] },
        ],
      },
    ],
    ...overrides,
  };
}

/** A basket item (a catalogue LFN unless told otherwise). */
export function makeBasketItem(over: Partial<BasketItem> & Pick<BasketItem, 'id' | 'ref' | 'name'>): BasketItem {
  return {
    kind: 'lfn',
    sizeBytes: null,
    dataLevel: null,
    projectId: null,
    source: 'catalogue',
    group: null,
    addedAt: '2026-02-01T10:00:00.000Z',
    meta: {},
    ...over,
  };
}
