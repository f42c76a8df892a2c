import { join } from 'node:path';
import type { Activity, ConversationReference } from 'botbuilder';
import type { Server } from 'restify';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { BotServices } from '../app.js';
import { configureAdapter } from '../adapter.js';
import { DirectLineAdapter } from './adapter.js';
import { DirectLineService } from './service.js';
import { ConversationStore } from './store.js';
import { DirectLineTokens, loadOrCreateSecret } from './tokens.js';
import { mountDirectLine } from './routes.js';

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
  /** Open streaming WebSockets right now (monitoring, tests). */
  sockets(): number;
  /** Closes open WebSockets (before the HTTP server closes). */
  close(): Promise<void>;
  /** Writes the conversation store. */
  flush(): Promise<void>;
}

/** How often idle conversations are looked for. */
const PURGE_EVERY_MS = 15 * 60 * 1000;

/**
 * Wires the Direct Line endpoint: signing secret (configured, or generated into DATA_DIR),
 * conversation store in DATA_DIR, an in-process adapter with the shared middleware, and the
 * routes and WebSockets on `server`. Turns run the same bot as `/api/messages`.
 */
export async function createDirectLine(deps: { config: Config; logger: Logger; services: BotServices; server: Server }): Promise<DirectLine> {
  const { config, logger, services, server } = deps;
  const tokens = new DirectLineTokens(loadOrCreateSecret(config.directLine.secret, config.dataDir), config.directLine.tokenTtlSeconds);
  const store = await ConversationStore.open(join(config.dataDir, 'directline.json'), {
    onWriteError: (err) => logger.error({ err }, 'could not write the direct line store'),
  });
  const adapter = configureAdapter(new DirectLineAdapter(store), services.turnDeps);
  const service = new DirectLineService({ store, tokens, adapter, logic: (context) => services.bot.run(context), turns: services.turns, logger });
  const routes = mountDirectLine({ server, config, logger, service });
  const purge = setInterval(() => {
    const n = store.purgeIdle();
    if (n) logger.info({ conversations: n }, 'expired idle direct line conversations');
  }, PURGE_EVERY_MS);
  purge.unref();
  return {
    service,
    sendProactive: (reference, activities) => service.sendProactive(reference, activities),
    sockets: () => routes.sockets(),
    close: async () => { clearInterval(purge); await routes.close(); },
    flush: () => store.flush(),
  };
}
