import type { Request, Response, Next } from 'restify';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { HttpError } from './errors.js';

/** One limit: at most `points` requests per `seconds` for one key (an address, a conversation). */
export interface Limit { points: number; seconds: number }

/** Told whenever a request is refused (for metrics and logs). */
export type OnLimited = (route: string, key: string) => void;

/**
 * Per-key rate limits with `rate-limiter-flexible` (in memory: each instance counts its own
 * traffic, so N instances allow N times the limit; the limits are set for abuse, far above what a
 * person does). A refusal is 429 with `Retry-After` and a reason.
 */
export class RateLimits {
  private readonly limiters = new Map<string, RateLimiterMemory>();

  constructor(private readonly onLimited: OnLimited = () => undefined) {}

  /** Counts one request for `key` under `name`; throws a 429 `HttpError` past the limit. */
  async take(name: string, limit: Limit, key: string, what: string): Promise<void> {
    const limiter = this.limiter(name, limit);
    try {
      await limiter.consume(key);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const retry = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      this.onLimited(name, key);
      throw new HttpError(429, 'TooManyRequests', `Too many ${what}; try again in ${retry} s.`, { 'retry-after': String(retry) });
    }
  }

  /**
   * Refuses (429) when `key` has already used up `limit` under `name`, without counting this
   * request: with `take` after a failure, only failures count (sign-in attempts).
   */
  async refuseIfSpent(name: string, limit: Limit, key: string, what: string): Promise<void> {
    const limiter = this.limiter(name, limit);
    const res = await limiter.get(key);
    if (res && res.consumedPoints >= limit.points) {
      const retry = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      this.onLimited(name, key);
      throw new HttpError(429, 'TooManyRequests', `Too many ${what}; try again in ${retry} s.`, { 'retry-after': String(retry) });
    }
  }

  private limiter(name: string, limit: Limit): RateLimiterMemory {
    let limiter = this.limiters.get(name);
    if (!limiter) this.limiters.set(name, (limiter = new RateLimiterMemory({ points: limit.points, duration: limit.seconds })));
    return limiter;
  }

  /** A route step counting one request per `keyOf(req)`. */
  step(name: string, limit: Limit, what: string, keyOf: (req: Request) => string) {
    return (req: Request, _res: Response, next: Next): void => {
      this.take(name, limit, keyOf(req), what).then(() => next(), (err) => next(err));
    };
  }
}

/**
 * The client's address: the socket's, or with `trustProxy` (the service runs behind a load
 * balancer that sets it) the first address of `X-Forwarded-For`. Never trusted by default: a
 * client could name any address and dodge its limits.
 */
export function clientAddress(req: Request, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = req.headers['x-forwarded-for'];
    const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
    if (first) return first.slice(0, 64);
  }
  return req.socket?.remoteAddress ?? 'unknown';
}
