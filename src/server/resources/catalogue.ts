/**
 * The resource catalogue: DIRAC CS-layout cfg file → sites/CEs/queues, and the
 * join with DiracX RSS statuses.
 *
 * File layout (the `Resources/Sites` section of a DIRAC CS; a bare top-level
 * `Sites` section is accepted too):
 *
 *   Resources/Sites/<Grid>/<Grid>.<Name>.<cc>/
 *     Name, Description, Mail, Coordinates = <lon>:<lat>, CE = ce1, ce2, Kind (extension)
 *     CEs/<ce host>/
 *       CEType (required), SubmissionMode, BatchSystem, architecture, OS, Platform, LocalCEType,
 *       Tag, RequiredTag, MaxRAM, NumberOfProcessors, WholeNode, maxCPUTime, SI00,
 *       MaxTotalJobs, MaxWaitingJobs, NumberOfGPUs (extension), MaxWallTime (extension), Kind (extension)
 *       Queues/<queue>/  same options as the CE
 *     SE = se1, se2   the site's storage elements (data locality)
 *   Resources/StorageElements/<SE>/SEType = T1D0 | T0D1 (DIRAC's TXDY: tape when T[1-9], else disk)
 *
 * As in DIRAC (`Resources.getQueue`), a queue inherits every option of its CE
 * that it does not set itself, and `Tag`/`RequiredTag` are the union of the CE's
 * and the queue's lists; a queue with more than one core also gets the
 * `MultiProcessor` tag (`getQueuesResolved`). Units and the kind rule are
 * documented in src/contracts/resources.ts.
 */
import { readFile, stat } from 'node:fs/promises';
import { CLOUD_CE_TYPES, CatalogueSchema, HPC_MIN_CORES, QUEUE_KINDS, RssElementStatusSchema } from '../../contracts/resources.ts';
import type {
  CatalogueComputeElement,
  CatalogueSite,
  ComputeElement,
  ElementStatus,
  Queue,
  QueueKind,
  ResourceCatalogue,
  RssResourceStatus,
  RssStatusMap,
  Site,
  SiteKind,
} from '../../contracts/resources.ts';
import type { StorageElement } from '../../contracts/locality.ts';
import { CfgSyntaxError, parseCfg, splitList } from './cfg.ts';
import type { CfgSection } from './cfg.ts';

export interface Catalogue {
  /** Where the catalogue was read from (used in messages). */
  source: string;
  sites: CatalogueSite[];
  /**
   * Storage elements: those of `Resources/StorageElements` and those a site's `SE` option lists, with
   * the sites that list each. Optional so hand-made catalogues (tests) need not name any.
   */
  storageElements?: StorageElement[];
  /** Non-fatal findings (option set twice, CE list mismatch, ...), each prefixed with `source: line N:`. */
  warnings: string[];
}

/** A catalogue that cannot be used. The message names the file, the line and the option. */
export class CatalogueError extends Error {
  readonly source: string;
  readonly line: number | null;
  readonly option: string | null;
  constructor(source: string, line: number | null, option: string | null, detail: string) {
    const where = line === null ? '' : ` line ${line}:`;
    const what = option === null ? '' : ` ${option}:`;
    super(`${source}:${where}${what} ${detail}`);
    this.name = 'CatalogueError';
    this.source = source;
    this.line = line;
    this.option = option;
  }
}

/** Read, parse, map and validate a catalogue file. Throws CatalogueError. */
export async function loadCatalogue(path: string): Promise<Catalogue> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CatalogueError(path, null, null, `cannot read the resource catalogue: ${(err as Error).message}`);
  }
  return parseCatalogue(text, path);
}

