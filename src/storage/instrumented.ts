import { SpanStatusCode, type Span } from '@opentelemetry/api';
import type { Stores } from './stores.js';
import { StateConflictError } from './errors.js';
import { recordingContext, runningTracer } from '../telemetry/spans.js';

/** Told about store calls: made once per store and operation, then called as each call settles. */
export interface StoreObserver {
  operation(store: string, op: string): (seconds: number, failed: boolean) => void;
}

/**
 * The stores measured: every store of `Stores` (a new store goes on this list to be measured;
 * one left off still works, unmeasured). Other members (`check`, `close`, …) pass through.
 */
export const MEASURED_STORES = ['state', 'cases', 'transcripts', 'feedback', 'directLine', 'handoffs', 'staff', 'deskSessions', 'audit', 'outcomes', 'reviewLabels', 'lock', 'bus'] as const satisfies ReadonlyArray<keyof Stores>;

/**
 * `stores` with every asynchronous store call timed and counted (`supportbot_store_operation_seconds`,
 * `supportbot_store_errors_total`) and, inside a traced turn, a child span per call: one wrapper for
 * every backend, so no backend measures itself. The conversation lock is measured for its wait
 * (until the turn may start), not for the turn it then runs. A lost write race
 * (`StateConflictError`) is an answer, not a store failure: it is timed but not counted as an error.
 */
export function instrumentStores(stores: Stores, observer: StoreObserver): Stores {
  const wrapped = new Map<PropertyKey, unknown>();
  for (const name of MEASURED_STORES) {
    wrapped.set(name, name === 'lock' ? timedLock(stores.lock, observer) : timedStore(name, stores[name], observer));
  }
  return new Proxy(stores, {
    get(target, prop) {
      if (wrapped.has(prop)) return wrapped.get(prop);
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function timedStore<T extends object>(store: string, target: T, observer: StoreObserver): T {
  // one wrapper per method, made again if the method is replaced (tests swap in failing ones)
  const methods = new Map<string, { fn: unknown; timed: unknown }>();
  return new Proxy(target, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      let method = methods.get(prop);
      if (method?.fn !== value) methods.set(prop, (method = { fn: value, timed: timedMethod(store, prop, value as (...a: unknown[]) => unknown, t, observer) }));
      return method.timed;
    },
  });
}

/** Recorders by `store.op`: made once, however often a method is wrapped. */
const recorders = new WeakMap<StoreObserver, Map<string, (seconds: number, failed: boolean) => void>>();

function recorder(observer: StoreObserver, store: string, op: string): (seconds: number, failed: boolean) => void {
  let mine = recorders.get(observer);
  if (!mine) recorders.set(observer, (mine = new Map()));
  let record = mine.get(`${store}.${op}`);
  if (!record) mine.set(`${store}.${op}`, (record = observer.operation(store, op)));
  return record;
}

function timedMethod(store: string, op: string, fn: (...args: unknown[]) => unknown, target: object, observer: StoreObserver) {
  let record: ((seconds: number, failed: boolean) => void) | undefined;
  return function (...args: unknown[]): unknown {
    const span = childSpan(store, op);
    const t0 = performance.now();
    let result: unknown;
    try {
      result = fn.apply(target, args);
    } catch (err) {
      endSpan(span, err);
      throw err;
    }
    // synchronous members (`subscribe`) are not round trips to a store
    if (!isPromise(result)) { span?.end(); return result; }
    record ??= recorder(observer, store, op);
    return result.then((value) => {
      record!((performance.now() - t0) / 1000, false);
      span?.end();
      return value;
    }, (err: unknown) => {
      record!((performance.now() - t0) / 1000, !(err instanceof StateConflictError));
      endSpan(span, err);
      throw err;
    });
  };
}

function timedLock(lock: Stores['lock'], observer: StoreObserver): Stores['lock'] {
  const record = observer.operation('lock', 'wait');
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const span = childSpan('lock', 'wait');
      const t0 = performance.now();
      let started = false;
      return lock.run(key, () => {
        started = true;
        record((performance.now() - t0) / 1000, false);
        span?.end();
        return task();
      }).catch((err: unknown) => {
        // the task's own failures are the turn's, not the lock's
        if (!started) { record((performance.now() - t0) / 1000, true); endSpan(span, err); }
        throw err;
      });
    },
  };
}

/** A span for the call, only inside a traced operation (store calls outside turns would each start a trace). */
function childSpan(store: string, op: string): Span | undefined {
  const parent = recordingContext();
  if (!parent) return undefined;
  return runningTracer()!.startSpan(`store ${store}.${op}`, { attributes: { 'supportbot.store': store, 'supportbot.store.op': op } }, parent);
}

function endSpan(span: Span | undefined, err: unknown): void {
  if (!span) return;
  // the error's class only: store messages may name keys
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.name : 'Error' });
  span.end();
}

function isPromise(v: unknown): v is Promise<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}
