import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Server, Request, Response, Next } from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { generateAzureToken } from './azure.js';
import { MAX_ACTIVITY_BYTES, type DirectLineService } from './service.js';
import type { TokenClaims } from './tokens.js';
import type { FeedEvent } from '../storage/directLineStore.js';
import { HttpError, sendHttpError } from '../http/errors.js';
import { jsonBody } from '../http/body.js';
import { clientAddress, type RateLimits } from '../http/rateLimit.js';
import { randomId } from './tokens.js';
import type { CustomerCookies } from './customerCookie.js';
import { acceptedLanguage, languageOfLocale, type Language } from '../content/languages.js';

const BASE = '/v3/directline';
const STREAM_PATH = /^\/v3\/directline\/conversations\/([A-Za-z0-9_-]{1,64})\/stream$/;

export interface DirectLineRoutesDeps {
  server: Server;
  config: Config;
  logger: Logger;
  service: DirectLineService;
  limits: RateLimits;
  /** The web customer's lasting identity (signed cookie). */
  cookies: CustomerCookies;
}

/** What shutdown and monitoring need from the Direct Line transport. */
export interface DirectLineRoutes {
  /** Closes every open WebSocket (they would otherwise keep the HTTP server from closing). */
  close(): Promise<void>;
  /** Open WebSockets right now. */
  sockets(): number;
  /** True while a WebSocket of conversation `id` is open on this instance (it is then never purged). */
  hasSocket(id: string): boolean;
}

/**
 * Mounts the Direct Line 3.0 routes, the widget token endpoint and WebSocket streaming on the
 * restify server. Every route checks the bearer token and that it is bound to the conversation
 * in the path; refusals go to the one error handler, which answers in the project's
 * `{code, message}` and Direct Line's `{error: {code, message}}`.
 */
export function mountDirectLine(deps: DirectLineRoutesDeps): DirectLineRoutes {
  const { server, config, logger, service, limits, cookies } = deps;
  const cors = corsCheck(config.directLine.allowedOrigins);
  const bodyParser = jsonBody('the activity', { maxBytes: Math.min(config.maxBodyBytes, MAX_ACTIVITY_BYTES) });
  const address = (req: Request) => clientAddress(req, config.trustProxy);

  const authed = (handler: (req: Request, res: Response, claims: TokenClaims) => Promise<void> | void) =>
    async (req: Request, res: Response) => { await handler(req, res, await service.authenticate(bearer(req))); };
  // a check early in a chain: lets the chain go on, or stops it with the refusal
  const guard = (check: (req: Request) => Promise<void>) => (req: Request, _res: Response, next: Next) => {
    check(req).then(() => next(), (e) => next(e));
  };

  // CORS first: a website on another origin may run Web Chat directly against these routes.
  server.pre((req: Request, res: Response, next: Next) => {
    const path = req.getPath();
    if (!path.startsWith(BASE) && path !== '/api/directline/token' && path !== '/api/directline/forget') return next();
    const verdict = cors(req, res);
    if (verdict === 'refused') {
      sendHttpError(req, res, new HttpError(403, 'OriginNotAllowed', `Origin ${String(req.headers.origin).slice(0, 200)} is not allowed to use the chat (ALLOWED_ORIGINS).`));
      return next(false);
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      res.setHeader('access-control-allow-headers', 'authorization, content-type, x-ms-bot-agent, x-requested-with');
      res.setHeader('access-control-max-age', '600');
      res.send(204);
      return next(false);
    }
    return next();
  });

  server.post('/api/directline/token',
    limits.step('directline_token', { points: config.limits.tokensPerMinute, seconds: 60 }, 'chat tokens from this address', address),
    async (req: Request, res: Response) => {
      res.setHeader('cache-control', 'no-store');
      // a returning browser keeps its user id (and so its cases); anyone else gets a new one
      const site = siteOf(req, config.trustProxy);
      const secure = site.startsWith('https:');
      const known = cookies.read(req, site);
      const userId = known ?? randomId('dl_', 12);
      res.setHeader('set-cookie', cookies.issue(userId, site, secure));
      if (config.directLine.azureSecret) {
        try {
          res.send(200, await generateAzureToken({ secret: config.directLine.azureSecret, domain: config.directLine.azureDomain }, fetch, userId));
        } catch (err) {
          logger.error({ err }, 'azure direct line token exchange failed');
          throw new HttpError(502, 'UpstreamFailed', 'Could not get a chat token from Azure Direct Line; try again shortly.');
        }
        return;
      }
      res.send(200, { ...service.issueToken(userId, chatLanguage(req)), returning: known !== undefined });
    });

  // "forget this device": the browser's next chat starts as a new customer
  server.post('/api/directline/forget', async (req: Request, res: Response) => {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('set-cookie', cookies.clear(siteOf(req, config.trustProxy).startsWith('https:')));
    res.send(200, { forgotten: true });
  });

  server.post(`${BASE}/conversations`,
    limits.step('directline_start', { points: config.limits.startsPerMinute, seconds: 60 }, 'new chats from this address', address),
    authed(async (req, res, claims) => {
      const { created } = await service.start(claims);
      res.setHeader('cache-control', 'no-store');
      res.send(created ? 201 : 200, conversationResponse(req, claims, undefined));
    }));

  server.get(`${BASE}/conversations/:conversationId`, authed(async (req, res, claims) => {
    await service.authorize(claims, req.params.conversationId);
    res.setHeader('cache-control', 'no-store');
    res.send(200, conversationResponse(req, claims, watermarkOf(req)));
  }));

  server.get(`${BASE}/conversations/:conversationId/activities`, authed(async (req, res, claims) => {
    res.setHeader('cache-control', 'no-store');
    res.send(200, await service.activities(claims, req.params.conversationId, watermarkOf(req)));
  }));

  server.post(`${BASE}/conversations/:conversationId/activities`,
    // who may post is settled before the body is read, so strangers cannot make the server parse it
    guard(async (req) => service.authorize(await service.authenticate(bearer(req)), req.params.conversationId)),
    limits.step('directline_message', { points: config.limits.messagesPerMinute, seconds: 60 }, 'messages in this chat', (req) => String(req.params.conversationId)),
    bodyParser,
    authed(async (req, res, claims) => {
      res.send(200, await service.post(claims, req.params.conversationId, req.body));
    }));

  server.post(`${BASE}/tokens/refresh`, authed(async (req, res, claims) => {
    res.setHeader('cache-control', 'no-store');
    res.send(200, await service.refresh(claims, localeLanguage(req)));
  }));

  return attachStreaming(server, service, logger, config.directLine.socketsPerConversation);
}

