import { CloudAdapter, type Activity, type InvokeResponse, type ResourceResponse, type TurnContext } from 'botbuilder';
import { injectTraceContext, traced } from '../telemetry/spans.js';

/** A reply the channel's connector did not take (unreachable, too slow, or refused). */
export class DeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}

/** Turn-state key of this turn's first failed reply. */
const DELIVERY_FAILED = Symbol('support-bot.deliveryFailed');

/** What botbuilder's connector client hands its HTTP client (core-http-compat's `WebResourceLike`, the parts read here). */
interface CompatRequest {
  url: string;
  method: string;
  body?: unknown;
  headers: { toJson(options?: { preserveCase?: boolean }): Record<string, string> };
}

/**
 * The HTTP client for replies to channel connectors: Node's fetch with a per-attempt timeout.
 * A connector that cannot be reached or does not answer in time fails at once with a
 * `DeliveryError` (an error code the retry policy does not retry), instead of costing about five
 * seconds of retries per reply; a 5xx answer keeps botbuilder's bounded retries.
 */
export function connectorHttpClient(timeoutMs: number) {
  return {
    async sendRequest(request: CompatRequest) {
      let res: Response;
      const sent = request.headers.toJson({ preserveCase: true });
      // with tracing on, the connector call carries the turn's W3C traceparent
      injectTraceContext(sent);
      // a timer cleared once the answer is read: AbortSignal.timeout cannot be cleared, so every
      // reply used to leave a timer that fired later and aborted (with a new DOMException) a
      // request long finished, keeping the request alive until then
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new DOMException(`No answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
      timer.unref();
      let bodyAsText: string;
      try {
        try {
          res = await fetch(request.url, {
            method: request.method,
            headers: sent,
            body: typeof request.body === 'string' || request.body instanceof Uint8Array ? request.body : request.body === undefined || request.body === null ? undefined : JSON.stringify(request.body),
            signal: abort.signal,
          });
        } catch (err) {
          const timedOut = (err as Error)?.name === 'TimeoutError';
          throw new DeliveryError(`The channel's connector at ${new URL(request.url).host} ${timedOut ? `did not answer within ${timeoutMs} ms` : 'could not be reached'}.`, { cause: err });
        }
        bodyAsText = await res.text();
      } finally {
        clearTimeout(timer);
      }
      const headers = Object.fromEntries(res.headers);
      return {
        request, status: res.status, bodyAsText,
        headers: {
          toJson: () => ({ ...headers }),
          get: (name: string) => headers[name.toLowerCase()],
          rawHeaders: () => ({ ...headers }),
          headersArray: () => Object.entries(headers).map(([name, value]) => ({ name, value })),
        },
      };
    },
  };
}

/**
 * The Bot Framework channels' adapter: a `CloudAdapter` whose failed replies surface as
 * `DeliveryError`, so the turn error handler can tell "the channel is down" (log once, keep the
 * conversation) from a bug in the turn.
 */
export class ChannelAdapter extends CloudAdapter {
  /**
   * Authenticates and runs one activity already read from the request: what `process()` does
   * without answering errors itself (it sends their internal message to the caller).
   */
  run(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }

  /** Each call to the channel's connector is a span of its own when tracing is on (typing indicators too). */
  override sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    return traced('channel.send', { 'supportbot.activities': activities.length }, () => this.deliver(context, activities));
  }

  private async deliver(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    // once the connector failed in a turn, the turn's other replies fail at once (no second wait)
    const failed = context.turnState.get(DELIVERY_FAILED) as DeliveryError | undefined;
    if (failed) throw failed;
    try {
      return await super.sendActivities(context, activities);
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      const failure = err instanceof DeliveryError ? err : new DeliveryError(`The channel refused the reply${status ? ` (HTTP ${status})` : ''}.`, { cause: err });
      context.turnState.set(DELIVERY_FAILED, failure);
      throw failure;
    }
  }
}
