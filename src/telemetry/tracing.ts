import { context, diag, DiagLogLevel, propagation, ROOT_CONTEXT, trace, type Context, type DiagLogger } from '@opentelemetry/api';
import { ExportResultCode, W3CTraceContextPropagator, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler,
  type ReadableSpan, type Sampler, type SpanExporter, type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { IncomingHttpHeaders } from 'node:http';
import type { Server, Request, Response, Next } from 'restify';
import type { TelemetryConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { ScopeContextManager } from './scopeContextManager.js';
import { TRACER_NAME, useTracer } from './spans.js';

/** Where dropped and exported spans are counted. */
export interface SpanCounter { spans(outcome: 'exported' | 'queue_full' | 'export_failed', n: number): void }

/** Tracing while it runs; `shutdown` sends what is queued (within the export timeout) and unregisters. */
export interface Tracing {
  /** Sends every finished span now (tests, shutdown). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** A `traceparent` longer than this is not one (version 00 is 55 characters); ignored. */
const MAX_TRACEPARENT = 128;
/** W3C asks vendors to propagate at least 512 characters of `tracestate`; longer ones are dropped. */
const MAX_TRACESTATE = 512;

let active = false;

/**
 * Starts OpenTelemetry tracing for this process: spans go in batches over OTLP/HTTP (JSON) to
 * `config.tracesUrl`, W3C `traceparent` is read from requests and written on outgoing calls.
 * Tracing is process-wide (the API's global provider, which library code reaches through
 * `trace.getTracer`), so one app per process traces.
 *
 * A collector that is down or slow never holds up a turn: finished spans wait in a bounded queue
 * and the exporter sends them in the background; when the queue is full new spans are dropped,
 * and batches the collector refuses or does not take in time are dropped too, each counted.
 *
 * `config.sampler` decides which turns are recorded (the standard `OTEL_TRACES_SAMPLER` and
 * `OTEL_TRACES_SAMPLER_ARG`, read by `loadConfig`, not by the SDK from `process.env`, so a wrong value
 * stops start-up with its name); a turn left out still carries its trace context on, flagged unsampled.
 */
export function startTracing(config: TelemetryConfig, version: string, counter: SpanCounter, logger: Logger): Tracing {
  if (active) throw new Error('[startTracing]: tracing is already running in this process');
  active = true;
  diag.setLogger(throttled(logger), DiagLogLevel.WARN);
  const exporter = new CountingExporter(new OTLPTraceExporter({ url: config.tracesUrl, timeoutMillis: config.exportTimeoutMs }), counter);
  const batches = new BatchSpanProcessor(exporter, {
    // the bound is kept by BoundedQueue (which counts what it drops); this one never fills first
    maxQueueSize: config.maxQueueSize + config.maxExportBatchSize,
    maxExportBatchSize: config.maxExportBatchSize,
    scheduledDelayMillis: config.scheduleDelayMs,
    exportTimeoutMillis: config.exportTimeoutMs + 1000,
  });
  const queue = new BoundedQueue(batches, config.maxQueueSize, counter);
  exporter.onTaken = (n) => queue.taken(n);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName, [ATTR_SERVICE_VERSION]: version }),
    sampler: sampler(config.sampler),
    spanProcessors: [queue],
  });
  // the trace context rides in the service's one AsyncLocalStorage, beside the turn's language
  provider.register({ propagator: new W3CTraceContextPropagator(), contextManager: new ScopeContextManager() });
  // the provider's own tracer, so no span looks it up again through the API's global registry
  useTracer(provider.getTracer(TRACER_NAME));
  let stopping: Promise<void> | undefined;
  return {
    flush: () => provider.forceFlush().catch(() => undefined),
    shutdown: () => (stopping ??= provider.shutdown().catch(() => undefined).finally(() => {
      useTracer(undefined);
      trace.disable();
      context.disable();
      propagation.disable();
      diag.disable();
      active = false;
    })),
  };
}

/** The sampler `OTEL_TRACES_SAMPLER` names (the specification's meaning of each value). */
function sampler({ name, ratio }: TelemetryConfig['sampler']): Sampler {
  const root = name.endsWith('always_off') ? new AlwaysOffSampler()
    : name.endsWith('traceidratio') ? new TraceIdRatioBasedSampler(ratio)
      : new AlwaysOnSampler();
  return name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

/**
 * Runs every request of `server` in the trace its W3C `traceparent` names (see `incomingContext`).
 * The request's own events are bound too: bodies are read in 'data'/'end' listeners, which would
 * otherwise run outside the caller's trace.
 */
export function joinCallersTrace(server: Server): void {
  server.pre((req: Request, _res: Response, next: Next) => {
    const ctx = incomingContext(req.headers);
    // without a caller's trace there is nothing to carry (the turn starts its own)
    if (ctx === ROOT_CONTEXT) return next();
    context.bind(ctx, req);
    return context.with(ctx, next);
  });
}

/**
 * The trace context of an incoming request: its W3C `traceparent` (and `tracestate`) when they are
 * well-formed and of a sensible size; otherwise none, and the turn starts a new trace.
 */
export function incomingContext(headers: IncomingHttpHeaders): Context {
  const parent = single(headers.traceparent);
  if (!parent || parent.length > MAX_TRACEPARENT) return ROOT_CONTEXT;
  const state = single(headers.tracestate);
  const carrier: Record<string, string> = { traceparent: parent };
  if (state && state.length <= MAX_TRACESTATE) carrier.tracestate = state;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

function single(v: string | string[] | undefined): string | undefined {
  // a repeated traceparent is ambiguous: ignored
  return typeof v === 'string' ? v : undefined;
}

/** Keeps at most `max` finished spans waiting for the exporter; drops (and counts) the rest. */
class BoundedQueue implements SpanProcessor {
  private waiting = 0;

  constructor(private readonly inner: SpanProcessor, private readonly max: number, private readonly counter: SpanCounter) {}

  onStart(...args: Parameters<SpanProcessor['onStart']>): void { this.inner.onStart(...args); }

  onEnd(span: ReadableSpan): void {
    if (this.waiting >= this.max) { this.counter.spans('queue_full', 1); return; }
    this.waiting++;
    this.inner.onEnd(span);
  }

  /** The exporter took `n` spans off the queue. */
  taken(n: number): void { this.waiting = Math.max(0, this.waiting - n); }

  forceFlush(): Promise<void> { return this.inner.forceFlush(); }
  shutdown(): Promise<void> { return this.inner.shutdown(); }
}

/** Counts what the collector accepted and what it refused or missed. */
class CountingExporter implements SpanExporter {
  onTaken: (n: number) => void = () => undefined;

  constructor(private readonly inner: SpanExporter, private readonly counter: SpanCounter) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.onTaken(spans.length);
    this.inner.export(spans, (result) => {
      this.counter.spans(result.code === ExportResultCode.SUCCESS ? 'exported' : 'export_failed', spans.length);
      done(result);
    });
  }

  shutdown(): Promise<void> { return this.inner.shutdown(); }
  forceFlush(): Promise<void> { return this.inner.forceFlush?.() ?? Promise.resolve(); }
}

/** OpenTelemetry's own warnings (a collector that refuses batches), at most one a minute. */
function throttled(logger: Logger): DiagLogger {
  let last = 0;
  const warn = (message: string) => {
    const now = Date.now();
    if (now - last < 60_000) return;
    last = now;
    logger.warn({ reason: message.slice(0, 300) }, 'tracing: spans could not be exported (further warnings for a minute are not logged)');
  };
  const quiet = () => undefined;
  return { error: warn, warn, info: quiet, debug: quiet, verbose: quiet };
}
