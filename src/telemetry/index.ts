import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { Metrics } from './metrics.js';
import { startTracing, type Tracing } from './tracing.js';

export { Metrics, type GaugeSources } from './metrics.js';
export { TurnTelemetry } from './turnTelemetry.js';
export { countOpenedCases } from './caseMetrics.js';
export { incomingContext, joinCallersTrace, type Tracing } from './tracing.js';
export { mountMetrics, startMetricsServer, type MetricsServer } from './metricsRoutes.js';
export { traced } from './spans.js';

/** The service's metrics, and its tracing when an OTLP endpoint is configured. */
export interface Telemetry {
  metrics: Metrics;
  tracing?: Tracing;
}

/** Metrics always (served only as `METRICS_TOKEN`/`METRICS_PORT` allow); tracing only with `OTEL_EXPORTER_OTLP_ENDPOINT`. */
export function createTelemetry(config: Config, logger: Logger): Telemetry {
  const metrics = new Metrics();
  const tracing = config.telemetry.tracesUrl ? startTracing(config.telemetry, config.version, metrics, logger) : undefined;
  if (tracing) logger.info({ service: config.telemetry.serviceName }, 'tracing on: spans are sent over OTLP/HTTP');
  return { metrics, tracing };
}
