import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Middleware, TurnContext } from 'botbuilder';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';
import { cachedRecognition, wasFallback } from '../conversation/turn.js';
import { topIntent } from '../nlu/recognizerPort.js';
import { channelLabel } from './labels.js';
import { activeScope, runInScope } from '../util/asyncScope.js';
import { errorName, runningTracer } from './spans.js';

/** Activity types as span attributes (a made-up type is `other`). */
const ACTIVITY_TYPES = new Set(['message', 'conversationUpdate', 'event', 'invoke', 'typing', 'messageReaction', 'installationUpdate', 'endOfConversation']);

/**
 * Measures every turn, once, as the first middleware (so state saving and every other
 * middleware are inside it): `supportbot_turns_total`, the turn's duration, the classifier's
 * top score and fallbacks; and, with tracing on, the turn's span (its children: recognition, the
 * dialog, each store call, each call to the channel's connector). Message text never goes into a
 * span or a metric.
 */
export class TurnTelemetry implements Middleware {
  constructor(private readonly metrics: Metrics, private readonly logger?: Logger) {
    if (!metrics) throw new Error('[TurnTelemetry]: Missing parameter. metrics is required');
  }

  onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const tracer = runningTracer();
    if (!tracer) return this.measure(context, next);
    const a = context.activity;
    const type = ACTIVITY_TYPES.has(a.type) ? a.type : 'other';
    const parent = activeScope();
    const span = tracer.startSpan('turn', {
      kind: SpanKind.SERVER,
      attributes: { 'supportbot.channel': channelLabel(a.channelId), 'supportbot.activity.type': type },
    }, parent);
    return runInScope(trace.setSpan(parent, span), () => this.measure(context, next, span));
  }

  /** Runs the rest of the turn and records it (in `span`, when tracing runs). */
  private async measure(context: TurnContext, next: () => Promise<void>, span?: Span): Promise<void> {
    const t0 = performance.now();
    let ok = false;
    try {
      await next();
      ok = true;
    } catch (err) {
      span?.setStatus({ code: SpanStatusCode.ERROR, message: errorName(err) });
      throw err;
    } finally {
      this.finish(context, span, ok, (performance.now() - t0) / 1000);
    }
  }

  private finish(context: TurnContext, span: Span | undefined, ok: boolean, seconds: number): void {
    try {
      const result = cachedRecognition(context);
      const top = result ? topIntent(result) : undefined;
      const fallback = wasFallback(context);
      this.metrics.turn({ channelId: context.activity.channelId, intent: top?.intent, score: top?.score, ok, seconds, fallback });
      if (span?.isRecording()) {
        if (top) span.setAttributes({ 'supportbot.intent': top.intent, 'supportbot.score': top.score });
        span.setAttributes({ 'supportbot.outcome': ok ? 'ok' : 'error', 'supportbot.fallback': fallback });
      }
      this.logger?.debug({ channel: channelLabel(context.activity.channelId), intent: top?.intent, ok, ms: Math.round(seconds * 1000) }, 'turn');
    } catch (err) {
      // measuring never breaks a turn
      this.logger?.warn({ err }, 'could not record the turn\'s metrics');
    } finally {
      span?.end();
    }
  }
}
