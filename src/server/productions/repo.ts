import { z } from 'zod';
import type { LaunchStatus } from '../../contracts/launches.ts';
import type { Principal } from '../auth/verify.ts';
import type { Database } from '../db/database.ts';

/**
 * Which launch rows (productions) of the BFF database a user may see, by the rule
 * jobs/visibility.ts applies to DiracX searches: a scientist their own, a PI those launched from
 * the groups they manage (same VO), an admin every launch of the instance.
 */
export function visibleLaunches(p: Principal, alias = 'l'): { where: string; params: unknown[] } {
  const params: unknown[] = [p.instance.id];
  const col = (c: string) => `${alias}.${c}`;
  const clauses = [`${col('instance_id')} = $1`];
  if (p.role === 'pi') {
    params.push(p.vo);
    clauses.push(`${col('vo')} = $2`);
    const groups = p.managedGroups.map((g) => {
      params.push(g);
      return `$${params.length}`;
    });
    clauses.push(groups.length ? `${col('dirac_group')} IN (${groups.join(', ')})` : '1 = 0');
  } else if (p.role !== 'admin') {
    params.push(p.sub);
    clauses.push(`${col('owner_sub')} = $2`);
  }
  return { where: clauses.join(' AND '), params };
}

export interface ProductionFilters {
  owner?: string | undefined;
  workflow?: string | undefined;
  /** YYYY-MM-DD, UTC, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
}

const Row = z.object({
  id: z.string(),
  name: z.string(),
  job_group: z.string(),
  workflow_id: z.string(),
  owner_name: z.string(),
  dirac_group: z.string(),
  status: z.string(),
  total_jobs: z.coerce.number(),
  submitted_jobs: z.coerce.number(),
  created_at: z.string(),
});

export interface ProductionRow {
  id: string;
  name: string;
  jobGroup: string;
  workflowId: string;
  owner: string;
  ownerGroup: string;
  launchStatus: LaunchStatus;
  totalJobs: number;
  submittedJobs: number;
  createdAt: string;
}

const toRow = (raw: unknown): ProductionRow => {
  const r = Row.parse(raw);
  return {
    id: r.id,
    name: r.name,
    jobGroup: r.job_group,
    workflowId: r.workflow_id,
    owner: r.owner_name,
    ownerGroup: r.dirac_group,
    launchStatus: r.status as LaunchStatus,
    totalJobs: r.total_jobs,
    submittedJobs: r.submitted_jobs,
    createdAt: r.created_at,
  };
};

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();

const SELECT = `SELECT l.id, l.name, l.job_group, l.workflow_id, l.owner_name, l.dirac_group, l.status, l.total_jobs, l.created_at,
  (SELECT COUNT(*) FROM launch_jobs j WHERE j.launch_id = l.id AND j.status = 'submitted') AS submitted_jobs
  FROM launches l`;

export function createProductionRepo(db: Database) {
  function filtered(p: Principal, f: ProductionFilters) {
    const { where, params } = visibleLaunches(p);
    const clauses = [where];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      clauses.push(sql(`$${params.length}`));
    };
    if (f.owner) add((n) => `l.owner_name = ${n}`, f.owner);
    if (f.workflow) add((n) => `l.workflow_id = ${n}`, f.workflow);
    if (f.from) add((n) => `l.created_at >= ${n}`, `${f.from}T00:00:00.000Z`);
    if (f.to) add((n) => `l.created_at < ${n}`, nextDay(f.to));
    return { where: clauses.join(' AND '), params };
  }

  return {
    /** Visible productions matching the filters, newest first. */
    async list(
      p: Principal,
      f: ProductionFilters,
      page: { limit: number; offset: number },
    ): Promise<{ rows: ProductionRow[]; total: number }> {
      const { where, params } = filtered(p, f);
      const n = params.length;
      const rows = await db.query(`${SELECT} WHERE ${where} ORDER BY l.created_at DESC, l.id LIMIT $${n + 1} OFFSET $${n + 2}`, [
        ...params,
        page.limit,
        page.offset,
      ]);
      const count = await db.one<{ n: unknown }>(`SELECT COUNT(*) AS n FROM launches l WHERE ${where}`, params);
      return { rows: rows.map(toRow), total: Number(count?.n ?? 0) };
    },

    /** Owners and workflows among the visible productions (filter menus). */
    async facets(p: Principal): Promise<{ owners: string[]; workflows: string[] }> {
      const { where, params } = visibleLaunches(p);
      const owners = await db.query<{ v: string }>(`SELECT DISTINCT l.owner_name AS v FROM launches l WHERE ${where} ORDER BY v`, params);
      const workflows = await db.query<{ v: string }>(
        `SELECT DISTINCT l.workflow_id AS v FROM launches l WHERE ${where} ORDER BY v`,
        params,
      );
      return { owners: owners.map((r) => r.v), workflows: workflows.map((r) => r.v) };
    },

    /** One production, if the user may see it. */
    async get(p: Principal, id: string): Promise<ProductionRow | undefined> {
      const { where, params } = visibleLaunches(p);
      const row = await db.one(`${SELECT} WHERE ${where} AND l.id = $${params.length + 1}`, [...params, id]);
      return row === undefined ? undefined : toRow(row);
    },
  };
}
export type ProductionRepo = ReturnType<typeof createProductionRepo>;
