import { type DATA_LEVELS } from '../../../contracts/datasets.ts';
import { ScheduleSourceSchema, type ScheduleSource } from '../../../contracts/schedules.ts';

/** What the inputs fields of the schedule dialog hold (text, as typed); `checkSourceDraft` turns it into the contract's shape. */
export interface SourceDraft {
  mode: 'snapshot' | 'catalogue' | 'rucio' | 'zooniverse';
  projectId: string;
  dataLevel: '' | (typeof DATA_LEVELS)[number];
  from: string;
  to: string;
  q: string;
  scope: string;
  name: string;
  zooProject: string;
  zooWorkflow: string;
  maxFiles: string;
}

export type SourceErrors = Partial<Record<keyof SourceDraft, string>>;

export function sourceDraftOf(s: ScheduleSource = { kind: 'snapshot' }): SourceDraft {
  const d: SourceDraft = {
    mode: s.kind,
    projectId: '',
    dataLevel: '',
    from: '',
    to: '',
    q: '',
    scope: '',
    name: '',
    zooProject: '',
    zooWorkflow: '',
    maxFiles: s.kind !== 'snapshot' && s.maxFilesPerRun ? String(s.maxFilesPerRun) : '',
  };
  if (s.kind === 'catalogue')
    Object.assign(d, {
      projectId: s.filters.projectId ?? '',
      dataLevel: s.filters.dataLevel ?? '',
      from: s.filters.from ?? '',
      to: s.filters.to ?? '',
      q: s.filters.q ?? '',
    });
  if (s.kind === 'rucio') Object.assign(d, { scope: s.scope, name: s.name });
  if (s.kind === 'zooniverse') Object.assign(d, { zooProject: s.projectId, zooWorkflow: s.workflowId ?? '' });
  return d;
}

const FIELD: Record<string, keyof SourceDraft> = {
  projectId: 'projectId',
  dataLevel: 'dataLevel',
  from: 'from',
  to: 'to',
  q: 'q',
  scope: 'scope',
  name: 'name',
  workflowId: 'zooWorkflow',
  maxFilesPerRun: 'maxFiles',
};

/** The source the draft describes (checked with the contract's schema), or the messages per field. */
export function checkSourceDraft(d: SourceDraft): { source: ScheduleSource | null; errors: SourceErrors } {
  const opt = (v: string) => (v.trim() ? v.trim() : undefined);
  const maxFilesPerRun = d.maxFiles.trim() ? Number(d.maxFiles) : undefined;
  const raw =
    d.mode === 'snapshot'
      ? { kind: 'snapshot' }
      : d.mode === 'catalogue'
        ? {
            kind: 'catalogue',
            filters: { projectId: opt(d.projectId), dataLevel: opt(d.dataLevel), from: opt(d.from), to: opt(d.to), q: opt(d.q) },
            maxFilesPerRun,
          }
        : d.mode === 'rucio'
          ? { kind: 'rucio', scope: d.scope, name: d.name, maxFilesPerRun }
          : { kind: 'zooniverse', projectId: d.zooProject, workflowId: opt(d.zooWorkflow), maxFilesPerRun };
  const parsed = ScheduleSourceSchema.safeParse(raw);
  if (parsed.success) return { source: parsed.data, errors: {} };
  const errors: SourceErrors = {};
  for (const issue of parsed.error.issues) {
    const last = String(issue.path[issue.path.length - 1] ?? '');
    const field = d.mode === 'zooniverse' && last === 'projectId' ? 'zooProject' : (FIELD[last] ?? 'mode');
    errors[field] ??= issue.message;
  }
  return { source: null, errors };
}

/** A schedule's inputs in a few words, for the list ("New files of Rucio cta:lst1.dl0"). */
export function describeSource(s: ScheduleSource): string | null {
  switch (s.kind) {
    case 'snapshot':
      return null;
    case 'catalogue': {
      const f = s.filters;
      const parts = [f.projectId, f.dataLevel, f.q && `“${f.q}”`, f.from && `from ${f.from}`, f.to && `until ${f.to}`].filter(Boolean);
      return `New files of the catalogue${parts.length ? `: ${parts.join(' ')}` : ''}`;
    }
    case 'rucio':
      return `New files of Rucio ${s.scope}:${s.name}`;
    case 'zooniverse':
      return `New classifications of Zooniverse project ${s.projectId}${s.workflowId ? ` (workflow ${s.workflowId})` : ''}`;
  }
}