/** Parse catalogue text; `source` names it in messages. Throws CatalogueError. */
export function parseCatalogue(text: string, source: string): Catalogue {
  const warnings: string[] = [];
  let root: CfgSection;
  try {
    root = parseCfg(text, { onWarning: (w) => warnings.push(`${source}: line ${w.line}: ${w.message}`) });
  } catch (err) {
    if (err instanceof CfgSyntaxError) throw new CatalogueError(source, err.line, null, err.detail);
    throw err;
  }
  const mapper = new Mapper(source, warnings);
  const sites = mapper.mapRoot(root);
  const checked = CatalogueSchema.safeParse({ sites });
  if (!checked.success) {
    const issues = checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new CatalogueError(source, null, null, `invalid catalogue: ${issues}`);
  }
  return { source, sites: checked.data.sites, storageElements: mapper.storageElements(root), warnings };
}

// ---------------------------------------------------------------------------
// Mapping
// ---------------------------------------------------------------------------

/** A section together with its CS path, for messages. */
interface Node {
  path: string;
  section: CfgSection;
}

/** Where an option's effective value comes from. */
interface Found {
  value: string;
  option: string;
  line: number;
}

const INT_RE = /^[+-]?\d+$/;
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const BOOL_VALUES: Record<string, boolean> = { y: true, yes: true, true: true, '1': true, n: false, no: false, false: false, '0': false };
/** DIRAC caps maxCPUTime at this many minutes when computing the normalised CPU time. */
const DIRAC_MAX_CPU_TIME_CAP = 86400 * 12.5;

class Mapper {
  private readonly source: string;
  private readonly warnings: string[];

  constructor(source: string, warnings: string[]) {
    this.source = source;
    this.warnings = warnings;
  }

  private fail(line: number | null, option: string | null, detail: string): never {
    throw new CatalogueError(this.source, line, option, detail);
  }

  private warn(line: number, detail: string): void {
    this.warnings.push(`${this.source}: line ${line}: ${detail}`);
  }

  mapRoot(root: CfgSection): CatalogueSite[] {
    const resources = root.sections['Resources'];
    let sitesNode: Node | undefined;
    if (resources?.sections['Sites']) sitesNode = { path: 'Resources/Sites', section: resources.sections['Sites'] };
    else if (root.sections['Sites']) sitesNode = { path: 'Sites', section: root.sections['Sites'] };
    if (!sitesNode) this.fail(null, null, 'no "Resources/Sites" section: copy the Resources/Sites section of a DIRAC CS');

    const sites: CatalogueSite[] = [];
    const siteLines = new Map<string, number>();
    const ceOwners = new Map<string, { site: string; line: number }>();
    for (const option of Object.keys(sitesNode.section.options)) {
      this.warn(sitesNode.section.optionLines[option] ?? 0, `${sitesNode.path}/${option}: ignored (only <Grid> sections belong here)`);
    }
    for (const [grid, gridSection] of Object.entries(sitesNode.section.sections)) {
      const gridNode: Node = { path: `${sitesNode.path}/${grid}`, section: gridSection };
      for (const option of Object.keys(gridSection.options)) {
        this.warn(gridSection.optionLines[option] ?? 0, `${gridNode.path}/${option}: ignored (only site sections belong here)`);
      }
      for (const [siteName, siteSection] of Object.entries(gridSection.sections)) {
        const firstLine = siteLines.get(siteName);
        if (firstLine !== undefined) {
          this.fail(siteSection.line, `${gridNode.path}/${siteName}`, `site is already defined at line ${firstLine}`);
        }
        siteLines.set(siteName, siteSection.line);
        const site = this.mapSite(grid, { path: `${gridNode.path}/${siteName}`, section: siteSection }, siteName);
        for (const ce of site.ces) {
          const ceSection = siteSection.sections['CEs']?.sections[ce.name];
          const line = ceSection?.line ?? siteSection.line;
          const owner = ceOwners.get(ce.name);
          if (owner) {
            this.fail(
              line,
              `${gridNode.path}/${siteName}/CEs/${ce.name}`,
              `CE is also defined for site ${owner.site} (line ${owner.line}); CE names must be unique because RSS statuses are keyed by CE name`,
            );
          }
          ceOwners.set(ce.name, { site: siteName, line });
        }
        sites.push(site);
      }
    }
    return sites;
  }

