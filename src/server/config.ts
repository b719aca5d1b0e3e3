/**
 * BFF configuration: one JSON file (PORTAL_CONFIG) plus environment overrides,
 * validated with zod at start-up. A bad value stops the BFF with a message
 * that names the field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DatasetSourcesConfigSchema } from './datasets/sources-config.ts';
import { parseKey } from './schedules/secret-box.ts';
import { ZooniverseConfigSchema } from './schedules/zooniverse.ts';
import { SCHEDULE_FILES_PER_RUN_MAX } from '../contracts/schedules.ts';

/** Stage-first launches: the defaults of stagingTimeoutSeconds and stagingPollSeconds (also a runner's without a config). */
export const STAGING_DEFAULTS = { timeoutSeconds: 6 * 3600, pollSeconds: 10 } as const;

const url = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));

export const InstanceConfigSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'lower-case letters, digits and "-", at most 32'),
  label: z.string().min(1),
  /** Base URL of the DiracX service as the BFF reaches it. */
  url,
  /** Base URL of DiracX as the user's browser reaches it (login redirects); defaults to `url`. */
  publicUrl: url.optional(),
  /** Expected `iss` of DiracX tokens; defaults to `url`. */
  issuer: url.optional(),
  /** Where DiracX publishes its signing keys; defaults to `<url>/.well-known/jwks.json`. */
  jwksUrl: url.optional(),
  /** OAuth client id registered in DiracX (DIRACX_SERVICE_AUTH_DIRAC_CLIENT_ID). */
  clientId: z.string().min(1).default('myDIRACClientID'),
  /** Expected `aud` claim. DiracX 0.7 sets none; when set here, tokens must carry it. */
  audience: z.string().optional(),
  /** VO -> manager group -> groups whose jobs it may read and manage (mirrors the DiracX extension). */
  groupSharing: z.record(z.string(), z.record(z.string(), z.array(z.string()))).default({}),
  /**
   * Accounting collector's credential (DiracX legacy exchange): a CS user of an admin group (JobAdministrator),
   * and a file holding the API key whose sha256 DiracX has in DIRACX_LEGACY_EXCHANGE_HASHED_API_KEY.
   * Without it the instance is not collected.
   */
  accounting: z
    .object({ vo: z.string().min(1), group: z.string().min(1), user: z.string().min(1), apiKeyFile: z.string().min(1) })
    .optional(),
});
export type InstanceConfig = z.output<typeof InstanceConfigSchema>;

const DEV_DATABASE_URL = 'sqlite:./data/portal.db';

