export type SeedRole = 'scientist' | 'pi' | 'admin';
export declare const SEED_SITES: string[];
export declare const SEED_STATUSES: [string, string, number][];
export interface SeedResult {
  jobs: number;
  byStatus: Record<string, number>;
  byOwner: Partial<Record<SeedRole, number>>;
  jobGroups: string[];
  ids: number[];
  prefix: string;
  seconds: number;
}
export declare function seedJobs(args: {
  diracxUrl: string;
  tokens: Record<SeedRole, string> | ((role: SeedRole) => Promise<string>);
  count: number;
  concurrency?: number;
  prefix?: string;
  groups?: number;
  log?: (line: string) => void;
}): Promise<SeedResult>;
