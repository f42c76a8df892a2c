import type { Server, Request, Response } from 'restify';
import type { Logger } from '../logger.js';
import { StoreUnavailableError } from '../storage/errors.js';

/**
 * A refusal a route throws (or passes to `next`): an HTTP status, a stable code a client can
 * branch on and a message a person can act on. Anything that is not an `HttpError` is an
 * internal failure: it is logged with the request id and answered with a generic 500.
 */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
  }
}

/** A store or dependency that cannot answer right now (a lost database): 503, retry later. */
export class UnavailableError extends HttpError {
  constructor(message: string, readonly retryAfterSeconds = 5) {
    super(503, 'Unavailable', message, { 'retry-after': String(retryAfterSeconds) });
    this.name = 'UnavailableError';
  }
}

/** The one error body every route answers with; Direct Line clients also read `error`. */
export function errorBody(req: Request | undefined, code: string, message: string): Record<string, unknown> {
  const body: Record<string, unknown> = { code, message };
  if (req?.getPath?.().startsWith('/v3/directline')) body.error = { code, message };
  return body;
}

/** Sends an error answer once (a later error on an answered request is only logged). */
export function sendHttpError(req: Request, res: Response, err: HttpError): void {
  if (res.headersSent) return;
  for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
  res.setHeader('cache-control', 'no-store');
  res.send(err.status, errorBody(req, err.code, err.message));
}

/**
 * Turns anything thrown into the answer a client may see: an `HttpError` as it is, restify's own
 * 4xx refusals (unknown route, wrong method) in the same shape, and everything else as a plain
 * 500 without the internal message.
 */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof StoreUnavailableError) return new UnavailableError(err.message, err.retryAfterSeconds);
  const e = err as { statusCode?: unknown; body?: { code?: unknown }; message?: unknown; name?: unknown } | undefined;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = typeof e?.body?.code === 'string' ? e.body.code : typeof e?.name === 'string' ? e.name.replace(/Error$/, '') : 'BadRequest';
    return new HttpError(status, code, typeof e?.message === 'string' && e.message ? e.message : 'The request was refused.');
  }
  return new HttpError(500, 'InternalError', 'The request could not be processed; it has been logged.');
}

/**
 * The one error handler at the HTTP edge (Hono's `onError`): every error a route throws or
 * passes to `next(err)`, restify's own refusals included, is logged with the request id
 * (internal ones at error level, with the stack) and answered in one JSON shape.
 */
export function installErrorHandler(server: Server, logger: Logger): void {
  server.on('restifyError', (req: Request, res: Response, err: unknown, done: () => void) => {
    const answer = toHttpError(err);
    if (answer.status >= 500 && !(err instanceof HttpError)) logger.error({ err, reqId: req.id(), path: req.getPath() }, 'request failed');
    else if (answer.status >= 500) logger.warn({ reqId: req.id(), path: req.getPath(), code: answer.code, reason: answer.message }, 'request refused');
    sendHttpError(req, res, answer);
    return done();
  });
}
