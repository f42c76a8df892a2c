import { context, SpanStatusCode, trace, type Attributes, type Tracer } from '@opentelemetry/api';
import { topIntent, type IntentResult } from '../nlu/recognizerPort.js';

export const TRACER_NAME = 'support-bot';

let running: Tracer | undefined;

/**
 * The service's tracer: the running provider's own while tracing runs (set by `tracing.ts`), else
 * the API's (a no-op). Asking the API each time cost a registry lookup and a version check per span.
 */
export const tracer = (): Tracer => running ?? trace.getTracer(TRACER_NAME);

/** `tracing.ts` hands over its provider's tracer on start, and takes it back (`undefined`) on shutdown. */
export function useTracer(t: Tracer | undefined): void { running = t; }

/**
 * Runs `work` in a child span of the current one, marked as failed when it throws. Outside a
 * recorded trace this only calls `work`. Attributes name what happened, never what the customer wrote.
 */
export function traced<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  // only inside a recorded trace: tracing off, or a turn the sampler left out, costs nothing here
  const parent = context.active();
  if (!trace.getSpan(parent)?.isRecording()) return work();
  const span = tracer().startSpan(name, { attributes }, parent);
  return context.with(trace.setSpan(parent, span), async () => {
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
    const span = trace.getActiveSpan();
    if (span?.isRecording()) {
      const top = topIntent(result);
      span.setAttributes({ 'supportbot.intent': top.intent, 'supportbot.score': top.score });
    }
    return result;
  });
}
