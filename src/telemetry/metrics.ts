import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from '../storage/stores.js';
import { channelLabel, contactMethodLabel, intentLabel, routeLabel, teamLabel, TEAMS } from './labels.js';

/** Where the gauges read their values when Prometheus scrapes (set once the parts exist). */
export interface GaugeSources {
  /** Everyone waiting for a person (every instance's queue: it is shared). */
  handoffQueue?: () => Promise<Array<{ team: string }>>;
  /** Open Direct Line WebSockets on this instance. */
  directLineSockets?: () => number;
  /** The database pools, when the stores are on PostgreSQL. */
  pools?: () => PoolStats[];
}

/** How long a scrape waits for the queue before leaving its gauge out (a lost database must not hang /metrics). */
const QUEUE_READ_TIMEOUT_MS = 1000;

let processRegistry: Registry | undefined;

/**
 * Node's process metrics (CPU, memory, event loop lag, GC) belong to the process, not to one app:
 * they are collected once per process, however many apps a test run starts.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The service's Prometheus metrics, in a registry of their own (every name as issue 18 lists it,
 * prefixed `supportbot_`). Labels take values from fixed lists only (`labels.ts`). The behaviour
 * is measured where it happens: turns in the turn middleware, store calls in the store wrapper,
 * cases where they are opened; gauges are read from their source at scrape time.
 */
export class Metrics {
  readonly registry = new Registry();
  private sources: GaugeSources = {};

