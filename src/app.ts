import { join } from 'node:path';
import { ConversationState, UserState, type Middleware } from 'botbuilder';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { Content } from './content/content.js';
import { IntentRecognizer } from './nlu/recognizer.js';
import { LowdbStorage } from './storage/lowdbStorage.js';
import { createAdapter, type TurnDeps } from './adapter.js';
import { KeyedQueue } from './util/keyedQueue.js';
import { SupportBot } from './bot.js';
import { MainDialog } from '../dialogs/mainDialog.js';
import { createServer, type HttpServer } from './server.js';
import { channelMiddleware } from './channels/index.js';

/** Everything the running service is made of, wired once. */
export interface App {
  config: Config;
  logger: Logger;
  content: Content;
  recognizer: IntentRecognizer;
  storage: LowdbStorage;
  bot: SupportBot;
  http: HttpServer;
  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number>;
  /** Stops accepting, waits for in-flight requests (up to the shutdown timeout) and flushes stores. */
  close(): Promise<void>;
}

/** The bot and what it needs, without any transport: shared by the server and `npm run chat`. */
export interface BotServices {
  content: Content;
  recognizer: IntentRecognizer;
  storage: LowdbStorage;
  conversationState: ConversationState;
  userState: UserState;
  bot: SupportBot;
  /** Shared by every adapter: middleware and error handling (see `configureAdapter`). */
  turnDeps: TurnDeps;
  /** Serialises turns per conversation id across every transport. */
  turns: KeyedQueue;
}

/** Wires config → content → recognizer → stores → dialogs → bot. */
export async function createBotServices(config: Config, logger: Logger): Promise<BotServices> {
  const content = Content.load(config.contentDir);
  const recognizer = IntentRecognizer.fromDirectory(config.intentsDir, { threshold: config.nluThreshold });
  logger.info({ intents: recognizer.intentCount, trainMs: Math.round(recognizer.trainMs) }, 'recognizer trained');
  const storage = await LowdbStorage.open(join(config.dataDir, 'state.json'));
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const dialog = new MainDialog(recognizer, content);
  const bot = new SupportBot(conversationState, userState, dialog, content);
  const middleware: Middleware[] = [...channelMiddleware(conversationState)];
  return {
    content, recognizer, storage, conversationState, userState, bot,
    turnDeps: { logger, conversationState, content, middleware },
    turns: new KeyedQueue(),
  };
}

/** Wires the bot services → adapter → HTTP server. */
export async function createApp(config: Config, logger: Logger): Promise<App> {
  const services = await createBotServices(config, logger);
  const { content, recognizer, storage, bot } = services;
  const adapter = createAdapter(config, services.turnDeps);
  const http = createServer({ config, logger, adapter, bot, turns: services.turns, health: () => ({ intents: recognizer.intentCount }) });

  let closing: Promise<void> | undefined;
  return {
    config, logger, content, recognizer, storage, bot, http,
    listen: () => new Promise((resolve, reject) => {
      http.server.once('error', reject);
      http.server.listen(config.port, config.host, () => {
        const addr = http.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : config.port);
      });
    }),
    close: () => (closing ??= (async () => {
      await new Promise<void>((resolve) => { http.server.close(() => resolve()); setTimeout(resolve, config.shutdownTimeoutMs).unref(); });
      const deadline = Date.now() + config.shutdownTimeoutMs;
      while (http.inFlight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      await storage.flush();
    })()),
  };
}
