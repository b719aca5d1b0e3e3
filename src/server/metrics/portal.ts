/**
 * The BFF's Prometheus series (docs/operations.md#metrics). Labels carry route patterns, DiracX operation
 * names, instance ids and status classes only: never URLs, job ids, user names or tokens.
 */
import type { Database } from '../db/database.ts';
import { Counter, Gauge, Histogram, Registry } from './registry.ts';

export interface PortalMetrics {
  registry: Registry;
  /** One answered BFF request: `route` is the matched pattern (e.g. `/bff/jobs/:jobId`), never the URL. */
  request(method: string, route: string, status: number, seconds: number): void;
  /** One DiracX call: `outcome` is the answer's status class or `unreachable`. */
  diracx(instance: string, operation: string, outcome: string, seconds: number): void;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export const statusClass = (status: number) => `${Math.min(Math.max(Math.floor(status / 100), 1), 5)}xx`;

const secondsSince = (iso: string, now: number) => Math.max(0, (now - Date.parse(iso)) / 1000);

/** `accounting_watermarks.second` is a UTC second without a zone ("2026-01-02T03:04:05"). */
const utc = (s: string) => (/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`);

export function createPortalMetrics(deps: { db: Database; runningLaunches: () => number; now?: () => number }): PortalMetrics {
  const now = deps.now ?? Date.now;
  const registry = new Registry();
  const REQUEST = ['method', 'route', 'status_class'];
  const CALL = ['instance', 'operation', 'outcome'];
  const requests = registry.register(
    new Counter('portal_http_requests_total', 'BFF requests answered, by route pattern and status class', REQUEST),
  );
  const requestSeconds = registry.register(
    new Histogram('portal_http_request_duration_seconds', 'BFF request latency, by route pattern and status class', REQUEST),
  );
  const diracxSeconds = registry.register(
    new Histogram('portal_diracx_request_duration_seconds', 'DiracX call latency until the answer headers, per operation', CALL),
  );
  const diracxErrors = registry.register(
    new Counter('portal_diracx_errors_total', 'DiracX calls answered 4xx/5xx or not answered at all, per operation', CALL),
  );
  registry.register(
    new Gauge('portal_launch_queue_depth', 'Launches not yet fully submitted (pending or submitting), all replicas', [], async () => {
      const row = await deps.db.one<{ n: number }>(
        "SELECT COUNT(*) AS n FROM launches WHERE status IN ('pending', 'staging', 'submitting')",
      );
      return [{ value: Number(row?.n ?? 0) }];
    }),
  );
  registry.register(
    new Gauge('portal_launches_running', 'Launches this replica is submitting right now', [], () => [{ value: deps.runningLaunches() }]),
  );
  registry.register(
    new Gauge(
      'portal_scheduler_lag_seconds',
      'How late the most overdue active schedule is (0 when none is due), all replicas',
      [],
      async () => {
        const row = await deps.db.one<{ t: string | null }>(
          "SELECT MIN(next_run_at) AS t FROM schedules WHERE status = 'active' AND next_run_at IS NOT NULL",
        );
        return [{ value: row?.t ? secondsSince(row.t, now()) : 0 }];
      },
    ),
  );
  registry.register(
    new Gauge(
      'portal_accounting_watermark_age_seconds',
      "Age of the accounting collector's watermark (the last finished-job second it has stored), per instance",
      ['instance'],
      async () => {
        const rows = await deps.db.query<{ instance_id: string; second: string }>('SELECT instance_id, second FROM accounting_watermarks');
        return rows.map((r) => ({ labels: { instance: r.instance_id }, value: secondsSince(utc(r.second), now()) }));
      },
    ),
  );
  registry.register(
    new Gauge(
      'portal_accounting_watermark_updated_age_seconds',
      'Time since the accounting collector last stored a batch, per instance',
      ['instance'],
      async () => {
        const rows = await deps.db.query<{ instance_id: string; updated_at: string }>(
          'SELECT instance_id, updated_at FROM accounting_watermarks',
        );
        return rows.map((r) => ({ labels: { instance: r.instance_id }, value: secondsSince(r.updated_at, now()) }));
      },
    ),
  );
  // This process's memory (prom-client's names): the load bench samples the heap over time for its slope.
  registry.register(
    new Gauge('nodejs_heap_size_used_bytes', 'V8 heap in use by this replica', [], () => [{ value: process.memoryUsage().heapUsed }]),
  );
  registry.register(
    new Gauge('process_resident_memory_bytes', 'Resident memory of this replica', [], () => [{ value: process.memoryUsage.rss() }]),
  );

  return {
    registry,
    request(method, route, status, seconds) {
      const labels = { method: METHODS.has(method) ? method : 'OTHER', route, status_class: statusClass(status) };
      requests.inc(labels);
      requestSeconds.observe(labels, seconds);
    },
    diracx(instance, operation, outcome, seconds) {
      diracxSeconds.observe({ instance, operation, outcome }, seconds);
      if (outcome !== '2xx' && outcome !== '3xx') diracxErrors.inc({ instance, operation, outcome });
    },
  };
}