const BaseConfigSchema = z.object({
  /**
   * `development` (npm start, the tests) keeps the demo defaults; `production` (PORTAL_MODE, the image)
   * starts with no demo data and refuses missing or unsafe settings (productionIssues below).
   */
  mode: z.enum(['development', 'production']).default('development'),
  /** Listen address: loopback in development, every interface in production (a container). */
  host: z.string().min(1).optional(),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Public origin of the portal (used in absolute URLs); required, and https, in production. */
  publicUrl: url.optional(),
  /** Database: SQLite file (development default) or PostgreSQL (required in production unless allowSqlite). */
  databaseUrl: z
    .string()
    .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: or postgres://')
    .optional(),
  /** Production on SQLite (one replica only, its file on a volume): an explicit choice. */
  allowSqlite: z.boolean().default(false),
  /**
   * Which proxies to believe for X-Forwarded-For/-Proto (Fastify's trustProxy): false, true (every hop:
   * only when nothing but the ingress can reach the BFF), or the ingress's addresses/CIDRs.
   */
  trustProxy: z.union([z.boolean(), z.string().min(1), z.array(z.string().min(1)).min(1)]).default(false),
  /** HSTS max-age sent in production (0 = no header, e.g. while trying TLS out). */
  hstsMaxAgeSeconds: z.coerce.number().int().min(0).default(31_536_000),
  /** On SIGTERM: how long readiness reports "draining" before the listener closes (load balancers notice). */
  shutdownDelayMs: z.coerce.number().int().min(0).max(60_000).default(0),
  /** On SIGTERM: how long in-flight launches may take to finish; the rest resume on another replica (lease). */
  shutdownGraceMs: z.coerce.number().int().min(0).max(600_000).default(25_000),
  instances: z.array(InstanceConfigSchema).min(1, 'configure at least one DiracX instance'),
  /** Directory of the built SPA (vite build); the BFF serves it when present (required in production). */
  staticDir: z.string().default('dist'),
  /** Resource catalogue (DIRAC CS layout): the demo file in development, none unless given in production. */
  resourceCatalogue: z.string().min(1).nullable().optional(),
  /** How often the resource catalogue file is checked for changes (0 = read once at start). */
  resourceCatalogueRefreshSeconds: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Directory of the workflow catalogue: one Boutiques descriptor `<workflow-id>.json` per application. */
  workflowsDir: z.string().min(1).default('workflows'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Prometheus `/metrics` (docs/operations.md#metrics): on its own listener when `port` is set (the chart's
   * choice: not behind the ingress), and on the main listener only with a bearer `token`/`tokenFile`, or in
   * development (loopback). Production without either serves no metrics.
   */
  metrics: z
    .object({
      port: z.coerce.number().int().min(1).max(65535).nullable().default(null),
      token: z.string().min(16, 'at least 16 characters').optional(),
      tokenFile: z.string().min(1).optional(),
    })
    .prefault({}),
  /** Timeout of one call to DiracX. */
  upstreamTimeoutMs: z.coerce.number().int().positive().default(15_000),
  /** DiracX calls one user may have in flight at once (per instance, per replica); the rest wait their turn. */
  diracxPerUserConcurrency: z.coerce.number().int().min(1).max(256).default(8),
  /**
   * Rate limits (token buckets in this replica's memory, docs/architecture.md): requests per minute per
   * signed-in user and per client address, with that many allowed in a burst. 0 turns a limit off.
   */
  rateLimitPerUserPerMinute: z.coerce.number().int().min(0).default(1200),
  rateLimitPerIpPerMinute: z.coerce.number().int().min(0).default(3000),
  /** Demo dataset catalogue: files generated into an empty catalogue at start (0 = none; 20,000 in development, 0 in production). */
  demoDatasets: z.coerce.number().int().min(0).max(1_000_000).optional(),
  /** Where "Find data" searches: the portal catalogue and optionally a Rucio server (datasets/sources-config.ts). */
  datasetSources: DatasetSourcesConfigSchema,
  /**
   * Lease of a launch runner (several BFF replicas on one database): renewed while it runs; a launch
   * whose replica died is resumed by another once it has expired. Keep it above upstreamTimeoutMs.
   */
  launchLeaseSeconds: z.coerce.number().int().min(1).max(3600).default(30),
  /** Stage-first launches: a file not on disk at the chosen site this long after the launch fails (its jobs too). */
  stagingTimeoutSeconds: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 24 * 3600)
    .default(STAGING_DEFAULTS.timeoutSeconds),
  /** Stage-first launches: pause between two looks at the Rucio rules. */
  stagingPollSeconds: z.coerce.number().min(0.1).max(3600).default(STAGING_DEFAULTS.pollSeconds),
  /** Accounting collector: pause between rounds (0 = off). */
  accountingIntervalMs: z.coerce.number().int().min(0).default(0),
  /** Accounting collector: jobs whose LastUpdateTime is younger than this are left for the next round (commit lag, clock skew). */
  accountingSettleSeconds: z.coerce.number().int().min(0).default(60),
  /** Accounting collector: jobs asked from DiracX per call (DiracX allows up to 10000). */
  accountingBatchSize: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Scheduled submissions (docs/schedules.md): run the scheduler loop in this BFF process. */
  schedulerEnabled: z.boolean().default(true),
  /** How often the scheduler looks for due schedules. */
  schedulerTickMs: z.coerce.number().int().min(200).default(15_000),
  /** Schedules may not run more often than this. */
  scheduleMinIntervalMinutes: z.coerce.number().int().min(1).default(5),
  /** A schedule pauses itself after this many consecutive failed runs. */
  scheduleMaxFailures: z.coerce.number().int().min(1).default(3),
  /** A claimed run not finished within this time (its BFF died) is taken over by another tick or replica. */
  scheduleRunLeaseMs: z.coerce.number().int().min(1000).default(120_000),
  /** AES-256-GCM key (32 bytes, base64 or hex) for stored refresh tokens, read from this file; or PORTAL_SCHEDULE_KEY. */
  scheduleKeyFile: z.string().optional(),
  scheduleKey: z.string().optional(),
  /** Tests only: wait this long between a slot claim and its submission (to stop the BFF mid-run). */
  scheduleHoldMs: z.coerce.number().int().min(0).default(0),
  /** Saved-query schedules: most files one run takes (a schedule may ask fewer); the rest wait for the next run. */
  scheduleMaxFilesPerRun: z.coerce.number().int().min(1).max(SCHEDULE_FILES_PER_RUN_MAX).default(1_000),
  /** Zooniverse (Panoptes API) for schedules reading new classifications; absent: such schedules are refused. */
  zooniverse: ZooniverseConfigSchema.optional(),
  /**
   * OSSR/Zenodo import (docs/workflows.md): the API a live import asks (`<apiUrl>/api/records/<id>`), the hosts
   * it may fetch from (the record and its files; redirects included), and its bounds per fetch.
   */
  zenodo: z
    .object({
      apiUrl: url.default('https://zenodo.org'),
      allowedHosts: z.array(z.string().min(1)).default(['zenodo.org']),
      timeoutMs: z.coerce.number().int().min(100).max(120_000).default(10_000),
      maxBytes: z.coerce
        .number()
        .int()
        .min(1024)
        .max(16 * 1024 * 1024)
        .default(2 * 1024 * 1024),
    })
    .prefault({}),
});
type BaseConfig = z.output<typeof BaseConfigSchema>;

