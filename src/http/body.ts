import type { Request, Response, Next } from 'restify';
import { HttpError } from './errors.js';

/** Bounds on what a JSON body may hold: checked before any code walks or copies it. */
export interface BodyLimits {
  /** Largest body, in bytes. */
  maxBytes: number;
  /** Deepest nesting of objects and arrays (a Bot Framework activity needs about 8). */
  maxDepth: number;
  /** Longest array. */
  maxArrayLength: number;
  /** Most keys in one object. */
  maxKeys: number;
  /** Longest string, in characters. */
  maxStringLength: number;
  /** Most values in the whole document. */
  maxNodes: number;
}

/** Defaults; strings are bounded by the body size (a long message is cut by the bot, politely, not refused). */
export const DEFAULT_BODY_LIMITS: Omit<BodyLimits, 'maxBytes' | 'maxStringLength'> = {
  maxDepth: 32, maxArrayLength: 1000, maxKeys: 500, maxNodes: 20_000,
};

/**
 * Why `value` breaks `limits`, or undefined. Iterative, so a document nested 100,000 levels deep
 * is refused instead of overflowing the stack (V8's `JSON.parse` is iterative; `JSON.stringify`
 * and `structuredClone` are not, and every store copies what it keeps).
 */
export function shapeProblem(value: unknown, limits: Omit<BodyLimits, 'maxBytes'>): string | undefined {
  const stack: Array<[unknown, number]> = [[value, 0]];
  let nodes = 0;
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (++nodes > limits.maxNodes) return `The body holds more than ${limits.maxNodes} values.`;
    if (typeof v === 'string') {
      if (v.length > limits.maxStringLength) return `A string in the body is longer than ${limits.maxStringLength} characters.`;
    } else if (v !== null && typeof v === 'object') {
      if (depth >= limits.maxDepth) return `The body is nested more than ${limits.maxDepth} levels deep.`;
      if (Array.isArray(v)) {
        if (v.length > limits.maxArrayLength) return `An array in the body has more than ${limits.maxArrayLength} items.`;
        for (const x of v) stack.push([x, depth + 1]);
      } else {
        const keys = Object.keys(v);
        if (keys.length > limits.maxKeys) return `An object in the body has more than ${limits.maxKeys} keys.`;
        for (const k of keys) {
          if (k.length > limits.maxStringLength) return `A key in the body is longer than ${limits.maxStringLength} characters.`;
          stack.push([(v as Record<string, unknown>)[k], depth + 1]);
        }
      }
    }
  }
  return undefined;
}

/**
 * A route step that reads a JSON body within `limits` into `req.body`, refusing with a reason:
 * 415 for another content type or any `Content-Encoding` (compressed bodies are not accepted:
 * restify's own decoder crashed the process on a bad gzip stream), 413 past `maxBytes` (read no
 * further), 400 for malformed JSON or a shape past the limits. `what` names the body in reasons.
 */
export function jsonBody(what: string, limits: Partial<BodyLimits> & { maxBytes: number }) {
  const bounds = { ...DEFAULT_BODY_LIMITS, maxStringLength: limits.maxBytes, ...limits };
  return function readJsonBody(req: Request, res: Response, next: Next): void {
    if (!req.is('application/json')) return next(new HttpError(415, 'UnsupportedMediaType', `Send ${what} as JSON with Content-Type: application/json.`));
    const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity' && encoding !== '') {
      return next(new HttpError(415, 'UnsupportedMediaType', `Compressed bodies (Content-Encoding: ${encoding.slice(0, 20)}) are not accepted; send ${what} uncompressed.`));
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > bounds.maxBytes) {
      res.setHeader('connection', 'close');
      return next(new HttpError(413, 'TooLarge', `The body is ${declared} bytes; the largest accepted size is ${bounds.maxBytes} bytes.`));
    }
    const chunks: Buffer[] = [];
    let size = 0, done = false;
    const finish = (err?: HttpError) => {
      if (done) return;
      done = true;
      req.removeListener('data', onData);
      if (err) {
        res.setHeader('connection', 'close');
        req.resume();
        return next(err);
      }
      const text = Buffer.concat(chunks, size).toString('utf8');
      if (!text.trim()) return next(new HttpError(400, 'BadRequest', `The body is empty; send ${what} as a JSON object.`));
      let parsed: unknown;
      try { parsed = JSON.parse(text); } catch (e) {
        return next(new HttpError(400, 'MalformedJson', `The body is not valid JSON (${(e as Error).message.slice(0, 120)}).`));
      }
      const problem = shapeProblem(parsed, bounds);
      if (problem) return next(new HttpError(400, 'BodyTooComplex', problem));
      req.body = parsed;
      // kept for routes that check a signature over the exact bytes (the contact centre's callbacks)
      (req as Request & { rawBody?: string }).rawBody = text;
      return next();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > bounds.maxBytes) return finish(new HttpError(413, 'TooLarge', `The body is too large; the largest accepted size is ${bounds.maxBytes} bytes.`));
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish());
    req.once('error', () => finish(new HttpError(400, 'BadRequest', 'The body could not be read.')));
  };
}
