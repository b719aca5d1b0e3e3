/**
 * A small Prometheus registry: counters, histograms and gauges read at scrape time, rendered in the text
 * exposition format (version 0.0.4). Written here rather than taken from prom-client: the BFF needs four
 * kinds of series, and label values are checked against a fixed alphabet so no user input (URLs, ids,
 * tokens) can become a label.
 */

export type Labels = Record<string, string>;

/** Label values are bounded (route patterns, operation names, status classes): anything else is refused. */
const LABEL_VALUE = /^[A-Za-z0-9_:/.*{}@() -]{0,120}$/;

function labelKey(names: readonly string[], labels: Labels): string {
  return names
    .map((n) => {
      const v = labels[n] ?? '';
      if (!LABEL_VALUE.test(v)) throw new Error(`metric label ${n} has an unexpected value`);
      return v;
    })
    .join('\u0000');
}

function renderLabels(names: readonly string[], key: string, extra?: [string, string]): string {
  const values = key === '' && names.length === 0 ? [] : key.split('\u0000');
  const pairs = names.map((n, i) => `${n}="${values[i]!.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
  if (extra) pairs.push(`${extra[0]}="${extra[1]}"`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
}

const num = (v: number) => (Number.isFinite(v) ? String(v) : v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN');

interface Metric {
  readonly name: string;
  render(): Promise<string[]>;
}

export class Counter implements Metric {
  readonly #values = new Map<string, number>();
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
  }
  inc(labels: Labels = {}, by = 1) {
    const k = labelKey(this.labelNames, labels);
    this.#values.set(k, (this.#values.get(k) ?? 0) + by);
  }
  async render() {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [k, v] of this.#values) out.push(`${this.name}${renderLabels(this.labelNames, k)} ${num(v)}`);
    return out;
  }
}

export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class Histogram implements Metric {
  readonly #series = new Map<string, { counts: number[]; sum: number; count: number }>();
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly buckets: readonly number[];
  constructor(name: string, help: string, labelNames: readonly string[] = [], buckets: readonly number[] = DEFAULT_BUCKETS) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    this.buckets = buckets;
  }
  observe(labels: Labels, value: number) {
    const k = labelKey(this.labelNames, labels);
    let s = this.#series.get(k);
    if (!s) this.#series.set(k, (s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    for (const [i, le] of this.buckets.entries()) if (value <= le) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }
  async render() {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, s] of this.#series) {
      for (const [i, le] of this.buckets.entries())
        out.push(`${this.name}_bucket${renderLabels(this.labelNames, k, ['le', String(le)])} ${s.counts[i]}`);
      out.push(`${this.name}_bucket${renderLabels(this.labelNames, k, ['le', '+Inf'])} ${s.count}`);
      out.push(`${this.name}_sum${renderLabels(this.labelNames, k)} ${num(s.sum)}`);
      out.push(`${this.name}_count${renderLabels(this.labelNames, k)} ${s.count}`);
    }
    return out;
  }
}

/** A gauge read at scrape time (e.g. from the database); a failing read leaves the series out of that scrape. */
type Samples = Array<{ labels?: Labels; value: number }>;

export class Gauge implements Metric {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly collect: () => Promise<Samples> | Samples;
  constructor(name: string, help: string, labelNames: readonly string[], collect: () => Promise<Samples> | Samples) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    this.collect = collect;
  }
  async render() {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    let samples: Samples;
    try {
      samples = await this.collect();
    } catch {
      // The scrape goes on without this gauge; portal_metrics_collect_errors_total counts it.
      throw new GaugeError(this.name);
    }
    for (const s of samples)
      out.push(`${this.name}${renderLabels(this.labelNames, labelKey(this.labelNames, s.labels ?? {}))} ${num(s.value)}`);
    return out;
  }
}

class GaugeError extends Error {}

export class Registry {
  readonly #metrics: Metric[] = [];
  readonly #collectErrors = new Counter('portal_metrics_collect_errors_total', 'Gauges that could not be read during a scrape', ['metric']);
  register<M extends Metric>(metric: M): M {
    if (this.#metrics.some((m) => m.name === metric.name)) throw new Error(`metric ${metric.name} registered twice`);
    this.#metrics.push(metric);
    return metric;
  }
  /** The text exposition format (`text/plain; version=0.0.4`). */
  async render(): Promise<string> {
    const parts: string[] = [];
    for (const m of this.#metrics) {
      try {
        parts.push(...(await m.render()));
      } catch (err) {
        if (!(err instanceof GaugeError)) throw err;
        this.#collectErrors.inc({ metric: m.name });
      }
    }
    parts.push(...(await this.#collectErrors.render()));
    return `${parts.join('\n')}\n`;
  }
}

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
