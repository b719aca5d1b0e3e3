/**
 * OpenTelemetry traces without the SDK: W3C Trace Context (`traceparent`) in and out, one span per BFF
 * request and per DiracX call, exported as OTLP/HTTP JSON to `OTEL_EXPORTER_OTLP_ENDPOINT` (+`/v1/traces`) or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`. With neither set nothing is recorded or sent, but DiracX calls still
 * carry a `traceparent` (so DiracX's own spans join the caller's trace when the caller sent one).
 * Sampling is parent-based, always on: a request whose incoming traceparent says "not sampled" records nothing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';

export interface SpanContext {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A valid version-00 traceparent, or null (all-zero ids are invalid by the spec). */
export function parseTraceparent(header: unknown): SpanContext | null {
  if (typeof header !== 'string') return null;
  const m = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!m || /^0+$/.test(m[1]!) || /^0+$/.test(m[2]!)) return null;
  return { traceId: m[1]!, spanId: m[2]!, sampled: (parseInt(m[3]!, 16) & 1) === 1 };
}

export const formatTraceparent = (c: SpanContext) => `00-${c.traceId}-${c.spanId}-${c.sampled ? '01' : '00'}`;

export const SpanKind = { INTERNAL: 1, SERVER: 2, CLIENT: 3 } as const;

type AttributeValue = string | number | boolean;

export interface FinishedSpan {
  context: SpanContext;
  parentSpanId: string | null;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, AttributeValue>;
  error: string | null;
}

export class Span {
  readonly context: SpanContext;
  readonly #startNs = nowNs();
  readonly #attributes: Record<string, AttributeValue> = {};
  #error: string | null = null;
  #ended = false;
  readonly name: string;
  readonly kind: number;
  readonly parentSpanId: string | null;
  readonly #onEnd: (s: FinishedSpan) => void;
  constructor(name: string, kind: number, parentSpanId: string | null, context: SpanContext, onEnd: (s: FinishedSpan) => void) {
    this.name = name;
    this.kind = kind;
    this.parentSpanId = parentSpanId;
    this.context = context;
    this.#onEnd = onEnd;
  }
  setAttribute(key: string, value: AttributeValue) {
    this.#attributes[key] = value;
    return this;
  }
  /** Marks the span failed (OTel status ERROR) with a short reason. */
  fail(reason: string) {
    this.#error = reason.slice(0, 200);
    return this;
  }
  end() {
    if (this.#ended) return;
    this.#ended = true;
    if (!this.context.sampled) return;
    this.#onEnd({
      context: this.context,
      parentSpanId: this.parentSpanId,
      name: this.name,
      kind: this.kind,
      startNs: this.#startNs,
      endNs: nowNs(),
      attributes: this.#attributes,
      error: this.#error,
    });
  }
}

// Wall-clock nanoseconds: a process-start anchor plus the monotonic clock.
const anchorNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
const nowNs = () => anchorNs + process.hrtime.bigint();

const randomHex = (bytes: number) => crypto.randomBytes(bytes).toString('hex');

export interface SpanExporter {
  export(span: FinishedSpan): void;
  /** Send what is buffered (on shutdown). */
  flush(): Promise<void>;
}

export class Tracer {
  readonly #current = new AsyncLocalStorage<Span>();
  readonly exporter: SpanExporter | null;
  constructor(exporter: SpanExporter | null) {
    this.exporter = exporter;
  }

  /** A new span, child of `parent` (an incoming traceparent), else of the current span, else a new trace. */
  startSpan(name: string, kind: number, parent?: SpanContext | null): Span {
    const p = parent ?? this.#current.getStore()?.context ?? null;
    const context = {
      traceId: p?.traceId ?? randomHex(16),
      spanId: randomHex(8),
      sampled: this.exporter !== null && (p ? p.sampled : true),
    };
    return new Span(name, kind, p?.spanId ?? null, context, (s) => this.exporter?.export(s));
  }

  current(): Span | undefined {
    return this.#current.getStore();
  }

  /** Run `fn` (and everything it starts) with `span` as the current span. */
  run<T>(span: Span, fn: () => T): T {
    return this.#current.run(span, fn);
  }
}

export interface OtlpOptions {
  url: string;
  headers?: Record<string, string>;
  serviceName: string;
  serviceVersion?: string;
  /** Spans buffered before a send (and the most ever buffered: beyond 8× this, new spans are dropped). */
  batchSize?: number;
  intervalMs?: number;
  fetch?: typeof fetch;
  onError?: (err: Error) => void;
}

const attr = (key: string, value: AttributeValue) => ({
  key,
  value:
    typeof value === 'string'
      ? { stringValue: value }
      : typeof value === 'boolean'
        ? { boolValue: value }
        : Number.isInteger(value)
          ? { intValue: String(value) }
          : { doubleValue: value },
});

/** OTLP/HTTP with the JSON encoding (opentelemetry-proto's JSON mapping: hex ids, nanosecond strings). */
export function otlpHttpExporter(opts: OtlpOptions): SpanExporter {
  const batchSize = opts.batchSize ?? 256;
  const doFetch = opts.fetch ?? fetch;
  let buffer: FinishedSpan[] = [];
  let sending: Promise<void> = Promise.resolve();

  const send = () => {
    if (buffer.length === 0) return sending;
    const spans = buffer;
    buffer = [];
    const body = {
      resourceSpans: [
        {
          resource: {
            attributes: [
              attr('service.name', opts.serviceName),
              ...(opts.serviceVersion ? [attr('service.version', opts.serviceVersion)] : []),
            ],
          },
          scopeSpans: [
            {
              scope: { name: 'escape-portal-bff' },
              spans: spans.map((s) => ({
                traceId: s.context.traceId,
                spanId: s.context.spanId,
                ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
                name: s.name,
                kind: s.kind,
                startTimeUnixNano: String(s.startNs),
                endTimeUnixNano: String(s.endNs),
                attributes: Object.entries(s.attributes).map(([k, v]) => attr(k, v)),
                status: s.error ? { code: 2, message: s.error } : { code: 1 },
              })),
            },
          ],
        },
      ],
    };
    sending = sending.then(async () => {
      try {
        const res = await doFetch(opts.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...opts.headers },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        await res.body?.cancel();
        if (!res.ok) throw new Error(`OTLP collector answered ${res.status}`);
      } catch (err) {
        // Traces are best effort: a collector outage loses spans, never a request.
        opts.onError?.(err as Error);
      }
    });
    return sending;
  };
  const timer = setInterval(() => void send(), opts.intervalMs ?? 5000);
  timer.unref();

  return {
    export(span) {
      if (buffer.length >= batchSize * 8) return;
      buffer.push(span);
      if (buffer.length >= batchSize) void send();
    },
    flush: () => send(),
  };
}

/** `OTEL_EXPORTER_OTLP_HEADERS`: `key=value,key2=value2`, values URL-encoded. */
function parseHeaders(v: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (v ?? '').split(',')) {
    const i = part.indexOf('=');
    if (i > 0) out[decodeURIComponent(part.slice(0, i).trim())] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

/** The exporter the standard OTEL_* variables ask for, or null (tracing off). */
export function exporterFromEnv(env: NodeJS.ProcessEnv, onError?: (err: Error) => void): SpanExporter | null {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return null;
  const signal = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!signal && !base) return null;
  const url = signal || `${base!.replace(/\/+$/, '')}/v1/traces`;
  return otlpHttpExporter({
    url,
    headers: { ...parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS), ...parseHeaders(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS) },
    serviceName: env.OTEL_SERVICE_NAME || 'escape-portal-bff',
    ...(onError ? { onError } : {}),
  });
}
