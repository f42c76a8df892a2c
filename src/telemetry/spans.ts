import { SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

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
