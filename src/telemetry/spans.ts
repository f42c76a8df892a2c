import { SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { topIntent, type IntentResult } from '../nlu/recognizerPort.js';

/** The service's tracer (a no-op until tracing is started: see `tracing.ts`). */
export const tracer = () => trace.getTracer('support-bot');

/**
 * Runs `work` in a child span of the current one, marked as failed when it throws. Outside a
 * recorded trace this only calls `work`. Attributes name what happened, never what the customer wrote.
 */
export function traced<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  // only inside a recorded trace: tracing off, or a turn the sampler left out, costs nothing here
  if (!trace.getActiveSpan()?.isRecording()) return work();
  return tracer().startActiveSpan(name, { attributes }, async (span) => {
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
