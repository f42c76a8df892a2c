import restify, { type Server, type Request, type Response, type Next } from 'restify';
import type { Activity } from 'botbuilder';
import type { ChannelAdapter } from './channels/delivery.js';
import { isLoopbackHost, type Config } from './config.js';
import type { Logger } from './logger.js';
import type { TurnPort } from './turns.js';
import type { RateLimits } from './http/rateLimit.js';
import { HttpError, installErrorHandler } from './http/errors.js';
import { jsonBody } from './http/body.js';
import { limitText } from './inputLimits.js';

export interface ServerDeps {
  config: Config;
  logger: Logger;
  adapter: ChannelAdapter;
  /** Runs turns (logic and the per-conversation lock, shared with other transports). */
  turns: TurnPort;
  limits: RateLimits;
  /** Extra fields for `GET /healthz` (intents loaded, the stores, …). */
  health: () => Promise<Record<string, unknown>>;
  /** Whether the instance should get traffic: the model is loaded and the stores answer. */
  ready: () => Promise<{ ok: boolean; reason?: string; checks: Record<string, unknown> }>;
}

/** A running server with what shutdown needs. */
export interface HttpServer {
  server: Server;
  /** Requests being handled right now. */
  inFlight(): number;
}

/** Restify server with the Bot Framework endpoint, health check and request logging. */
export function createServer(deps: ServerDeps): HttpServer {
  const { config, logger, adapter, turns, limits } = deps;
  const server = restify.createServer({ name: 'support-bot', handleUncaughtExceptions: false });
  // idle keep-alive connections stay open longer than a load balancer's (60 s is common): a server
  // that closes first races the client reusing the connection, which then sees "socket hang up"
  server.server.keepAliveTimeout = 65_000;
  server.server.headersTimeout = 66_000;
  const startedAt = Date.now();
  let inFlight = 0;

  server.pre((req: Request, res: Response, next: Next) => {
    inFlight++;
    (req as Request & { startedAt?: number }).startedAt = performance.now();
    res.once('finish', () => { inFlight--; });
    res.once('close', () => { if (!res.writableFinished) inFlight--; });
    res.setHeader('x-request-id', req.id());
    return next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  installErrorHandler(server, logger);
  server.on('after', (req: Request, res: Response) => {
    const started = (req as Request & { startedAt?: number }).startedAt ?? performance.now();
    // path only: query strings may carry tokens; message text is never logged at info
    logger.info({ reqId: req.id(), method: req.method, path: req.getPath(), status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request');
  });

  // liveness: the process answers (cheap); it also says how the stores are, for people reading it
  server.get('/healthz', async (_req: Request, res: Response) => {
    res.setHeader('cache-control', 'no-store');
    res.send(200, { status: 'ok', version: config.version, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), ...(await deps.health()) });
  });

  // readiness: a load balancer stops sending traffic to an instance that lost its database
  server.get('/readyz', async (_req: Request, res: Response) => {
    const r = await deps.ready();
    res.setHeader('cache-control', 'no-store');
    res.send(r.ok ? 200 : 503, { status: r.ok ? 'ready' : 'unavailable', ...(r.reason ? { reason: r.reason } : {}), checks: r.checks });
  });

  const authOff = !config.microsoftApp.appId;
  server.post('/api/messages',
    jsonBody('the activity', { maxBytes: config.maxBodyBytes }),
    (req: Request, _res: Response, next: Next) => {
      const problem = activityProblem(req.body) ?? (authOff ? unauthenticatedProblem(req.body) : undefined);
      if (problem) return next(new HttpError(400, 'BadActivity', problem));
      limitText(req.body);
      return next();
    },
    limits.step('api_messages', { points: config.limits.messagesPerMinute, seconds: 60 }, 'messages in this conversation', (req) => `${req.body.channelId}/${req.body.conversation.id}`),
    async (req: Request, res: Response) => {
      const activity = fixTimestamps(req.body);
      const auth = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
      // the adapter authenticates (with MicrosoftAppId) and runs the turn; errors go to the one
      // error handler (CloudAdapter.process would answer them with their internal message)
      let invoke: { status: number; body?: unknown } | undefined;
      try {
        invoke = await turns.inConversation(activity.channelId, activity.conversation.id, () => adapter.run(auth, activity, (context) => turns.logic(context)));
      } catch (err) {
        // botframework-connector's AuthenticationError carries 401 or 403
        const status = (err as { statusCode?: unknown })?.statusCode;
        if (status === 401 || status === 403) throw new HttpError(status, status === 401 ? 'Unauthorized' : 'Forbidden', 'The request is not authenticated as a Bot Framework channel for this bot.');
        throw err;
      }
      res.send(invoke?.status ?? 200, invoke?.body);
    });

  return { server, inFlight: () => inFlight };
}

/** Timestamps as Dates, as botbuilder's own request reader does (the wire carries ISO strings). */
function fixTimestamps(body: Record<string, unknown>): Activity {
  for (const k of ['timestamp', 'localTimestamp', 'expiration']) {
    if (typeof body[k] === 'string') body[k] = new Date(body[k] as string);
  }
  return body as unknown as Activity;
}

/**
 * With channel authentication off (no MicrosoftAppId) nothing vouches for `serviceUrl`: replies
 * may only go back to this machine (the Emulator), never to an address a caller names.
 */
export function unauthenticatedProblem(body: Record<string, unknown>): string | undefined {
  if (body.deliveryMode === 'expectReplies') return undefined;
  if (!isLoopbackUrl(String(body.serviceUrl))) {
    return 'Channel authentication is off on this server (local use): "serviceUrl" must be a loopback address such as http://localhost:<port> (the Emulator), or ask for deliveryMode "expectReplies".';
  }
  return undefined;
}

/** True for http(s) URLs on this machine (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname.replace(/^\[|\]$/g, ''));
  } catch {
    return false;
  }
}
export function activityProblem(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'The body must be a JSON object (a Bot Framework activity).';
  const a = body as Record<string, unknown>;
  if (typeof a.type !== 'string' || a.type.trim() === '') return 'The activity has no "type".';
  const conversation = a.conversation as Record<string, unknown> | undefined;
  if (!conversation || typeof conversation.id !== 'string' || !conversation.id) return 'The activity has no "conversation.id".';
  if (typeof a.channelId !== 'string' || !a.channelId) return 'The activity has no "channelId".';
  if (a.deliveryMode !== 'expectReplies' && (typeof a.serviceUrl !== 'string' || !/^https?:\/\//.test(a.serviceUrl))) {
    return 'The activity has no valid "serviceUrl" (needed to send replies) and does not ask for deliveryMode "expectReplies".';
  }
  if (a.text !== undefined && typeof a.text !== 'string') return '"text" must be a string.';
  // every channel sends who wrote; without it the transcript middleware fails every turn
  const from = a.from as Record<string, unknown> | undefined;
  if (typeof from !== 'object' || from === null || Array.isArray(from) || typeof from.id !== 'string' || !from.id) return 'The activity has no "from.id".';
  // mention stripping and the hand-off read entities on every message
  if (a.entities !== undefined && (!Array.isArray(a.entities) || a.entities.some((e) => typeof e !== 'object' || e === null))) return '"entities" must be an array of objects.';
  // the welcome reads who joined; a malformed list failed the turn and wiped the conversation's state
  for (const k of ['membersAdded', 'membersRemoved']) {
    const list = a[k];
    if (list !== undefined && (!Array.isArray(list) || list.some((m) => typeof m !== 'object' || m === null))) return `"${k}" must be an array of accounts (objects).`;
  }
  return undefined;
}
