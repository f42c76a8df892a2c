import { propagation, SpanStatusCode, trace, type Attributes, type Context, type Tracer } from '@opentelemetry/api';
import { topIntent, type IntentResult } from '../nlu/recognizerPort.js';
import { activeScope, runInScope } from '../util/asyncScope.js';

export const TRACER_NAME = 'support-bot';

let running: Tracer | undefined;

/**
 * The running provider's own tracer while tracing runs (set by `tracing.ts`), else none. Spans
 * are started through it and read their context from the service's scope
 * (`src/util/asyncScope.ts`, which `ScopeContextManager` makes OpenTelemetry's context), not
 * through the API's global registry: that costs a lookup and a version check per call, several
 * times in every turn, sampled or not, traced or not.
 */
export const runningTracer = (): Tracer | undefined => running;

/** `tracing.ts` hands over its provider's tracer on start, and takes it back (`undefined`) on shutdown. */
export function useTracer(t: Tracer | undefined): void { running = t; }

/** The current context when it is inside a recorded span (a traced turn the sampler kept); else none. */
export function recordingContext(): Context | undefined {
  if (!running) return undefined;
  const ctx = activeScope();
  return trace.getSpan(ctx)?.isRecording() ? ctx : undefined;
}

/** Writes the current trace's W3C `traceparent` (and `tracestate`) into `carrier`, while tracing runs; unsampled turns carry theirs on too. */
export function injectTraceContext(carrier: Record<string, string>): void {
  if (running) propagation.inject(activeScope(), carrier);
}

/**
 * Runs `work` in a child span of the current one, marked as failed when it throws. Outside a
 * recorded trace this only calls `work`. Attributes name what happened, never what the customer wrote.
 */
export function traced<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  // only inside a recorded trace: tracing off, or a turn the sampler left out, costs nothing here
  const parent = recordingContext();
  if (!parent) return work();
  const span = running!.startSpan(name, { attributes }, parent);
  return runInScope(trace.setSpan(parent, span), async () => {
    try {
      return await work();
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorName(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The error's class, never its message (messages may quote what the customer wrote). */
export function errorName(err: unknown): string {
  return err instanceof Error ? err.name : 'Error';
}

/** Runs the classifier in a `recognize` span that says which intent won and its score (never the text). */
export function tracedRecognition(work: () => IntentResult | Promise<IntentResult>): Promise<IntentResult> {
  return traced('recognize', {}, async () => {
    const result = await work();
    const span = trace.getSpan(activeScope());
    if (span?.isRecording()) {
      const top = topIntent(result);
      span.setAttributes({ 'supportbot.intent': top.intent, 'supportbot.score': top.score });
    }
    return result;
  });
}