  /**
   * `Resources/StorageElements/<SE>` joined with every site's `SE` list. DIRAC's rule: an SE is tape
   * when its SEType matches T[1-9] and disk otherwise (also when SEType is unset).
   */
  storageElements(root: CfgSection): StorageElement[] {
    const resources = root.sections['Resources'] ?? root;
    const ses = new Map<string, StorageElement>();
    const entry = (name: string): StorageElement => {
      let se = ses.get(name);
      if (!se) ses.set(name, (se = { name, kind: 'disk', seType: null, sites: [] }));
      return se;
    };
    const seSection = resources.sections['StorageElements'];
    for (const [name, section] of Object.entries(seSection?.sections ?? {})) {
      const seType = this.text({ path: `Resources/StorageElements/${name}`, section }, 'SEType');
      Object.assign(entry(name), { seType, kind: seType !== null && /T[1-9]/.test(seType) ? 'tape' : 'disk' });
    }
    const sitesSection = resources.sections['Sites'];
    for (const [grid, gridSection] of Object.entries(sitesSection?.sections ?? {})) {
      for (const [site, siteSection] of Object.entries(gridSection.sections)) {
        for (const name of splitList(siteSection.options['SE'])) {
          const se = entry(name);
          if (!se.sites.includes(site)) se.sites.push(site);
          if (seSection && !seSection.sections[name]) {
            this.warn(
              siteSection.optionLines['SE'] ?? siteSection.line,
              `Resources/Sites/${grid}/${site}/SE lists ${name} but Resources/StorageElements has no such section (taken as disk)`,
            );
          }
        }
      }
    }
    return [...ses.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  private mapSite(grid: string, node: Node, name: string): CatalogueSite {
    const parts = name.split('.');
    if (parts.length !== 3 || parts.some((p) => p === '') || parts[0] !== grid) {
      this.fail(
        node.section.line,
        node.path,
        `site name must be <Grid>.<Name>.<country> with Grid = "${grid}" (DIRAC derives the grid from the site name)`,
      );
    }
    const siteKind = this.kindOption([node]);
    const cesSection = node.section.sections['CEs'];
    const ces: CatalogueComputeElement[] = [];
    if (cesSection) {
      for (const [ceName, ceSection] of Object.entries(cesSection.sections)) {
        ces.push(this.mapCe(grid, name, siteKind, { path: `${node.path}/CEs/${ceName}`, section: ceSection }, ceName));
      }
    } else {
      this.warn(node.section.line, `${node.path}: site has no CEs section`);
    }

    const listed = splitList(node.section.options['CE']);
    if (listed.length > 0) {
      const line = node.section.optionLines['CE'] ?? node.section.line;
      const described = new Set(ces.map((c) => c.name));
      const missing = listed.filter((c) => !described.has(c));
      const unlisted = ces.map((c) => c.name).filter((c) => !listed.includes(c));
      if (missing.length > 0) this.warn(line, `${node.path}/CE lists ${missing.join(', ')} but there is no such section under CEs`);
      if (unlisted.length > 0) this.warn(line, `${node.path}/CE does not list ${unlisted.join(', ')} (described under CEs)`);
    }

    let kind: SiteKind;
    if (siteKind) kind = siteKind.kind;
    else {
      const kinds = new Set(ces.flatMap((c) => c.queues.map((q) => q.kind)));
      const only = kinds.size === 1 ? [...kinds][0] : undefined;
      kind = kinds.size === 0 ? 'HTC' : (only ?? 'mixed');
    }

    return {
      name,
      grid,
      localName: this.text(node, 'Name'),
      description: this.text(node, 'Description'),
      kind,
      coordinates: this.coordinates(node),
      mail: this.text(node, 'Mail'),
      ces,
    };
  }

  private mapCe(grid: string, site: string, siteKind: { kind: QueueKind } | null, node: Node, name: string): CatalogueComputeElement {
    const ceType = this.text(node, 'CEType');
    if (ceType === null) this.fail(node.section.line, node.path, 'CE has no CEType (DIRAC needs it to submit pilots)');
    const queuesSection = node.section.sections['Queues'];
    const queues: Queue[] = [];
    if (queuesSection) {
      for (const [queueName, queueSection] of Object.entries(queuesSection.sections)) {
        const queueNode: Node = { path: `${node.path}/Queues/${queueName}`, section: queueSection };
        queues.push(this.mapQueue({ grid, site, ce: name, queue: queueName, ceType }, [queueNode, node], siteKind));
      }
      if (queues.length === 0) this.warn(queuesSection.line, `${node.path}/Queues: no queues`);
    } else {
      this.warn(node.section.line, `${node.path}: CE has no Queues section`);
    }
    return {
      name,
      ceType,
      submissionMode: this.text(node, 'SubmissionMode'),
      batchSystem: this.text(node, 'BatchSystem'),
      queues,
    };
  }

  /** `chain` is most specific first: [queue, CE]. */
  private mapQueue(
    ids: { grid: string; site: string; ce: string; queue: string; ceType: string },
    chain: Node[],
    siteKind: { kind: QueueKind } | null,
  ): Queue {
    const get = (option: string): Found | undefined => this.lookup(chain, option);
    const text = (option: string): string | null => {
      const found = get(option);
      return found === undefined || found.value === '' ? null : found.value;
    };

    const coresFound = get('NumberOfProcessors');
    const cores = coresFound ? this.int(coresFound, 'a whole number of cores', 1) : 1;
    const wholeNodeFound = get('WholeNode');
    const wholeNode = wholeNodeFound ? this.bool(wholeNodeFound) : false;

    const tags = new Set<string>();
    const requiredTags = new Set<string>();
    for (const node of chain) {
      for (const t of splitList(node.section.options['Tag'])) tags.add(t);
      for (const t of splitList(node.section.options['RequiredTag'])) requiredTags.add(t);
    }
    if (cores > 1) tags.add('MultiProcessor');

    const gpusFound = get('NumberOfGPUs');
    let gpus: number;
    if (gpusFound) {
      gpus = this.int(gpusFound, 'a whole number of GPUs', 0);
      if (gpus > 0 && !tags.has('GPU')) {
        this.warn(
          gpusFound.line,
          `${gpusFound.option} = ${gpusFound.value} but the queue has no GPU tag: DIRAC matches GPU jobs by Tag = GPU`,
        );
      }
    } else {
      gpus = tags.has('GPU') ? 1 : 0;
    }

    const ramFound = get('MaxRAM');
    const ram = ramFound ? this.int(ramFound, 'a whole number of MB', 0) : 0;
    const cpuFound = get('maxCPUTime');
    const maxCpuTimeMinutes = cpuFound ? this.number(cpuFound, 'a number of minutes') : null;
    if (!cpuFound) {
      const misspelt = get('MaxCPUTime');
      if (misspelt)
        this.warn(misspelt.line, `${misspelt.option}: DIRAC reads the queue CPU limit from "maxCPUTime" (lower-case m); ignored`);
    }
    const si00Found = get('SI00');
    const si00 = si00Found ? this.number(si00Found, 'a SpecInt2000 CPU power') : null;
    const cpuTimeHS06Seconds =
      maxCpuTimeMinutes !== null && si00 !== null
        ? Math.trunc((60 / 250) * Math.min(maxCpuTimeMinutes, DIRAC_MAX_CPU_TIME_CAP) * si00)
        : null;
    const wallFound = get('MaxWallTime');
    const totalFound = get('MaxTotalJobs');
    const waitingFound = get('MaxWaitingJobs');

    const os = text('OS');
    const architecture = text('architecture') ?? text('Architecture');
    const platform = text('Platform') ?? (os !== null ? `${architecture ?? 'x86_64'}_${os}` : null);

    const explicitKind = this.kindOption(chain);
    let kind: QueueKind;
    if (explicitKind) kind = explicitKind.kind;
    else if (siteKind) kind = siteKind.kind;
    else if (CLOUD_CE_TYPES.includes(ids.ceType)) kind = 'cloud';
    else if (wholeNode || tags.has('WholeNode') || tags.has('MPI') || cores >= HPC_MIN_CORES) kind = 'HPC';
    else kind = 'HTC';

    return {
      id: `${ids.site}/${ids.ce}/${ids.queue}`,
      site: ids.site,
      grid: ids.grid,
      ce: ids.ce,
      queue: ids.queue,
      ceType: ids.ceType,
      batchSystem: text('BatchSystem'),
      kind,
      cores,
      wholeNode,
      gpus,
      maxRamMB: ram > 0 ? ram : null,
      maxCpuTimeMinutes,
      si00,
      cpuTimeHS06Seconds,
      maxWallTimeMinutes: wallFound ? this.number(wallFound, 'a number of minutes') : null,
      tags: [...tags].sort(),
      requiredTags: [...requiredTags].sort(),
      maxTotalJobs: totalFound ? this.int(totalFound, 'a whole number of jobs', 0) : null,
      maxWaitingJobs: waitingFound ? this.int(waitingFound, 'a whole number of jobs', 0) : null,
      platform,
      os,
      architecture,
      localCEType: text('LocalCEType'),
    };
  }

  private lookup(chain: Node[], option: string): Found | undefined {
    for (const node of chain) {
      const value = node.section.options[option];
      if (value !== undefined) {
        return { value, option: `${node.path}/${option}`, line: node.section.optionLines[option] ?? node.section.line };
      }
    }
    return undefined;
  }

  private text(node: Node, option: string): string | null {
    const value = node.section.options[option];
    return value === undefined || value === '' ? null : value;
  }

  private bad(found: Found, expected: string): never {
    const hint = found.value.includes('#') ? ' (DIRAC cfg has no inline comments: put "#" comments on their own line)' : '';
    this.fail(found.line, found.option, `${JSON.stringify(found.value)} is not ${expected}${hint}`);
  }

  private int(found: Found, expected: string, min: number): number {
    if (!INT_RE.test(found.value)) this.bad(found, expected);
    const n = Number(found.value);
    if (!Number.isSafeInteger(n) || n < min) this.bad(found, `${expected} ≥ ${min}`);
    return n;
  }

  private number(found: Found, expected: string): number {
    if (!NUMBER_RE.test(found.value)) this.bad(found, expected);
    const n = Number(found.value);
    if (!Number.isFinite(n) || n < 0) this.bad(found, `${expected} ≥ 0`);
    return n;
  }

  private bool(found: Found): boolean {
    const value = BOOL_VALUES[found.value.toLowerCase()];
    if (value === undefined) this.bad(found, 'a boolean (True or False)');
    return value;
  }

  /** The first explicit `Kind` option along the chain (most specific first). */
  private kindOption(chain: Node[]): { kind: QueueKind } | null {
    const found = this.lookup(chain, 'Kind');
    if (!found) return null;
    const kind = QUEUE_KINDS.find((k) => k.toLowerCase() === found.value.toLowerCase());
    if (!kind) this.bad(found, `one of ${QUEUE_KINDS.join(', ')}`);
    return { kind };
  }

  private coordinates(node: Node): Site['coordinates'] {
    const value = node.section.options['Coordinates'];
    if (value === undefined || value === '') return null;
    const m = /^\s*([+-]?\d+(?:\.\d+)?)\s*:\s*([+-]?\d+(?:\.\d+)?)\s*$/.exec(value);
    const longitude = m ? Number(m[1]) : NaN;
    const latitude = m ? Number(m[2]) : NaN;
    if (!m || Math.abs(longitude) > 180 || Math.abs(latitude) > 90) {
      this.warn(
        node.section.optionLines['Coordinates'] ?? node.section.line,
        `${node.path}/Coordinates: ${JSON.stringify(value)} is not <longitude>:<latitude>; ignored`,
      );
      return null;
    }
    return { longitude, latitude };
  }
}

// ---------------------------------------------------------------------------
// Joining with RSS
// ---------------------------------------------------------------------------

export interface RssMaps {
  /** Body of DiracX `GET /api/rss/site`, or null when it could not be fetched. */
  site: RssStatusMap | null;
  /** Body of DiracX `GET /api/rss/compute`, or null when it could not be fetched. */
  compute: RssStatusMap | null;
}

/**
 * Read an RSS response body leniently: null when it is not an object; entries
 * that do not have the DiracX shape are dropped (their element then shows no status).
 */
export function parseRssStatusMap(body: unknown): RssStatusMap | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  // Null prototype: element names come from the network and "__proto__" must stay an ordinary key.
  const map = Object.create(null) as RssStatusMap;
  for (const [name, entry] of Object.entries(body)) {
    const parsed = RssElementStatusSchema.safeParse(entry);
    if (parsed.success) map[name] = parsed.data;
  }
  return map;
}

/** DiracX RSS status → portal status. */
export function toElementStatus(status: RssResourceStatus): ElementStatus {
  if (!status.allowed) return { state: 'banned', allowed: false, reason: status.reason };
  const raw = status.warnings;
  const warnings = (raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw]).filter((w) => w.trim() !== '');
  return warnings.length > 0 ? { state: 'degraded', allowed: true, warnings } : { state: 'active', allowed: true };
}