  private readonly turns = new Counter({
    name: 'supportbot_turns_total', help: 'Turns run, by channel, top intent and outcome (ok or error).',
    labelNames: ['channel', 'intent', 'outcome'] as const, registers: [this.registry],
  });
  private readonly turnSeconds = new Histogram({
    name: 'supportbot_turn_duration_seconds', help: 'Time to run one turn (middleware, dialogs and the state save), by channel.',
    labelNames: ['channel'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry],
  });
  private readonly score = new Histogram({
    name: 'supportbot_classifier_score', help: 'Score of the top intent of each classified message.',
    buckets: [0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1], registers: [this.registry],
  });
  private readonly fallbacks = new Counter({
    name: 'supportbot_fallbacks_total', help: 'Messages the bot did not understand ("I didn\'t get that"), by channel.',
    labelNames: ['channel'] as const, registers: [this.registry],
  });
  private readonly escalations = new Counter({
    name: 'supportbot_escalations_total', help: 'Conversations handed to a person, by team and contact method.',
    labelNames: ['team', 'contact_method'] as const, registers: [this.registry],
  });
  private readonly casesOpened = new Counter({ name: 'supportbot_cases_opened_total', help: 'Support cases opened.', registers: [this.registry] });
  private readonly handoffWait = new Histogram({
    name: 'supportbot_handoff_wait_seconds', help: 'How long customers waited in the queue until a person accepted the chat.',
    buckets: [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200], registers: [this.registry],
  });
  private readonly storeSeconds = new Histogram({
    name: 'supportbot_store_operation_seconds', help: 'Time of store calls, by store and operation (lock: waiting for the conversation).',
    labelNames: ['store', 'op'] as const, buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry],
  });
  private readonly storeErrors = new Counter({
    name: 'supportbot_store_errors_total', help: 'Store calls that failed (a lost database, a full disk, a busy conversation), by store.',
    labelNames: ['store'] as const, registers: [this.registry],
  });
  private readonly rateLimited = new Counter({
    name: 'supportbot_rate_limited_total', help: 'Requests refused with 429, by route.',
    labelNames: ['route'] as const, registers: [this.registry],
  });
  private readonly spansExported = new Counter({ name: 'supportbot_trace_spans_exported_total', help: 'Spans the trace collector accepted.', registers: [this.registry] });
  private readonly spansDropped = new Counter({
    name: 'supportbot_trace_spans_dropped_total', help: 'Spans dropped: the queue was full (collector slow or down) or the collector refused or missed a batch.',
    labelNames: ['reason'] as const, registers: [this.registry],
  });

  constructor() {
    const sources = () => this.sources;
    new Gauge({
      name: 'supportbot_handoff_queue_length', help: 'Customers waiting for a person, by team (the queue every instance shares).',
      labelNames: ['team'] as const, registers: [this.registry],
      async collect() {
        const read = sources().handoffQueue;
        this.reset();
        if (!read) return;
        let timer: NodeJS.Timeout | undefined;
        const entries = await Promise.race([
          read().catch(() => undefined),
          new Promise<undefined>((r) => { timer = setTimeout(() => r(undefined), QUEUE_READ_TIMEOUT_MS); }),
        ]).finally(() => clearTimeout(timer));
        // an unreadable queue is left out rather than reported as empty
        if (!entries) return;
        for (const team of TEAMS) this.set({ team }, 0);
        for (const e of entries) this.inc({ team: teamLabel(e.team) });
      },
    });
    new Gauge({
      name: 'supportbot_directline_connections', help: 'Open Direct Line WebSockets (web widget streams) on this instance.', registers: [this.registry],
      collect() { this.set(sources().directLineSockets?.() ?? 0); },
    });
    new Gauge({
      name: 'supportbot_db_pool_in_use', help: 'PostgreSQL connections checked out of each pool (query, lock).',
      labelNames: ['pool'] as const, registers: [this.registry],
      collect() { this.reset(); for (const p of sources().pools?.() ?? []) this.set({ pool: p.pool }, p.inUse); },
    });
    new Gauge({
      name: 'supportbot_db_pool_waiting', help: 'Callers waiting for a PostgreSQL connection, by pool.',
      labelNames: ['pool'] as const, registers: [this.registry],
      collect() { this.reset(); for (const p of sources().pools?.() ?? []) this.set({ pool: p.pool }, p.waiting); },
    });
  }

  /** Tells the gauges where to read (parts created after the metrics). */
  watch(sources: GaugeSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  /** One finished turn. `intent` and `score` are the turn's recognition, when it had one. */
  turn(t: { channelId: string | undefined; intent?: string; score?: number; ok: boolean; seconds: number; fallback: boolean }): void {
    const channel = channelLabel(t.channelId);
    this.turns.inc({ channel, intent: intentLabel(t.intent), outcome: t.ok ? 'ok' : 'error' });
    this.turnSeconds.observe({ channel }, t.seconds);
    if (t.score !== undefined && Number.isFinite(t.score)) this.score.observe(Math.max(0, Math.min(1, t.score)));
    if (t.fallback) this.fallbacks.inc({ channel });
  }

  caseOpened(c: { team?: string; contactMethod?: string }): void {
    this.casesOpened.inc();
    this.escalations.inc({ team: teamLabel(c.team), contact_method: contactMethodLabel(c.contactMethod) });
  }

  handoffAccepted(waitedSeconds: number): void {
    if (Number.isFinite(waitedSeconds) && waitedSeconds >= 0) this.handoffWait.observe(waitedSeconds);
  }

  /**
   * The recorder of one store operation (`store` and `op` come from code: the port's names). Made
   * once per operation and kept by the caller, so a call costs no label lookup.
   */
  storeOperation(store: string, op: string): (seconds: number, failed: boolean) => void {
    const histogram = this.storeSeconds.labels(store, op);
    const errors = this.storeErrors.labels(store);
    return (seconds, failed) => {
      histogram.observe(seconds);
      if (failed) errors.inc();
    };
  }

  limited(route: string): void {
    this.rateLimited.inc({ route: routeLabel(route) });
  }

  spans(outcome: 'exported' | 'queue_full' | 'export_failed', n: number): void {
    if (n <= 0) return;
    if (outcome === 'exported') this.spansExported.inc(n);
    else this.spansDropped.inc({ reason: outcome }, n);
  }

  /** The text exposition: the process's metrics, then the service's. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    const [proc, own] = await Promise.all([processMetrics().metrics(), this.registry.metrics()]);
    return { contentType: this.registry.contentType, body: `${proc}\n${own}` };
  }
}
