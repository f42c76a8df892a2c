import { pino, type Logger } from 'pino';
import { trace } from '@opentelemetry/api';
import { activeScope } from './util/asyncScope.js';

export type { Logger };

/**
 * Structured JSON logs. Secrets are redacted by path; message text is only ever logged at
 * debug level by callers, never at info. A line written inside a traced operation carries its
 * `trace_id` and `span_id`, so a trace and its logs find each other.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({
    level,
    base: { service: 'support-bot' },
    mixin: traceIds,
    redact: {
      paths: ['*.authorization', '*.headers.authorization', 'req.headers.authorization', '*.password', '*.secret', '*.token', 'config.microsoftApp.password', 'config.adminToken', 'config.directLine.secret', 'config.telemetry.metricsToken'],
      censor: '[redacted]',
    },
  }, destination as pino.DestinationStream | undefined);
}

/** The active span's ids (none outside traces, or with tracing off). */
function traceIds(): Record<string, string> {
  const span = trace.getSpan(activeScope());
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