const isHttps = (u: string) => u.startsWith('https://');

function readable(file: string): string | null {
  try {
    fs.accessSync(path.resolve(file), fs.constants.R_OK);
    return null;
  } catch (err) {
    return `cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  }
}

/** What production refuses, as [field path, reason]: every problem at once, so one start-up attempt lists them all. */
export function productionIssues(c: BaseConfig): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (!c.publicUrl) out.push(['publicUrl', 'required in production: the https origin users reach the portal at']);
  else if (!isHttps(c.publicUrl)) out.push(['publicUrl', 'must be https in production']);
  if (!c.databaseUrl) out.push(['databaseUrl', 'required in production: postgres://… (or sqlite: with allowSqlite: true)']);
  else if (c.databaseUrl.startsWith('sqlite:') && !c.allowSqlite)
    out.push(['databaseUrl', 'SQLite in production needs allowSqlite: true (one replica only); use postgres:// for several']);
  for (const [i, inst] of c.instances.entries()) {
    const browserUrl = inst.publicUrl ?? inst.url;
    if (!isHttps(browserUrl))
      out.push([`instances.${i}.publicUrl`, `the URL browsers reach DiracX at (${browserUrl}) must be https in production`]);
    if (inst.accounting) {
      const why = readable(inst.accounting.apiKeyFile);
      if (why) out.push([`instances.${i}.accounting.apiKeyFile`, why]);
    }
  }
  if (!c.scheduleKey && !c.scheduleKeyFile)
    out.push(['scheduleKeyFile', 'required in production (or PORTAL_SCHEDULE_KEY): 32 random bytes, base64 or hex']);
  else {
    const field = c.scheduleKey ? 'scheduleKey' : 'scheduleKeyFile';
    try {
      parseKey(c.scheduleKey ?? fs.readFileSync(path.resolve(c.scheduleKeyFile!), 'utf8'));
    } catch (err) {
      out.push([field, (err as Error).message]);
    }
  }
  if (c.metrics.tokenFile) {
    const why = readable(c.metrics.tokenFile);
    if (why) out.push(['metrics.tokenFile', why]);
  }
  if (c.metrics.port !== null && c.metrics.port === c.port) out.push(['metrics.port', 'must differ from port']);
  if (c.scheduleHoldMs > 0) out.push(['scheduleHoldMs', 'a test setting: must be 0 in production']);
  if (!fs.existsSync(path.join(path.resolve(c.staticDir), 'index.html')))
    out.push(['staticDir', `no built SPA (index.html) in ${c.staticDir}`]);
  for (const [i, source] of c.datasetSources.entries()) {
    if (source.type !== 'rucio') continue;
    const why = readable(source.auth.passwordFile);
    if (why) out.push([`datasetSources.${i}.auth.passwordFile`, why]);
  }
  return out;
}

export const ConfigSchema = BaseConfigSchema.superRefine((c, ctx) => {
  if (c.mode !== 'production') return;
  for (const [field, message] of productionIssues(c))
    ctx.addIssue({ code: 'custom', path: field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message });
}).transform((c) => {
  const production = c.mode === 'production';
  return {
    ...c,
    host: c.host ?? (production ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl: c.databaseUrl ?? DEV_DATABASE_URL,
    demoDatasets: c.demoDatasets ?? (production ? 0 : 20_000),
    resourceCatalogue: c.resourceCatalogue === undefined ? (production ? null : 'config/resources.cfg') : c.resourceCatalogue,
  };
});
export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function parseConfig(input: unknown, source = 'configuration'): Config {
  const result = ConfigSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new ConfigError(`Invalid ${source}:\n${lines.join('\n')}`);
  }
  const ids = new Set<string>();
  for (const [i, inst] of result.data.instances.entries()) {
    if (ids.has(inst.id)) throw new ConfigError(`Invalid ${source}:\n  - instances.${i}.id: duplicate id "${inst.id}"`);
    ids.add(inst.id);
  }
  return result.data;
}

/** `PORTAL_TRUST_PROXY`: true/false or a comma-separated list of addresses/CIDRs. */
function trustProxyFromEnv(v: string): boolean | string[] {
  if (v === 'true' || v === 'false') return v === 'true';
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Load PORTAL_CONFIG (JSON) and apply env overrides: PORTAL_MODE, PORTAL_HOST, PORTAL_PORT, DATABASE_URL,
 * PORTAL_PUBLIC_URL, PORTAL_TRUST_PROXY, PORTAL_LOG_LEVEL, PORTAL_SCHEDULE_KEY(_FILE), PORTAL_METRICS_PORT,
 * PORTAL_METRICS_TOKEN(_FILE), ….
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const file = env.PORTAL_CONFIG;
  let raw: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(file), 'utf8');
    } catch (err) {
      throw new ConfigError(`Cannot read PORTAL_CONFIG=${file}: ${(err as Error).message}`);
    }
    try {
      raw = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(`PORTAL_CONFIG=${file} is not valid JSON: ${(err as Error).message}`);
    }
  }
  const overrides: Record<string, unknown> = {};
  if (env.PORTAL_MODE) overrides.mode = env.PORTAL_MODE;
  if (env.PORTAL_TRUST_PROXY) overrides.trustProxy = trustProxyFromEnv(env.PORTAL_TRUST_PROXY);
  if (env.PORTAL_HOST) overrides.host = env.PORTAL_HOST;
  if (env.PORTAL_PORT) overrides.port = env.PORTAL_PORT;
  if (env.DATABASE_URL) overrides.databaseUrl = env.DATABASE_URL;
  if (env.PORTAL_PUBLIC_URL) overrides.publicUrl = env.PORTAL_PUBLIC_URL;
  if (env.PORTAL_LOG_LEVEL) overrides.logLevel = env.PORTAL_LOG_LEVEL;
  if (env.PORTAL_SCHEDULE_KEY) overrides.scheduleKey = env.PORTAL_SCHEDULE_KEY;
  if (env.PORTAL_SCHEDULE_KEY_FILE) overrides.scheduleKeyFile = env.PORTAL_SCHEDULE_KEY_FILE;
  if (env.PORTAL_SCHEDULE_HOLD_MS) overrides.scheduleHoldMs = env.PORTAL_SCHEDULE_HOLD_MS;
  if (env.PORTAL_RATE_LIMIT_PER_USER) overrides.rateLimitPerUserPerMinute = env.PORTAL_RATE_LIMIT_PER_USER;
  if (env.PORTAL_RATE_LIMIT_PER_IP) overrides.rateLimitPerIpPerMinute = env.PORTAL_RATE_LIMIT_PER_IP;
  if (env.PORTAL_SCHEDULE_LEASE_MS) overrides.scheduleRunLeaseMs = env.PORTAL_SCHEDULE_LEASE_MS;
  if (env.PORTAL_METRICS_PORT || env.PORTAL_METRICS_TOKEN || env.PORTAL_METRICS_TOKEN_FILE) {
    const m = { ...(raw.metrics as Record<string, unknown> | undefined) };
    if (env.PORTAL_METRICS_PORT) m.port = env.PORTAL_METRICS_PORT;
    if (env.PORTAL_METRICS_TOKEN) m.token = env.PORTAL_METRICS_TOKEN;
    if (env.PORTAL_METRICS_TOKEN_FILE) m.tokenFile = env.PORTAL_METRICS_TOKEN_FILE;
    overrides.metrics = m;
  }
  if (env.PORTAL_SCHEDULE_MAX_FILES_PER_RUN) overrides.scheduleMaxFilesPerRun = env.PORTAL_SCHEDULE_MAX_FILES_PER_RUN;
  return parseConfig({ ...raw, ...overrides }, file ? `configuration (${file} + environment)` : 'configuration (environment)');
}
