import restify, { type Server, type Request, type Response, type Next } from 'restify';
import type { CloudAdapter, ActivityHandler } from 'botbuilder';
import { isLoopbackHost, type Config } from './config.js';
import type { Logger } from './logger.js';
import type { KeyedQueue } from './util/keyedQueue.js';
import { HttpError, installErrorHandler } from './http/errors.js';
import { jsonBody } from './http/body.js';
import { limitText } from './inputLimits.js';

export interface ServerDeps {
  config: Config;
  logger: Logger;
  adapter: CloudAdapter;
  bot: ActivityHandler;
  /** Serialises turns per conversation (shared with other transports). */
  turns: KeyedQueue;
  /** Extra fields for `GET /healthz` (intents loaded, …). */
  health: () => Record<string, unknown>;
}

/** A running server with what shutdown needs. */
export interface HttpServer {
  server: Server;
  /** Requests being handled right now. */
  inFlight(): number;
}

/** Restify server with the Bot Framework endpoint, health check and request logging. */
export function createServer(deps: ServerDeps): HttpServer {
  const { config, logger, adapter, bot, turns } = deps;
  const server = restify.createServer({ name: 'support-bot', handleUncaughtExceptions: false });
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

  server.get('/healthz', (_req: Request, res: Response, next: Next) => {
    res.send(200, { status: 'ok', version: config.version, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), ...deps.health() });
    return next();
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
    async (req: Request, res: Response) => {
      const conversationId: string = req.body.conversation.id;
      await turns.run(conversationId, () => adapter.process(req, res, (context) => bot.run(context)));
    });

  return { server, inFlight: () => inFlight };
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