function lookupStatus(map: RssStatusMap | null, name: string): ElementStatus | null {
  if (!map || !Object.hasOwn(map, name)) return null;
  const entry = map[name];
  return entry ? toElementStatus(entry.all) : null;
}

/** The catalogue with each site's and CE's RSS status (null when RSS is unavailable or does not know the name). */
export function joinWithStatus(catalogue: Pick<Catalogue, 'sites'>, rss: RssMaps): ResourceCatalogue {
  const sites: Site[] = catalogue.sites.map((site) => ({
    ...site,
    status: lookupStatus(rss.site, site.name),
    ces: site.ces.map((ce): ComputeElement => ({
      ...ce,
      status: lookupStatus(rss.compute, ce.name),
    })),
  }));
  return { sites, rss: { site: rss.site !== null, compute: rss.compute !== null } };
}

/**
 * The resource catalogue of a running BFF, kept in step with its file: an installation exports the
 * `Resources` section of its DIRAC CS to the file (on Kubernetes, a ConfigMap), and a changed file is read
 * again within `intervalMs` without a restart. A file that no longer parses leaves the last good
 * catalogue in place and is reported, so a bad edit never empties the resource page.
 */
export interface CatalogueSource {
  readonly current: Catalogue;
  /** Read the file again if it changed since the last read (what the timer does). */
  check(): Promise<void>;
  stop(): void;
}

export async function watchCatalogue(
  path: string,
  opts: { intervalMs: number; log: { info(o: object, m: string): void; warn(o: object, m: string): void } },
): Promise<CatalogueSource> {
  const stamp = async () => {
    const s = await stat(path);
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  };
  let seen = await stamp().catch(() => '');
  let current = await loadCatalogue(path);
  let checking: Promise<void> | null = null;
  const check = () =>
    (checking ??= (async () => {
      try {
        const now = await stamp().catch(() => seen);
        if (now === seen) return;
        seen = now;
        const next = await loadCatalogue(path);
        current = next;
        opts.log.info({ source: path, sites: next.sites.length, warnings: next.warnings }, 'resource catalogue reloaded');
      } catch (err) {
        opts.log.warn({ source: path, err: (err as Error).message }, 'resource catalogue not reloaded: keeping the previous one');
      } finally {
        checking = null;
      }
    })());
  const timer = opts.intervalMs > 0 ? setInterval(() => void check(), opts.intervalMs) : null;
  timer?.unref();
  return {
    get current() {
      return current;
    },
    check,
    stop: () => {
      if (timer) clearInterval(timer);
    },
  };
}
