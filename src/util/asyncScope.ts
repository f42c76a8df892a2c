/**
 * What follows a turn through every await (its language; with tracing on, its trace context) is
 * kept in one AsyncLocalStorage. On Node 20 every AsyncLocalStorage in the process is copied into
 * every promise and callback the process creates, so each one more costs every turn (about 1% of a
 * turn's CPU when tracing had a second one). The value kept is an OpenTelemetry `Context`, the
 * API's immutable key–value map, whatever is switched on: `src/content/turnLanguage.ts` keeps the
 * language under a key of its own, and `src/telemetry/scopeContextManager.ts` makes it the trace
 * context OpenTelemetry reads and writes.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, type Context } from '@opentelemetry/api';

const storage = new AsyncLocalStorage<Context>();

/** The current scope (the root, empty scope outside any). */
export function activeScope(): Context {
  return storage.getStore() ?? ROOT_CONTEXT;
}

/** Runs `fn` (and everything it starts or awaits) in `scope`. */
export function runInScope<T>(scope: Context, fn: () => T): T {
  return storage.run(scope, fn);
}

/** Makes `scope` current for the rest of this synchronous run and what it starts; returns what to restore. */
export function enterScope(scope: Context): { restore(): void } {
  const previous = activeScope();
  storage.enterWith(scope);
  let restored = false;
  return { restore() { if (!restored) { restored = true; storage.enterWith(previous); } } };
}