/**
 * The site the page was served from: the request's `Origin` when the browser sent one (fetch
 * does for POST), else this server's own scheme and host. The customer cookie is bound to it.
 */
function siteOf(req: Request, trustProxy: boolean): string {
  const origin = req.headers.origin;
  if (typeof origin === 'string' && /^https?:\/\/[^/\s]{1,255}$/.test(origin)) return origin;
  const https = (trustProxy && req.headers['x-forwarded-proto'] === 'https') || (req as unknown as { isSecure?: () => boolean }).isSecure?.() === true;
  return `${https ? 'https' : 'http'}://${publicHost(req)}`;
}

/** The language a page asked for with `?locale=` (a BCP-47 tag such as `es-US`); one the bot does not speak is ignored. */
function localeLanguage(req: Request): Language | undefined {
  const locale = (req.query as Record<string, unknown> | undefined)?.locale;
  return typeof locale === 'string' ? languageOfLocale(locale.slice(0, 35)) : undefined;
}

/** A new chat's language: the page's `?locale=`, else the browser's `Accept-Language`, else the default. */
function chatLanguage(req: Request): Language | undefined {
  return localeLanguage(req) ?? acceptedLanguage(req.headers['accept-language']);
}

function bearer(req: Request | IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m?.[1];
}

function watermarkOf(req: Request): string | undefined {
  const w = (req.query as Record<string, unknown> | undefined)?.watermark;
  return typeof w === 'string' && /^\d{1,12}$/.test(w) ? w : undefined;
}

/** The host the client used, when it looks like one (it goes into `streamUrl`). */
function publicHost(req: Request | IncomingMessage): string {
  const h = req.headers.host ?? '';
  return /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(h) ? h : 'localhost';
}

function conversationResponse(req: Request, claims: TokenClaims, watermark: string | undefined) {
  const token = bearer(req)!;
  const secure = req.headers['x-forwarded-proto'] === 'https' || (req as unknown as { isSecure?: () => boolean }).isSecure?.() === true;
  const query = new URLSearchParams({ watermark: watermark ?? '-', t: token });
  return {
    conversationId: claims.conv,
    token,
    expires_in: Math.max(0, claims.exp - Math.floor(Date.now() / 1000)),
    streamUrl: `${secure ? 'wss' : 'ws'}://${publicHost(req)}${BASE}/conversations/${encodeURIComponent(claims.conv)}/stream?${query}`,
    referenceGrammarId: '',
  };
}

