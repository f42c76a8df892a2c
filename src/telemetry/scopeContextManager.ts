import { type Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { activeScope, enterScope, runInScope } from '../util/asyncScope.js';

/**
 * OpenTelemetry's context manager for Node (AsyncLocalStorage, binding of functions and event
 * emitters), keeping the trace context in the service's one scope (`src/util/asyncScope.ts`)
 * instead of an AsyncLocalStorage of its own: a second one would cost every promise of every turn.
 * The scope is a `Context` already, so the turn's language rides in the same one and neither
 * loses the other. `bind` comes from the base class, through `with`.
 */
export class ScopeContextManager extends AsyncLocalStorageContextManager {
  override active(): Context {
    return activeScope();
  }

  override with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return runInScope(context, () => fn.apply(thisArg, args));
  }

  override attach(context: Context): ReturnType<AsyncLocalStorageContextManager['attach']> {
    const entered = enterScope(context);
    return { dispose: () => entered.restore() } as ReturnType<AsyncLocalStorageContextManager['attach']>;
  }

  /** The scope outlives tracing (it carries the language too): switching tracing off leaves it on. */
  override disable(): this {
    return this;
  }
}
