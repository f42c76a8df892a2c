import type { Activity, ConversationReference, TurnContext } from 'botbuilder';
import type { Server } from 'restify';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../storage/stores.js';
import type { TurnPort } from '../turns.js';
import type { RateLimits } from '../http/rateLimit.js';
import type { Language } from '../content/languages.js';
import { DirectLineAdapter } from './adapter.js';
import { DirectLineService } from './service.js';
import { DirectLineTokens } from './tokens.js';
import { mountDirectLine } from './routes.js';
import { CustomerCookies } from './customerCookie.js';

export { isDirectLineReference, DIRECTLINE_CHANNEL_ID, DIRECTLINE_SERVICE_URL } from './adapter.js';

/** The self-hosted Direct Line endpoint as the app sees it. */
export interface DirectLine {
  service: DirectLineService;
  /**
   * Messages a Direct Line customer outside their own turn (e.g. "your case is resolved"), given
   * the conversation reference saved during one of their turns. Check `isDirectLineReference`
   * first; other channels go through the CloudAdapter.
   */
  sendProactive(reference: Partial<ConversationReference>, activities: Array<Partial<Activity> | string>): Promise<string[]>;
  /** Runs `work` in a proactive turn of a Direct Line conversation (through the shared middleware, holding its turn lock). */
  continueConversation(reference: Partial<ConversationReference>, work: (context: TurnContext) => Promise<void>): Promise<void>;
  /** Open streaming WebSockets right now (monitoring, tests). */
  sockets(): number;
  /** Closes open WebSockets (before the HTTP server closes). */
  close(): Promise<void>;
}

export interface DirectLineDeps {
  config: Config;
  logger: Logger;
  server: Server;
  turns: TurnPort;
  stores: Pick<Stores, 'directLine' | 'lock' | 'sharedSecret'>;
  limits: RateLimits;
  /** The greeting a new chat opens with, in the language it was opened in. */
  welcome: (language: Language) => Partial<Activity>;
}

/** How often idle conversations are looked for, and how long without a message makes one idle. */
const PURGE_EVERY_MS = 15 * 60 * 1000;
const IDLE_MS = 24 * 3600 * 1000;

/**
 * Wires the Direct Line endpoint: the token signing secret (configured, or one shared by every
 * instance through the store), an in-process adapter with the shared middleware, and the routes
 * and WebSockets on `server`. Turns run the same bot as `/api/messages`.
 */
export async function createDirectLine(deps: DirectLineDeps): Promise<DirectLine> {
  const { config, logger, server, turns, stores } = deps;
  const secret = config.directLine.secret || await stores.sharedSecret('directline-token-signing');
  const tokens = new DirectLineTokens(secret, config.directLine.tokenTtlSeconds);
  const adapter = turns.configure(new DirectLineAdapter(stores.directLine));
  const service = new DirectLineService({
    store: stores.directLine, tokens, adapter, logic: (context) => turns.logic(context), lock: stores.lock, welcome: deps.welcome,
    conversationLifetimeSeconds: config.directLine.conversationLifetimeSeconds, logger,
  });
  const cookieSecret = config.directLine.customerCookieSecret || await stores.sharedSecret('customer-cookie-signing');
  const cookies = new CustomerCookies(cookieSecret, Math.round(config.directLine.customerCookieDays * 86_400));
  const routes = mountDirectLine({ server, config, logger, service, limits: deps.limits, cookies });
  const purge = setInterval(() => {
    stores.directLine.purgeIdle(Date.now() - IDLE_MS, (id) => routes.hasSocket(id)).then((n) => {
      if (n) logger.info({ conversations: n }, 'expired idle direct line conversations');
    }, (err) => logger.warn({ err }, 'could not expire idle direct line conversations'));
  }, PURGE_EVERY_MS);
  purge.unref();
  return {
    service,
    sendProactive: (reference, activities) => service.sendProactive(reference, activities),
    continueConversation: (reference, work) => service.continueConversation(reference, work),
    sockets: () => routes.sockets(),
    close: async () => { clearInterval(purge); await routes.close(); },
  };
}