/**
 * CORS for the widget: with no allow-list any origin may ask (the token only opens a fresh
 * conversation); with one, other origins are refused. Same-origin requests always pass.
 */
function corsCheck(allowed: string[]) {
  return (req: Request, res: Response): 'ok' | 'refused' => {
    const origin = req.headers.origin;
    if (!origin) return 'ok';
    const sameOrigin = origin === `http://${req.headers.host}` || origin === `https://${req.headers.host}`;
    if (allowed.length > 0 && !sameOrigin && !allowed.includes(origin)) return 'refused';
    res.setHeader('access-control-allow-origin', allowed.length > 0 ? origin : '*');
    res.setHeader('vary', 'Origin');
    return 'ok';
  };
}

/**
 * WebSocket streaming on `streamUrl` (`…/conversations/{id}/stream?watermark=&t=<token>`): on
 * connect the client gets what it missed since its watermark, then every new activity (and typing
 * indicators, which never go into history) as `{activities, watermark}` frames, as the official
 * service sends them. New history is read from the store whenever the store's feed says there is
 * some, so a reply written by another instance arrives too. Empty client messages are pings.
 */
function attachStreaming(server: Server, service: DirectLineService, logger: Logger, perConversation: number): DirectLineRoutes {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const open = new Map<string, number>();
  const refuse = (socket: Duplex, status: number, reason: string) => {
    const text = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 429 ? 'Too Many Requests' : status === 503 ? 'Service Unavailable' : 'Not Found';
    socket.end(`HTTP/1.1 ${status} ${text}\r\ncontent-type: text/plain\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
  };

  server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = STREAM_PATH.exec(url.pathname);
    if (!m) { refuse(socket, 404, 'No WebSocket here.'); return; }
    void (async () => {
      const claims = await service.authenticate(url.searchParams.get('t') ?? bearer(req));
      await service.authorize(claims, m[1]);
      return claims;
    })().then((claims) => {
      if ((open.get(claims.conv) ?? 0) >= perConversation) {
        refuse(socket, 429, `At most ${perConversation} open streams per chat; close one first.`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => stream(ws, claims, url.searchParams.get('watermark') ?? undefined));
    }, (e) => refuse(socket, e instanceof HttpError ? e.status : 401, e instanceof HttpError ? e.message : 'The stream could not be opened.'));
  });

  const stream = (ws: WebSocket, claims: TokenClaims, watermark: string | undefined) => {
    const id = claims.conv;
    open.set(id, (open.get(id) ?? 0) + 1);
    let sent = /^\d+$/.test(watermark ?? '') ? Number(watermark) : 0;
    let chain: Promise<void> = Promise.resolve();
    const send = (set: { activities: unknown[]; watermark?: string }) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(set));
    };
    // reads are chained, so frames go out in order and nothing is sent twice
    const catchUp = () => {
      chain = chain.then(async () => {
        const set = await service.activities(claims, id, String(sent));
        if (set.activities.length === 0) return;
        sent = Number(set.watermark);
        send(set);
      }).catch((err) => logger.warn({ err, conversationId: id }, 'could not read new chat activities for a stream'));
    };
    const unsubscribe = service.store.subscribe(id, (event: FeedEvent) => {
      if (event.kind === 'ephemeral') chain = chain.then(() => send({ activities: [event.activity], watermark: String(sent) }));
      else catchUp();
    });
    catchUp();
    // the token in the URL expires; a socket outliving it is closed so the client reconnects with a fresh one
    const expiry = setTimeout(() => ws.close(1008, 'token expired'), Math.max(0, claims.exp * 1000 - Date.now()));
    expiry.unref();
    ws.on('close', () => {
      unsubscribe();
      clearTimeout(expiry);
      const n = (open.get(id) ?? 1) - 1;
      if (n > 0) open.set(id, n); else open.delete(id);
    });
    ws.on('error', (err) => logger.debug({ err }, 'direct line websocket error'));
  };

  return {
    sockets: () => wss.clients.size,
    hasSocket: (id) => open.has(id),
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
